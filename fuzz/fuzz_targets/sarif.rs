//! SARIF ingestion (parse, then convert every result) never panics, and every finding it
//! builds has a path.
#![no_main]

use jobzero_core::scan::{FileOutput, Scanner, SourceFile};
use jobzero_sarif::SarifScanner;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut out = FileOutput::default();
    SarifScanner.scan_file(&SourceFile { path: "fuzz.sarif", bytes: data, disk_path: None }, &mut out);
    for f in out.findings.iter().chain(&out.tool_suppressed) {
        assert!(!f.location.path.is_empty());
    }
});
