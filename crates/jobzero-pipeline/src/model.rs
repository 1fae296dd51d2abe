//! Typed views over a pipeline file's YAML: workflows, jobs, steps and actions. Views keep
//! the YAML nodes, so every finding can point at the exact key or value.

use jobzero_core::yaml::{Kind as YamlKind, Node};

use crate::uses::Uses;

/// A step of a job or of a composite action.
#[derive(Debug, Clone)]
pub struct Step<'y> {
    /// The step's mapping.
    pub node: Node<'y>,
    /// `jobs.build.steps[2]` or `runs.steps[0]`.
    pub route: String,
    /// Its index in the steps.
    pub index: usize,
}

impl<'y> Step<'y> {
    /// A key of the step.
    pub fn get(&self, key: &str) -> Option<Node<'y>> {
        self.node.get(key)
    }

    /// The key node of `key`, for findings about the key itself.
    pub fn key(&self, key: &str) -> Option<Node<'y>> {
        key_node(self.node, key)
    }

    /// `uses:` text and node.
    pub fn uses(&self) -> Option<(&'y str, Node<'y>)> {
        let n = self.get("uses")?;
        Some((n.as_text()?, n))
    }

    /// `uses:` parsed.
    pub fn parsed_uses(&self) -> Option<Uses<'y>> {
        self.uses().and_then(|(u, _)| Uses::parse(u))
    }

    /// Whether it uses `owner/repo` (any path under it, any ref), case-insensitively.
    pub fn uses_action(&self, slug: &str) -> bool {
        match self.parsed_uses() {
            Some(Uses::Repository(r)) => {
                let name = r.name().to_ascii_lowercase();
                name == slug || name.starts_with(&format!("{slug}/"))
            }
            _ => false,
        }
    }

    /// `run:` text and node.
    pub fn run(&self) -> Option<(&'y str, Node<'y>)> {
        let n = self.get("run")?;
        Some((n.as_text()?, n))
    }

    /// An input under `with:`.
    pub fn with(&self, input: &str) -> Option<Node<'y>> {
        self.get("with")?.get(input)
    }

    /// `id:`.
    pub fn id(&self) -> Option<&'y str> {
        self.get("id")?.as_text()
    }

    /// `name:`, else `id:`, else its position: how messages name the step.
    pub fn label(&self) -> String {
        self.get("name")
            .and_then(|n| n.as_text())
            .or_else(|| self.id())
            .map_or_else(|| format!("step {}", self.index + 1), |s| format!("`{s}`"))
    }
}

/// A job of a workflow.
#[derive(Debug, Clone)]
pub struct Job<'y> {
    /// The job id.
    pub id: &'y str,
    /// The key node (`build:`).
    pub key: Node<'y>,
    /// The job's mapping.
    pub node: Node<'y>,
    /// `jobs.build`.
    pub route: String,
    /// The steps, empty for a job that calls a reusable workflow.
    pub steps: Vec<Step<'y>>,
}

impl<'y> Job<'y> {
    /// A key of the job.
    pub fn get(&self, key: &str) -> Option<Node<'y>> {
        self.node.get(key)
    }

    /// The key node of `key`.
    pub fn key_of(&self, key: &str) -> Option<Node<'y>> {
        key_node(self.node, key)
    }

    /// `uses:` of a job that calls a reusable workflow.
    pub fn uses(&self) -> Option<(&'y str, Node<'y>)> {
        let n = self.get("uses")?;
        Some((n.as_text()?, n))
    }
}

/// A workflow file.
#[derive(Debug, Clone)]
pub struct Workflow<'y> {
    /// The document's mapping.
    pub root: Node<'y>,
    /// The `on:` key node, when present.
    pub on_key: Option<Node<'y>>,
    /// Every trigger (`push`, `pull_request_target`, …) with the node naming it.
    pub triggers: Vec<(&'y str, Node<'y>)>,
    /// The jobs, in order.
    pub jobs: Vec<Job<'y>>,
}

impl<'y> Workflow<'y> {
    /// Reads a workflow document.
    pub fn read(root: Node<'y>) -> Workflow<'y> {
        let on_key = key_node(root, "on").or_else(|| key_node(root, "true"));
        let on = root.get("on").or_else(|| root.get("true"));
        let mut triggers = Vec::new();
        if let Some(on) = on {
            match on.kind() {
                YamlKind::Scalar => {
                    if let Some(t) = on.as_text() {
                        triggers.push((t, on));
                    }
                }
                YamlKind::Sequence => {
                    triggers.extend(on.items().filter_map(|i| Some((i.as_text()?, i))));
                }
                YamlKind::Mapping => {
                    triggers.extend(on.entries().filter_map(|(k, _)| Some((k.as_text()?, k))));
                }
            }
        }
        let jobs = root
            .get("jobs")
            .map(|jobs| {
                jobs.entries()
                    .filter_map(|(k, v)| {
                        let id = k.as_text()?;
                        let route = format!("jobs.{id}");
                        let steps = steps(v.get("steps"), &route);
                        Some(Job {
                            id,
                            key: k,
                            node: v,
                            route,
                            steps,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Workflow {
            root,
            on_key,
            triggers,
            jobs,
        }
    }

    /// Adds the triggers of the workflows that call this reusable workflow, pointing at its
    /// own `workflow_call` trigger: whatever starts a caller starts it.
    pub fn inherit_triggers(&mut self, triggers: &'y [String]) {
        let Some(&(_, node)) = self.triggers.iter().find(|(t, _)| *t == "workflow_call") else {
            return;
        };
        for t in triggers {
            if !self.has_trigger(t) {
                self.triggers.push((t.as_str(), node));
            }
        }
    }

    /// Whether `on:` has this trigger.
    pub fn has_trigger(&self, name: &str) -> bool {
        self.triggers.iter().any(|(t, _)| *t == name)
    }

    /// The configuration of a trigger (`on: push: branches: …`), when a mapping gives one.
    pub fn trigger_config(&self, name: &str) -> Option<Node<'y>> {
        self.root
            .get("on")
            .or_else(|| self.root.get("true"))?
            .get(name)
    }

    /// Whether anyone outside the repository can start it with their own content: a fork's
    /// pull request or comment, an issue.
    pub fn outsiders_can_trigger(&self) -> bool {
        self.triggers.iter().any(|(t, _)| {
            matches!(
                *t,
                "pull_request"
                    | "pull_request_target"
                    | "issue_comment"
                    | "issues"
                    | "pull_request_review"
                    | "pull_request_review_comment"
                    | "discussion"
                    | "discussion_comment"
                    | "workflow_run"
                    | "fork"
                    | "watch"
            )
        })
    }

    /// Whether the only way in is `workflow_call` (a reusable workflow): its callers decide.
    pub fn is_reusable_only(&self) -> bool {
        !self.triggers.is_empty() && self.triggers.iter().all(|(t, _)| *t == "workflow_call")
    }
}

/// An action definition (`action.yml`).
#[derive(Debug, Clone)]
pub struct Action<'y> {
    /// The document's mapping.
    pub root: Node<'y>,
    /// `runs.using`.
    pub using: Option<&'y str>,
    /// A composite action's steps.
    pub steps: Vec<Step<'y>>,
}

impl<'y> Action<'y> {
    /// Reads an action document.
    pub fn read(root: Node<'y>) -> Action<'y> {
        let runs = root.get("runs");
        let using = runs.and_then(|r| r.get("using")).and_then(|u| u.as_text());
        let steps = steps(runs.and_then(|r| r.get("steps")), "runs");
        Action { root, using, steps }
    }
}

fn steps<'y>(node: Option<Node<'y>>, parent: &str) -> Vec<Step<'y>> {
    node.map(|s| {
        s.items()
            .enumerate()
            .filter(|(_, n)| n.kind() == YamlKind::Mapping)
            .map(|(index, node)| Step {
                node,
                route: format!("{parent}.steps[{index}]"),
                index,
            })
            .collect()
    })
    .unwrap_or_default()
}

/// The key node of `key` in a mapping.
pub fn key_node<'y>(mapping: Node<'y>, key: &str) -> Option<Node<'y>> {
    mapping
        .entries()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(k, _)| k)
}
