use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::uses::Uses;

declare_rule! {
    /// ## What it finds
    /// A `uses:` whose `owner/repo` is one or two typing mistakes away from a popular
    /// action's owner (`actoins/checkout`, `action/checkout`) without being it. Only the
    /// owner can be squatted: a misspelt repository under the real owner does not resolve,
    /// and nobody else can publish there.
    ///
    /// ## Why it matters
    /// Typosquatted actions are published to catch exactly these mistakes; the impostor
    /// runs with the job's token and secrets and usually does what the real one does, so
    /// nothing looks wrong.
    ///
    /// ## Example
    /// ```yaml
    /// - uses: actons/checkout@v4
    /// ```
    ///
    /// ## Remediation
    /// Correct the name to the real action (named in the finding) and pin it by SHA.
    ///
    /// ## References
    /// - CWE-1357
    /// - [Orca Security: typosquatting in GitHub Actions](https://orca.security/resources/blog/typosquatting-in-github-actions/)
    pub static RULE = {
        id: "pipeline/typosquatted-action",
        code: "CI023",
        title: "action name resembles a popular action",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::Medium,
        expectation: &expectation::SUPPLY_PIN,
    }
}

/// Popular action repositories (the most used on GitHub).
const POPULAR: &[&str] = &[
    "actions/checkout",
    "actions/setup-node",
    "actions/setup-python",
    "actions/setup-go",
    "actions/setup-java",
    "actions/setup-dotnet",
    "actions/cache",
    "actions/upload-artifact",
    "actions/download-artifact",
    "actions/github-script",
    "actions/labeler",
    "actions/stale",
    "actions/create-github-app-token",
    "actions/deploy-pages",
    "actions/configure-pages",
    "actions/upload-pages-artifact",
    "github/codeql-action",
    "docker/build-push-action",
    "docker/login-action",
    "docker/setup-buildx-action",
    "docker/setup-qemu-action",
    "docker/metadata-action",
    "aws-actions/configure-aws-credentials",
    "azure/login",
    "google-github-actions/auth",
    "google-github-actions/setup-gcloud",
    "hashicorp/setup-terraform",
    "dtolnay/rust-toolchain",
    "swatinem/rust-cache",
    "softprops/action-gh-release",
    "peter-evans/create-pull-request",
    "codecov/codecov-action",
    "pypa/gh-action-pypi-publish",
    "golangci/golangci-lint-action",
    "goreleaser/goreleaser-action",
    "pnpm/action-setup",
    "astral-sh/setup-uv",
    "ruby/setup-ruby",
    "sigstore/cosign-installer",
    "tj-actions/changed-files",
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (_, step) in cx.steps() {
        let Some((text, node)) = step.uses() else {
            continue;
        };
        let Some(Uses::Repository(r)) = Uses::parse(text) else {
            continue;
        };
        let slug = r.slug();
        if POPULAR.contains(&slug.as_str()) {
            continue;
        }
        let (owner, repo) = slug.split_once('/').unwrap_or((slug.as_str(), ""));
        // Only another owner can squat: a misspelt repository under the real owner does
        // not resolve, and nobody else can publish there.
        let near = POPULAR.iter().find(|p| {
            let (p_owner, p_repo) = p.split_once('/').unwrap_or((p, ""));
            let owner_distance = strsim::damerau_levenshtein(p_owner, owner);
            let allowed = if p_owner.len() <= 6 { 1 } else { 2 };
            owner != p_owner
                && owner_distance <= allowed
                && strsim::damerau_levenshtein(p_repo, repo) <= 1
        });
        let Some(real) = near else { continue };
        let route = format!("{}.uses", step.route);
        out.push(
            cx.at(&RULE, node, &route)
                .message(format!(
                    "`{}/{}` looks like a misspelling of `{real}`",
                    r.owner, r.repo
                ))
                .evidence(evidence(&route, &slug)),
        );
    }
}
