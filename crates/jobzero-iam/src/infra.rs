//! Policies written inside infrastructure code: Terraform (`aws_iam_policy_document` data
//! sources, `jsonencode(...)`, heredoc and string JSON, the policy arguments of buckets,
//! queues, topics, keys, secrets, repositories, domains) and CloudFormation
//! (`PolicyDocument`, `KeyPolicy`, `AssumeRolePolicyDocument` and their kin), read through
//! the IaC family's evaluated value model so that variables, locals and intrinsics are
//! resolved, and every statement keeps the line it is written on.
//!
//! What only a deployment knows (`aws_s3_bucket.logs.arn`, `!GetAtt Role.Arn`,
//! `${var.account}`) stays in the policy as a placeholder ([`crate::document::unknown`]):
//! validation skips it and the proofs never assume anything about it.

use jobzero_core::yaml::Yaml;
use jobzero_infra::model::{Graph, Resource};
use jobzero_infra::node::{Node, Pos, Val};

use crate::audit::PolicyKind;
use crate::document::{At, Policy, Tree, unknown};

/// Where policies live: resource type, argument (or property), and for a list of inline
/// policies, the argument of each item that holds the document.
struct Site {
    rtype: &'static str,
    attr: &'static str,
    inner: Option<&'static str>,
    kind: PolicyKind,
}

const fn site(rtype: &'static str, attr: &'static str, kind: PolicyKind) -> Site {
    Site {
        rtype,
        attr,
        inner: None,
        kind,
    }
}

const fn inline(rtype: &'static str, attr: &'static str, inner: &'static str) -> Site {
    Site {
        rtype,
        attr,
        inner: Some(inner),
        kind: PolicyKind::Identity,
    }
}

use PolicyKind::{Endpoint, Identity, Resource as Res, ServiceControl, Trust};

const SITES: &[Site] = &[
    // Terraform.
    site("aws_iam_policy", "policy", Identity),
    site("aws_iam_role_policy", "policy", Identity),
    site("aws_iam_user_policy", "policy", Identity),
    site("aws_iam_group_policy", "policy", Identity),
    site(
        "aws_ssoadmin_permission_set_inline_policy",
        "inline_policy",
        Identity,
    ),
    site("aws_iam_role", "assume_role_policy", Trust),
    inline("aws_iam_role", "inline_policy", "policy"),
    site("aws_s3_bucket_policy", "policy", Res),
    site("aws_s3_bucket", "policy", Res),
    site("aws_s3_access_point", "policy", Res),
    site("aws_s3control_access_point_policy", "policy", Res),
    site("aws_sqs_queue_policy", "policy", Res),
    site("aws_sqs_queue", "policy", Res),
    site("aws_sns_topic_policy", "policy", Res),
    site("aws_sns_topic", "policy", Res),
    site("aws_kms_key", "policy", Res),
    site("aws_kms_key_policy", "policy", Res),
    site("aws_ecr_repository_policy", "policy", Res),
    site("aws_secretsmanager_secret_policy", "policy", Res),
    site("aws_secretsmanager_secret", "policy", Res),
    site("aws_elasticsearch_domain_policy", "access_policies", Res),
    site("aws_elasticsearch_domain", "access_policies", Res),
    site("aws_opensearch_domain_policy", "access_policies", Res),
    site("aws_opensearch_domain", "access_policies", Res),
    site("aws_glacier_vault", "access_policy", Res),
    site("aws_efs_file_system_policy", "policy", Res),
    site("aws_api_gateway_rest_api_policy", "policy", Res),
    site("aws_api_gateway_rest_api", "policy", Res),
    site("aws_backup_vault_policy", "policy", Res),
    site("aws_cloudwatch_log_resource_policy", "policy_document", Res),
    site(
        "aws_codeartifact_domain_permissions_policy",
        "policy_document",
        Res,
    ),
    site(
        "aws_codeartifact_repository_permissions_policy",
        "policy_document",
        Res,
    ),
    site("aws_glue_resource_policy", "policy", Res),
    site("aws_vpc_endpoint", "policy", Endpoint),
    site("aws_organizations_policy", "content", ServiceControl),
    // CloudFormation.
    site("AWS::IAM::Policy", "PolicyDocument", Identity),
    site("AWS::IAM::ManagedPolicy", "PolicyDocument", Identity),
    site("AWS::IAM::RolePolicy", "PolicyDocument", Identity),
    site("AWS::IAM::UserPolicy", "PolicyDocument", Identity),
    site("AWS::IAM::GroupPolicy", "PolicyDocument", Identity),
    site("AWS::IAM::Role", "AssumeRolePolicyDocument", Trust),
    inline("AWS::IAM::Role", "Policies", "PolicyDocument"),
    inline("AWS::IAM::User", "Policies", "PolicyDocument"),
    inline("AWS::IAM::Group", "Policies", "PolicyDocument"),
    site("AWS::S3::BucketPolicy", "PolicyDocument", Res),
    site("AWS::S3::AccessPoint", "Policy", Res),
    site("AWS::SQS::QueuePolicy", "PolicyDocument", Res),
    site("AWS::SNS::TopicPolicy", "PolicyDocument", Res),
    site("AWS::KMS::Key", "KeyPolicy", Res),
    site("AWS::SecretsManager::ResourcePolicy", "ResourcePolicy", Res),
    site("AWS::ECR::Repository", "RepositoryPolicyText", Res),
    site("AWS::Elasticsearch::Domain", "AccessPolicies", Res),
    site("AWS::OpenSearchService::Domain", "AccessPolicies", Res),
    site("AWS::EFS::FileSystem", "FileSystemPolicy", Res),
    site("AWS::Logs::ResourcePolicy", "PolicyDocument", Res),
    site("AWS::ApiGateway::RestApi", "Policy", Res),
    site("AWS::Backup::BackupVault", "AccessPolicy", Res),
    site("AWS::Glacier::Vault", "AccessPolicy", Res),
    site("AWS::EC2::VPCEndpoint", "PolicyDocument", Endpoint),
    site("AWS::Organizations::Policy", "Content", ServiceControl),
];

/// A policy found in infrastructure code.
pub struct Found {
    /// The policy.
    pub policy: Policy,
    /// How it is used.
    pub kind: PolicyKind,
    /// Where the document starts.
    pub line: u32,
    /// What holds it (`aws_s3_bucket_policy.site.policy`), which tells policies of one file
    /// apart in findings' evidence.
    pub label: String,
}

/// Every policy declared in the file `path` (with `text`) of a module or template `graph`.
/// A `data "aws_iam_policy_document"` is read once, where it is declared, with the kind of
/// the first argument that uses it.
pub fn policies(graph: &Graph, path: &str, text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut used_as: Vec<(String, PolicyKind)> = Vec::new();
    for r in &graph.resources {
        for s in SITES.iter().filter(|s| s.rtype == r.rtype) {
            let Some(kind) = kind_of_site(r, s) else {
                continue;
            };
            for (doc, label) in documents_at(r, s) {
                if let Val::Ref(addr) = &doc.val {
                    // `data.aws_iam_policy_document.x.json` (or `.minified_json`) uses `x`.
                    let addr = ["json", "minified_json"]
                        .iter()
                        .find_map(|a| addr.strip_suffix(&format!(".{a}")))
                        .unwrap_or(addr);
                    if addr.starts_with("data.aws_iam_policy_document.")
                        && !used_as.iter().any(|(a, _)| a == addr)
                    {
                        used_as.push((addr.to_owned(), kind));
                    }
                    continue;
                }
                if r.path != path {
                    continue;
                }
                if let Some((policy, line)) = read(doc, text) {
                    out.push(Found {
                        policy,
                        kind,
                        line,
                        label,
                    });
                }
            }
        }
    }
    for r in graph
        .of(&["data.aws_iam_policy_document"])
        .filter(|r| r.path == path)
    {
        let doc = jobzero_infra::policy::document(
            graph,
            &Node::new(Val::Ref(r.addr.clone()), r.pos, r.addr.clone()),
        );
        let Some(doc) = doc else { continue };
        let policy = Policy::from_tree(IacTree::new(&doc, Some(text)));
        let kind = used_as
            .iter()
            .find(|(a, _)| *a == r.addr)
            .map_or_else(|| crate::audit::kind_of(&policy), |(_, k)| *k);
        out.push(Found {
            policy,
            kind,
            line: r.pos.line,
            label: r.addr.clone(),
        });
    }
    out.sort_by_key(|f| f.line);
    out
}

/// The kind of the policies a site holds in `r`: an organisation policy is an SCP or an RCP
/// by its type; its other types (tag, backup, AI opt-out policies) are not IAM documents.
fn kind_of_site(r: &Resource, s: &Site) -> Option<PolicyKind> {
    if s.kind != ServiceControl {
        return Some(s.kind);
    }
    let ty = r
        .body
        .get_direct("type")
        .or_else(|| r.body.get_direct("Type"))
        .map(|t| t.as_str().map(str::to_owned));
    match ty {
        None => Some(ServiceControl),
        Some(Some(t)) if t == "SERVICE_CONTROL_POLICY" => Some(ServiceControl),
        Some(Some(t)) if t == "RESOURCE_CONTROL_POLICY" => Some(PolicyKind::ResourceControl),
        _ => None,
    }
}

/// The document nodes a site holds in `r`, each with its label.
fn documents_at<'r>(r: &'r Resource, s: &Site) -> Vec<(&'r Node, String)> {
    let Some(node) = r.body.get_direct(s.attr) else {
        return Vec::new();
    };
    match s.inner {
        None => vec![(node, format!("{}.{}", r.addr, s.attr))],
        Some(inner) => node
            .items()
            .into_iter()
            .enumerate()
            .filter_map(|(i, item)| {
                item.get_direct(inner)
                    .map(|d| (d, format!("{}.{}[{i}].{inner}", r.addr, s.attr)))
            })
            .collect(),
    }
}

/// The policy a document node holds, and the line it starts on.
fn read(doc: &Node, text: &str) -> Option<(Policy, u32)> {
    // A node's span may start at its argument's name (`policy = <<EOF`).
    let source = slice(text, doc.pos);
    let first = source.lines().next().unwrap_or("");
    if without_name(first).trim_start().starts_with("<<") {
        return heredoc(text, doc.pos).map(|p| (p, doc.pos.line));
    }
    match &doc.val {
        Val::Map(_) => Some((
            Policy::from_tree(IacTree::new(doc, Some(text))),
            doc.pos.line,
        )),
        Val::Str(json) => {
            // A JSON string on one line (or a CloudFormation block scalar): lines of the
            // document count from the string's own line.
            let padded = format!(
                "{}{json}",
                "\n".repeat(doc.pos.line.saturating_sub(1) as usize)
            );
            let yaml = Yaml::parse(&padded).ok()?;
            Some((Policy::from_node(yaml.first()?), doc.pos.line))
        }
        _ => None,
    }
}

/// The value of an argument's text (`principal = var.arn` gives `var.arn`); other text as is.
fn without_name(written: &str) -> &str {
    match written.split_once('=') {
        Some((name, value))
            if !name.trim().is_empty()
                && name
                    .trim()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                && !value.starts_with('=') =>
        {
            value
        }
        _ => written,
    }
}

/// The text of `pos` in `text` (empty when out of range).
fn slice(text: &str, pos: Pos) -> String {
    let lines: Vec<&str> = text
        .lines()
        .skip(pos.line.saturating_sub(1) as usize)
        .take((pos.end_line.saturating_sub(pos.line) + 1) as usize)
        .collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let start = if i == 0 {
            pos.column.saturating_sub(1)
        } else {
            0
        } as usize;
        let end = if i + 1 == lines.len() && pos.end_line >= pos.line {
            pos.end_column.saturating_sub(1) as usize
        } else {
            usize::MAX
        };
        let part: String = line
            .chars()
            .skip(start)
            .take(end.saturating_sub(start))
            .collect();
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&part);
    }
    out
}

/// A heredoc's JSON read from the source itself, so that every element keeps its exact line:
/// `${...}` interpolations become placeholders, `$${` is the literal `${` of a policy
/// variable. A `%{...}` directive builds the text at plan time and is not read.
fn heredoc(text: &str, pos: Pos) -> Option<Policy> {
    let first = text.lines().nth(pos.line.saturating_sub(1) as usize)?;
    let marker_at = first.find("<<")?;
    let marker = first[marker_at + 2..]
        .trim_start_matches('-')
        .trim()
        .trim_matches('"')
        .to_owned();
    if marker.is_empty() {
        return None;
    }
    let body: Vec<&str> = text
        .lines()
        .skip(pos.line as usize)
        .take_while(|l| l.trim() != marker)
        .collect();
    let substituted = substitute(&body.join("\n"))?;
    let padded = format!("{}{substituted}", "\n".repeat(pos.line as usize));
    let yaml = Yaml::parse(&padded).ok()?;
    Some(Policy::from_node(yaml.first()?))
}

/// Replaces Terraform interpolations in a template's text by placeholders; `None` for a
/// template with directives.
fn substitute(template: &str) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find(['$', '%']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("$${") || tail.starts_with("%%{") {
            out.push_str(&tail[1..3]);
            rest = &tail[3..];
        } else if tail.starts_with("%{") {
            return None;
        } else if let Some(expr) = tail.strip_prefix("${") {
            let end = closing_brace(expr)?;
            out.push_str(&unknown(&expr[..end]));
            rest = &expr[end + 1..];
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The offset of the `}` closing an interpolation whose text starts `s`.
fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quoted = false;
    let mut prev = '\0';
    for (i, c) in s.char_indices() {
        match c {
            '"' if prev != '\\' => quoted = !quoted,
            '{' if !quoted => depth += 1,
            '}' if !quoted => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ => {}
        }
        prev = c;
    }
    None
}

/// The IaC value model seen as a [`Tree`]; `text` is the file's source, for placeholders that
/// show what was written.
#[derive(Clone, Copy)]
pub struct IacTree<'a> {
    node: &'a Node,
    text: Option<&'a str>,
}

impl<'a> IacTree<'a> {
    /// A tree over `node`.
    pub fn new(node: &'a Node, text: Option<&'a str>) -> IacTree<'a> {
        IacTree { node, text }
    }

    fn child(&self, node: &'a Node) -> IacTree<'a> {
        IacTree {
            node,
            text: self.text,
        }
    }
}

impl Tree for IacTree<'_> {
    fn kind(&self) -> jobzero_core::yaml::Kind {
        use jobzero_core::yaml::Kind;
        match &self.node.val {
            Val::Map(_) => Kind::Mapping,
            Val::List(_) => Kind::Sequence,
            _ => Kind::Scalar,
        }
    }

    fn get(&self, key: &str) -> Option<Self> {
        self.node.get_direct(key).map(|n| self.child(n))
    }

    fn entries(&self) -> Vec<(At<String>, Self)> {
        self.node
            .entries()
            .iter()
            .map(|(k, v)| {
                let key = At {
                    value: k.clone(),
                    line: v.pos.line,
                    column: v.pos.column,
                };
                (key, self.child(v))
            })
            .collect()
    }

    fn items(&self) -> Vec<Self> {
        match &self.node.val {
            // `!Ref AWS::NoValue` (null) removes an item.
            Val::List(items) => items
                .iter()
                .filter(|i| !i.is_null())
                .map(|i| self.child(i))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn text(&self) -> Option<String> {
        match &self.node.val {
            Val::Null | Val::List(_) | Val::Map(_) => None,
            Val::Bool(b) => Some(b.to_string()),
            Val::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(format!("{n:.0}")),
            Val::Num(n) => Some(n.to_string()),
            Val::Str(s) => Some(s.clone()),
            Val::Ref(addr) => Some(unknown(addr)),
            Val::Unknown => {
                let written = self
                    .text
                    .map(|t| slice(t, self.node.pos))
                    .unwrap_or_default();
                let written = without_name(&written).trim();
                let written = written
                    .strip_prefix("!Sub")
                    .map_or(written, str::trim_start);
                // A string template keeps what it says literally, and the wildcards that
                // make it a pattern: `"${aws_s3_bucket.b.arn}/*"` is `‹aws_s3_bucket.b.arn›/*`.
                let template = written
                    .strip_prefix('"')
                    .and_then(|w| w.strip_suffix('"'))
                    .filter(|w| w.contains("${") && !w.contains(['"', '\\']))
                    .and_then(substitute)
                    .filter(|t| crate::document::is_unknown(t));
                Some(template.unwrap_or_else(|| {
                    unknown(if written.is_empty() {
                        "known after apply"
                    } else {
                        written
                    })
                }))
            }
        }
    }

    fn line(&self) -> u32 {
        self.node.pos.line.max(1)
    }

    fn column(&self) -> u32 {
        self.node.pos.column.max(1)
    }

    fn end_line(&self) -> u32 {
        self.node.pos.end_line.max(self.line())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use jobzero_infra::terraform::{TfFile, load};

    fn found(tf: &str) -> Vec<Found> {
        let m = load(
            &[TfFile {
                path: "main.tf".into(),
                text: tf.into(),
            }],
            &[],
            &[],
        );
        policies(&m.graph, "main.tf", tf)
    }

    #[test]
    fn a_heredoc_keeps_its_lines_and_its_interpolations_become_placeholders() {
        let tf = r#"resource "aws_sqs_queue_policy" "q" {
  queue_url = "q"
  policy    = <<POLICY
{
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "*"},
      "Action": "sqs:SendMessage",
      "Resource": ["${aws_sqs_queue.jobs.arn}", "arn:aws:sqs:*:*:$${aws:username}"]
    }
  ]
}
POLICY
}
"#;
        let f = found(tf);
        assert_eq!(f.len(), 1);
        let p = &f[0].policy;
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(f[0].kind, PolicyKind::Resource);
        let s = &p.statements[0];
        assert_eq!(s.line, 6);
        let action = &s.action.as_ref().unwrap()[0];
        assert_eq!((action.value.as_str(), action.line), ("sqs:SendMessage", 9));
        let res: Vec<&str> = s
            .resource
            .as_ref()
            .unwrap()
            .iter()
            .map(|r| r.value.as_str())
            .collect();
        assert_eq!(
            res,
            [
                "\u{2039}aws_sqs_queue.jobs.arn\u{203a}",
                "arn:aws:sqs:*:*:${aws:username}"
            ]
        );
    }
}
