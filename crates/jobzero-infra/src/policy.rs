//! IAM policy documents wherever infrastructure code writes them: a JSON string (heredoc,
//! `file()`-less literal), a `jsonencode({...})` object, a reference to a
//! `data "aws_iam_policy_document"`, or a CloudFormation `PolicyDocument` map. All are read
//! into the JSON shape (`Statement`, `Effect`, `Action`, `Principal`, `Condition`) with the
//! positions of what was written.

use crate::model::Graph;
use crate::node::{Node, Val};
use crate::terraform::from_json;

/// Condition keys that tie a public principal to an account, organisation, network or
/// source: a statement limited by one of them is not public.
pub const RESTRICTING_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceip",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:userid",
    "aws:username",
    "aws:resourceorgid",
    "aws:resourceaccount",
    "kms:calleraccount",
    "kms:viaservice",
    "sts:externalid",
    "lambda:functionurlauthtype",
];

/// One condition: `operator` (`StringEquals`), `key` (`aws:SourceVpce`) and values.
#[derive(Debug, Clone)]
pub struct Condition {
    /// The operator as written.
    pub operator: String,
    /// The key as written.
    pub key: String,
    /// The values (known strings only).
    pub values: Vec<String>,
}

/// One statement, read from any of the shapes.
#[derive(Debug, Clone)]
pub struct Statement<'a> {
    /// The statement's node, where findings about it point.
    pub node: &'a Node,
    /// `Effect: Allow` (the default of `aws_iam_policy_document`).
    pub allow: bool,
    /// `Action`.
    pub actions: Vec<String>,
    /// `NotAction`.
    pub not_actions: Vec<String>,
    /// `Resource`.
    pub resources: Vec<String>,
    /// `NotResource`.
    pub not_resources: Vec<String>,
    /// `Principal` as (type, identifier): `("*", "*")` for `"Principal": "*"`,
    /// `("AWS", "arn:...")`, `("Service", "lambda.amazonaws.com")`.
    pub principals: Vec<(String, String)>,
    /// Whether the statement has a `NotPrincipal`.
    pub not_principal: bool,
    /// `Condition`.
    pub conditions: Vec<Condition>,
}

impl Statement<'_> {
    /// Whether any principal is everyone (`*`, `{"AWS": "*"}`).
    pub fn principal_is_anyone(&self) -> bool {
        self.principals
            .iter()
            .any(|(t, id)| id == "*" && (t == "*" || t == "AWS" || t == "CanonicalUser"))
    }

    /// Whether a condition limits who or where from (see [`RESTRICTING_KEYS`]).
    pub fn is_restricted(&self) -> bool {
        self.conditions.iter().any(|c| {
            let key = c.key.to_ascii_lowercase();
            RESTRICTING_KEYS.contains(&key.as_str()) && !c.values.iter().any(|v| v == "*")
        })
    }

    /// Whether anyone on the internet is allowed by this statement.
    pub fn is_public(&self) -> bool {
        self.allow && self.principal_is_anyone() && !self.is_restricted()
    }

    /// Whether an action pattern of the statement grants `action` (`s3:GetObject`), case
    /// insensitively, with `*` and `?` wildcards.
    pub fn allows_action(&self, action: &str) -> bool {
        self.allow && self.actions.iter().any(|a| wildcard_match(a, action))
    }

    /// Whether a resource of the statement is `*`.
    pub fn any_resource(&self) -> bool {
        self.resources.iter().any(|r| r == "*")
    }
}

/// IAM-style matching: `*` any run, `?` one character, ASCII case-insensitive.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    jobzero_core::wildcard::matches(pattern, text)
}

/// The policy document `node` holds, in the JSON shape: parsed from a JSON string,
/// taken as is from a map, or built from the `aws_iam_policy_document` it references.
pub fn document(graph: &Graph, node: &Node) -> Option<Node> {
    match &node.val {
        Val::Str(s) => {
            let v: serde_json::Value = serde_json::from_str(s).ok()?;
            Some(from_json(&v, node.pos, &node.route))
        }
        Val::Map(_) => Some(node.clone()),
        Val::Ref(addr) => {
            let data = graph.get(addr)?;
            (data.rtype == "data.aws_iam_policy_document")
                .then(|| from_policy_document(graph, &data.body))
        }
        _ => None,
    }
}

/// An `aws_iam_policy_document` data source's body in the JSON shape.
fn from_policy_document(graph: &Graph, body: &Node) -> Node {
    let mut statements = Vec::new();
    // `source_policy_documents`/`override_policy_documents` merge other documents in.
    for key in [
        "source_policy_documents",
        "override_policy_documents",
        "source_json",
        "override_json",
    ] {
        if let Some(list) = body.get_direct(key) {
            let items: Vec<&Node> = match &list.val {
                Val::List(items) => items.iter().collect(),
                _ => vec![list],
            };
            for item in items {
                if let Some(doc) = document(graph, item) {
                    statements.extend(doc.all("Statement").into_iter().cloned());
                }
            }
        }
    }
    for st in body.all("statement") {
        let mut entries: Vec<(String, Node)> = Vec::new();
        let effect = st.get_direct("effect").cloned().unwrap_or_else(|| {
            Node::new(
                Val::Str("Allow".into()),
                st.pos,
                format!("{}.effect", st.route),
            )
        });
        entries.push(("Effect".into(), effect));
        for (from, to) in [
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
            ("sid", "Sid"),
        ] {
            if let Some(v) = st.get_direct(from) {
                entries.push((to.into(), v.clone()));
            }
        }
        for (from, to) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let blocks = st.all(from);
            if blocks.is_empty() {
                continue;
            }
            let mut by_type: Vec<(String, Node)> = Vec::new();
            let mut anyone = None;
            for b in &blocks {
                let t = b.get_direct("type").and_then(Node::as_str).unwrap_or("AWS");
                if let Some(ids) = b.get_direct("identifiers") {
                    // `type = "*"` is how the data source writes `"Principal": "*"`.
                    if t == "*" {
                        anyone = Some(Node::new(Val::Str("*".into()), ids.pos, ids.route.clone()));
                    } else {
                        by_type.push((t.to_owned(), ids.clone()));
                    }
                }
            }
            let pos = blocks[0].pos;
            let value = match anyone {
                Some(star) if by_type.is_empty() => star,
                _ => Node::new(Val::Map(by_type), pos, blocks[0].route.clone()),
            };
            entries.push((to.into(), value));
        }
        let conds = st.all("condition");
        if !conds.is_empty() {
            let mut ops: Vec<(String, Node)> = Vec::new();
            for c in &conds {
                let (Some(test), Some(var)) = (
                    c.get_direct("test").and_then(Node::as_str),
                    c.get_direct("variable").and_then(Node::as_str),
                ) else {
                    continue;
                };
                let values = c
                    .get_direct("values")
                    .cloned()
                    .unwrap_or_else(|| Node::new(Val::List(Vec::new()), c.pos, c.route.clone()));
                match ops.iter_mut().find(|(o, _)| o == test) {
                    Some((
                        _,
                        Node {
                            val: Val::Map(m), ..
                        },
                    )) => m.push((var.to_owned(), values)),
                    _ => ops.push((
                        test.to_owned(),
                        Node::new(
                            Val::Map(vec![(var.to_owned(), values)]),
                            c.pos,
                            c.route.clone(),
                        ),
                    )),
                }
            }
            entries.push((
                "Condition".into(),
                Node::new(Val::Map(ops), conds[0].pos, conds[0].route.clone()),
            ));
        }
        statements.push(Node::new(Val::Map(entries), st.pos, st.route.clone()));
    }
    Node::new(
        Val::Map(vec![(
            "Statement".into(),
            Node::new(Val::List(statements), body.pos, body.route.clone()),
        )]),
        body.pos,
        body.route.clone(),
    )
}

/// The statements of a document in the JSON shape (`Statement` may be one object or a list).
pub fn statements(doc: &Node) -> Vec<Statement<'_>> {
    let Some(list) = doc.get_direct("Statement") else {
        return Vec::new();
    };
    list.items().into_iter().map(statement).collect()
}

fn strings(n: Option<&Node>) -> Vec<String> {
    n.map(|n| n.strings().into_iter().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn statement(node: &Node) -> Statement<'_> {
    let allow = node
        .get_direct("Effect")
        .and_then(Node::as_str)
        .is_none_or(|e| e.eq_ignore_ascii_case("allow"));
    let mut principals = Vec::new();
    if let Some(p) = node.get_direct("Principal") {
        match &p.val {
            Val::Str(s) => principals.push(("*".to_owned(), s.clone())),
            Val::Map(m) => {
                for (t, ids) in m {
                    for id in ids.strings() {
                        principals.push((t.clone(), id.to_owned()));
                    }
                }
            }
            _ => {}
        }
    }
    let mut conditions = Vec::new();
    if let Some(Node {
        val: Val::Map(ops), ..
    }) = node.get_direct("Condition")
    {
        for (op, keys) in ops {
            for (key, values) in keys.entries() {
                let values = match &values.val {
                    Val::Bool(b) => vec![b.to_string()],
                    Val::Num(n) => vec![n.to_string()],
                    Val::List(items) => items
                        .iter()
                        .map(|i| match &i.val {
                            Val::Bool(b) => b.to_string(),
                            Val::Num(n) => n.to_string(),
                            Val::Str(s) => s.clone(),
                            _ => "(unknown)".to_owned(),
                        })
                        .collect(),
                    Val::Str(s) => vec![s.clone()],
                    _ => vec!["(unknown)".to_owned()],
                };
                conditions.push(Condition {
                    operator: op.clone(),
                    key: key.clone(),
                    values,
                });
            }
        }
    }
    Statement {
        node,
        allow,
        actions: strings(node.get_direct("Action")),
        not_actions: strings(node.get_direct("NotAction")),
        resources: strings(node.get_direct("Resource")),
        not_resources: strings(node.get_direct("NotResource")),
        principals,
        not_principal: node.get_direct("NotPrincipal").is_some(),
        conditions,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::terraform::{TfFile, load};

    #[test]
    fn reads_every_terraform_shape() {
        let m = load(
            &[TfFile {
                path: "main.tf".into(),
                text: r#"
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = ["vpce-1"]
    }
  }
}
resource "aws_s3_bucket_policy" "a" { policy = data.aws_iam_policy_document.d.json }
resource "aws_s3_bucket_policy" "b" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:*", Resource = "*" }] })
}
resource "aws_s3_bucket_policy" "c" {
  policy = <<EOF
{"Statement": {"Effect": "Deny", "Principal": {"AWS": ["*"]}, "Action": "s3:*", "Resource": "*",
 "Condition": {"Bool": {"aws:SecureTransport": false}}}}
EOF
}
"#
                .into(),
            }],
            &[],
            &[],
        );
        let g = m.graph;
        let docs: Vec<Node> = g
            .of(&["aws_s3_bucket_policy"])
            .map(|r| document(&g, r.at("policy").unwrap()).unwrap())
            .collect();
        let a = statements(&docs[0]);
        assert!(a[0].principal_is_anyone() && a[0].is_restricted() && !a[0].is_public());
        let b = statements(&docs[1]);
        assert!(b[0].is_public());
        assert!(b[0].allows_action("s3:GetObject"));
        let c = statements(&docs[2]);
        assert!(!c[0].allow);
        assert_eq!(c[0].conditions[0].values, vec!["false"]);
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("s3:Get*", "s3:GetObject"));
        assert!(wildcard_match("*", "iam:PassRole"));
        assert!(wildcard_match("iam:?assRole", "IAM:PASSROLE"));
        assert!(!wildcard_match("s3:Put*", "s3:GetObject"));
    }
}
