use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::model::{Job, Step};

declare_rule! {
    /// ## What it finds
    /// A cache restored in a workflow that publishes: one triggered by a release or a tag
    /// push, or a job that publishes a package, an image or a release. Caches counted:
    /// `actions/cache` (unless `lookup-only`), `actions/setup-node` / `setup-python` /
    /// `setup-java` with `cache:`, `actions/setup-go` (caching by default), and
    /// `Swatinem/rust-cache`.
    ///
    /// ## Why it matters
    /// GitHub Actions caches are shared across the repository's workflows, including those
    /// that run a pull request's code. A poisoned cache entry written by an untrusted run is
    /// restored into the release build and ends up in what is published, signed and all.
    ///
    /// ## Example
    /// ```yaml
    /// on:
    ///   push:
    ///     tags: ["v*"]
    /// jobs:
    ///   publish:
    ///     steps:
    ///       - uses: actions/setup-node@v4
    ///         with: { cache: npm }
    ///       - run: npm publish
    /// ```
    ///
    /// ## Remediation
    /// Build releases from a clean state: remove the cache from publishing workflows, or set
    /// `lookup-only: true` / omit `cache:`; for `setup-go` set `cache: false`.
    ///
    /// ## References
    /// - CWE-349
    /// - [Adnan Khan: the monsters in your build cache](https://adnanthekhan.com/2024/05/06/the-monsters-in-your-build-cache-github-actions-cache-poisoning/)
    /// - [zizmor: cache-poisoning](https://docs.zizmor.sh/audits/#cache-poisoning)
    pub static RULE = {
        id: "pipeline/cache-poisoning",
        code: "CI006",
        title: "cache restored in a publishing workflow",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::Medium,
        expectation: &expectation::SUPPLY_SIGNED,
    }
}

/// Actions that publish what the job built.
const PUBLISHING_ACTIONS: &[&str] = &[
    "pypa/gh-action-pypi-publish",
    "softprops/action-gh-release",
    "ncipollo/release-action",
    "goreleaser/goreleaser-action",
    "docker/build-push-action",
    "actions/create-release",
    "actions/upload-release-asset",
    "svenstaro/upload-release-action",
    "changesets/action",
    "rust-lang/crates-io-auth-action",
    "JS-DevTools/npm-publish",
];

const PUBLISHING_COMMANDS: &[&str] = &[
    "npm publish",
    "pnpm publish",
    "yarn publish",
    "yarn npm publish",
    "cargo publish",
    "twine upload",
    "uv publish",
    "poetry publish",
    "gem push",
    "docker push",
    "gh release create",
    "gh release upload",
    "goreleaser release",
    "mvn deploy",
    "gradle publish",
    "./gradlew publish",
    "dotnet nuget push",
];

fn publishes(job: &Job<'_>) -> bool {
    job.steps.iter().any(|s| {
        PUBLISHING_ACTIONS
            .iter()
            .any(|a| s.uses_action(&a.to_ascii_lowercase()))
            || s.run()
                .is_some_and(|(r, _)| PUBLISHING_COMMANDS.iter().any(|c| r.contains(c)))
    })
}

fn release_triggered(cx: &Cx<'_>) -> bool {
    let Some(w) = &cx.workflow else { return false };
    if w.has_trigger("release") {
        return true;
    }
    // Pushes of tags are releases, whatever else the trigger also runs on.
    w.trigger_config("push")
        .is_some_and(|p| p.get("tags").is_some())
}

/// Why the step restores a cache, if it does.
fn restores_cache(cx: &Cx<'_>, step: &Step<'_>) -> Option<&'static str> {
    let truthy = |v: Option<jobzero_core::yaml::Node<'_>>| {
        v.and_then(|v| v.as_str())
            .is_some_and(|s| !s.trim().is_empty() && s.trim() != "false")
    };
    if step.uses_action("actions/cache") && !step.uses_action("actions/cache/save") {
        let lookup_only = step
            .with("lookup-only")
            .and_then(|v| v.as_str())
            .is_some_and(|s| s.trim() == "true");
        return (!lookup_only).then_some("restores an `actions/cache` entry");
    }
    if step.uses_action("actions/setup-node") && !truthy(step.with("cache")) {
        // From v5, setup-node caches automatically when package.json names a package
        // manager, unless `package-manager-cache: false`. A SHA pin without a version
        // comment may be v5 or later: reported, since a missed poisoning costs more than a
        // look at the pin.
        let off = step
            .with("package-manager-cache")
            .and_then(|v| v.as_str())
            .is_some_and(|s| s.trim() == "false");
        if !off && major_version(cx, step).is_none_or(|v| v >= 5) {
            return Some("uses `actions/setup-node` v5 or later, which caches automatically");
        }
    }
    for setup in [
        "actions/setup-node",
        "actions/setup-python",
        "actions/setup-java",
    ] {
        if step.uses_action(setup) && truthy(step.with("cache")) {
            return Some("enables the setup action's package cache");
        }
    }
    if step.uses_action("actions/setup-go") {
        let off = step
            .with("cache")
            .and_then(|v| v.as_str())
            .is_some_and(|s| s.trim() == "false");
        return (!off).then_some("uses `actions/setup-go`, which caches by default");
    }
    if step.uses_action("swatinem/rust-cache") {
        return Some("restores a `rust-cache` entry");
    }
    None
}

/// The major version of the action a step uses, from its tag or the `# vN` comment after a
/// SHA; `None` when neither says.
fn major_version(cx: &Cx<'_>, step: &Step<'_>) -> Option<u32> {
    let (text, node) = step.uses()?;
    let git_ref = text.split_once('@')?.1;
    let version = super::known_vulnerable_action::version_of(cx, node, git_ref)?;
    version
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(w) = &cx.workflow else { return };
    let release = release_triggered(cx);
    for job in &w.jobs {
        if !(release || publishes(job)) {
            continue;
        }
        for step in &job.steps {
            let Some(why) = restores_cache(cx, step) else {
                continue;
            };
            let (_, node) = step.uses().unwrap_or(("", step.node));
            let route = format!("{}.uses", step.route);
            let context = if release {
                "a release workflow"
            } else {
                "a job that publishes"
            };
            out.push(
                cx.at(&RULE, node, &route)
                    .message(format!("{} {why} in {context}", step.label()))
                    .evidence(evidence(&route, why)),
            );
        }
    }
}
