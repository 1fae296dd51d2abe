//! `jobzero iam`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context as _;
use jobzero_iam::document::Statement;
use jobzero_iam::proof::{self, Verdict};
use jobzero_iam::{Caller, Decision, Policy, Request, evaluate};

use crate::Outcome;
use crate::cli::{IamCommand, ListFormat};

/// Reads a policy: a policy document file, or one policy of a file that holds policies
/// (Terraform, a CloudFormation template, a `get-account-authorization-details` dump), chosen
/// with `FILE#LABEL` when it holds several. Grammar problems are warnings (a check answers
/// UNKNOWN for them).
fn load(spec: &Path) -> anyhow::Result<Policy> {
    let (path, label) = match spec.to_str().and_then(|s| s.rsplit_once('#')) {
        Some((file, label)) if !spec.exists() => (Path::new(file), Some(label)),
        _ => (spec, None),
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let display = path.display().to_string();
    let direct = jobzero_core::yaml::Yaml::parse(&text)
        .ok()
        .and_then(|y| y.first().map(|root| root.get("Statement").is_some()))
        .unwrap_or(false);
    let policy = if direct
        || (label.is_none() && !wraps_policies(&display) && !text.contains("Statement"))
    {
        Policy::parse(&text).map_err(|e| {
            anyhow::anyhow!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message)
        })?
    } else {
        pick(path, &text, label)?
    };
    for p in &policy.problems {
        crate::write::warning(&format!(
            "{}:{}:{}: {} ({})",
            path.display(),
            p.line,
            p.column,
            p.message,
            p.hint
        ));
    }
    if let Some(v) = placeholders(&policy).first() {
        crate::write::warning(&format!(
            "{}:{}: `{}` is known only at deploy time: it stays a placeholder, never guessed",
            path.display(),
            v.line,
            v.value
        ));
    }
    Ok(policy)
}

/// Whether the file's name says it holds policies inside something else.
fn wraps_policies(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".tf", ".yaml", ".yml", ".template"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// The policy `label` names among those `path` holds, or its only one.
fn pick(path: &Path, text: &str, label: Option<&str>) -> anyhow::Result<Policy> {
    let display = path.display().to_string();
    let scanner = jobzero_iam::IamScanner::default();
    // The module of a Terraform file is its directory's: an absolute path has one.
    let disk = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let found = scanner
        .policies(&display, text, Some(&disk))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let name = |f: &jobzero_iam::infra::Found| {
        if f.label.is_empty() {
            format!("line-{}", f.line)
        } else {
            f.label.clone()
        }
    };
    let names: Vec<String> = found.iter().map(name).collect();
    let chosen = match label {
        Some(l) => found.into_iter().find(|f| name(f) == l).ok_or_else(|| {
            anyhow::anyhow!(
                "{display} holds no policy `{l}`; it holds: {}",
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            )
        })?,
        None if found.len() == 1 => found
            .into_iter()
            .next()
            .ok_or_else(|| anyhow::anyhow!("{display} holds no IAM policy"))?,
        None if found.is_empty() => anyhow::bail!("{display} holds no IAM policy"),
        None => anyhow::bail!(
            "{display} holds {} policies: name one as {display}#LABEL, with LABEL one of {}",
            names.len(),
            names.join(", ")
        ),
    };
    Ok(chosen.policy)
}

/// Values of the policy known only at deploy time.
fn placeholders(p: &Policy) -> Vec<&jobzero_iam::document::At<String>> {
    use jobzero_iam::document::{Principals, is_unknown};
    let mut out: Vec<&jobzero_iam::document::At<String>> = p.opaque.iter().collect();
    for s in &p.statements {
        for list in [&s.action, &s.not_action, &s.resource, &s.not_resource] {
            out.extend(list.iter().flatten().filter(|v| is_unknown(&v.value)));
        }
        for pr in [&s.principal, &s.not_principal].into_iter().flatten() {
            if let Principals::Typed(list) = pr {
                out.extend(
                    list.iter()
                        .flat_map(|(_, ids)| ids)
                        .filter(|v| is_unknown(&v.value)),
                );
            }
        }
        out.extend(
            s.conditions
                .iter()
                .map(|c| &c.key)
                .filter(|k| is_unknown(&k.value)),
        );
    }
    out.sort_by_key(|v| (v.line, v.column));
    out
}

/// A request as the JSON witness.
fn witness_json(r: &Request) -> serde_json::Value {
    serde_json::json!({
        "principal": r.caller.id(),
        "action": r.action,
        "resource": r.resource,
        "context": r.context,
    })
}

/// A request in words.
fn witness_text(r: &Request) -> String {
    let mut s = format!(
        "  principal: {}\n  action:    {}\n  resource:  {}{}",
        r.caller.id(),
        r.action,
        r.resource,
        if r.resource == proof::ANY_RESOURCE {
            "  (stands for any resource the policy does not name)"
        } else {
            ""
        }
    );
    let shown: Vec<String> = r
        .context
        .iter()
        .filter(|(k, _)| !k.starts_with("aws:principal"))
        .map(|(k, v)| format!("{k}={}", v.join(",")))
        .collect();
    if !shown.is_empty() {
        let _ = write!(s, "\n  context:   {}", shown.join(" "));
    }
    s
}

/// Prints a verdict and maps it to the exit code: 0 pass, 1 fail, 2 unknown.
fn report(
    name: &str,
    what: &str,
    verdict: &Verdict,
    format: ListFormat,
) -> anyhow::Result<Outcome> {
    let out = match format {
        ListFormat::Json => {
            let v = match verdict {
                Verdict::Pass => {
                    serde_json::json!({"check": name, "result": "pass", "witness": null, "reason": what})
                }
                Verdict::Fail(r) => {
                    serde_json::json!({"check": name, "result": "fail", "witness": witness_json(r), "reason": what})
                }
                Verdict::Unknown(why) => {
                    serde_json::json!({"check": name, "result": "unknown", "witness": null, "reason": why})
                }
            };
            format!("{}\n", serde_json::to_string_pretty(&v)?)
        }
        ListFormat::Human => match verdict {
            Verdict::Pass => format!("PASS {name}: {what}, for every request\n"),
            Verdict::Fail(r) => format!(
                "FAIL {name}: this request breaks it (the evaluator allows it):\n{}\n",
                witness_text(r)
            ),
            Verdict::Unknown(why) => format!("UNKNOWN {name}: {why}\n"),
        },
    };
    crate::write::emit(&out, None)?;
    Ok(match verdict {
        Verdict::Pass => Outcome::Clean,
        Verdict::Fail(_) => Outcome::Findings,
        Verdict::Unknown(_) => Outcome::Error,
    })
}

pub fn run(cmd: IamCommand) -> anyhow::Result<Outcome> {
    match cmd {
        IamCommand::CheckNoPublicAccess {
            policy,
            accounts,
            orgs,
            format,
        } => {
            let p = load(&policy)?;
            if let Some(bad) = accounts
                .iter()
                .find(|a| !jobzero_core::config::is_account_id(a))
            {
                anyhow::bail!("--account `{bad}`: expected a 12-digit account id");
            }
            let verdict =
                proof::check_no_public_access_within(&p, &proof::Trust { accounts, orgs });
            report(
                "check-no-public-access",
                "no principal outside the accounts, organisations and networks the policy names is allowed",
                &verdict,
                format,
            )
        }
        IamCommand::CheckNoNewAccess {
            reference,
            policy,
            format,
        } => {
            let old = load(&reference)?;
            let new = load(&policy)?;
            let verdict = proof::check_no_new_access(&old, &new);
            report(
                "check-no-new-access",
                "the new policy allows nothing the reference does not",
                &verdict,
                format,
            )
        }
        IamCommand::CheckAccessNotGranted {
            policy,
            action,
            resource,
            format,
        } => {
            let p = load(&policy)?;
            let verdict = proof::check_access_not_granted(&p, &action, &resource);
            report(
                "check-access-not-granted",
                &format!(
                    "none of {} is allowed{}",
                    action.join(", "),
                    if resource.is_empty() {
                        String::new()
                    } else {
                        format!(" on {}", resource.join(", "))
                    }
                ),
                &verdict,
                format,
            )
        }
        IamCommand::Simulate {
            policies,
            principal,
            action,
            resource,
            context,
            format,
        } => {
            let mut loaded = Vec::new();
            for path in &policies {
                loaded.push(load(path)?);
            }
            let mut ctx: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for kv in &context {
                let Some((k, v)) = kv.split_once('=') else {
                    anyhow::bail!("--context `{kv}`: expected KEY=VALUE");
                };
                ctx.entry(k.trim().to_owned())
                    .or_default()
                    .push(v.to_owned());
            }
            let request = Request::new(Caller::parse(&principal), &action, &resource, ctx);
            let refs: Vec<&Policy> = loaded.iter().collect();
            let outcome = evaluate(&refs, &request);
            let decision = match outcome.decision {
                Decision::Allow => "allow",
                Decision::ExplicitDeny => "explicit-deny",
                Decision::ImplicitDeny => "implicit-deny",
            };
            let by = outcome.by.and_then(|(pi, si)| {
                let st: &Statement = loaded.get(pi)?.statements.get(si)?;
                Some((policies.get(pi)?.display().to_string(), st))
            });
            let out = match format {
                ListFormat::Json => {
                    let v = serde_json::json!({
                        "decision": decision,
                        "statement": by.as_ref().map(|(file, st)| serde_json::json!({
                            "file": file,
                            "line": st.line,
                            "sid": st.sid,
                        })),
                        "request": {
                            "principal": request.caller.id(),
                            "action": request.action,
                            "resource": request.resource,
                            "context": request.context,
                        },
                    });
                    format!("{}\n", serde_json::to_string_pretty(&v)?)
                }
                ListFormat::Human => {
                    let mut s = format!(
                        "{}: {} {} on {}",
                        decision.to_uppercase(),
                        request.caller.id(),
                        request.action,
                        request.resource
                    );
                    match &by {
                        Some((file, st)) => {
                            let _ = write!(
                                s,
                                "\n  by the statement at {file}:{}{}",
                                st.line,
                                st.sid
                                    .as_ref()
                                    .map(|sid| format!(" (Sid `{sid}`)"))
                                    .unwrap_or_default()
                            );
                        }
                        None => s.push_str("\n  no statement allows it"),
                    }
                    s.push('\n');
                    s
                }
            };
            crate::write::emit(&out, None)?;
            Ok(if outcome.decision == Decision::Allow {
                Outcome::Clean
            } else {
                Outcome::Findings
            })
        }
    }
}
