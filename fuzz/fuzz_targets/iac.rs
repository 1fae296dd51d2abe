//! The IaC family never panics on any Terraform, CloudFormation, Kubernetes or Dockerfile
//! text: parsing, evaluation and every rule are total.
#![no_main]

use jobzero_iac::IacScanner;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scanner = IacScanner::single_file();
    for path in ["main.tf", "template.yaml", "Dockerfile"] {
        let _ = scanner.audit(path, text);
    }
});
