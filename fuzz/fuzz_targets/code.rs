//! The code family never panics on any text, whatever the language front end: parsing is
//! error-tolerant, lowering total, and the taint engine bounded.
#![no_main]

use jobzero_code::CodeScanner;
use jobzero_core::{FileOutput, Scanner, SourceFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let scanner = CodeScanner::default();
    for path in ["app.py", "app.js", "app.ts", "app.tsx", "App.java", "main.go"] {
        let mut out = FileOutput::default();
        scanner.scan_file(
            &SourceFile {
                path,
                bytes: data,
                disk_path: None,
            },
            &mut out,
        );
    }
});
