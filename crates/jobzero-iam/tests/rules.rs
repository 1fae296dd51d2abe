//! Every rule against its fixtures, with snapshots of what the positives report.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use jobzero_core::config::{IamConfig, RequireMfa};
use jobzero_core::testing::check_fixtures;
use jobzero_iam::IamScanner;

#[test]
fn every_rule_has_fixtures_and_reports_exactly_them() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    // `iam/sensitive-action-without-mfa` reports only where MFA is required.
    let scanner = IamScanner::new(&IamConfig {
        require_mfa: RequireMfa::Flag(true),
        ..IamConfig::default()
    });
    let snapshots = match check_fixtures(&scanner, &fixtures) {
        Ok(s) => s,
        Err(problems) => panic!("fixture contract broken:\n{}", problems.join("\n")),
    };
    for (name, findings) in snapshots {
        insta::assert_json_snapshot!(name.replace('/', "__"), findings);
    }
}

#[test]
fn mfa_is_required_only_where_the_organisation_asks_and_for_what_it_names() {
    let policy = r#"{"Statement": [{"Effect": "Allow", "Action": ["iam:CreateAccessKey", "s3:DeleteBucket"], "Resource": "*"}]}"#;
    let rules_of = |scanner: &IamScanner| -> Vec<String> {
        let (findings, errors) = scanner.audit("p.json", policy);
        assert!(errors.is_empty(), "{errors:?}");
        findings
            .iter()
            .filter(|f| f.rule == "iam/sensitive-action-without-mfa")
            .map(|f| f.message.clone())
            .collect()
    };
    assert!(rules_of(&IamScanner::default()).is_empty());
    let named = IamScanner::new(&IamConfig {
        require_mfa: RequireMfa::Actions(vec!["s3:Delete*".into()]),
        ..IamConfig::default()
    });
    let messages = rules_of(&named);
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].starts_with("`s3:DeleteBucket` allowed without MFA"),
        "{messages:?}"
    );
    let default = IamScanner::new(&IamConfig {
        require_mfa: RequireMfa::Flag(true),
        ..IamConfig::default()
    });
    let messages = rules_of(&default);
    assert!(messages[0].contains("and 1 more"), "{messages:?}");
}
