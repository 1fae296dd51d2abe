//! The IAM family never panics on any JSON, Terraform or template: policies are read, every rule runs, and the
//! proofs and the evaluator answer for whatever was read.
#![no_main]

use jobzero_iam::proof::{Verdict, check_no_public_access};
use jobzero_iam::{Caller, IamScanner, Policy, Request, evaluate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scanner = IamScanner::default();
    let _ = scanner.audit("policy.json", text);
    // The same text as Terraform (heredocs, interpolations, data sources) and as a template.
    let _ = scanner.audit("main.tf", text);
    let _ = scanner.audit("template.yaml", text);
    if let Ok(policy) = Policy::parse(text) {
        if let Verdict::Fail(w) = check_no_public_access(&policy) {
            assert_eq!(evaluate(&[&policy], &w).decision, jobzero_iam::Decision::Allow);
        }
        let r = Request::new(Caller::Anonymous, "s3:GetObject", "arn:aws:s3:::b/k", Default::default());
        let _ = evaluate(&[&policy], &r);
    }
});
