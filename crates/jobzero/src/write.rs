//! Writing results: to stdout (colours only on a colour terminal, `NO_COLOR` honoured) or to
//! a file (never coloured), and errors to stderr.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

/// Writes `text` to `output`, or to stdout when there is none. ANSI styles are kept only on a
/// terminal that supports them.
pub fn emit(text: &str, output: Option<&Path>) -> anyhow::Result<()> {
    match output {
        Some(path) => std::fs::write(path, anstream::adapter::strip_str(text).to_string())
            .with_context(|| format!("cannot write `{}`", path.display())),
        None => {
            let mut stdout = anstream::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
            Ok(())
        }
    }
}

/// Prints `error: message` on stderr.
pub fn error(message: &str) {
    let red = anstyle::Style::new()
        .fg_color(Some(anstyle::AnsiColor::Red.into()))
        .effects(anstyle::Effects::BOLD);
    let message = jobzero_core::output::human::sanitize(message);
    let _ = writeln!(anstream::stderr(), "{red}error{red:#}: {message}");
}

/// Prints `warning: message` on stderr.
pub fn warning(message: &str) {
    let yellow = anstyle::Style::new()
        .fg_color(Some(anstyle::AnsiColor::Yellow.into()))
        .effects(anstyle::Effects::BOLD);
    let message = jobzero_core::output::human::sanitize(message);
    let _ = writeln!(anstream::stderr(), "{yellow}warning{yellow:#}: {message}");
}

/// Whether the error chain ends in a broken pipe (`jobzero ... | head`), which is not an error.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints an informational line on stderr.
pub fn note(message: &str) {
    let _ = writeln!(
        anstream::stderr(),
        "{}",
        jobzero_core::output::human::sanitize(message)
    );
}
