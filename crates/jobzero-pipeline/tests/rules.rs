//! Every rule against its fixtures (`tests/fixtures/<rule id>/positive*` must be reported,
//! `near-miss*` must not), with snapshots of what the positives report; every safe fix
//! rescans clean for its rule.

// Test helpers outside #[test] functions fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use jobzero_core::check::Sink;
use jobzero_core::config::{PinPolicy, PipelineConfig};
use jobzero_core::testing::check_fixtures;
use jobzero_pipeline::{ActionAdvisories, PipelineScanner};

/// A one-advisory database: tj-actions/changed-files before 46.0.1.
struct FakeAdvisories;

impl ActionAdvisories for FakeAdvisories {
    fn affecting(&self, action: &str, version: &str) -> Vec<(String, String, Vec<String>)> {
        let version = version.trim_start_matches('v');
        let parts: Vec<u64> = version.split('.').map(|p| p.parse().unwrap_or(0)).collect();
        let below = parts.as_slice() < [46, 0, 1].as_slice();
        if action.eq_ignore_ascii_case("tj-actions/changed-files") && below {
            vec![(
                "GHSA-mrrh-fwg8-r2c3".to_owned(),
                "tj-actions/changed-files leaks secrets to the log".to_owned(),
                vec!["46.0.1".to_owned()],
            )]
        } else {
            Vec::new()
        }
    }
}

/// The fixtures' configuration: default pinning, and `evil-org/*` forbidden.
fn scanner() -> PipelineScanner {
    let config = PipelineConfig {
        forbid: vec!["evil-org/*".to_owned()],
        ..PipelineConfig::default()
    };
    PipelineScanner::new(config, Some(Box::new(FakeAdvisories)))
}

#[test]
fn every_rule_has_fixtures_and_reports_exactly_them() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let snapshots = match check_fixtures(&scanner(), &fixtures) {
        Ok(s) => s,
        Err(problems) => panic!("fixture contract broken:\n{}", problems.join("\n")),
    };
    for (name, findings) in snapshots {
        insta::assert_json_snapshot!(name.replace('/', "__"), findings);
    }
}

/// Applies every safe fix of one rule and checks the rule no longer fires on the result,
/// and that the result still parses and keeps the file's comments.
fn fixes_clean(rule: &str, text: &str) -> String {
    let s = scanner();
    let Sink {
        findings: before,
        fixes,
        ..
    } = s.audit("ci.yml", text).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        before.iter().any(|f| f.rule == rule),
        "{rule} does not fire before the fix"
    );
    assert!(fixes.iter().any(|f| f.rule == rule), "{rule} offers no fix");
    let (fixed, applied) =
        jobzero_core::session::fix_rounds(&s, "ci.yml", text, Path::new("ci.yml"));
    assert!(applied.iter().any(|f| f.rule == rule));
    let Sink {
        findings: after, ..
    } = s
        .audit("ci.yml", &fixed)
        .unwrap_or_else(|e| panic!("fixed text: {e}\n{fixed}"));
    let left: Vec<_> = after
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| &f.message)
        .collect();
    assert!(
        left.is_empty(),
        "{rule} still fires after the fix: {left:?}\n{fixed}"
    );
    for line in text.lines().filter(|l| l.trim_start().starts_with('#')) {
        assert!(fixed.contains(line), "comment lost: {line}\n{fixed}");
    }
    fixed
}

#[test]
fn persist_credentials_fix_adds_the_input_and_rescans_clean() {
    let text = "on: push\npermissions: {}\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      # checkout first\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n        with:\n          fetch-depth: 0\n";
    let fixed = fixes_clean("pipeline/persisted-credentials", text);
    assert_eq!(
        fixed,
        "on: push\npermissions: {}\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      # checkout first\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4\n        with:\n          persist-credentials: false\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n        with:\n          persist-credentials: false\n          fetch-depth: 0\n"
    );
}

#[test]
fn permissions_fix_adds_a_read_only_block_before_jobs() {
    let text = "name: t\non: push\n# jobs below\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n";
    let fixed = fixes_clean("pipeline/excessive-permissions", text);
    assert!(
        fixed.contains("# jobs below\npermissions:\n  contents: read\n\njobs:\n"),
        "{fixed}"
    );
}

#[test]
fn permissions_fix_is_not_offered_when_a_job_may_need_write_access() {
    let text = "on: push\njobs:\n  r:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gh release create v1\n";
    let Sink { fixes, .. } = scanner()
        .audit("ci.yml", text)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        fixes
            .iter()
            .all(|f| f.rule != "pipeline/excessive-permissions")
    );
}

#[test]
fn template_injection_fix_moves_expansions_into_env() {
    let text = "on: issues\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - name: greet\n        run: |\n          echo \"${{ github.event.issue.title }}\"   # say it\n          echo ${{ github.event.issue.title }} again\n        env:\n          OTHER: x\n";
    let fixed = fixes_clean("pipeline/template-injection", text);
    assert!(
        fixed.contains("echo \"${ISSUE_TITLE}\"   # say it"),
        "{fixed}"
    );
    assert!(fixed.contains("        env:\n          ISSUE_TITLE: ${{ github.event.issue.title }}\n          OTHER: x\n"), "{fixed}");
}

#[test]
fn template_injection_fix_leaves_single_quotes_and_windows_alone() {
    for text in [
        "on: issues\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo '${{ github.event.issue.title }}'\n",
        "on: issues\njobs:\n  t:\n    runs-on: windows-latest\n    steps:\n      - run: echo \"${{ github.event.issue.title }}\"\n",
    ] {
        let Sink {
            findings, fixes, ..
        } = scanner()
            .audit("ci.yml", text)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            findings
                .iter()
                .any(|f| f.rule == "pipeline/template-injection")
        );
        assert!(
            fixes
                .iter()
                .all(|f| f.rule != "pipeline/template-injection"),
            "{text}"
        );
    }
}

#[test]
fn taint_is_followed_through_env_files_and_step_outputs() {
    let text = r#"on: pull_request_target
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    outputs:
      title: ${{ steps.read.outputs.title }}
    steps:
      - id: read
        env:
          T: ${{ github.event.pull_request.title }}
        run: echo "title=$T" >> "$GITHUB_OUTPUT"
  b:
    needs: a
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ needs.a.outputs.title }}"
"#;
    let Sink { findings, .. } = scanner()
        .audit("ci.yml", text)
        .unwrap_or_else(|e| panic!("{e}"));
    let injection: Vec<_> = findings
        .iter()
        .filter(|f| f.rule == "pipeline/template-injection")
        .collect();
    assert_eq!(injection.len(), 1, "{findings:#?}");
    assert_eq!(injection[0].severity, jobzero_core::Severity::High);
    assert!(
        injection[0]
            .message
            .contains("github.event.pull_request.title"),
        "{}",
        injection[0].message
    );
    assert_eq!(injection[0].location.start_line, 17);
    assert_eq!(
        injection[0].location.route.as_deref(),
        Some("jobs.b.steps[0].run")
    );
}

#[test]
fn pin_policy_is_configurable_per_owner() {
    let text = "on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-node@v4\n      - uses: someone/tool@v1\n";
    let mut config = PipelineConfig::default();
    config.pin.insert("actions/*".to_owned(), PinPolicy::Ref);
    let s = PipelineScanner::new(config, None);
    let Sink { findings, .. } = s.audit("ci.yml", text).unwrap_or_else(|e| panic!("{e}"));
    let unpinned: Vec<_> = findings
        .iter()
        .filter(|f| f.rule == "pipeline/unpinned-action")
        .map(|f| f.location.start_line)
        .collect();
    assert_eq!(unpinned, vec![8]);
}

#[test]
fn malformed_yaml_is_an_error_with_its_line() {
    let err = scanner()
        .audit("ci.yml", "on: push\njobs:\n  a: [\n")
        .err()
        .unwrap_or_else(|| panic!("no error"));
    assert_eq!(err.path, "ci.yml");
    assert!(err.line.is_some());
}

#[test]
fn gitlab_local_includes_are_followed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(dir.path().join("ci")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join(".gitlab-ci.yml"),
        "include:\n  - local: /ci/build.yml\nstages: [build]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("ci/build.yml"),
        "build:\n  image: node:latest\n  script: [make]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = jobzero_core::testing::scan_fixture(&scanner(), &dir.path().join(".gitlab-ci.yml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let hits: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.rule == "pipeline/gitlab-unpinned-image")
        .map(|f| (f.location.path.as_str(), f.location.start_line))
        .collect();
    assert_eq!(hits, vec![("ci/build.yml", 2)]);
}

#[test]
fn reusable_workflows_inherit_their_callers_triggers_and_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let workflows = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    std::fs::write(
        workflows.join("caller.yml"),
        "on: pull_request_target\npermissions: {}\njobs:\n  call:\n    uses: ./.github/workflows/callee.yml\n    with:\n      title: ${{ github.event.pull_request.title }}\n      sha: ${{ github.event.pull_request.head.sha }}\n      fixed: release\n",
    )
    .unwrap();
    let callee = workflows.join("callee.yml");
    std::fs::write(
        &callee,
        "on:\n  workflow_call:\n    inputs:\n      title: { type: string }\n      sha: { type: string }\n      fixed: { type: string }\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n        with:\n          ref: ${{ inputs.sha }}\n          persist-credentials: false\n      - run: echo \"${{ inputs.title }} ${{ inputs.fixed }}\"\n",
    )
    .unwrap();
    // Scanned the way the walker hands it over: under its path in the repository.
    let bytes = std::fs::read(&callee).unwrap();
    let mut out = jobzero_core::scan::FileOutput::default();
    jobzero_core::Scanner::scan_file(
        &scanner(),
        &jobzero_core::SourceFile {
            path: ".github/workflows/callee.yml",
            bytes: &bytes,
            disk_path: Some(&callee),
        },
        &mut out,
    );
    let injection: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.rule == "pipeline/template-injection")
        .collect();
    assert_eq!(injection.len(), 1, "{:#?}", out.findings);
    assert_eq!(injection[0].severity, jobzero_core::Severity::High);
    assert!(
        injection[0].message.contains("passed by caller.yml"),
        "{}",
        injection[0].message
    );
    assert!(
        out.findings
            .iter()
            .any(|f| f.rule == "pipeline/dangerous-trigger"),
        "the callee checks out the PR head for a pull_request_target caller: {:#?}",
        out.findings
    );
}

#[test]
fn local_actions_take_their_inputs_from_the_workflows_calling_them() {
    let dir = tempfile::tempdir().unwrap();
    let workflows = dir.path().join(".github/workflows");
    let action_dir = dir.path().join(".github/actions/greet");
    std::fs::create_dir_all(&workflows).unwrap();
    std::fs::create_dir_all(&action_dir).unwrap();
    std::fs::write(
        workflows.join("ci.yml"),
        "on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/greet\n        with:\n          who: ${{ github.event.issue.title }}\n          greeting: hello\n",
    )
    .unwrap();
    let action = action_dir.join("action.yml");
    std::fs::write(
        &action,
        "name: greet\ndescription: greets\ninputs:\n  who: {}\n  greeting: {}\nruns:\n  using: composite\n  steps:\n    - run: echo \"${{ inputs.greeting }} ${{ inputs.who }}\"\n      shell: bash\n",
    )
    .unwrap();
    let bytes = std::fs::read(&action).unwrap();
    let mut out = jobzero_core::scan::FileOutput::default();
    jobzero_core::Scanner::scan_file(
        &scanner(),
        &jobzero_core::SourceFile {
            path: ".github/actions/greet/action.yml",
            bytes: &bytes,
            disk_path: Some(&action),
        },
        &mut out,
    );
    let injection: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.rule == "pipeline/template-injection")
        .map(|f| (f.severity, f.message.clone()))
        .collect();
    assert_eq!(injection.len(), 1, "{injection:#?}");
    assert_eq!(injection[0].0, jobzero_core::Severity::High);
    assert!(injection[0].1.contains("inputs.who"), "{}", injection[0].1);
}
