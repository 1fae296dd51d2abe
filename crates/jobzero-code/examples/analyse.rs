//! Prints the findings of one file, following its imports:
//! `cargo run -p jobzero-code --example analyse FILE`.
use jobzero_core::{FileOutput, Scanner, SourceFile};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: analyse FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_default();
    for e in &jobzero_code::spec::CATALOGUE.errors {
        eprintln!("spec error: {e}");
    }
    let mut out = FileOutput::default();
    jobzero_code::CodeScanner::default().scan_file(
        &SourceFile {
            path: &path,
            bytes: &bytes,
            disk_path: Some(std::path::Path::new(&path)),
        },
        &mut out,
    );
    for f in &out.findings {
        println!(
            "{}:{}:{} {} -> {}",
            f.location.path, f.location.start_line, f.location.start_column, f.rule, f.message
        );
        for s in &f.trace {
            println!(
                "    {}:{}: {}",
                s.location.path, s.location.start_line, s.message
            );
        }
    }
    for e in &out.errors {
        eprintln!("error: {}: {}", e.path, e.message);
    }
}
