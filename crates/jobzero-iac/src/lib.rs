//! The infrastructure-as-code family: Terraform modules, CloudFormation templates, Kubernetes
//! manifests and Dockerfiles, checked against the security expectations.
//!
//! Every format is read (by `jobzero-infra`) into one value model ([`node::Node`],
//! [`model::Resource`]) so that a rule about a concept (a bucket's encryption) covers Terraform and CloudFormation in one
//! place, and reports the line and route of the exact argument. Terraform files are read as
//! the module they belong to: a bucket's encryption may be a separate resource in another file
//! of the directory, and variables come from `variables.tf` and `terraform.tfvars`.

pub mod audit;
pub mod redaction;
pub mod rules;

// The parsers and the value model live in `jobzero-infra`, shared with the iam family; the
// rules name them as modules of this crate.
pub use jobzero_infra::{
    Content, FileKind, Modules, aws, cloudformation, dockerfile, kube, model, node, policy, sniff,
    terraform, text,
};

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use jobzero_core::{Family, FileOutput, RuleMeta, ScanError, Scanner, SourceFile};

use crate::audit::Cx;
use crate::model::Graph;
use crate::terraform::{Module, TfFile};
use jobzero_core::check::Sink;

pub use rules::RULES;

/// Whether `text` holds Go template actions (`{{ .Values.x }}`, `{{- include ... }}`), as
/// Helm charts do; CloudFormation's `{{resolve:...}}` dynamic references do not count.
fn go_template(text: &str) -> bool {
    text.match_indices("{{").any(|(at, _)| {
        let rest = text[at + 2..].trim_start_matches(['-', ' ']);
        !rest.starts_with("resolve:") && text[at..].contains("}}")
    })
}

/// The family's scanner.
pub struct IacScanner {
    module_context: bool,
    modules: Arc<Modules>,
    helm_skipped: AtomicUsize,
}

impl Default for IacScanner {
    fn default() -> Self {
        IacScanner::new()
    }
}

impl IacScanner {
    /// A scanner that reads each Terraform file as part of its directory's module.
    pub fn new() -> IacScanner {
        IacScanner::with_modules(Arc::default())
    }

    /// A scanner that shares the modules of a scan with another family (the iam family
    /// reads the same Terraform), so each module is read once.
    pub fn with_modules(modules: Arc<Modules>) -> IacScanner {
        IacScanner {
            module_context: true,
            modules,
            helm_skipped: AtomicUsize::new(0),
        }
    }

    /// A scanner that reads each Terraform file on its own (rule fixtures, which share
    /// directories without being one module).
    pub fn single_file() -> IacScanner {
        IacScanner {
            module_context: false,
            ..IacScanner::new()
        }
    }

    /// The module of the directory `dir`, read once per scan.
    fn module(&self, dir: &Path, display_dir: &str) -> Arc<Module> {
        self.modules.get(dir, display_dir)
    }

    /// Audits one file's text; `graph` is its module, template or manifest.
    pub fn audit(&self, path: &str, text: &str) -> (Vec<jobzero_core::Finding>, Vec<ScanError>) {
        let mut out = FileOutput::default();
        self.scan_text(path, text, None, &mut out);
        (out.findings, out.errors)
    }

    fn scan_text(&self, path: &str, text: &str, disk: Option<&Path>, out: &mut FileOutput) {
        let mut rules_out = Sink::new(path);
        match FileKind::of(path) {
            Some(FileKind::Terraform) => {
                let module = match (self.module_context, disk.and_then(Path::parent)) {
                    (true, Some(dir)) => {
                        let display_dir = path.rsplit_once('/').map_or("", |(d, _)| d);
                        self.module(dir, display_dir)
                    }
                    _ => Arc::new(terraform::load(
                        &[TfFile {
                            path: path.to_owned(),
                            text: text.to_owned(),
                        }],
                        &[],
                        &[],
                    )),
                };
                // Errors of `.tfvars` files are told by the module's first `.tf` file.
                let first_tf = module.graph.resources.iter().map(|r| r.path.as_str()).min();
                for e in &module.errors {
                    if e.path == path || (!e.path.ends_with(".tf") && first_tf == Some(path)) {
                        out.errors.push(e.clone());
                    }
                }
                let cx = Cx {
                    path,
                    graph: &module.graph,
                    docker: None,
                    via: None,
                };
                rules::check_all(&cx, &mut rules_out);
                if self.module_context
                    && let Some(dir) = disk.and_then(Path::parent)
                {
                    let display_dir = path.rsplit_once('/').map_or("", |(d, _)| d);
                    for call in cx.of(&["module"]) {
                        self.follow_call(call, dir, display_dir, &mut rules_out);
                    }
                }
            }
            Some(FileKind::Structured) => {
                let Some(content) = sniff(text) else { return };
                let in_templates = format!("/{path}").contains("/templates/");
                if go_template(text)
                    && (in_templates || cloudformation::parse_yaml(path, text).is_err())
                {
                    self.helm_skipped.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                let yaml = match cloudformation::parse_yaml(path, text) {
                    Ok(y) => y,
                    Err(e) => {
                        out.errors.push(e);
                        return;
                    }
                };
                let resources = match content {
                    Content::CloudFormation => yaml
                        .first()
                        .map(|root| cloudformation::template(path, root))
                        .unwrap_or_default(),
                    Content::Kubernetes => cloudformation::manifest(path, &yaml),
                };
                let graph = Graph { resources };
                let cx = Cx {
                    path,
                    graph: &graph,
                    docker: None,
                    via: None,
                };
                rules::check_all(&cx, &mut rules_out);
            }
            Some(FileKind::Dockerfile) => {
                let (docker, errors) = dockerfile::parse(path, text);
                out.errors.extend(errors);
                let graph = Graph::default();
                let cx = Cx {
                    path,
                    graph: &graph,
                    docker: Some(&docker),
                    via: None,
                };
                rules::check_all(&cx, &mut rules_out);
            }
            None => {}
        }
        redaction::redact_snippets(&mut rules_out.findings, path, text);
        out.extend(rules_out);
    }
}

/// Arguments of a `module` block that are not inputs of the called module.
const MODULE_META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

impl IacScanner {
    /// Evaluates the local module that `call` (a `module` block) calls with the arguments it
    /// passes, and adds what that reveals beyond the module's findings on its own defaults:
    /// a bucket that is private by default but made public by this caller.
    fn follow_call(&self, call: &model::Resource, dir: &Path, display_dir: &str, out: &mut Sink) {
        let Some(source) = call.str_at("source") else {
            return;
        };
        if !(source.starts_with("./") || source.starts_with("../")) {
            return;
        }
        let Some(child_display) = join_display(display_dir, source) else {
            return;
        };
        let child_dir = dir.join(source);
        if !child_dir.is_dir() {
            return;
        }
        let inputs: Vec<(String, node::Node)> = call
            .body
            .entries()
            .iter()
            .filter(|(k, _)| !MODULE_META.contains(&k.as_str()))
            .cloned()
            .collect();
        let called = terraform::load_dir(&child_dir, &child_display, &inputs);
        let alone = self.module(&child_dir, &child_display);
        let via = format!("`{}` of {}", call.addr, call.path);
        let findings_of = |graph: &Graph, via: Option<&str>| {
            let files: std::collections::BTreeSet<&str> =
                graph.resources.iter().map(|r| r.path.as_str()).collect();
            let mut o = Sink::new(&call.path);
            for file in files {
                let cx = Cx {
                    path: file,
                    graph,
                    docker: None,
                    via,
                };
                rules::check_all(&cx, &mut o);
            }
            o
        };
        let key = |f: &jobzero_core::Finding| {
            (
                f.rule.clone(),
                f.location.path.clone(),
                f.location.start_line,
                f.location.start_column,
            )
        };
        let own: std::collections::HashSet<_> = findings_of(&alone.graph, None)
            .findings
            .iter()
            .map(key)
            .collect();
        let called = findings_of(&called.graph, Some(&via));
        out.errors.extend(called.errors);
        for mut f in called.findings {
            if own.contains(&key(&f)) {
                continue;
            }
            f.message = format!("{} (with the arguments of {via})", f.message);
            out.add(f);
        }
    }
}

/// `dir/rel` as a display path, `..` resolved; `None` when it leaves the scanned tree.
fn join_display(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

impl Scanner for IacScanner {
    fn family(&self) -> Family {
        Family::Iac
    }

    fn rules(&self) -> Vec<&'static RuleMeta> {
        RULES.clone()
    }

    fn wants(&self, path: &str) -> bool {
        FileKind::of(path).is_some()
    }

    fn scan_file(&self, file: &SourceFile<'_>, out: &mut FileOutput) {
        let text = file.text();
        self.scan_text(file.path, &text, file.disk_path, out);
    }

    fn warnings(&self) -> Vec<String> {
        match self.helm_skipped.load(Ordering::Relaxed) {
            0 => Vec::new(),
            n => vec![format!(
                "iac: skipped {n} Helm template file(s); render them with `helm template` and scan the output"
            )],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helm_templates_are_skipped_but_templates_in_a_repository_name_are_not() {
        let chart = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n";
        let s = IacScanner::single_file();
        let (_, errors) = s.audit("chart/templates/svc.yaml", chart);
        assert!(errors.is_empty());
        assert_eq!(s.helm_skipped.load(Ordering::Relaxed), 1);
        let cfn = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: 0.0.0.0/0\n      Tags:\n        - Key: pw\n          Value: '{{resolve:ssm:/x}}'\n";
        let (found, _) = s.audit("aws-cloudformation-templates/sg.yaml", cfn);
        assert!(
            found
                .iter()
                .any(|f| f.rule == "iac/security-group-open-admin-port")
        );
        let (found, _) = s.audit("cloudformation/templates/sg.yaml", cfn);
        assert!(!found.is_empty(), "dynamic references are not Go templates");
        assert_eq!(s.helm_skipped.load(Ordering::Relaxed), 1);
    }
}
