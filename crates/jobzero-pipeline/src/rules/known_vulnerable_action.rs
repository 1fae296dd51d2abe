use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::uses::Uses;

declare_rule! {
    /// ## What it finds
    /// A `uses:` whose version is affected by a GitHub Actions advisory in the local
    /// advisory database (`jobzero db import`, the deps family's OSV data, ecosystem
    /// `GitHub Actions`). The version is the tag in the ref (`@v1.2.3`), or the tag in the
    /// comment after a SHA pin (`@8e5e… # v1.2.3`); a floating major tag (`@v45`) stands
    /// for the newest release of its line. Without a database the rule is silent
    /// (the deps family's warning says how to import one).
    ///
    /// ## Why it matters
    /// Vulnerable actions run with the job's token and secrets; several (`tj-actions/
    /// changed-files`, `reviewdog/action-setup`) were compromised outright and leaked
    /// secrets to the log.
    ///
    /// ## Example
    /// ```yaml
    /// - uses: tj-actions/changed-files@v44
    /// ```
    ///
    /// ## Remediation
    /// Upgrade to a fixed version (named in the finding), pinned by SHA.
    ///
    /// ## References
    /// - CWE-1395
    /// - [GitHub Advisory Database: Actions](https://github.com/advisories?query=ecosystem%3Aactions)
    /// - [zizmor: known-vulnerable-actions](https://docs.zizmor.sh/audits/#known-vulnerable-actions)
    pub static RULE = {
        id: "pipeline/known-vulnerable-action",
        code: "CI018",
        title: "action version with a known vulnerability",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_VULN,
    }
}

/// The version a `uses:` runs: its tag, or the `# vX.Y.Z` comment after a SHA.
pub(crate) fn version_of(
    cx: &Cx<'_>,
    node: jobzero_core::yaml::Node<'_>,
    git_ref: &str,
) -> Option<String> {
    if !crate::uses::is_commit_sha(git_ref) {
        return Some(git_ref.to_owned());
    }
    let line = cx.src.line_text(node.line());
    let comment = line.split_once(" #")?.1.trim();
    let tag = comment.split_whitespace().next()?;
    let tag = tag.strip_prefix("tag=").unwrap_or(tag);
    tag.trim_start_matches('v')
        .chars()
        .next()?
        .is_ascii_digit()
        .then(|| tag.to_owned())
}

/// A floating tag (`v4`, `v4.2`) names the newest release of its line; offline, that is
/// taken as above every release of the line, so `v45` is affected by an advisory fixed in
/// 46.0.1 and `v46` is not.
fn newest_of_line(version: &str) -> String {
    let bare = version.trim_start_matches('v');
    let parts: Vec<&str> = bare.split('.').collect();
    if parts.len() >= 3
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return bare.to_owned();
    }
    let mut padded: Vec<String> = parts.iter().map(|p| (*p).to_owned()).collect();
    while padded.len() < 3 {
        padded.push("999999".to_owned());
    }
    padded.join(".")
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(db) = cx.advisories else { return };
    let all = cx.all_uses();
    for (text, node, route) in all {
        let Some(Uses::Repository(r)) = Uses::parse(text) else {
            continue;
        };
        let Some(git_ref) = r.git_ref else { continue };
        let Some(version) = version_of(cx, node, git_ref) else {
            continue;
        };
        let name = format!("{}/{}", r.owner, r.repo);
        for (id, summary, fixed) in db.affecting(&name, &newest_of_line(&version)) {
            let fix = if fixed.is_empty() {
                "no fixed version is known".to_owned()
            } else {
                format!("fixed in {}", fixed.join(", "))
            };
            out.push(
                cx.at(&RULE, node, &route)
                    .message(format!(
                        "`{name}` {version} is affected by {id}: {summary} ({fix})"
                    ))
                    .reference(id.clone())
                    .evidence(evidence(&route, &format!("{name}@{version} {id}"))),
            );
        }
    }
}
