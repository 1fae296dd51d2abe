use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::shell::{Cmd, Join, commands, is_interpreter};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Dockerfile `RUN` (shell form, exec form or heredoc, also inside `sh -c '…'`) that
    /// downloads a script and runs it at once: `curl … | sh`, `wget -qO- … | sudo bash`,
    /// `curl … | python3 -`, `bash <(curl …)`, `sh -c "$(curl …)"`. Piping into any of `sh`,
    /// `bash`, `zsh`, `dash`, `ksh`, `ash`, `fish`, `python*`, `perl`, `ruby`, `node`, `php`
    /// counts, through `tee` and other filters too.
    ///
    /// ## Why it matters
    /// The build runs whatever the server returns at that moment, with no checksum, no
    /// signature and no record of what it was: a compromised or typo-squatted installer, a
    /// changed script, a truncated download. The code ends up in the image and, through it,
    /// in production.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSL https://example.com/install.sh | bash
    /// ```
    ///
    /// ## Remediation
    /// Download to a file, verify it against a known SHA-256 (or a signature), then run it;
    /// or install the tool from a package manager or a pinned release:
    /// `RUN curl -fsSLo install.sh https://… && echo "<sha256>  install.sh" | sha256sum -c - && sh install.sh`.
    ///
    /// ## References
    /// - CWE-494
    /// - CWE-829
    /// - [Docker: build best practices](https://docs.docker.com/build/building/best-practices/)
    pub static RULE = {
        id: "iac/docker-curl-pipe-shell",
        code: "IAC145",
        title: "downloaded script piped into a shell",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

/// Whether the command downloads to its standard output.
fn fetches(c: &Cmd) -> bool {
    match c.name() {
        "curl" => true,
        "wget" => {
            let args = c.args();
            args.iter().enumerate().any(|(i, w)| {
                let next_is_dash = args.get(i + 1).is_some_and(|n| n == "-");
                w == "--output-document=-"
                    || w == "-O-"
                    || (w == "--output-document" && next_is_dash)
                    || (w.starts_with('-') && !w.starts_with("--") && w.ends_with("O-"))
                    || (w.starts_with('-') && !w.starts_with("--") && w.ends_with('O') && next_is_dash)
            })
        }
        _ => false,
    }
}

/// What runs the download, if it is an interpreter.
fn runner(c: &Cmd) -> Option<String> {
    is_interpreter(c.name()).then(|| {
        if c.sudo {
            format!("sudo {}", c.name())
        } else {
            c.name().to_owned()
        }
    })
}

/// The fetcher and the interpreter of the first download-and-run in `cmds`.
fn download_and_run(cmds: &[Cmd]) -> Option<(String, String)> {
    for (i, c) in cmds.iter().enumerate() {
        // `sh -c "$(curl …)"`, `bash -c "`wget -O- …`"`.
        if is_interpreter(c.name())
            && let Some(w) = c.args().iter().find(|w| {
                ["$(curl ", "$(wget ", "`curl ", "`wget "]
                    .iter()
                    .any(|p| w.contains(p))
            })
        {
            let fetcher = if w.contains("curl ") { "curl" } else { "wget" };
            return Some((fetcher.to_owned(), runner(c).unwrap_or_default()));
        }
        // `bash <(curl …)`.
        if c.join == Join::ProcSub
            && let Some(next) = cmds.get(i + 1)
            && matches!(next.name(), "curl" | "wget")
            && let Some(r) = runner(c)
        {
            return Some((next.name().to_owned(), r));
        }
        // `curl … | sh`, `curl … | tee log | sudo bash`.
        if fetches(c) && c.join == Join::Pipe {
            let mut j = i + 1;
            while let Some(next) = cmds.get(j) {
                if let Some(r) = runner(next) {
                    return Some((c.name().to_owned(), r));
                }
                if next.join != Join::Pipe {
                    break;
                }
                j += 1;
            }
        }
    }
    None
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(d) = cx.docker else { return };
    for i in d.instructions.iter().filter(|i| i.keyword == "RUN") {
        let cmds = commands(&i.script());
        let Some((fetcher, shell)) = download_and_run(&cmds) else {
            continue;
        };
        out.push(cx.instruction(&RULE, i).message(format!(
            "`RUN` pipes a script downloaded with `{fetcher}` into `{shell}` without verifying it"
        )));
    }
}
