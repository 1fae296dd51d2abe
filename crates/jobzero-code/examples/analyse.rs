//! Prints the findings of one file: `cargo run -p jobzero-code --example analyse FILE`.
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: analyse FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let Some(lang) = jobzero_code::lang::Language::of_path(&path) else {
        eprintln!("not a code file");
        std::process::exit(2);
    };
    for e in &jobzero_code::spec::CATALOGUE.errors {
        eprintln!("spec error: {e}");
    }
    let Some(parsed) = jobzero_code::lang::parse(lang, &text) else {
        std::process::exit(1);
    };
    for hit in jobzero_code::taint::analyse(&parsed.module, lang, &jobzero_code::spec::CATALOGUE) {
        println!(
            "{}:{} {} -> {}",
            hit.pos.line, hit.pos.col, hit.rule.meta.id, hit.sink
        );
        for s in &hit.trace {
            println!("    {}: {}", s.pos.line, s.what);
        }
    }
}
