use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::instructions::env_pairs;
use super::shell::{Cmd, commands, is_assignment};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Dockerfile that installs packages without checking their signatures:
    /// `apk add --allow-untrusted`; `apt-get` with `--allow-unauthenticated`, `--force-yes`,
    /// `--allow-insecure-repositories` or `-o APT::Get::AllowUnauthenticated=true`; an APT
    /// source marked `[trusted=yes]`; `yum`/`dnf`/`microdnf`/`tdnf`/`rpm` with
    /// `--nogpgcheck` or `gpgcheck=0`; `zypper --no-gpg-checks`; `rpm --nosignature`,
    /// `--nodigest`, `--noverify` or `--nofiledigest`; Go's checksum database turned off
    /// with `GOSUMDB=off` (`ENV`, `ARG` or in a `RUN`).
    ///
    /// ## Why it matters
    /// Signatures are what ties a package to its publisher when it comes through mirrors,
    /// proxies and caches. Without them a tampered package from a compromised mirror, or one
    /// injected on the network, installs without an error and runs as root in the build.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apk add --no-cache --allow-untrusted ./vendor/tool-1.2.apk
    /// ```
    ///
    /// ## Remediation
    /// Keep signature checks on and import the publisher's key instead (`apk` keys in
    /// `/etc/apk/keys/`, a `signed-by=` keyring for APT, `rpm --import` for RPM
    /// repositories):
    /// `echo "deb [signed-by=/usr/share/keyrings/vendor.gpg] https://… stable main" > /etc/apt/sources.list.d/vendor.list`.
    ///
    /// ## References
    /// - CWE-347
    /// - CWE-494
    /// - [Debian: SecureApt](https://wiki.debian.org/SecureApt)
    /// - Checkov CKV2_DOCKER_7, CKV2_DOCKER_8, CKV2_DOCKER_9, CKV2_DOCKER_10, CKV2_DOCKER_11
    pub static RULE = {
        id: "iac/docker-package-verification-disabled",
        code: "IAC150",
        title: "package signature verification disabled in a Dockerfile",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_SIGNED,
    }
}

/// Flags that skip signature checks, with the tools they belong to (empty: any tool).
const FLAGS: &[(&str, &[&str])] = &[
    ("--allow-untrusted", &["apk"]),
    ("--allow-unauthenticated", &["apt-get", "apt", "aptitude"]),
    ("--force-yes", &["apt-get", "apt", "aptitude"]),
    ("--allow-insecure-repositories", &["apt-get", "apt"]),
    ("--nogpgcheck", &[]),
    ("--no-gpg-checks", &[]),
    ("--no-gpg-check", &[]),
    ("--nosignature", &["rpm"]),
    ("--nodigest", &["rpm"]),
    ("--noverify", &["rpm"]),
    ("--nofiledigest", &["rpm"]),
];

fn falsy(v: &str) -> bool {
    matches!(
        v.trim_matches(|c: char| c == '"' || c == '\'')
            .to_ascii_lowercase()
            .as_str(),
        "false" | "0" | "no" | "off"
    )
}

fn truthy(v: &str) -> bool {
    matches!(
        v.trim_matches(|c: char| c == '"' || c == '\'')
            .to_ascii_lowercase()
            .as_str(),
        "true" | "1" | "yes" | "on"
    )
}

/// `GOSUMDB=off`, if that is what `name=value` says.
fn insecure_variable(name: &str, value: &str) -> Option<String> {
    (name == "GOSUMDB" && value.trim_matches(|c: char| c == '"' || c == '\'') == "off")
        .then(|| "GOSUMDB=off".to_owned())
}

/// What in the command skips signature checks, if anything.
fn unverified(c: &Cmd) -> Option<String> {
    for a in c.env.iter().chain(c.args().iter().filter(|_| c.name() == "export")) {
        if is_assignment(a)
            && let Some((k, v)) = a.split_once('=')
            && let Some(found) = insecure_variable(k, v)
        {
            return Some(found);
        }
    }
    let name = c.name();
    for w in c.args() {
        let lower = w.to_ascii_lowercase();
        if FLAGS
            .iter()
            .any(|(f, tools)| lower == *f && (tools.is_empty() || tools.contains(&name)))
        {
            return Some(format!("{name} {w}"));
        }
        // `-o APT::Get::AllowUnauthenticated=true`, `--setopt=gpgcheck=0`, `gpgcheck=0`
        // echoed into a `.repo` file.
        if let Some((k, v)) = lower.rsplit_once('=') {
            if (k.ends_with("allowunauthenticated") || k.ends_with("allowinsecurerepositories"))
                && truthy(v)
            {
                return Some(format!("{name} {w}"));
            }
            if k.ends_with("gpgcheck") && falsy(v) {
                return Some(format!("{name} {w}"));
            }
        }
        // `deb [trusted=yes] http://…`, also `[arch=amd64 trusted=yes]`.
        if lower.contains("trusted=yes") || lower.contains("allow-insecure=yes") {
            return Some("[trusted=yes]".to_owned());
        }
    }
    None
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(d) = cx.docker else { return };
    for i in &d.instructions {
        let found = match i.keyword.as_str() {
            "RUN" => commands(&i.script()).iter().find_map(unverified),
            "ENV" | "ARG" => env_pairs(i)
                .iter()
                .find_map(|(k, v)| insecure_variable(k, v)),
            _ => None,
        };
        let Some(found) = found else { continue };
        out.push(cx.instruction(&RULE, i).message(format!(
            "`{}` installs packages without verifying their signatures (`{found}`)",
            i.keyword
        )));
    }
}
