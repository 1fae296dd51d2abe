use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::instructions::{copy_args, is_git, is_remote};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Dockerfile `ADD` that downloads a remote source without verifying it: an
    /// `http://` or `https://` URL with no `--checksum=sha256:…` flag, or a Git repository
    /// (`https://…/repo.git#ref`, `git@host:repo.git`) with no `--checksum` and no full
    /// 40-character commit as its fragment.
    ///
    /// ## Why it matters
    /// Whatever the server returns on the day of the build goes into the image: a replaced
    /// release asset, a moved tag, a compromised mirror. Nothing in the repository records
    /// what was fetched, so the change is invisible and cannot be reviewed.
    ///
    /// ## Example
    /// ```dockerfile
    /// ADD https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64 /usr/local/bin/gosu
    /// ```
    ///
    /// ## Remediation
    /// Verify the download with `--checksum` (BuildKit 1.6+) or pin a Git source to a full
    /// commit, or download with `curl` and check a known SHA-256 in the same `RUN`:
    /// `ADD --checksum=sha256:bd8…9c1 https://…/gosu-amd64 /usr/local/bin/gosu`.
    ///
    /// ## References
    /// - CWE-494
    /// - [Docker: ADD --checksum](https://docs.docker.com/reference/dockerfile/#add---checksum)
    /// - Checkov CKV_DOCKER_4
    pub static RULE = {
        id: "iac/docker-add-remote-url",
        code: "IAC143",
        title: "remote file added to the image without a checksum",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(d) = cx.docker else { return };
    for i in d.instructions.iter().filter(|i| i.keyword == "ADD") {
        if i.flag("checksum").is_some_and(|c| !c.is_empty()) {
            continue;
        }
        let (sources, _) = copy_args(i);
        let Some(src) = sources.iter().find(|s| {
            if !is_remote(s) {
                return false;
            }
            if is_git(s) {
                // A full commit as the fragment (`repo.git#<sha>`, `#<sha>:dir`) is immutable.
                let fragment = s.split_once('#').map(|(_, f)| f).unwrap_or("");
                let commit = fragment.split(':').next().unwrap_or("");
                return !(commit.len() == 40 && commit.chars().all(|c| c.is_ascii_hexdigit()));
            }
            true
        }) else {
            continue;
        };
        let shown = src.split_once('?').map(|(u, _)| u).unwrap_or(src);
        out.push(cx.instruction(&RULE, i).message(format!(
            "`ADD` fetches `{shown}` without `--checksum`, so whatever the server returns goes into the image"
        )));
    }
}
