//! The rule registry: every family's rules, concatenated in the order the families run.

use crate::rule::{RetiredRule, RuleMeta};
use crate::scan::Scanner;

/// All rules of the families linked into the binary.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    rules: Vec<&'static RuleMeta>,
    retired: Vec<&'static RetiredRule>,
}

impl Registry {
    /// A registry of the rules of these scanners, in their order: the one place the rules
    /// of every family linked into a binary are listed.
    pub fn of(scanners: &[&dyn Scanner]) -> Registry {
        let mut retired: Vec<&'static RetiredRule> =
            scanners.iter().flat_map(|s| s.retired().iter()).collect();
        retired.sort_by_key(|r| r.id);
        Registry {
            rules: scanners.iter().flat_map(|s| s.rules()).collect(),
            retired,
        }
    }

    /// Every retired rule, by id.
    pub fn retired(&self) -> &[&'static RetiredRule] {
        &self.retired
    }

    /// The retired rule `name` designates (by id, code or bare name), if it is one.
    pub fn find_retired(&self, name: &str) -> Option<&'static RetiredRule> {
        self.retired.iter().copied().find(|r| r.is_named(name))
    }

    /// Every rule, in registration order.
    pub fn rules(&self) -> &[&'static RuleMeta] {
        &self.rules
    }

    /// The rule with this id, code or bare name (case-insensitive for codes); for a dynamic id
    /// (`sarif/semgrep/x`), the rule of that namespace that produces dynamic ids.
    pub fn find(&self, query: &str) -> Option<&'static RuleMeta> {
        let query = query.trim();
        self.rules
            .iter()
            .copied()
            .find(|r| r.id == query)
            .or_else(|| {
                self.rules
                    .iter()
                    .copied()
                    .find(|r| r.code.eq_ignore_ascii_case(query))
            })
            .or_else(|| self.rules.iter().copied().find(|r| r.name() == query))
            .or_else(|| {
                let (namespace, _) = query.split_once('/')?;
                self.rules
                    .iter()
                    .copied()
                    .find(|r| r.dynamic_ids && r.family.rule_namespace() == namespace)
            })
    }

    /// Whether `name` designates a rule, as `[rules]` and `[[ignore]]` accept it: an id, a
    /// code, a bare name, a dynamic id, or a namespace wildcard (`secret/*`).
    pub fn knows(&self, name: &str) -> bool {
        if let Some(prefix) = name.strip_suffix("/*") {
            // `secret/*`, or a prefix of dynamic ids such as `sarif/semgrep/*`.
            let namespace = prefix.split('/').next().unwrap_or(prefix);
            return self.rules.iter().any(|r| {
                r.family.rule_namespace() == namespace && (prefix == namespace || r.dynamic_ids)
            });
        }
        self.find(name).is_some() || self.find_retired(name).is_some()
    }
}
