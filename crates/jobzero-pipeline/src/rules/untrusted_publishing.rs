use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// Publishing to a package registry with a long-lived token where the registry offers
    /// trusted publishing (short-lived OIDC credentials bound to the workflow) and
    /// provenance: `pypa/gh-action-pypi-publish` with `password:`, `twine upload` / `uv
    /// publish` with a token, `npm publish` with `NODE_AUTH_TOKEN` and no `--provenance`,
    /// `cargo publish` with `CARGO_REGISTRY_TOKEN`, `gem push` with an API key, `nuget push`
    /// with an API key; any of these commands in a job without `id-token: write` (the
    /// credential then comes from a stored file or a secret set up earlier); and, low,
    /// `docker/build-push-action` pushing an image from a job that neither signs it
    /// (cosign) nor attests it (`actions/attest-build-provenance`, `provenance: mode=max`).
    ///
    /// ## Why it matters
    /// A long-lived registry token is a standing credential: leaked from a log, a cache or
    /// a compromised action, it publishes anything, from anywhere, until someone notices.
    /// Trusted publishing removes it, and provenance lets consumers verify where a package
    /// was built.
    ///
    /// ## Example
    /// ```yaml
    /// - uses: pypa/gh-action-pypi-publish@release/v1
    ///   with:
    ///     password: ${{ secrets.PYPI_TOKEN }}
    /// ```
    ///
    /// ## Remediation
    /// Configure trusted publishing on the registry, grant the job `id-token: write`, drop
    /// the token, and publish with provenance (`npm publish --provenance`; PyPI and
    /// crates.io attest automatically with trusted publishing).
    ///
    /// ## References
    /// - CWE-798
    /// - [OpenSSF: trusted publishers for all package repositories](https://repos.openssf.org/trusted-publishers-for-all-package-repositories)
    /// - [zizmor: use-trusted-publishing](https://docs.zizmor.sh/audits/#use-trusted-publishing)
    pub static RULE = {
        id: "pipeline/untrusted-publishing",
        code: "CI020",
        title: "package published with a long-lived token instead of trusted publishing",
        family: Family::Pipeline,
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        expectation: &expectation::SUPPLY_SIGNED,
    }
}

/// Steps that sign or attest what a job publishes.
fn signs(step: &crate::model::Step<'_>) -> bool {
    [
        "sigstore/cosign-installer",
        "actions/attest-build-provenance",
        "actions/attest",
        "slsa-framework/slsa-github-generator",
        "docker/scout-action",
    ]
    .iter()
    .any(|a| step.uses_action(a))
        || step.run().is_some_and(|(r, _)| {
            r.contains("cosign sign") || r.contains("cosign attest") || r.contains("gh attestation")
        })
}

/// `docker/build-push-action` pushing an image from a job that neither signs nor attests it
/// and does not ask BuildKit for provenance.
fn unsigned_image_pushes(cx: &Cx<'_>, out: &mut Sink) {
    let Some(w) = &cx.workflow else { return };
    for job in &w.jobs {
        if job.steps.iter().any(signs) {
            continue;
        }
        for step in &job.steps {
            if !step.uses_action("docker/build-push-action") {
                continue;
            }
            let pushes = step
                .with("push")
                .and_then(|p| p.as_str())
                .is_some_and(|p| p.trim() == "true" || p.contains("${{"));
            let provenance = step
                .with("provenance")
                .and_then(|p| p.as_str())
                .is_some_and(|p| p.contains("mode=max") || p.trim() == "true");
            if !pushes || provenance {
                continue;
            }
            let (_, node) = step.uses().unwrap_or(("", step.node));
            let route = format!("{}.uses", step.route);
            out.push(
                cx.at(&RULE, node, &route)
                    .severity(Severity::Low)
                    .message(format!(
                        "{} pushes an image that job `{}` neither signs (cosign) nor attests (provenance)",
                        step.label(),
                        job.id
                    ))
                    .evidence(evidence(&route, "unsigned image push")),
            );
        }
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    unsigned_image_pushes(cx, out);
    for (job, step) in cx.steps() {
        let workflow_env = cx.workflow.as_ref().and_then(|w| w.root.get("env"));
        let env_value = |name: &str| {
            step.get("env")
                .and_then(|e| e.get(name))
                .or_else(|| job.and_then(|j| j.get("env")?.get(name)))
                .or_else(|| workflow_env.and_then(|e| e.get(name)))
        };
        // A token minted by a trusted-publishing exchange (`rust-lang/crates-io-auth-action`,
        // an OIDC step) is short-lived: not a stored credential.
        let env_has = |name: &str| {
            env_value(name).is_some_and(|v| v.as_str().is_none_or(|t| !t.contains("steps.")))
        };
        // Trusted publishing needs an OIDC token: without `id-token: write` a publishing
        // command can only use a stored credential, wherever it comes from.
        let grants_id_token = |perms: Option<jobzero_core::yaml::Node<'_>>| {
            perms.is_some_and(|p| {
                p.as_str() == Some("write-all")
                    || p.get("id-token").and_then(|v| v.as_str()) == Some("write")
            })
        };
        let oidc = grants_id_token(job.and_then(|j| j.get("permissions")))
            || (job.and_then(|j| j.get("permissions")).is_none()
                && grants_id_token(cx.workflow.as_ref().and_then(|w| w.root.get("permissions"))));
        let stored = |registry: &str| {
            (!oidc).then(|| {
                format!(
                    "publishes to {registry} without trusted publishing (no `id-token: write`): with a stored, long-lived credential"
                )
            })
        };
        let mut found: Option<String> = None;
        let mut at: Option<(jobzero_core::yaml::Node<'_>, String, Option<String>)> = None;
        if step.uses_action("pypa/gh-action-pypi-publish")
            && let Some(password) = step.with("password")
        {
            found = Some("publishes to PyPI with a `password:` token".to_owned());
            at = Some((password, format!("{}.with.password", step.route), None));
        }
        if let Some((script, run)) = step.run() {
            for line in script.lines().map(str::trim) {
                // A dry run publishes nothing and needs no credential.
                let hit = if line.contains("--dry-run") {
                    None
                } else if line.contains("npm publish")
                    || line.contains("pnpm publish")
                    || line.contains("yarn npm publish")
                {
                    (!line.contains("--provenance")
                        && (env_has("NODE_AUTH_TOKEN")
                            || env_has("NPM_TOKEN")
                            || line.contains("_authToken")))
                    .then(|| "publishes to npm with a token and without `--provenance`".to_owned())
                } else if line.contains("cargo publish") {
                    (env_has("CARGO_REGISTRY_TOKEN") || line.contains("--token"))
                        .then(|| "publishes to crates.io with a registry token".to_owned())
                        .or_else(|| stored("crates.io"))
                } else if line.contains("twine upload")
                    || line.contains("uv publish")
                    || line.contains("poetry publish")
                {
                    (env_has("TWINE_PASSWORD")
                        || env_has("UV_PUBLISH_TOKEN")
                        || env_has("POETRY_PYPI_TOKEN_PYPI")
                        || line.contains("--password")
                        || line.contains("-p ")
                        || line.contains("--token"))
                    .then(|| "publishes to PyPI with a token".to_owned())
                    .or_else(|| stored("PyPI"))
                } else if line.contains("gem push") {
                    (env_has("GEM_HOST_API_KEY") || line.contains("--key"))
                        .then(|| "publishes to RubyGems with an API key".to_owned())
                        .or_else(|| stored("RubyGems"))
                } else if line.contains("nuget push") {
                    (env_has("NUGET_API_KEY")
                        || line.contains("--api-key")
                        || line.contains("-ApiKey")
                        || line.contains(" -k "))
                    .then(|| "publishes to NuGet with an API key".to_owned())
                    .or_else(|| stored("NuGet"))
                } else {
                    None
                };
                if hit.is_some() {
                    found = hit;
                    at = Some((run, format!("{}.run", step.route), Some(line.to_owned())));
                    break;
                }
            }
        }
        let (Some(why), Some((node, route, line))) = (found, at) else {
            continue;
        };
        let b = match line.and_then(|l| cx.src.find_in(node, &l, 0).map(|s| s..s + l.len())) {
            Some(range) => cx.at_range(&RULE, range, &route),
            None => cx.at(&RULE, node, &route),
        };
        out.push(
            b.message(format!("{} {why}", step.label()))
                .evidence(evidence(&route, &why)),
        );
    }
}
