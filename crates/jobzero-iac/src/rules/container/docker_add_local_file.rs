use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::instructions::{copy_args, is_remote};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Dockerfile `ADD` of a local file or directory that is not a tar archive
    /// (`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz`, `.gz`, …): the job of `COPY`.
    /// Remote sources are reported by `iac/docker-add-remote-url`; sources named by a
    /// variable are not reported.
    ///
    /// ## Why it matters
    /// `ADD` does more than copy: it unpacks any local archive it is given and fetches URLs.
    /// An `ADD` meant to copy a file silently extracts it the day that file becomes an
    /// archive (a vendored bundle, a renamed build output), writing paths nobody reviewed
    /// into the image; `COPY` only ever copies, which keeps the image's content predictable.
    ///
    /// ## Example
    /// ```dockerfile
    /// ADD requirements.txt /app/
    /// ```
    ///
    /// ## Remediation
    /// Use `COPY` for local files and directories, and keep `ADD` for the archives it is
    /// meant to unpack:
    /// `COPY requirements.txt /app/`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.9
    /// - [Docker: ADD or COPY](https://docs.docker.com/build/building/best-practices/#add-or-copy)
    /// - Checkov CKV_DOCKER_4
    pub static RULE = {
        id: "iac/docker-add-local-file",
        code: "IAC144",
        title: "local file added with ADD instead of COPY",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

/// Endings of the archives `ADD` unpacks.
const ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst",
    ".tzst", ".gz", ".bz2", ".xz", ".zst",
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(d) = cx.docker else { return };
    for i in d.instructions.iter().filter(|i| i.keyword == "ADD") {
        let (sources, _) = copy_args(i);
        let Some(src) = sources.iter().find(|s| {
            let lower = s.to_ascii_lowercase();
            !is_remote(s)
                && !s.contains('$')
                && !ARCHIVES.iter().any(|a| lower.ends_with(a))
        }) else {
            continue;
        };
        out.push(cx.instruction(&RULE, i).message(format!(
            "`ADD {src}` copies a local path that is not an archive; `COPY` does that without `ADD`'s unpacking and downloading"
        )));
    }
}
