//! Follows attacker-controlled data through the indirections of a workflow: `env:` at
//! workflow, job and step level, values written to `$GITHUB_ENV`, step outputs written to
//! `$GITHUB_OUTPUT`, job outputs read through `needs`, and matrix values.

use github_actions_expressions::Expr;

use crate::audit::Cx;
use crate::contexts::{self, Control};
pub use crate::flow::Flow;
use crate::model::{Job, Step};
use crate::shell;
use crate::source::expressions;

/// How deep indirections are followed before giving up (as `Unknown`).
const MAX_DEPTH: u32 = 8;

/// The strongest flow of the `${{ … }}` expressions of a text evaluated in `step` of `job`.
pub fn text(cx: &Cx<'_>, job: Option<&Job<'_>>, step: Option<&Step<'_>>, text: &str) -> Flow {
    text_flow(cx, job, step, text, 0)
}

/// The flow into the value of an expression body (`github.event.issue.title`,
/// `inputs.a || 'x'`) evaluated in `step` of `job`. Unparsable expressions are `Unknown`.
pub fn expression(cx: &Cx<'_>, job: Option<&Job<'_>>, step: Option<&Step<'_>>, body: &str) -> Flow {
    flow_of_expression(cx, job, step, body, 0)
}

fn flow_of_expression(
    cx: &Cx<'_>,
    job: Option<&Job<'_>>,
    step: Option<&Step<'_>>,
    body: &str,
    depth: u32,
) -> Flow {
    let Ok(parsed) = Expr::parse(body) else {
        return Flow {
            control: Control::Unknown,
            origin: body.trim().to_owned(),
        };
    };
    parsed
        .dataflow_contexts()
        .into_iter()
        .map(|(_, origin)| context(cx, job, step, origin.raw, depth))
        .fold(Flow::fixed(), Flow::stronger)
}

/// The flow of one context reference.
pub fn context(
    cx: &Cx<'_>,
    job: Option<&Job<'_>>,
    step: Option<&Step<'_>>,
    raw: &str,
    depth: u32,
) -> Flow {
    let base = contexts::control(raw);
    let direct = Flow {
        control: base,
        origin: raw.to_owned(),
    };
    // A reusable workflow's input carries what its callers pass.
    if let Some(callers) = cx.callers
        && let Some(name) = contexts::normalize(raw).strip_prefix("inputs.")
        && let Some(f) = callers.inputs.get(name)
    {
        return if f.control == Control::Fixed {
            Flow {
                control: Control::Fixed,
                origin: raw.to_owned(),
            }
        } else {
            Flow {
                control: f.control,
                origin: format!("{} (via {raw})", f.origin),
            }
        };
    }
    if base != Control::Unknown || depth >= MAX_DEPTH {
        return direct;
    }
    let normalized = contexts::normalize(raw);
    let parts: Vec<&str> = normalized.split('.').collect();
    let followed = match parts.as_slice() {
        ["env", name] => env_flow(cx, job, step, name, depth),
        ["steps", id, "outputs", name] => step_output_flow(cx, job, id, name, depth),
        ["needs", needed, "outputs", name] => needs_flow(cx, needed, name, depth),
        ["matrix", name, ..] => matrix_flow(cx, job, name, depth),
        _ => None,
    };
    match followed {
        Some(f) if f.control > Control::Unknown => Flow {
            control: f.control,
            origin: format!("{} (via {raw})", f.origin),
        },
        Some(f) if f.control == Control::Fixed => Flow {
            control: Control::Fixed,
            origin: raw.to_owned(),
        },
        _ => direct,
    }
}

fn text_flow(
    cx: &Cx<'_>,
    job: Option<&Job<'_>>,
    step: Option<&Step<'_>>,
    text: &str,
    depth: u32,
) -> Flow {
    expressions(text)
        .iter()
        .map(|e| flow_of_expression(cx, job, step, e.body, depth + 1))
        .fold(Flow::fixed(), Flow::stronger)
}

/// `env.NAME`: the nearest `env:` that defines it (step, job, workflow), or a value an
/// earlier step of the job wrote to `$GITHUB_ENV`.
fn env_flow(
    cx: &Cx<'_>,
    job: Option<&Job<'_>>,
    step: Option<&Step<'_>>,
    name: &str,
    depth: u32,
) -> Option<Flow> {
    let lookup = |node: Option<jobzero_core::yaml::Node<'_>>| {
        node.and_then(|env| {
            env.entries()
                .find(|(k, _)| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case(name)))
                .map(|(_, v)| v.as_str().unwrap_or("").to_owned())
        })
    };
    let defined = lookup(step.and_then(|s| s.get("env")))
        .or_else(|| lookup(job.and_then(|j| j.get("env"))))
        .or_else(|| lookup(cx.workflow.as_ref().and_then(|w| w.root.get("env"))));
    if let Some(value) = defined {
        return Some(text_flow(cx, job, step, &value, depth));
    }
    let steps: &[Step<'_>] = match job {
        Some(j) => &j.steps,
        None => cx.action.as_ref().map_or(&[], |a| &a.steps),
    };
    let mut best: Option<Flow> = None;
    for earlier in steps
        .iter()
        .take_while(|s| step.is_none_or(|me| s.index < me.index))
    {
        let Some((script, _)) = earlier.run() else {
            continue;
        };
        for (var, value) in shell::assignments(script, "GITHUB_ENV") {
            if var.eq_ignore_ascii_case(name) {
                let f = script_value_flow(cx, job, earlier, value, depth);
                best = Some(best.map_or(f.clone(), |b| b.stronger(f)));
            }
        }
    }
    best
}

/// The flow of a value written by a script: its `${{ }}` expressions and the step's own
/// `env:` variables it expands.
fn script_value_flow(
    cx: &Cx<'_>,
    job: Option<&Job<'_>>,
    step: &Step<'_>,
    value: &str,
    depth: u32,
) -> Flow {
    let mut best = text_flow(cx, job, Some(step), value, depth);
    let mut opaque = value.contains("$(") || value.contains('`');
    for var in shell::variables(value) {
        match env_flow(cx, job, Some(step), var, depth + 1) {
            Some(f) if f.control > best.control => {
                best = Flow {
                    control: f.control,
                    origin: format!("{} (via ${var})", f.origin),
                };
            }
            Some(_) => {}
            // A shell variable set by the script itself: its value is not known here.
            None => opaque = true,
        }
    }
    if opaque && best.control < Control::Unknown {
        best = Flow {
            control: Control::Unknown,
            origin: format!("output of `{}`", value.trim().trim_matches('"')),
        };
    }
    best
}

/// `steps.ID.outputs.NAME`: what step `ID` of the same job writes to `$GITHUB_OUTPUT`.
fn step_output_flow(
    cx: &Cx<'_>,
    job: Option<&Job<'_>>,
    id: &str,
    name: &str,
    depth: u32,
) -> Option<Flow> {
    let steps: &[Step<'_>] = match job {
        Some(j) => &j.steps,
        None => cx.action.as_ref().map_or(&[], |a| &a.steps),
    };
    let producer = steps
        .iter()
        .find(|s| s.id().is_some_and(|i| i.eq_ignore_ascii_case(id)))?;
    let (script, _) = producer.run()?;
    let mut best: Option<Flow> = None;
    for (var, value) in shell::assignments(script, "GITHUB_OUTPUT") {
        if var.eq_ignore_ascii_case(name) {
            let f = script_value_flow(cx, job, producer, value, depth + 1);
            best = Some(best.map_or(f.clone(), |b| b.stronger(f)));
        }
    }
    best
}

/// `needs.JOB.outputs.NAME`: the job's `outputs:` expression, evaluated in that job.
fn needs_flow(cx: &Cx<'_>, needed: &str, name: &str, depth: u32) -> Option<Flow> {
    let workflow = cx.workflow.as_ref()?;
    let job = workflow
        .jobs
        .iter()
        .find(|j| j.id.eq_ignore_ascii_case(needed))?;
    let value = job
        .get("outputs")?
        .entries()
        .find(|(k, _)| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case(name)))?
        .1;
    Some(text_flow(cx, Some(job), None, value.as_str()?, depth))
}

/// `matrix.NAME`: literal values are fixed; a matrix computed from an expression has that
/// expression's flow.
fn matrix_flow(cx: &Cx<'_>, job: Option<&Job<'_>>, name: &str, depth: u32) -> Option<Flow> {
    let matrix = job?.get("strategy")?.get("matrix")?;
    if let Some(text) = matrix.as_str() {
        return Some(text_flow(cx, job, None, text, depth));
    }
    let values = matrix.get(name).or_else(|| {
        matrix
            .get("include")
            .and_then(|i| i.items().find_map(|item| item.get(name)))
    })?;
    let texts = values
        .as_str()
        .into_iter()
        .chain(values.items().filter_map(|i| i.as_str()));
    Some(
        texts
            .map(|t| text_flow(cx, job, None, t, depth))
            .fold(Flow::fixed(), Flow::stronger),
    )
}
