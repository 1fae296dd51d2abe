//! What every rule gets: the parsed file, its typed view, the settings; and where its
//! findings and fixes go.

use jobzero_core::config::PipelineConfig;
use jobzero_core::finding::{FindingBuilder, Location};
use jobzero_core::rule::RuleMeta;
use jobzero_core::yaml::Node;

use crate::model::{Action, Job, Step, Workflow};
use crate::source::Source;

/// Known-vulnerable action versions, from the local advisory database (`GitHub Actions`
/// ecosystem of OSV).
pub trait ActionAdvisories: Send + Sync {
    /// The advisories affecting `owner/repo` at `version` (a tag such as `v1.2.3` or
    /// `1.2.3`): `(id, summary, fixed versions)`.
    fn affecting(&self, action: &str, version: &str) -> Vec<(String, String, Vec<String>)>;
}

/// The view of one file every rule reads.
pub struct Cx<'a> {
    /// The file.
    pub src: &'a Source,
    /// Its workflow view, for workflows.
    pub workflow: Option<Workflow<'a>>,
    /// Its action view, for actions.
    pub action: Option<Action<'a>>,
    /// `[pipeline]` of `jobzero.toml`.
    pub config: &'a PipelineConfig,
    /// Action advisories, when a database is there.
    pub advisories: Option<&'a dyn ActionAdvisories>,
    /// For a reusable workflow, what the workflows calling it bring.
    pub callers: Option<&'a crate::flow::Callers>,
}

impl<'a> Cx<'a> {
    /// Every step of the file with its job (none for a composite action's steps).
    pub fn steps(&self) -> Vec<(Option<&Job<'a>>, &Step<'a>)> {
        let mut out = Vec::new();
        if let Some(w) = &self.workflow {
            for job in &w.jobs {
                out.extend(job.steps.iter().map(|s| (Some(job), s)));
            }
        }
        if let Some(a) = &self.action {
            out.extend(a.steps.iter().map(|s| (None, s)));
        }
        out
    }

    /// A finding of `rule` at `node`, with its route.
    pub fn at(&self, rule: &'static RuleMeta, node: Node<'_>, route: &str) -> FindingBuilder {
        let (end_line, end_column) = if node.kind() == jobzero_core::yaml::Kind::Scalar {
            (node.end_line(), node.end_column())
        } else {
            (node.line(), node.column())
        };
        let location = Location::lines(&self.src.path, node.line(), end_line)
            .columns(node.column(), end_column.max(1))
            .route(route);
        jobzero_core::Finding::builder(rule).location(location)
    }

    /// Every `run:` script of the file: its job (none in an action), step, text, node and
    /// route (`jobs.a.steps[1].run`).
    pub fn run_scripts(&self) -> Vec<(Option<&Job<'a>>, &Step<'a>, &'a str, Node<'a>, String)> {
        self.steps()
            .into_iter()
            .filter_map(|(job, step)| {
                let (script, node) = step.run()?;
                Some((job, step, script, node, format!("{}.run", step.route)))
            })
            .collect()
    }

    /// The `updates:` entries of a Dependabot file (none for other files).
    pub fn dependabot_updates(&self) -> Vec<Node<'a>> {
        if self.src.kind != crate::source::Kind::Dependabot {
            return Vec::new();
        }
        self.src
            .root()
            .and_then(|r| r.get("updates"))
            .map(|u| u.items().collect())
            .unwrap_or_default()
    }

    /// Every `uses:` of the file, steps' and reusable-workflow jobs', with its node and route.
    pub fn all_uses(&self) -> Vec<(&'a str, Node<'a>, String)> {
        let mut all = Vec::new();
        for (_, step) in self.steps() {
            if let Some((text, node)) = step.uses() {
                all.push((text, node, format!("{}.uses", step.route)));
            }
        }
        if let Some(w) = &self.workflow {
            for job in &w.jobs {
                if let Some((text, node)) = job.uses() {
                    all.push((text, node, format!("{}.uses", job.route)));
                }
            }
        }
        all
    }

    /// A finding of `rule` at the next occurrence of `text` inside `node` at or after byte
    /// `from` (which moves past it), or at the whole node when the text is not found as
    /// written (a folded scalar).
    pub fn at_text(
        &self,
        rule: &'static RuleMeta,
        node: Node<'_>,
        text: &str,
        from: &mut usize,
        route: &str,
    ) -> FindingBuilder {
        match self.src.find_in(node, text, *from) {
            Some(start) => {
                *from = start + text.len();
                self.at_range(rule, start..start + text.len(), route)
            }
            None => self.at(rule, node, route),
        }
    }

    /// A finding of `rule` at a byte range of the text.
    pub fn at_range(
        &self,
        rule: &'static RuleMeta,
        range: std::ops::Range<usize>,
        route: &str,
    ) -> FindingBuilder {
        let (line, column) = self.src.position(range.start);
        let (end_line, end_column) = self.src.position(range.end);
        let location = Location::lines(&self.src.path, line, end_line)
            .columns(column, end_column)
            .route(route);
        jobzero_core::Finding::builder(rule).location(location)
    }
}

/// Evidence for a fingerprint: the route without list indices (so inserting a step does not
/// change the fingerprints of the steps after it) and what was found.
pub fn evidence(route: &str, detail: &str) -> String {
    let mut stable = String::with_capacity(route.len());
    let mut in_index = false;
    for c in route.chars() {
        match c {
            '[' => {
                in_index = true;
                stable.push_str("[]");
            }
            ']' => in_index = false,
            _ if in_index => {}
            _ => stable.push(c),
        }
    }
    format!("{stable} {detail}")
}

impl<'a> Cx<'a> {
    /// Every scalar value of the first document with its route (`jobs.a.steps[0].if`).
    pub fn scalars(&self) -> Vec<(Node<'a>, String)> {
        let mut out = Vec::new();
        if let Some(root) = self.src.yaml.first() {
            walk(root, String::new(), 0, &mut out);
        }
        out
    }
}

fn walk<'a>(node: Node<'a>, route: String, depth: usize, out: &mut Vec<(Node<'a>, String)>) {
    if depth > 64 {
        return;
    }
    match node.kind() {
        jobzero_core::yaml::Kind::Scalar => out.push((node, route)),
        jobzero_core::yaml::Kind::Sequence => {
            for (i, item) in node.items().enumerate() {
                walk(item, format!("{route}[{i}]"), depth + 1, out);
            }
        }
        jobzero_core::yaml::Kind::Mapping => {
            for (k, v) in node.entries() {
                let key = k.as_str().unwrap_or("?");
                let child = if route.is_empty() {
                    key.to_owned()
                } else {
                    format!("{route}.{key}")
                };
                walk(v, child, depth + 1, out);
            }
        }
    }
}
