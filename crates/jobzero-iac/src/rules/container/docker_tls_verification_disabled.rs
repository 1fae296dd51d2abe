use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::instructions::env_pairs;
use super::shell::{Cmd, commands, is_assignment};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Dockerfile that turns off TLS certificate verification for a download tool:
    /// `curl -k`/`--insecure`, `wget --no-check-certificate`, `pip --trusted-host`,
    /// `npm`/`yarn`/`pnpm config set strict-ssl false`, `git -c http.sslVerify=false` or
    /// `git config http.sslVerify false`, `sslverify=0` for `yum`/`dnf`, `conda config --set
    /// ssl_verify false`, `composer config secure-http false`, `--insecure-skip-tls-verify`,
    /// `go get -insecure`; or the environment variables `NODE_TLS_REJECT_UNAUTHORIZED=0`,
    /// `PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY`, `NPM_CONFIG_STRICT_SSL=false`,
    /// `PIP_TRUSTED_HOST`, `GOINSECURE`, set by `ENV`, `ARG` or in a `RUN`. Package signature
    /// checks (`apk --allow-untrusted`, `apt-get --allow-unauthenticated`) are reported by
    /// `iac/docker-package-verification-disabled`.
    ///
    /// ## Why it matters
    /// Without certificate verification anyone on the network path of the build (a proxy, a
    /// compromised Wi-Fi, a hijacked DNS answer) can serve their own packages or scripts, and
    /// they are built into the image. Set with `ENV`, the setting also stays on in the
    /// running container, for every outgoing connection of the application.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSLk https://internal.example.com/tool.tar.gz | tar -xz
    /// ENV NODE_TLS_REJECT_UNAUTHORIZED=0
    /// ```
    ///
    /// ## Remediation
    /// Keep verification on and make the certificate trusted instead: add the internal CA
    /// to the image's trust store (`COPY ca.crt /usr/local/share/ca-certificates/` then
    /// `RUN update-ca-certificates`) or point the tool at it (`--cacert`,
    /// `NODE_EXTRA_CA_CERTS`, `PIP_CERT`).
    ///
    /// ## References
    /// - CWE-295
    /// - [curl: --insecure](https://curl.se/docs/manpage.html#-k)
    /// - Checkov CKV2_DOCKER_2, CKV2_DOCKER_3, CKV2_DOCKER_4, CKV2_DOCKER_5, CKV2_DOCKER_6, CKV2_DOCKER_12, CKV2_DOCKER_13, CKV2_DOCKER_14, CKV2_DOCKER_15, CKV2_DOCKER_16
    pub static RULE = {
        id: "iac/docker-tls-verification-disabled",
        code: "IAC149",
        title: "certificate verification turned off in a Dockerfile",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

/// Whether `v` reads as false.
fn falsy(v: &str) -> bool {
    matches!(
        v.trim_matches(|c: char| c == '"' || c == '\'')
            .to_ascii_lowercase()
            .as_str(),
        "false" | "0" | "no" | "off"
    )
}

/// The variable assignment that disables verification, if `name=value` is one.
fn insecure_variable(name: &str, value: &str) -> Option<String> {
    let v = value.trim().trim_matches(|c: char| c == '"' || c == '\'');
    let upper = name.to_ascii_uppercase();
    let bad = match upper.as_str() {
        "NODE_TLS_REJECT_UNAUTHORIZED" | "PYTHONHTTPSVERIFY" => v == "0",
        "NPM_CONFIG_STRICT_SSL" | "YARN_STRICT_SSL" => falsy(v),
        "GIT_SSL_NO_VERIFY" => !v.is_empty() && !falsy(v),
        "PIP_TRUSTED_HOST" | "GOINSECURE" => !v.is_empty() && !v.starts_with('$'),
        _ => false,
    };
    bad.then(|| format!("{name}={v}"))
}

/// What in the command disables verification, if anything.
fn insecure_command(c: &Cmd) -> Option<String> {
    for a in c.env.iter().chain(c.args().iter().filter(|_| c.name() == "export")) {
        if is_assignment(a)
            && let Some((k, v)) = a.split_once('=')
            && let Some(found) = insecure_variable(k, v)
        {
            return Some(found);
        }
    }
    let name = c.name();
    let args = c.args();
    let next_falsy = |i: usize| args.get(i + 1).is_some_and(|n| falsy(n));
    for (i, w) in args.iter().enumerate() {
        let lower = w.to_ascii_lowercase();
        if name == "curl"
            && (w == "--insecure"
                || (w.starts_with('-')
                    && !w.starts_with("--")
                    && w.len() > 1
                    && w.chars().skip(1).all(|c| c.is_ascii_alphabetic())
                    && w.contains('k')))
        {
            return Some(format!("curl {w}"));
        }
        if w == "--no-check-certificate" || lower.starts_with("--trusted-host") {
            return Some(format!("{name} {w}"));
        }
        if lower.starts_with("--insecure-skip-tls-verify")
            && !lower.ends_with("=false")
        {
            return Some(format!("{name} {w}"));
        }
        if name == "go" && (w == "-insecure" || w == "--insecure") {
            return Some(format!("go {w}"));
        }
        if matches!(name, "npm" | "yarn" | "pnpm") {
            let key = lower.trim_start_matches('-');
            if key == "no-strict-ssl"
                || key.strip_prefix("strict-ssl=").is_some_and(falsy)
                || ((key == "strict-ssl" || key == "enablestrictssl") && next_falsy(i))
            {
                return Some(format!("{name} {w}"));
            }
        }
        // `http.sslVerify=false` (git -c), `sslverify=0` (yum/dnf --setopt, echo into
        // a .repo file).
        if let Some((k, v)) = lower.rsplit_once('=')
            && k.ends_with("sslverify")
            && falsy(v)
        {
            return Some(format!("{name} {w}"));
        }
        // `git config --global http.sslVerify false`, `conda config --set ssl_verify false`,
        // `composer config -g secure-http false`.
        if (lower.ends_with("sslverify") || lower == "ssl_verify" || lower == "secure-http")
            && next_falsy(i)
        {
            return Some(format!("{name} {w} false"));
        }
    }
    None
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(d) = cx.docker else { return };
    for i in &d.instructions {
        let found = match i.keyword.as_str() {
            "RUN" => commands(&i.script()).iter().find_map(insecure_command),
            "ENV" | "ARG" => env_pairs(i)
                .iter()
                .find_map(|(k, v)| insecure_variable(k, v)),
            _ => None,
        };
        let Some(found) = found else { continue };
        let what = if i.keyword == "RUN" {
            "turns off TLS certificate verification"
        } else {
            "turns off TLS certificate verification for every later command and the running container"
        };
        out.push(
            cx.instruction(&RULE, i)
                .message(format!("`{}` {what} with `{found}`", i.keyword)),
        );
    }
}
