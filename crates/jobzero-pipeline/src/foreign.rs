//! Other tools' suppression comments in workflows: a finding on a line that zizmor was told
//! to ignore for the same problem (`# zizmor: ignore[template-injection]`) is counted as
//! suppressed by the tool, as the repository's owners decided about it already.

/// zizmor's audit names and the rules that find the same problem.
const ZIZMOR_AUDITS: [(&str, &str); 33] = [
    ("template-injection", "pipeline/template-injection"),
    ("unpinned-uses", "pipeline/unpinned-action"),
    ("artipacked", "pipeline/persisted-credentials"),
    ("excessive-permissions", "pipeline/excessive-permissions"),
    ("dangerous-triggers", "pipeline/dangerous-trigger"),
    ("cache-poisoning", "pipeline/cache-poisoning"),
    ("self-hosted-runner", "pipeline/self-hosted-runner"),
    ("secrets-inherit", "pipeline/secrets-inherit"),
    (
        "overprovisioned-secrets",
        "pipeline/overprovisioned-secrets",
    ),
    (
        "hardcoded-container-credentials",
        "pipeline/hardcoded-container-credentials",
    ),
    ("insecure-commands", "pipeline/insecure-commands"),
    ("github-env", "pipeline/github-env"),
    ("bot-conditions", "pipeline/bot-condition"),
    ("unpinned-images", "pipeline/unpinned-image"),
    ("unsound-contains", "pipeline/unsound-contains"),
    ("unsound-condition", "pipeline/unsound-condition"),
    ("obfuscation", "pipeline/obfuscation"),
    (
        "known-vulnerable-actions",
        "pipeline/known-vulnerable-action",
    ),
    ("use-trusted-publishing", "pipeline/untrusted-publishing"),
    ("github-app", "pipeline/broad-app-token"),
    ("archived-uses", "pipeline/archived-action"),
    ("impostor-commit", "pipeline/typosquatted-action"),
    ("forbidden-uses", "pipeline/forbidden-action"),
    ("unredacted-secrets", "pipeline/unredacted-secret"),
    ("concurrency-limits", "pipeline/missing-concurrency"),
    ("dependabot-execution", "pipeline/dependabot-external-code"),
    ("dependabot-cooldown", "pipeline/dependabot-cooldown"),
    (
        "undocumented-permissions",
        "pipeline/undocumented-permissions",
    ),
    ("anonymous-definition", "pipeline/unnamed-definition"),
    ("superfluous-actions", "pipeline/superfluous-action"),
    (
        "secrets-outside-env",
        "pipeline/secrets-outside-environment",
    ),
    ("misfeature", "pipeline/unsafe-shell"),
    ("unpinned-tools", "pipeline/unpinned-tool"),
];

/// The audits a `# zizmor: ignore[a, b]` comment on `line` names.
fn zizmor_ignores(line: &str) -> Vec<&str> {
    let Some(at) = line.find("zizmor: ignore[") else {
        return Vec::new();
    };
    if !line[..at].contains('#') {
        return Vec::new();
    }
    let rest = &line[at + "zizmor: ignore[".len()..];
    let Some(end) = rest.find(']') else {
        return Vec::new();
    };
    rest[..end]
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether a finding of `rule` starting at 1-based `line` of `text` is on (or right below) a
/// line whose zizmor comment ignores the same problem.
pub fn ignored_by_zizmor(rule: &str, line: u32, text: &str) -> bool {
    if line == 0 {
        return false;
    }
    let audits: Vec<&str> = ZIZMOR_AUDITS
        .iter()
        .filter(|(_, r)| *r == rule)
        .map(|(a, _)| *a)
        .collect();
    if audits.is_empty() {
        return false;
    }
    let index = line as usize - 1;
    text.lines()
        .enumerate()
        .skip(index.saturating_sub(1))
        .take(if index == 0 { 1 } else { 2 })
        .any(|(_, l)| zizmor_ignores(l).iter().any(|a| audits.contains(a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zizmor_markers_name_audits() {
        let text = "steps:\n  - uses: actions/checkout@v4 # zizmor: ignore[unpinned-uses, artipacked]\n  - run: echo ${{ github.event.issue.title }}\n";
        assert!(ignored_by_zizmor("pipeline/unpinned-action", 2, text));
        assert!(ignored_by_zizmor("pipeline/persisted-credentials", 2, text));
        assert!(!ignored_by_zizmor("pipeline/template-injection", 3, text));
        assert!(!ignored_by_zizmor("pipeline/unpinned-action", 0, text));
        assert_eq!(
            zizmor_ignores("run: echo zizmor: ignore[x]"),
            Vec::<&str>::new()
        );
    }
}
