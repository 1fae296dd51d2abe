//! `jobzero iam`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::Context as _;
use jobzero_iam::document::Statement;
use jobzero_iam::{Caller, Decision, Policy, Request, evaluate};

use crate::Outcome;
use crate::cli::{IamCommand, ListFormat};

pub fn run(cmd: IamCommand) -> anyhow::Result<Outcome> {
    match cmd {
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
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                let policy = Policy::parse(&text).map_err(|e| {
                    anyhow::anyhow!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message)
                })?;
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
                loaded.push(policy);
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
