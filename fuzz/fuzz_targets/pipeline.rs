//! The pipeline family never panics on any workflow, action, Dependabot or GitLab CI text:
//! auditing and fixing are total, and a fixed text still parses.
#![no_main]

use std::path::Path;

use jobzero_core::config::PipelineConfig;
use jobzero_pipeline::PipelineScanner;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scanner = PipelineScanner::new(PipelineConfig::default(), None);
    for path in [
        ".github/workflows/ci.yml",
        "action.yml",
        ".github/dependabot.yml",
        ".gitlab-ci.yml",
    ] {
        if scanner.audit(path, text).is_ok() {
            let (fixed, applied) =
                jobzero_core::session::fix_rounds(&scanner, path, text, Path::new(path));
            if !applied.is_empty() {
                assert!(scanner.audit(path, &fixed).is_ok(), "a fix broke the YAML");
            }
        }
    }
});
