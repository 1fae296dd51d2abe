//! Reusable workflows and local composite actions in the context of their callers.
//!
//! A workflow that runs on `workflow_call` inherits the triggers of the workflows of the same
//! repository that call it (`uses: ./.github/workflows/x.yml`), and a local action
//! (`uses: ./.github/actions/x`) is called from steps of those workflows; in both, `inputs.*`
//! carry whatever the callers pass in `with:`.

use std::path::{Path, PathBuf};

use jobzero_core::config::PipelineConfig;
use jobzero_core::yaml::Node;

use crate::audit::Cx;
use crate::contexts::Control;
use crate::model::{Job, Step, Workflow};
use crate::source::{Kind, Source};
use crate::taint::{self, Flow};
use crate::uses::Uses;

pub use crate::flow::Callers;

/// The callers of the workflow at `disk_path` among the other workflows of its directory.
pub fn find(disk_path: &Path, config: &PipelineConfig) -> Option<Callers> {
    let own = disk_path.file_name()?.to_string_lossy().into_owned();
    let files = workflow_files(disk_path.parent()?)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy() != own))
        .collect();
    let suffix = format!("/{own}");
    collect(files, &own, |local| local.ends_with(&suffix), config)
}

/// The callers of the local action whose `action.yml` is at `disk_path`, among the workflows
/// of the repository around it (the nearest ancestor with `.github/workflows/`).
pub fn find_for_action(disk_path: &Path, config: &PipelineConfig) -> Option<Callers> {
    let action_dir = disk_path.parent()?;
    let root = action_dir
        .ancestors()
        .take(8)
        .find(|a| a.join(".github/workflows").is_dir())?;
    let rel = jobzero_core::walk::slash_path(action_dir.strip_prefix(root).ok()?);
    if rel.is_empty() {
        return None;
    }
    let wanted = format!("./{rel}");
    let files = workflow_files(&root.join(".github/workflows"));
    collect(
        files,
        &rel,
        |local| local.trim_end_matches('/') == wanted,
        config,
    )
}

fn workflow_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Reads `files` (only those mentioning `needle`) for jobs or steps whose local `uses:`
/// satisfies `calls`.
fn collect(
    files: Vec<PathBuf>,
    needle: &str,
    calls: impl Fn(&str) -> bool,
    config: &PipelineConfig,
) -> Option<Callers> {
    let mut callers = Callers::default();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if !text.contains(needle) {
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
        let is_call = |uses: Option<(&str, Node<'_>)>| matches!(uses.and_then(|(u, _)| Uses::parse(u)), Some(Uses::Local(l)) if calls(l));
        let mut called = false;
        for job in &workflow.jobs {
            if is_call(job.uses()) {
                called = true;
                record(&cx, &mut callers, &name, job, None, job.get("with"));
            }
            for step in &job.steps {
                if is_call(step.uses()) {
                    called = true;
                    record(&cx, &mut callers, &name, job, Some(step), step.get("with"));
                }
            }
        }
        if called {
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

/// Records what one call passes in `with:`.
fn record(
    cx: &Cx<'_>,
    callers: &mut Callers,
    file: &str,
    job: &Job<'_>,
    step: Option<&Step<'_>>,
    with: Option<Node<'_>>,
) {
    let Some(with) = with else { return };
    for (k, v) in with.entries() {
        let (Some(input), Some(value)) = (k.as_str(), v.as_str()) else {
            continue;
        };
        let input = input.to_ascii_lowercase();
        callers
            .values
            .entry(input.clone())
            .or_default()
            .push(value.to_owned());
        let best = taint::text(cx, Some(job), step, value);
        let flow = Flow {
            control: best.control,
            origin: if best.control == Control::Fixed {
                String::new()
            } else {
                format!("{} (passed by {file})", best.origin)
            },
        };
        let slot = callers.inputs.entry(input).or_default();
        *slot = std::mem::take(slot).stronger(flow);
    }
}
