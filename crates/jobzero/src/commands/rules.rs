//! `jobzero rules list|explain`.

use std::fmt::Write as _;

use jobzero_core::{docs, expectation};

use crate::Outcome;
use crate::cli::{ListFormat, RulesCommand};
use jobzero::families;

pub fn run(cmd: RulesCommand) -> anyhow::Result<Outcome> {
    let registry = families::registry();
    match cmd {
        RulesCommand::List { format, family } => {
            let rules: Vec<_> = registry
                .rules()
                .iter()
                .filter(|r| family.is_none_or(|f| r.family == f))
                .collect();
            let retired: Vec<_> = registry
                .retired()
                .iter()
                .filter(|r| family.is_none_or(|f| r.family() == Some(f)))
                .collect();
            let text = match format {
                ListFormat::Json => {
                    let mut list: Vec<serde_json::Value> = rules
                        .iter()
                        .map(|r| {
                            serde_json::json!({
                                "id": r.id,
                                "code": r.code,
                                "title": r.title,
                                "family": r.family,
                                "severity": r.severity,
                                "confidence": r.confidence,
                                "expectation": r.expectation.id,
                                "references": r.references(),
                                "status": "active",
                            })
                        })
                        .collect();
                    list.extend(retired.iter().map(|r| {
                        serde_json::json!({
                            "id": r.id,
                            "code": r.code,
                            "family": r.family(),
                            "status": "removed",
                            "replaced_by": r.replaced_by,
                            "since": r.since,
                        })
                    }));
                    serde_json::to_string_pretty(&list)? + "\n"
                }
                ListFormat::Human => {
                    let mut out = String::new();
                    let _ = writeln!(
                        out,
                        "{:<9} {:<32} {:<9} {:<21} title",
                        "code", "id", "severity", "expectation"
                    );
                    for r in &rules {
                        let _ = writeln!(
                            out,
                            "{:<9} {:<32} {:<9} {:<21} {}",
                            r.code,
                            r.id,
                            r.severity.as_str(),
                            r.expectation.id,
                            r.title
                        );
                    }
                    let _ = writeln!(out, "\n{} rules", rules.len());
                    if !retired.is_empty() {
                        let _ = writeln!(out, "\nretired ids, still accepted as aliases:");
                        for r in &retired {
                            let _ = writeln!(
                                out,
                                "{:<9} {:<42} → {} (since {})",
                                r.code, r.id, r.replaced_by, r.since
                            );
                        }
                    }
                    out
                }
            };
            crate::write::emit(&text, None)?;
            Ok(Outcome::Clean)
        }
        RulesCommand::Explain { id } => {
            if let Some(e) = expectation::find(&id) {
                crate::write::emit(&docs::expectation_page(e, &registry), None)?;
                return Ok(Outcome::Clean);
            }
            match registry.find(&id) {
                Some(rule) => {
                    let mut page = String::new();
                    if rule.id != id && rule.code != id && rule.dynamic_ids && id.contains('/') {
                        let _ = writeln!(
                            page,
                            "`{id}` is a finding id of rule {} ({}):\n",
                            rule.id, rule.code
                        );
                    }
                    page.push_str(&rule.render_page());
                    crate::write::emit(&page, None)?;
                    Ok(Outcome::Clean)
                }
                None if registry.find_retired(&id).is_some() => {
                    let retired = registry.find_retired(&id);
                    let replacement = retired.and_then(|r| registry.find(r.replaced_by));
                    let mut page = String::new();
                    if let Some(r) = retired {
                        let _ = writeln!(page, "{}\n", r.note());
                    }
                    if let Some(rule) = replacement {
                        page.push_str(&rule.render_page());
                    }
                    crate::write::emit(&page, None)?;
                    Ok(Outcome::Clean)
                }
                None => {
                    crate::write::error(&format!(
                        "no rule or expectation `{id}` (see `jobzero rules list`)"
                    ));
                    Ok(Outcome::Error)
                }
            }
        }
    }
}
