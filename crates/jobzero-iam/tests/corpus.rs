//! The IAM corpus (`../shared/corpus/iam/policies/`): every AWS managed policy reads without a
//! grammar error, every JSON policy file parses, and the known-bad and labelled examples get
//! the findings their names promise.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jobzero_iam::IamScanner;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/iam/policies")
}

/// The rule names (after `iam/`) a file gets.
fn rules_of(rel: &str) -> BTreeSet<String> {
    let path = corpus().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (findings, errors) = IamScanner::default().audit("policy.json", &text);
    assert!(errors.is_empty(), "{rel}: {errors:?}");
    findings
        .into_iter()
        .map(|f| f.rule.trim_start_matches("iam/").to_owned())
        .collect()
}

#[test]
fn aws_managed_policies_have_no_grammar_errors() {
    let dir = corpus().join("aws-managed/z0ph__MAMIP/policies");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() > 1000, "{} files", files.len());
    let mut with_findings = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let (findings, errors) = IamScanner::default().audit("policy.json", &text);
        assert!(errors.is_empty(), "{}: {errors:?}", f.display());
        for bad in ["iam/policy-grammar-error", "iam/invalid-condition-operator"] {
            assert!(
                findings.iter().all(|x| x.rule != bad),
                "{}: {:?}",
                f.display(),
                findings
                    .iter()
                    .filter(|x| x.rule == bad)
                    .map(|x| &x.message)
                    .collect::<Vec<_>>()
            );
        }
        with_findings += usize::from(!findings.is_empty());
    }
    // AdministratorAccess and the escalation-capable service roles are among them.
    assert!(with_findings > 20, "{with_findings}");
}

#[test]
fn every_json_policy_file_of_the_corpus_parses() {
    let walk = jobzero_core::walk::walk(&corpus(), None, &Default::default());
    let mut n = 0;
    for file in walk.files.iter().filter(|f| f.display.ends_with(".json")) {
        let text = std::fs::read_to_string(&file.path).unwrap();
        let (_, errors) = IamScanner::default().audit(&file.display, &text);
        assert!(errors.is_empty(), "{}: {errors:?}", file.display);
        n += 1;
    }
    assert!(n > 100, "{n} files");
}

#[test]
fn known_bad_examples_are_flagged() {
    let dump = rules_of("known-bad/salesforce__cloudsplaining/examples/files/example.json");
    assert!(dump.contains("privilege-escalation"), "{dump:?}");
    let base = "labelled-examples/boogy__iam-policy-validator/examples/iam-test-policies";
    for (file, rule) in [
        (
            "resource-policies/s3-bucket-policy-public.json",
            "public-access",
        ),
        (
            "resource-policies/sqs-queue-policy-public.json",
            "public-access",
        ),
        (
            "resource-policies/sns-topic-policy-public-no-conditions.json",
            "public-access",
        ),
        (
            "resource-policies/lambda-permission-public-url.json",
            "public-access",
        ),
        (
            "resource-policies/kms-key-policy-insecure.json",
            "policy-grammar-error",
        ),
        (
            "identity-policies/insecure_policy.json",
            "privilege-escalation",
        ),
        (
            "identity-policies/insecure_policy.json",
            "passrole-any-resource",
        ),
        (
            "identity-policies/wrong-condition-key.json",
            "unknown-condition-key",
        ),
        (
            "wrong_actions_mismatch/s3-wrong-resources.json",
            "action-resource-mismatch",
        ),
        (
            "wrong_actions_mismatch/iam-wrong-resources.json",
            "action-resource-mismatch",
        ),
        (
            "wrong_actions_mismatch/sqs-sns-wrong-resources.json",
            "action-resource-mismatch",
        ),
    ] {
        let got = rules_of(&format!("{base}/{file}"));
        assert!(got.contains(rule), "{file}: expected {rule}, got {got:?}");
    }
    let trust = rules_of(
        "labelled-examples/boogy__iam-policy-validator/examples/trust-policies/INVALID-wrong-principal-type.json",
    );
    assert!(trust.contains("trust-principal-type-mismatch"), "{trust:?}");
    for file in [
        "resource-policies/s3-bucket-policy-cross-account-org.json",
        "resource-policies/opensearch-domain-policy-ip-restricted.json",
        "resource-policies/backup-vault-policy-org-access.json",
    ] {
        let got = rules_of(&format!("{base}/{file}"));
        assert!(!got.contains("public-access"), "{file}: {got:?}");
    }
}
