use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::shell::{Cmd, commands};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Dockerfile `RUN` that makes files or directories writable by every user:
    /// `chmod 777`, `chmod -R 666`, `chmod o+w`, `chmod a+rwx`, `chmod ugo=rwx`, and the same
    /// modes given to `mkdir -m` or `install -m`. Modes with the sticky bit (`1777`, `+t`),
    /// which is how shared temporary directories are meant to be made, are not reported.
    ///
    /// ## Why it matters
    /// In a world-writable application or binary directory any process of the container,
    /// whatever user it runs as, can replace code that a more privileged process later runs,
    /// or plant files the application trusts; it turns a foothold as one user into control
    /// of the whole container.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN chmod -R 777 /app
    /// ```
    ///
    /// ## Remediation
    /// Give ownership to the user that needs to write (`COPY --chown=app:app`, `chown`) and
    /// keep modes such as `755`/`644`; writable data belongs in a volume:
    /// `RUN chown -R app:app /app/data && chmod -R 750 /app/data`.
    ///
    /// ## References
    /// - CWE-732
    /// - [Docker: COPY --chown](https://docs.docker.com/reference/dockerfile/#copy---chown---chmod)
    pub static RULE = {
        id: "iac/docker-world-writable",
        code: "IAC152",
        title: "files made world-writable in a Dockerfile",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

/// Whether a `chmod` mode gives write permission to others, without the sticky bit.
fn world_writable(mode: &str) -> bool {
    if !mode.is_empty() && mode.chars().all(|c| ('0'..='7').contains(&c)) {
        let digits: Vec<u32> = mode.chars().filter_map(|c| c.to_digit(8)).collect();
        let Some(others) = digits.last() else {
            return false;
        };
        // In four digits the first holds setuid/setgid/sticky; sticky is its lowest bit.
        let sticky = digits.len() == 4 && digits.first().is_some_and(|s| s & 1 == 1);
        return digits.len() >= 3 && others & 2 == 2 && !sticky;
    }
    if mode.contains('t') {
        return false;
    }
    mode.split(',').any(|clause| {
        let who: String = clause.chars().take_while(|c| "ugoa".contains(*c)).collect();
        let ops = clause.get(who.len()..).unwrap_or("");
        if !(who.contains('o') || who.contains('a')) {
            return false;
        }
        // Each `+perms` or `=perms` that includes `w`.
        let mut granting = false;
        for c in ops.chars() {
            match c {
                '+' | '=' => granting = true,
                '-' => granting = false,
                'w' if granting => return true,
                _ => {}
            }
        }
        false
    })
}

/// The mode and the first path of a command that makes something world-writable.
fn widened(c: &Cmd) -> Option<(String, String)> {
    let args = c.args();
    let mode_at = match c.name() {
        "chmod" => args.iter().position(|w| {
            !(w.starts_with("--")
                || (w.starts_with('-')
                    && w.len() > 1
                    && w.chars().skip(1).all(|c| "RcfvHLP".contains(c))))
        }),
        "mkdir" | "install" => {
            if let Some(at) = args.iter().position(|w| w.starts_with("--mode=")) {
                let mode = args.get(at)?.trim_start_matches("--mode=");
                return world_writable(mode)
                    .then(|| (mode.to_owned(), args.last().cloned().unwrap_or_default()));
            }
            args.iter().position(|w| w == "-m").map(|at| at + 1)
        }
        _ => None,
    }?;
    let mode = args.get(mode_at)?;
    if !world_writable(mode) {
        return None;
    }
    let target = args
        .get(mode_at + 1..)
        .and_then(|rest| rest.iter().find(|w| !w.starts_with('-')))
        .or_else(|| args.last())
        .cloned()
        .unwrap_or_default();
    Some((mode.clone(), target))
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(d) = cx.docker else { return };
    for i in d.instructions.iter().filter(|i| i.keyword == "RUN") {
        let Some((mode, target)) = commands(&i.script()).iter().find_map(widened) else {
            continue;
        };
        out.push(cx.instruction(&RULE, i).message(format!(
            "`RUN` gives mode `{mode}` to `{target}`, writable by every user of the container"
        )));
    }
}
