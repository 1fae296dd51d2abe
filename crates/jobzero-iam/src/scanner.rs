//! The IAM family in `jobzero scan`: every policy document found in JSON files — a policy on
//! its own, or policies inside other documents (`get-account-authorization-details` dumps,
//! `{"PolicyVersion": {"Document": ...}}`, CloudFormation-like wrappers) — recognised by
//! shape, then checked by the family's rules.

use jobzero_core::check::Sink;
use jobzero_core::config::IamConfig;
use jobzero_core::yaml::{Kind, Node, Yaml};
use jobzero_core::{Family, FileOutput, Finding, RuleMeta, ScanError, Scanner, SourceFile};

use std::path::Path;
use std::sync::Arc;

use jobzero_infra::model::Graph;
use jobzero_infra::terraform::TfFile;
use jobzero_infra::{Content, Modules};

use crate::audit::{Cx, Mfa, PolicyKind, control_policy_hint, is_stack_policy, kind_of};
use crate::document::Policy;
use crate::proof::Trust;
use crate::{infra, rules};

/// The policy of `aws organizations describe-policy` output (`{"Policy": {"PolicySummary":
/// {"Type": ...}, "Content": "<JSON>"}}`), with its kind from the type: SCPs and RCPs only
/// (tag and backup policies are no IAM documents). Lines count from the `Content` string's.
fn organization_policy(root: Node<'_>) -> Option<(Policy, PolicyKind, u32)> {
    let wrapper = root.get("Policy").unwrap_or(root);
    let kind = match wrapper.get("PolicySummary")?.get("Type")?.as_str()? {
        "SERVICE_CONTROL_POLICY" => PolicyKind::ServiceControl,
        "RESOURCE_CONTROL_POLICY" => PolicyKind::ResourceControl,
        _ => return None,
    };
    let content = wrapper.get("Content")?;
    let line = content.line();
    let padded = format!(
        "{}{}",
        "\n".repeat(line.saturating_sub(1) as usize),
        content.as_str()?
    );
    Some((Policy::parse(&padded).ok()?, kind, line))
}

/// Every node of `root` that is a policy document: a mapping with a `Statement` whose items
/// carry an `Effect`.
fn policy_nodes<'y>(root: Node<'y>, out: &mut Vec<Node<'y>>, depth: usize) {
    if depth > 64 {
        return;
    }
    match root.kind() {
        Kind::Mapping => {
            // A stack policy, whatever it says.
            if root.get("StackPolicy").is_some() || root.get("StackPolicyBody").is_some() {
                for (k, v) in root.entries() {
                    if !matches!(k.as_str(), Some("StackPolicy" | "StackPolicyBody")) {
                        policy_nodes(v, out, depth + 1);
                    }
                }
                return;
            }
            if let Some(st) = root.get("Statement") {
                let effect = |n: Node<'_>| n.kind() == Kind::Mapping && n.get("Effect").is_some();
                let is_policy = match st.kind() {
                    Kind::Sequence => st.items().any(effect),
                    Kind::Mapping => effect(st),
                    Kind::Scalar => false,
                };
                if is_policy {
                    out.push(root);
                    return;
                }
            }
            for (_, v) in root.entries() {
                policy_nodes(v, out, depth + 1);
            }
        }
        Kind::Sequence => {
            for i in root.items() {
                policy_nodes(i, out, depth + 1);
            }
        }
        Kind::Scalar => {}
    }
}

/// The family's scanner.
#[derive(Debug, Default)]
pub struct IamScanner {
    modules: Arc<Modules>,
    mfa: Mfa,
    trust: Trust,
}

impl IamScanner {
    /// A scanner with the organisation's settings (`[iam]` in `jobzero.toml`).
    pub fn new(config: &IamConfig) -> IamScanner {
        IamScanner::with_modules(config, Arc::default())
    }

    /// A scanner that shares the Terraform modules of a scan with the iac family.
    pub fn with_modules(config: &IamConfig, modules: Arc<Modules>) -> IamScanner {
        IamScanner {
            modules,
            mfa: Mfa::from_config(&config.require_mfa),
            trust: Trust {
                accounts: config.accounts.clone(),
                orgs: config.organizations.clone(),
            },
        }
    }

    /// Audits a file's text.
    pub fn audit(&self, path: &str, text: &str) -> (Vec<Finding>, Vec<ScanError>) {
        let mut out = FileOutput::default();
        self.scan_text(path, text, None, &mut out);
        (out.findings, out.errors)
    }

    fn scan_text(&self, path: &str, text: &str, disk: Option<&Path>, out: &mut FileOutput) {
        match self.policies(path, text, disk) {
            Ok(found) => self.check_found(path, found, out),
            Err(e) => out.errors.push(e),
        }
    }

    /// Every policy the file at `path` (with `text`, on disk at `disk` when it is) holds, in
    /// the order written: policy JSON found by shape, `aws organizations describe-policy`
    /// output, and the policies of Terraform files and CloudFormation templates. A file that
    /// does not parse is an error (the same error the iac family reports for it: a scan
    /// running both shows it once).
    pub fn policies(
        &self,
        path: &str,
        text: &str,
        disk: Option<&Path>,
    ) -> Result<Vec<infra::Found>, ScanError> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".tf") {
            return self.terraform_policies(path, text, disk);
        }
        if jobzero_infra::sniff(text) == Some(Content::CloudFormation) {
            return template_policies(path, text);
        }
        if !(lower.ends_with(".json") || lower.ends_with(".policy")) {
            return Ok(Vec::new());
        }
        let organizations = text.contains("\"PolicySummary\"");
        let policies = text.contains("\"Statement\"") && text.contains("\"Effect\"");
        if !(organizations || policies) {
            return Ok(Vec::new());
        }
        let yaml = Yaml::parse(text).map_err(|e| {
            ScanError::new(
                path,
                Some(e.line),
                format!("invalid JSON at column {}: {}", e.column, e.message),
            )
        })?;
        let mut found = Vec::new();
        if organizations {
            for doc in yaml.documents() {
                if let Some((policy, kind, line)) = organization_policy(doc) {
                    found.push(infra::Found {
                        policy,
                        kind,
                        line,
                        label: String::new(),
                    });
                }
            }
        }
        let mut nodes = Vec::new();
        for doc in yaml.documents() {
            policy_nodes(doc, &mut nodes, 0);
        }
        for node in nodes {
            let policy = Policy::from_node(node);
            if is_stack_policy(&policy) {
                continue;
            }
            found.push(infra::Found {
                kind: control_policy_hint(path).unwrap_or_else(|| kind_of(&policy)),
                policy,
                line: node.line(),
                label: String::new(),
            });
        }
        Ok(found)
    }

    /// Policies of a Terraform file, read as part of its directory's module (a bucket
    /// policy's document may be a data source in another file, its values variables).
    fn terraform_policies(
        &self,
        path: &str,
        text: &str,
        disk: Option<&Path>,
    ) -> Result<Vec<infra::Found>, ScanError> {
        if !text.contains("policy") && !text.contains("Polic") && !text.contains("access_polic") {
            return Ok(Vec::new());
        }
        let module = match disk.and_then(Path::parent) {
            Some(dir) => {
                let display_dir = path.rsplit_once('/').map_or("", |(d, _)| d);
                self.modules.get(dir, display_dir)
            }
            None => Arc::new(jobzero_infra::terraform::load(
                &[TfFile {
                    path: path.to_owned(),
                    text: text.to_owned(),
                }],
                &[],
                &[],
            )),
        };
        if let Some(e) = module.errors.iter().find(|e| e.path == path) {
            return Err(e.clone());
        }
        Ok(infra::policies(&module.graph, path, text))
    }

    fn check_found(&self, path: &str, found: Vec<infra::Found>, out: &mut FileOutput) {
        let mut rules_out = Sink::new(path);
        for f in &found {
            let cx = Cx {
                path,
                kind: f.kind,
                policy: &f.policy,
                line: f.line,
                label: &f.label,
                mfa: &self.mfa,
                trust: &self.trust,
            };
            rules::check_all(&cx, &mut rules_out);
        }
        out.extend(rules_out);
    }
}

/// Policies of a CloudFormation template, with intrinsics resolved.
fn template_policies(path: &str, text: &str) -> Result<Vec<infra::Found>, ScanError> {
    if !text.contains("Polic") {
        return Ok(Vec::new());
    }
    let yaml = jobzero_infra::cloudformation::parse_yaml(path, text)?;
    let resources = yaml
        .first()
        .map(|root| jobzero_infra::cloudformation::template(path, root))
        .unwrap_or_default();
    Ok(infra::policies(&Graph { resources }, path, text))
}

impl Scanner for IamScanner {
    fn family(&self) -> Family {
        Family::Iam
    }

    fn rules(&self) -> Vec<&'static RuleMeta> {
        jobzero_core::check::metas(rules::RULES).collect()
    }

    fn retired(&self) -> &'static [jobzero_core::rule::RetiredRule] {
        rules::RETIRED
    }

    fn wants(&self, path: &str) -> bool {
        let lower = path.to_ascii_lowercase();
        [".json", ".policy", ".tf", ".yaml", ".yml", ".template"]
            .iter()
            .any(|e| lower.ends_with(e))
    }

    fn scan_file(&self, file: &SourceFile<'_>, out: &mut FileOutput) {
        let text = file.text();
        self.scan_text(file.path, &text, file.disk_path, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_policies_are_told_by_their_path() {
        let hint = control_policy_hint;
        assert_eq!(
            hint("org/resource-control-policies/deny.json"),
            Some(PolicyKind::ResourceControl)
        );
        assert_eq!(
            hint("policies/rcp-perimeter.json"),
            Some(PolicyKind::ResourceControl)
        );
        assert_eq!(
            hint("scps/deny-leaving.json"),
            Some(PolicyKind::ServiceControl)
        );
        assert_eq!(
            hint("org/service_control_policy.json"),
            Some(PolicyKind::ServiceControl)
        );
        assert_eq!(hint("policies/bucket.json"), None);
        assert_eq!(hint("scripts/scope.json"), None);
    }
}
