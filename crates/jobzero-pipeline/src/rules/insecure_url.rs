use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A download or fetch over an unencrypted scheme in a `run:` script:
    /// `http://` (other than to `localhost`, loopback addresses or the job's own services)
    /// and `git://` URLs, and package-manager options that allow them (`--trusted-host`,
    /// `--allow-insecure-host`, `--insecure`, `-k`).
    ///
    /// ## Why it matters
    /// Anyone on the network path — a compromised hotel Wi-Fi does not apply here, but a
    /// hostile transit network, a DNS hijack or a misconfigured proxy does — can replace
    /// what is downloaded with code that then runs with the job's secrets.
    ///
    /// ## Example
    /// ```yaml
    /// - run: curl -O http://downloads.example.com/tool.tar.gz
    /// ```
    ///
    /// ## Remediation
    /// Use `https://` (or `ssh://` for git) and keep certificate checks on.
    ///
    /// ## References
    /// - CWE-319
    /// - [zizmor: insecure-url-scheme](https://docs.zizmor.sh/audits/#insecure-url-scheme)
    pub static RULE = {
        id: "pipeline/insecure-url",
        code: "CI026",
        title: "download over an unencrypted connection",
        family: Family::Pipeline,
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        expectation: &expectation::TLS,
    }
}

fn local(host: &str) -> bool {
    let host = host.split(['/', ':', '?', '"', '\'']).next().unwrap_or("");
    host.is_empty()
        || host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "0.0.0.0"
        || host == "[::1]"
        || host.starts_with("10.")
        || host.starts_with("192.168.")
        || host.starts_with('$')
        || !host.contains('.')
        || host.ends_with(".local")
        || host.ends_with(".internal")
        || host == "www.w3.org"
        || host.ends_with(".xsd")
        || host == "schemas.xmlsoap.org"
        || host.starts_with("host.docker")
}

/// The insecure URLs or options on a line.
pub(crate) fn insecure(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    const FETCHERS: &[&str] = &[
        "curl",
        "wget",
        "git",
        "pip",
        "pip3",
        "npm",
        "iwr",
        "Invoke-WebRequest",
        "apt",
        "apt-get",
        "add-apt-repository",
        "docker",
        "helm",
        "go",
        "gem",
        "uv",
        "yarn",
        "pnpm",
    ];
    let fetching = line
        .split(|c: char| c.is_whitespace() || c == ';' || c == '(' || c == '|' || c == '&')
        .any(|w| FETCHERS.contains(&w));
    for scheme in ["http://", "git://"] {
        for (i, _) in line.match_indices(scheme) {
            let rest = &line[i + scheme.len()..];
            if scheme == "http://" && (!fetching || local(rest)) {
                continue;
            }
            let url: String = line[i..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
                .collect();
            out.push(url);
        }
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    if line.contains("curl") && words.iter().any(|w| *w == "-k" || *w == "--insecure") {
        out.push("curl --insecure".to_owned());
    }
    if line.contains("wget") && words.contains(&"--no-check-certificate") {
        out.push("wget --no-check-certificate".to_owned());
    }
    if line.contains("pip") && words.contains(&"--trusted-host") {
        out.push("pip --trusted-host".to_owned());
    }
    out
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    // A pre-commit hook repository cloned without TLS: its code runs on every commit.
    if cx.src.kind == crate::source::Kind::PreCommit {
        let repos = cx.src.root().and_then(|r| r.get("repos"));
        for (i, entry) in repos.iter().flat_map(|r| r.items()).enumerate() {
            let Some(node) = entry.get("repo") else { continue };
            let Some(url) = node.as_str() else { continue };
            if url.starts_with("http://") || url.starts_with("git://") {
                let route = format!("repos[{i}].repo");
                out.push(
                    cx.at(&RULE, node, &route)
                        .message(format!("the hook repository `{url}` is cloned without TLS"))
                        .evidence(evidence(&route, url)),
                );
            }
        }
    }
    for (_, step, script, node, route) in cx.run_scripts() {
        let mut from = 0;
        for line in script.lines() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            for url in insecure(line) {
                let b = cx.at_text(&RULE, node, &url, &mut from, &route);
                out.push(
                    b.message(format!("{} fetches `{url}` without TLS", step.label()))
                        .evidence(evidence(&route, &url)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_remote_plain_fetches_count() {
        assert_eq!(
            super::insecure("curl -O http://downloads.example.org/x.tgz"),
            vec!["http://downloads.example.org/x.tgz"]
        );
        assert!(super::insecure("curl http://localhost:8080/health").is_empty());
        assert!(super::insecure("echo see http://docs.example.org").is_empty());
        assert_eq!(
            super::insecure("git clone git://example.org/r.git"),
            vec!["git://example.org/r.git"]
        );
        assert_eq!(
            super::insecure("curl -k https://x.org"),
            vec!["curl --insecure"]
        );
    }
}
