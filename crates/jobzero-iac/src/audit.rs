//! What a rule sees ([`Cx`]); rules report into core's [`Sink`](jobzero_core::check::Sink).

use jobzero_core::finding::{FindingBuilder, Location};
use jobzero_core::{Confidence, RuleMeta};

use crate::dockerfile::{Dockerfile, Instruction};
use crate::model::{Graph, Platform, Resource};
use crate::node::{Node, Val};

/// One file under audit.
pub struct Cx<'a> {
    /// The file, as findings name it.
    pub path: &'a str,
    /// Every resource of the file's module, template or manifest.
    pub graph: &'a Graph,
    /// The file, when it is a Dockerfile.
    pub docker: Option<&'a Dockerfile>,
    /// The module call this module is evaluated for (`module.logs of main.tf`), when it is
    /// evaluated with a caller's arguments rather than its own defaults.
    pub via: Option<&'a str>,
}

impl<'a> Cx<'a> {
    /// The resources declared in this file, of one of `types` (all with an empty list).
    pub fn of(&self, types: &[&str]) -> Vec<&'a Resource> {
        self.graph
            .resources
            .iter()
            .filter(|r| r.path == self.path && (types.is_empty() || r.is(types)))
            .collect()
    }

    /// The resources of this file declared on `platform`.
    pub fn on(&self, platform: Platform) -> Vec<&'a Resource> {
        self.graph
            .resources
            .iter()
            .filter(|r| r.path == self.path && r.platform == platform)
            .collect()
    }

    /// What the evidence of a finding in a called module adds, so that it is told apart from
    /// the module's own.
    fn via_suffix(&self) -> String {
        self.via.map(|v| format!(" via {v}")).unwrap_or_default()
    }

    /// A finding of `rule` about the value `node` of `r`.
    pub fn at(&self, rule: &'static RuleMeta, r: &Resource, node: &Node) -> FindingBuilder {
        let p = node.pos;
        let scalar = !matches!(node.val, Val::Map(_) | Val::List(_));
        let (end_line, end_column) = if scalar && p.end_line >= p.line {
            (p.end_line, p.end_column)
        } else {
            (p.line, p.column + 1)
        };
        let route = if node.route.is_empty() {
            r.addr.clone()
        } else {
            node.route.clone()
        };
        let location = Location::lines(&r.path, p.line.max(1), end_line.max(p.line).max(1))
            .columns(p.column.max(1), end_column.max(1))
            .route(route.clone());
        let b = jobzero_core::Finding::builder(rule)
            .location(location)
            .evidence(format!("{} {}{}", r.addr, route, self.via_suffix()));
        conditional(b, rule, r)
    }

    /// A finding of `rule` about `r` lacking what `missing` names (a route under it).
    pub fn missing(&self, rule: &'static RuleMeta, r: &Resource, missing: &str) -> FindingBuilder {
        let route = r.route_of(missing);
        let location = Location::lines(&r.path, r.pos.line.max(1), r.pos.line.max(1))
            .columns(r.pos.column.max(1), r.pos.end_column.max(1))
            .route(route.clone());
        let b = jobzero_core::Finding::builder(rule)
            .location(location)
            .evidence(format!("{} {} missing{}", r.addr, route, self.via_suffix()));
        conditional(b, rule, r)
    }

    /// A finding of `rule` about a Dockerfile instruction.
    pub fn instruction(&self, rule: &'static RuleMeta, i: &Instruction) -> FindingBuilder {
        let location = Location::lines(self.path, i.line, i.end_line)
            .route(format!("{}@{}", i.keyword, i.line));
        jobzero_core::Finding::builder(rule)
            .location(location)
            .evidence(format!(
                "{} {} {}",
                i.keyword,
                i.stage.map_or(0, |s| s + 1),
                i.args
            ))
    }
}

/// A resource that may not exist (`count`/`for_each` not known before a plan, a template
/// `Condition`) makes its findings less certain.
fn conditional(b: FindingBuilder, rule: &RuleMeta, r: &Resource) -> FindingBuilder {
    if r.conditional {
        b.confidence(rule.confidence.min(Confidence::Medium))
    } else {
        b
    }
}
