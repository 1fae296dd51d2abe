//! Reusable workflows in the context of their callers: a workflow that only runs on
//! `workflow_call` inherits the triggers of the workflows of the same repository that call
//! it (`uses: ./.github/workflows/x.yml`), and its `inputs.*` carry whatever the callers
//! pass in `with:`.

use std::collections::BTreeMap;
use std::path::Path;

use jobzero_core::config::PipelineConfig;

use crate::audit::Cx;
use crate::contexts::Control;
use crate::model::Workflow;
use crate::source::{Kind, Source};
use crate::taint::{self, Flow};
use crate::uses::Uses;

/// What the callers of a reusable workflow bring to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Callers {
    /// The callers' triggers, deduplicated, in order of appearance.
    pub triggers: Vec<String>,
    /// The strongest flow into each input, by input name (lowercased).
    pub inputs: BTreeMap<String, Flow>,
    /// What each caller passes to each input, as written, by input name (lowercased).
    pub values: BTreeMap<String, Vec<String>>,
    /// The callers' display names (`ci.yml`), for messages.
    pub files: Vec<String>,
}

/// The callers of the workflow at `disk_path` among the other workflows of its directory.
pub fn find(disk_path: &Path, config: &PipelineConfig) -> Option<Callers> {
    let dir = disk_path.parent()?;
    let own = disk_path.file_name()?.to_string_lossy().into_owned();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "yml" || x == "yaml")
                && p.file_name().is_some_and(|n| n.to_string_lossy() != own)
        })
        .collect();
    entries.sort();
    let mut callers = Callers::default();
    for path in entries {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if !text.contains(&own) {
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(src) = Source::parse(&name, &text, Kind::Workflow) else {
            continue;
        };
        let Some(root) = src.root() else { continue };
        let workflow = Workflow::read(root);
        let cx = Cx {
            src: &src,
            workflow: Some(workflow.clone()),
            action: None,
            config,
            advisories: None,
            callers: None,
        };
        let mut calls = false;
        for job in &workflow.jobs {
            let Some((uses, _)) = job.uses() else {
                continue;
            };
            let Some(Uses::Local(local)) = Uses::parse(uses) else {
                continue;
            };
            if !local.ends_with(&format!("/{own}")) {
                continue;
            }
            calls = true;
            let Some(with) = job.get("with") else {
                continue;
            };
            for (k, v) in with.entries() {
                let (Some(input), Some(value)) = (k.as_str(), v.as_str()) else {
                    continue;
                };
                callers
                    .values
                    .entry(input.to_ascii_lowercase())
                    .or_default()
                    .push(value.to_owned());
                let mut best = Flow {
                    control: Control::Fixed,
                    origin: String::new(),
                };
                for e in crate::source::expressions(value) {
                    let f = taint::expression(&cx, Some(job), None, e.body);
                    if f.control > best.control {
                        best = f;
                    }
                }
                let flow = Flow {
                    control: best.control,
                    origin: if best.origin.is_empty() {
                        String::new()
                    } else {
                        format!("{} (passed by {name})", best.origin)
                    },
                };
                let slot = callers
                    .inputs
                    .entry(input.to_ascii_lowercase())
                    .or_insert(flow.clone());
                if flow.control > slot.control {
                    *slot = flow;
                }
            }
        }
        if calls {
            for (t, _) in &workflow.triggers {
                if *t != "workflow_call" && !callers.triggers.iter().any(|x| x == t) {
                    callers.triggers.push((*t).to_owned());
                }
            }
            callers.files.push(name);
        }
    }
    (!callers.files.is_empty()).then_some(callers)
}
