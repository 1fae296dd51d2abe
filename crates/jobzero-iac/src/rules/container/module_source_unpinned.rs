use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Terraform `module` call whose source can change under the same code: a Git source
    /// (`git::…`, `github.com/…`, `bitbucket.org/…`, `git@…`) without a `?ref=` or with a
    /// branch name as its ref (`main`, `master`, `develop`, `trunk`, `HEAD`), or a registry
    /// source (`namespace/name/provider`, with or without a host) without a `version` (high
    /// risk), or with a version constraint rather than one exact version (`~> 5.0`; low).
    /// Local paths (`./`, `../`), archives over HTTP(S), S3 and GCS, and sources or versions
    /// given by unknown values are not reported.
    ///
    /// ## Why it matters
    /// Without a pinned revision every `terraform init` takes whatever the branch or the
    /// newest release holds that day: a breaking change, or code pushed by whoever
    /// compromised the module's repository, is applied to your infrastructure with your
    /// credentials and no review of the change.
    ///
    /// ## Example
    /// ```hcl
    /// module "vpc" {
    ///   source = "git::https://github.com/acme/terraform-modules.git//vpc"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Pin Git sources to a release tag or, better, a full commit hash, and registry modules
    /// to a version:
    /// `source = "git::https://github.com/acme/terraform-modules.git//vpc?ref=3f9c2a1e5b7d4c8f9a0b1c2d3e4f5a6b7c8d9e0f"`.
    ///
    /// ## References
    /// - CWE-829
    /// - CWE-1357
    /// - [Terraform: module sources](https://developer.hashicorp.com/terraform/language/modules/sources)
    /// - Checkov CKV_TF_1, CKV_TF_2
    pub static RULE = {
        id: "iac/module-source-unpinned",
        code: "IAC166",
        title: "module source is not pinned to a version or revision",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

/// Refs that name a branch rather than a release or a commit.
const BRANCHES: &[&str] = &["main", "master", "develop", "development", "dev", "trunk", "head"];

/// Whether `source` is a Git source.
fn is_git(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    lower.starts_with("git::")
        || lower.starts_with("github.com/")
        || lower.starts_with("bitbucket.org/")
        || lower.starts_with("git@")
}

/// Whether `source` is a registry address: `ns/name/provider` or `host/ns/name/provider`,
/// with an optional `//subdir`.
fn is_registry(source: &str) -> bool {
    if source.contains("::") || source.contains("://") || source.starts_with('.') || source.starts_with('/') {
        return false;
    }
    let address = source.split_once("//").map_or(source, |(a, _)| a);
    let parts: Vec<&str> = address.split('/').collect();
    let plain = |p: &&str| {
        !p.is_empty()
            && p
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    match parts.as_slice() {
        [_, _, _] => parts.iter().all(plain) && parts.first().is_some_and(|ns| !ns.contains('.')),
        [host, _, _, _] => parts.iter().all(plain) && host.contains('.'),
        _ => false,
    }
}

/// The `ref` query parameter of a Git source.
fn git_ref(source: &str) -> Option<&str> {
    let (_, query) = source.split_once('?')?;
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("ref="))
        .filter(|r| !r.is_empty())
}

/// `source` with the credentials of a URL (`https://user:token@host`) hidden.
fn shown(source: &str) -> String {
    let Some((scheme, rest)) = source.split_once("://") else {
        return source.to_owned();
    };
    let host_end = rest.find('/').unwrap_or(rest.len());
    match rest.get(..host_end).and_then(|h| h.rfind('@')) {
        Some(at) => format!("{scheme}://***@{}", rest.get(at + 1..).unwrap_or("")),
        None => source.to_owned(),
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for m in cx.of(&["module"]) {
        let Some(node) = m.body.get_direct("source") else {
            continue;
        };
        let Some(source) = node.as_str() else { continue };
        let message = if is_git(source) {
            match git_ref(source) {
                None => format!(
                    "module `{}` loads `{}` without a `ref`, so it follows the default branch",
                    m.name,
                    shown(source)
                ),
                Some(r) if BRANCHES.contains(&r.to_ascii_lowercase().as_str()) => format!(
                    "module `{}` loads `{}` at the branch `{r}`, which moves",
                    m.name,
                    shown(source)
                ),
                Some(_) => continue,
            }
        } else if is_registry(source) {
            match m.body.get_direct("version") {
                // A constraint (`~> 5.0`, `>= 4`) takes whatever release matches at `init`.
                Some(v) if v.as_str().is_some_and(|c| c.contains(['~', '>', '<', '!', ','])) => {
                    let c = v.as_str().unwrap_or_default();
                    out.push(
                        cx.at(&RULE, m, v)
                            .severity(jobzero_core::Severity::Low)
                            .message(format!(
                                "module `{}` takes `{source}` at any version matching `{c}`, so a new release is used without review",
                                m.name
                            )),
                    );
                    continue;
                }
                Some(v) if !v.is_null() => continue,
                _ => format!(
                    "module `{}` uses the registry module `{source}` without a `version`, so every `init` may take a newer release",
                    m.name
                ),
            }
        } else {
            continue;
        };
        out.push(cx.at(&RULE, m, node).message(message));
    }
}
