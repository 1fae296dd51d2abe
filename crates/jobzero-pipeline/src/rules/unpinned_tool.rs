use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// Tools installed at whatever version is current when the job runs: a download piped
    /// straight into a shell (`curl … | sh`, `wget -O- … | bash`), or a setup action told
    /// to install `latest` (or left without a version where it defaults to the latest
    /// release: `aquasecurity/setup-trivy`, `sigstore/cosign-installer` `cosign-release:
    /// latest`, `golangci/golangci-lint-action`, `1password/load-secrets-action`, …).
    ///
    /// ## Why it matters
    /// The job runs code nobody reviewed and that nobody can reproduce later; whoever
    /// controls the download (or its CDN) controls the job. A piped script cannot even be
    /// checked against a checksum.
    ///
    /// ## Example
    /// ```yaml
    /// - run: curl -sSfL https://example.com/install.sh | sh
    /// - uses: aquasecurity/setup-trivy@v0.2.2
    ///   with:
    ///     version: latest
    /// ```
    ///
    /// ## Remediation
    /// Install a pinned version and verify it: download to a file, check its SHA-256 (or
    /// signature), then run it; give setup actions an exact `version:`.
    ///
    /// ## References
    /// - CWE-494
    /// - [zizmor: unpinned-tools](https://docs.zizmor.sh/audits/#unpinned-tools)
    pub static RULE = {
        id: "pipeline/unpinned-tool",
        code: "CI024",
        title: "tool installed at an unpinned version",
        family: Family::Pipeline,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

/// Setup actions and the input that pins what they install; `true` when a missing input
/// means "latest".
const SETUP_ACTIONS: &[(&str, &str, bool)] = &[
    ("aquasecurity/setup-trivy", "version", true),
    ("1password/load-secrets-action", "version", true),
    ("sigstore/cosign-installer", "cosign-release", false),
    ("golangci/golangci-lint-action", "version", false),
    ("astral-sh/setup-uv", "version", false),
    ("hashicorp/setup-terraform", "terraform_version", false),
    ("azure/setup-helm", "version", false),
    ("azure/setup-kubectl", "version", false),
    ("goreleaser/goreleaser-action", "version", false),
    ("anchore/sbom-action/download-syft", "syft-version", false),
    ("pnpm/action-setup", "version", false),
    ("oven-sh/setup-bun", "bun-version", false),
];

pub(crate) fn pipes_download_to_shell(line: &str) -> bool {
    let downloads = [
        "curl ",
        "wget ",
        "iwr ",
        "Invoke-WebRequest",
        "Invoke-RestMethod",
        "irm ",
    ]
    .iter()
    .any(|d| line.contains(d));
    if !downloads {
        return false;
    }
    if line.contains("<(curl") || line.contains("<(wget") {
        return true;
    }
    // The program after a pipe, past `sudo` and its options.
    line.split('|').skip(1).any(|stage| {
        let mut words = stage
            .split_whitespace()
            .filter(|w| *w != "sudo" && !w.starts_with('-'));
        let program = words.next().unwrap_or("");
        let program = program.rsplit('/').next().unwrap_or(program);
        match program {
            "sh" | "bash" | "zsh" | "dash" | "ksh" | "iex" | "Invoke-Expression" => true,
            // `| python3 -m json.tool` reads data; a bare interpreter runs what it reads.
            "python" | "python3" | "node" | "perl" | "ruby" => {
                stage.split_whitespace().count() == 1
            }
            _ => false,
        }
    })
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (_, step) in cx.steps() {
        for (action, input, missing_is_latest) in SETUP_ACTIONS {
            if !step.uses_action(action) {
                continue;
            }
            let value = step.with(input);
            let latest = match value.and_then(|v| v.as_str()) {
                Some(v) => matches!(v.trim(), "latest" | "*" | "x"),
                None => *missing_is_latest,
            };
            if latest {
                let node = value.unwrap_or_else(|| step.uses().map_or(step.node, |(_, n)| n));
                let route = match value {
                    Some(_) => format!("{}.with.{input}", step.route),
                    None => format!("{}.uses", step.route),
                };
                out.push(
                    cx.at(&RULE, node, &route)
                        .message(format!(
                            "`{action}` installs the latest release (`{input}` is not pinned)"
                        ))
                        .evidence(evidence(&route, action)),
                );
            }
        }
        let Some((script, node)) = step.run() else {
            continue;
        };
        let route = format!("{}.run", step.route);
        let mut from = 0;
        for line in script.lines() {
            if !pipes_download_to_shell(line) {
                continue;
            }
            let trimmed = line.trim();
            let b = cx.at_text(&RULE, node, trimmed, &mut from, &route);
            out.push(
                b.message(format!(
                    "`{trimmed}` runs a downloaded script without checking it"
                ))
                .evidence(evidence(&route, trimmed)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_pipes_into_an_interpreter_count() {
        assert!(super::pipes_download_to_shell(
            "curl -sSfL https://x.sh | sh"
        ));
        assert!(super::pipes_download_to_shell(
            "curl -sSfL https://x.sh | sudo -E bash -s -- -y"
        ));
        assert!(super::pipes_download_to_shell(
            "bash <(curl -s https://x.sh)"
        ));
        assert!(!super::pipes_download_to_shell(
            "curl -sSfL https://x | sha256sum -c"
        ));
        assert!(!super::pipes_download_to_shell(
            "curl -s https://api | python3 -m json.tool"
        ));
    }
}
