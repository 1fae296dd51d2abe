//! Every rule against its fixtures, with snapshots of what the positives report.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use jobzero_core::testing::check_fixtures;
use jobzero_iam::IamScanner;

#[test]
fn every_rule_has_fixtures_and_reports_exactly_them() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let snapshots = match check_fixtures(&IamScanner::default(), &fixtures) {
        Ok(s) => s,
        Err(problems) => panic!("fixture contract broken:\n{}", problems.join("\n")),
    };
    for (name, findings) in snapshots {
        insta::assert_json_snapshot!(name.replace('/', "__"), findings);
    }
}
