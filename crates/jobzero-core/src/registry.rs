//! The rule registry: every family's rules, concatenated in the order the families run.

use crate::rule::RuleMeta;
use crate::scan::Scanner;

/// All rules of the families linked into the binary.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    rules: Vec<&'static RuleMeta>,
}

impl Registry {
    /// A registry of the rules of these scanners, in their order: the one place the rules
    /// of every family linked into a binary are listed.
    pub fn of(scanners: &[&dyn Scanner]) -> Registry {
        Registry {
            rules: scanners.iter().flat_map(|s| s.rules()).collect(),
        }
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
        self.find(name).is_some()
    }
}
