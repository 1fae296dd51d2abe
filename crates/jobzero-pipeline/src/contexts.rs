//! What an attacker can put into each GitHub Actions context.
//!
//! The lists come from GitHub's own guidance on untrusted input ("Security hardening for
//! GitHub Actions", GitHub Security Lab's "Keeping your GitHub Actions and workflows secure")
//! and from the webhook payload documentation: a field is *arbitrary* when whoever opens an
//! issue, a pull request from a fork or a comment chooses its text freely; *limited* when it
//! is chosen by someone with write access or from a restricted but still shell-unsafe
//! alphabet (branch names may contain `$(…)`); *fixed* when no one outside the repository
//! controls it or its alphabet is safe (numbers, SHAs, logins).

/// How far a context's value is controlled by an outsider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Control {
    /// Not attacker-controlled, or from a shell-safe alphabet.
    #[default]
    Fixed,
    /// Where it comes from is not known here (a step's output, an environment variable, a
    /// matrix value): worth a look, not an alarm.
    Unknown,
    /// Chosen by someone with write access (a dispatch input) or from a restricted but
    /// shell-unsafe alphabet.
    Limited,
    /// Free text from anyone who can open an issue, a comment or a fork's pull request.
    Arbitrary,
}

/// `github.event` fields anyone can fill with arbitrary text. `*` matches one array index
/// or field name.
const ARBITRARY: &[&str] = &[
    "github.head_ref",
    "github.event.issue.title",
    "github.event.issue.body",
    "github.event.pull_request.title",
    "github.event.pull_request.body",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.label",
    "github.event.pull_request.head.repo.default_branch",
    "github.event.pull_request.head.repo.description",
    "github.event.pull_request.head.repo.homepage",
    "github.event.pull_request.head.repo.name",
    "github.event.pull_request.head.repo.full_name",
    "github.event.comment.body",
    "github.event.review.body",
    "github.event.review_comment.body",
    "github.event.discussion.title",
    "github.event.discussion.body",
    "github.event.pages.*.page_name",
    "github.event.commits.*.message",
    "github.event.commits.*.author.name",
    "github.event.commits.*.author.email",
    "github.event.commits.*.committer.name",
    "github.event.commits.*.committer.email",
    "github.event.head_commit.message",
    "github.event.head_commit.author.name",
    "github.event.head_commit.author.email",
    "github.event.head_commit.committer.name",
    "github.event.head_commit.committer.email",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.display_title",
    "github.event.workflow_run.head_commit.message",
    "github.event.workflow_run.head_commit.author.name",
    "github.event.workflow_run.head_commit.author.email",
    "github.event.workflow_run.head_commit.committer.name",
    "github.event.workflow_run.head_commit.committer.email",
    "github.event.workflow_run.head_repository.description",
    "github.event.workflow_run.pull_requests.*.head.ref",
    "github.event.merge_group.head_commit.message",
    "github.event.merge_group.head_commit.author.name",
    "github.event.merge_group.head_commit.author.email",
    "github.event.check_suite.head_branch",
    "github.event.check_run.check_suite.head_branch",
    "github.event.workflow_job.head_branch",
    "github.event.release.name",
    "github.event.release.body",
    "github.event.label.name",
    "github.event.milestone.title",
    "github.event.milestone.description",
];

/// Fields that are restricted or chosen by maintainers, yet not safe in a shell.
const LIMITED: &[&str] = &[
    "github.actor",
    "github.triggering_actor",
    "github.ref_name",
    "github.base_ref",
    "github.event.pull_request.base.ref",
    "github.event.pull_request.base.label",
    "github.event.ref",
    "github.event.base_ref",
    "github.event.release.tag_name",
    "github.event.inputs.*",
    "inputs.*",
    "github.event.client_payload",
    "github.event.client_payload.*",
    "github.event.sender.login",
    "github.event.pull_request.user.login",
    "github.event.issue.user.login",
    "github.event.comment.user.login",
];

/// Contexts no outsider controls, or whose alphabet is shell-safe.
const FIXED_ROOTS: &[&str] = &["secrets", "runner", "strategy", "job", "vars", "hashfiles"];

const FIXED_GITHUB: &[&str] = &[
    "github.sha",
    "github.run_id",
    "github.run_number",
    "github.run_attempt",
    "github.repository",
    "github.repository_id",
    "github.repository_owner",
    "github.repository_owner_id",
    "github.repositoryurl",
    "github.workspace",
    "github.token",
    "github.action_path",
    "github.action_ref",
    "github.action_repository",
    "github.action",
    "github.job",
    "github.event_name",
    "github.event_path",
    "github.server_url",
    "github.api_url",
    "github.graphql_url",
    "github.ref",
    "github.ref_type",
    "github.ref_protected",
    "github.actor_id",
    "github.workflow",
    "github.workflow_ref",
    "github.workflow_sha",
    "github.retention_days",
    "github.output",
    "github.env",
    "github.path",
    "github.step_summary",
    "github.event.number",
    "github.event.after",
    "github.event.before",
    "github.event.action",
    "github.event.repository.*",
    "github.event.pull_request.number",
    "github.event.pull_request.id",
    "github.event.pull_request.head.sha",
    "github.event.pull_request.base.sha",
    "github.event.pull_request.merged",
    "github.event.pull_request.draft",
    "github.event.pull_request.html_url",
    "github.event.pull_request.url",
    "github.event.pull_request.head.repo.fork",
    "github.event.issue.number",
    "github.event.issue.html_url",
    "github.event.issue.pull_request",
    "github.event.comment.id",
    "github.event.comment.html_url",
    "github.event.workflow_run.id",
    "github.event.workflow_run.head_sha",
    "github.event.workflow_run.conclusion",
    "github.event.workflow_run.event",
    "github.event.workflow_run.run_number",
    "github.event.release.id",
    "github.event.release.prerelease",
    "github.event.release.draft",
    "github.event.release.html_url",
    "github.event.head_commit.id",
    "github.event.head_commit.timestamp",
    "github.event.merge_group.head_sha",
    "github.event.merge_group.base_sha",
    "github.event.schedule",
];

/// How `context` (as written, `github.event.issue.title`, `matrix.os`) is controlled, before
/// any data flow is followed.
pub fn control(context: &str) -> Control {
    let normalized = normalize(context);
    let c = normalized.as_str();
    let root = c.split('.').next().unwrap_or(c);
    if FIXED_ROOTS.contains(&root) || matches_any(FIXED_GITHUB, c) {
        return Control::Fixed;
    }
    if matches_any(ARBITRARY, c) {
        return Control::Arbitrary;
    }
    if matches_any(LIMITED, c) {
        return Control::Limited;
    }
    // The whole event, or parts of it not listed: could hold anything.
    if c == "github.event" || c.starts_with("github.event.") {
        return if c.ends_with(".body") || c.ends_with(".title") || c.ends_with(".message") {
            Control::Arbitrary
        } else {
            Control::Unknown
        };
    }
    if c == "github" {
        return Control::Unknown;
    }
    if c.starts_with("github.") {
        return Control::Fixed;
    }
    Control::Unknown
}

/// Lowercases and turns `a['b']` / `a["b"]` into `a.b` and `a[0]` into `a.*`.
pub fn normalize(context: &str) -> String {
    let mut out = String::with_capacity(context.len());
    let mut chars = context.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' => {
                let mut inner = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    inner.push(d);
                }
                let inner = inner.trim().trim_matches(|q| q == '\'' || q == '"');
                out.push('.');
                if inner.chars().all(|d| d.is_ascii_digit()) {
                    out.push('*');
                } else {
                    out.push_str(&inner.to_ascii_lowercase());
                }
            }
            ' ' => {}
            _ => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}

fn matches_any(patterns: &[&str], context: &str) -> bool {
    patterns.iter().any(|p| matches(p, context))
}

/// `a.*.b` matches `a.x.b`; a pattern ending in `.*` also matches anything below it.
fn matches(pattern: &str, context: &str) -> bool {
    let mut p = pattern.split('.');
    let mut c = context.split('.');
    loop {
        match (p.next(), c.next()) {
            (None, None) => return true,
            (Some("*"), Some(_)) => {
                if p.clone().next().is_none() {
                    return true;
                }
            }
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attacker_text_is_arbitrary_and_ids_are_fixed() {
        assert_eq!(control("github.event.issue.title"), Control::Arbitrary);
        assert_eq!(control("github.event['issue'].body"), Control::Arbitrary);
        assert_eq!(
            control("github.event.commits[0].message"),
            Control::Arbitrary
        );
        assert_eq!(
            control("github.event.pages.*.page_name"),
            Control::Arbitrary
        );
        assert_eq!(control("github.head_ref"), Control::Arbitrary);
        assert_eq!(control("github.event.pull_request.number"), Control::Fixed);
        assert_eq!(control("github.sha"), Control::Fixed);
        assert_eq!(control("secrets.TOKEN"), Control::Fixed);
        assert_eq!(control("github.event.inputs.version"), Control::Limited);
        assert_eq!(control("inputs.version"), Control::Limited);
        assert_eq!(control("steps.x.outputs.y"), Control::Unknown);
        assert_eq!(control("github.event.something.new"), Control::Unknown);
        assert_eq!(control("github.event.something.title"), Control::Arbitrary);
    }
}
