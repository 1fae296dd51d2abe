//! IAM policy documents with the line and column of every element, read through the
//! positioned YAML of `jobzero-core` (JSON is YAML's flow syntax). Grammar problems do not
//! stop the reading: they are collected with their position so that validation can report
//! all of them, and evaluation uses what could be read.

use jobzero_core::yaml::{Kind, Node, Yaml};

/// A value with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At<T> {
    /// The value.
    pub value: T,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

fn at<V, T: Tree>(value: V, n: &T) -> At<V> {
    At {
        value,
        line: n.line(),
        column: n.column(),
    }
}

/// Opens the placeholder of a value known only at deploy time (`‹aws_s3_bucket.logs›`):
/// infrastructure code often writes an ARN or account as a reference. Such values are kept
/// where they are written, so that rules can skip them and proofs can refuse to guess.
pub const UNKNOWN_OPEN: char = '\u{2039}';
/// Closes the placeholder.
pub const UNKNOWN_CLOSE: char = '\u{203a}';

/// Whether `value` holds a part known only at deploy time.
pub fn is_unknown(value: &str) -> bool {
    value.contains(UNKNOWN_OPEN)
}

/// The placeholder for a value known only at deploy time, written `text` (an expression, a
/// reference): `*` and `?` are dropped so that it never acts as a wildcard.
pub fn unknown(text: &str) -> String {
    let inner: String = text
        .chars()
        .filter(|c| !matches!(c, '*' | '?' | '$' | '\u{2039}' | '\u{203a}' | '\n' | '\r'))
        .collect();
    format!("{UNKNOWN_OPEN}{}{UNKNOWN_CLOSE}", inner.trim())
}

/// A tree a policy is read from: the positioned YAML (and JSON) of `jobzero-core`, or the
/// value model of the IaC family (Terraform, CloudFormation).
pub trait Tree: Sized {
    /// Mapping, sequence or scalar.
    fn kind(&self) -> Kind;
    /// The value of `key` in a mapping.
    fn get(&self, key: &str) -> Option<Self>;
    /// The entries of a mapping, keys with where they are written.
    fn entries(&self) -> Vec<(At<String>, Self)>;
    /// The items of a sequence.
    fn items(&self) -> Vec<Self>;
    /// A scalar's text (`true` and `3` included; `None` for null); a value known only at
    /// deploy time is its [`unknown`] placeholder.
    fn text(&self) -> Option<String>;
    /// 1-based line.
    fn line(&self) -> u32;
    /// 1-based column.
    fn column(&self) -> u32;
    /// The line the node ends on.
    fn end_line(&self) -> u32;
}

/// A CloudFormation intrinsic left in a JSON document (`{"Fn::GetAtt": [...]}`,
/// `{"Ref": "Bucket"}`, `!Sub ...`): a value known only at deploy time.
fn intrinsic(n: &Node<'_>) -> Option<String> {
    if let Some(tag) = n.tag().filter(|t| !t.starts_with("!!")) {
        return Some(format!("{tag} {}", n.as_str().unwrap_or("...")));
    }
    if Node::kind(n) != Kind::Mapping || n.len() != 1 {
        return None;
    }
    let (k, v) = Node::entries(n).next()?;
    let key = k.as_str()?;
    (key == "Ref" || key.starts_with("Fn::"))
        .then(|| format!("{key} {}", v.as_str().unwrap_or("...")))
}

impl Tree for Node<'_> {
    fn kind(&self) -> Kind {
        if intrinsic(self).is_some() {
            return Kind::Scalar;
        }
        Node::kind(self)
    }
    fn get(&self, key: &str) -> Option<Self> {
        Node::get(self, key)
    }
    fn entries(&self) -> Vec<(At<String>, Self)> {
        Node::entries(self)
            .map(|(k, v)| (at(k.as_str().unwrap_or("").to_owned(), &k), v))
            .collect()
    }
    fn items(&self) -> Vec<Self> {
        Node::items(self).collect()
    }
    fn text(&self) -> Option<String> {
        if let Some(written) = intrinsic(self) {
            return Some(unknown(&written));
        }
        self.as_str().map(str::to_owned)
    }
    fn line(&self) -> u32 {
        Node::line(self)
    }
    fn column(&self) -> u32 {
        Node::column(self)
    }
    fn end_line(&self) -> u32 {
        Node::end_line(self)
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Grants.
    Allow,
    /// Refuses, whatever else grants.
    Deny,
}

/// A `Principal` or `NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principals {
    /// `"*"`: everyone, including anonymous callers.
    Anyone,
    /// `{"AWS": [...], "Service": [...], "Federated": [...], "CanonicalUser": [...]}`.
    Typed(Vec<(String, Vec<At<String>>)>),
}

/// One condition: an operator block's key and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The operator as written (`ForAnyValue:StringLikeIfExists`).
    pub operator: At<String>,
    /// The condition key as written.
    pub key: At<String>,
    /// The values, as strings (`true`, `10`).
    pub values: Vec<String>,
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// `Sid`.
    pub sid: Option<String>,
    /// `Effect` (statements without a valid one are dropped, with a grammar problem).
    pub effect: Effect,
    /// `Principal`.
    pub principal: Option<Principals>,
    /// `NotPrincipal`.
    pub not_principal: Option<Principals>,
    /// `Action`.
    pub action: Option<Vec<At<String>>>,
    /// `NotAction`.
    pub not_action: Option<Vec<At<String>>>,
    /// `Resource`.
    pub resource: Option<Vec<At<String>>>,
    /// `NotResource`.
    pub not_resource: Option<Vec<At<String>>>,
    /// `Condition`, flattened.
    pub conditions: Vec<Condition>,
    /// Where the statement starts.
    pub line: u32,
    /// Its column.
    pub column: u32,
    /// The line it ends on.
    pub end_line: u32,
}

/// A grammar problem: what IAM would refuse, with a hint to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// A policy document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// `Version`.
    pub version: Option<At<String>>,
    /// The statements that could be read.
    pub statements: Vec<Statement>,
    /// Grammar problems.
    pub problems: Vec<Problem>,
    /// Statements (or the whole statement list) known only at deploy time, as written
    /// (`${jsonencode(local.statements)}`): what the policy grants is not all here.
    pub opaque: Vec<At<String>>,
}

/// A document that is not JSON (or YAML) at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a policy document: {message} at line {line} column {column}")]
pub struct ParseError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

const TOP_KEYS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

impl Policy {
    /// Reads a policy document.
    pub fn parse(text: &str) -> Result<Policy, ParseError> {
        let yaml = Yaml::parse(text).map_err(|e| ParseError {
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
        let Some(root) = yaml.first() else {
            return Err(ParseError {
                line: 1,
                column: 1,
                message: "the document is empty".into(),
            });
        };
        Ok(Policy::from_node(root))
    }

    /// Reads a policy from an already parsed node (a policy embedded in another document).
    pub fn from_node(root: Node<'_>) -> Policy {
        Policy::from_tree(root)
    }

    /// Reads a policy from any [`Tree`].
    pub fn from_tree<T: Tree>(root: T) -> Policy {
        let mut p = Policy::default();
        if let Some(written) = unknown_scalar(&root) {
            p.opaque.push(written);
            return p;
        }
        if root.kind() != Kind::Mapping {
            p.problem(
                &root,
                "a policy must be a JSON object",
                "wrap the statements in {\"Version\": \"2012-10-17\", \"Statement\": [...]}",
            );
            return p;
        }
        for (k, v) in root.entries() {
            let key = k.value.as_str();
            if !TOP_KEYS.contains(&key) {
                p.problem_at(
                    &k,
                    &format!("unknown top-level element `{key}`"),
                    &suggest_key(key, TOP_KEYS),
                );
            }
            if key == "Version" {
                match v.text().as_deref() {
                    Some(s @ ("2012-10-17" | "2008-10-17")) => p.version = Some(at(s.to_owned(), &v)),
                    Some(s) if is_unknown(s) => {}
                    other => p.problem(
                        &v,
                        &format!("`Version` is `{}`", other.unwrap_or("not a string")),
                        "use \"2012-10-17\"; other dates are refused and the old one disables policy variables",
                    ),
                }
            }
        }
        match root.get("Statement") {
            None => p.problem(
                &root,
                "the policy has no `Statement`",
                "add a `Statement` array",
            ),
            Some(s) if unknown_scalar(&s).is_some() => p.opaque.extend(unknown_scalar(&s)),
            Some(s) => {
                let items: Vec<T> = match s.kind() {
                    Kind::Sequence => s.items(),
                    Kind::Mapping => vec![s],
                    Kind::Scalar => {
                        p.problem(
                            &s,
                            "`Statement` must be an object or an array of objects",
                            "write `\"Statement\": [{...}]`",
                        );
                        Vec::new()
                    }
                };
                for item in items {
                    if let Some(written) = unknown_scalar(&item) {
                        p.opaque.push(written);
                        continue;
                    }
                    if let Some(st) = p.statement(item) {
                        p.statements.push(st);
                    }
                }
            }
        }
        p
    }

    fn problem<T: Tree>(&mut self, n: &T, message: &str, hint: &str) {
        self.problems.push(Problem {
            line: n.line(),
            column: n.column(),
            message: message.to_owned(),
            hint: hint.to_owned(),
        });
    }

    fn problem_at<V>(&mut self, n: &At<V>, message: &str, hint: &str) {
        self.problems.push(Problem {
            line: n.line,
            column: n.column,
            message: message.to_owned(),
            hint: hint.to_owned(),
        });
    }

    fn statement<T: Tree>(&mut self, n: T) -> Option<Statement> {
        if n.kind() != Kind::Mapping {
            self.problem(
                &n,
                "a statement must be a JSON object",
                "write each statement as {\"Effect\": ..., \"Action\": ..., \"Resource\": ...}",
            );
            return None;
        }
        for (k, _) in n.entries() {
            let key = k.value.as_str();
            if !STATEMENT_KEYS.contains(&key) {
                self.problem_at(
                    &k,
                    &format!("unknown statement element `{key}`"),
                    &suggest_key(key, STATEMENT_KEYS),
                );
            }
        }
        let effect = match n.get("Effect") {
            None => {
                self.problem(
                    &n,
                    "the statement has no `Effect`",
                    "add \"Effect\": \"Allow\" or \"Deny\"",
                );
                return None;
            }
            Some(e) => match e.text().as_deref() {
                Some("Allow") => Effect::Allow,
                Some("Deny") => Effect::Deny,
                Some(t) if is_unknown(t) => {
                    self.opaque.push(at(t.to_owned(), &n));
                    return None;
                }
                other => {
                    self.problem(
                        &e,
                        &format!("`Effect` is `{}`", other.unwrap_or("not a string")),
                        "use \"Allow\" or \"Deny\" (case-sensitive)",
                    );
                    return None;
                }
            },
        };
        let pair = |p: &mut Policy, a: &str, b: &str, required: bool| match (n.get(a), n.get(b)) {
            (Some(x), Some(_)) => p.problem(
                &x,
                &format!("the statement has both `{a}` and `{b}`"),
                &format!("keep one of `{a}` and `{b}`"),
            ),
            (None, None) if required => p.problem(
                &n,
                &format!("the statement has neither `{a}` nor `{b}`"),
                &format!("add `{a}`"),
            ),
            _ => {}
        };
        pair(self, "Action", "NotAction", true);
        pair(self, "Principal", "NotPrincipal", false);
        let st = Statement {
            sid: n.get("Sid").and_then(|s| s.text()),
            effect,
            principal: n.get("Principal").and_then(|p| self.principals(p)),
            not_principal: n.get("NotPrincipal").and_then(|p| self.principals(p)),
            action: n.get("Action").map(|a| self.strings(a, "Action")),
            not_action: n.get("NotAction").map(|a| self.strings(a, "NotAction")),
            resource: n.get("Resource").map(|a| self.strings(a, "Resource")),
            not_resource: n.get("NotResource").map(|a| self.strings(a, "NotResource")),
            conditions: n
                .get("Condition")
                .map(|c| self.conditions(c))
                .unwrap_or_default(),
            line: n.line(),
            column: n.column(),
            end_line: n.end_line().max(n.line()),
        };
        for list in [&st.action, &st.not_action].into_iter().flatten() {
            for a in list {
                if a.value != "*" && !a.value.contains(':') && !is_unknown(&a.value) {
                    self.problems.push(Problem {
                        line: a.line,
                        column: a.column,
                        message: format!("action `{}` has no service prefix", a.value),
                        hint: "write actions as `service:Action` (`s3:GetObject`)".into(),
                    });
                }
            }
        }
        Some(st)
    }

    /// A string or an array of strings.
    fn strings<T: Tree>(&mut self, n: T, element: &str) -> Vec<At<String>> {
        match n.kind() {
            Kind::Scalar => n.text().map(|s| vec![at(s, &n)]).unwrap_or_default(),
            Kind::Sequence => n
                .items()
                .into_iter()
                .filter_map(|i| match i.text() {
                    Some(s) if i.kind() == Kind::Scalar => Some(at(s, &i)),
                    _ => {
                        self.problem(
                            &i,
                            &format!("`{element}` items must be strings"),
                            "remove the nested value",
                        );
                        None
                    }
                })
                .collect(),
            Kind::Mapping => {
                self.problem(
                    &n,
                    &format!("`{element}` must be a string or an array of strings"),
                    "remove the object",
                );
                Vec::new()
            }
        }
    }

    fn principals<T: Tree>(&mut self, n: T) -> Option<Principals> {
        match n.kind() {
            Kind::Scalar if n.text().as_deref() == Some("*") => Some(Principals::Anyone),
            Kind::Scalar if n.text().is_some_and(|t| is_unknown(&t)) => {
                let text = n.text().unwrap_or_default();
                Some(Principals::Typed(vec![("AWS".into(), vec![at(text, &n)])]))
            }
            Kind::Mapping => {
                let mut out = Vec::new();
                for (k, v) in n.entries() {
                    let ty = k.value.clone();
                    if !["AWS", "Service", "Federated", "CanonicalUser"].contains(&ty.as_str()) {
                        self.problem_at(
                            &k,
                            &format!("unknown principal type `{ty}`"),
                            "use `AWS`, `Service`, `Federated` or `CanonicalUser`",
                        );
                    }
                    let ids = self.strings(v, "Principal");
                    for id in &ids {
                        if ty == "AWS"
                            && id.value != "*"
                            && id.value.contains(['*', '?'])
                            && !is_unknown(&id.value)
                        {
                            self.problems.push(Problem {
                                line: id.line,
                                column: id.column,
                                message: format!("principal `{}` has a wildcard", id.value),
                                hint: "IAM allows a wildcard only as the whole principal (\"*\"); name the accounts, or use \"*\" with an aws:PrincipalOrgID or aws:PrincipalAccount condition".into(),
                            });
                        }
                    }
                    out.push((ty, ids));
                }
                Some(Principals::Typed(out))
            }
            _ => {
                self.problem(
                    &n,
                    "a principal must be \"*\" or an object such as {\"AWS\": \"arn:...\"}",
                    "write {\"AWS\": \"arn:aws:iam::111122223333:root\"}",
                );
                None
            }
        }
    }

    fn conditions<T: Tree>(&mut self, n: T) -> Vec<Condition> {
        let mut out = Vec::new();
        // A condition block known only at deploy time constrains the statement in a way
        // nothing can read: it stays as a condition whose operator and key are unknown.
        if let Some(written) = unknown_scalar(&n) {
            out.push(Condition {
                operator: written.clone(),
                key: written,
                values: Vec::new(),
            });
            return out;
        }
        if n.kind() != Kind::Mapping {
            self.problem(
                &n,
                "`Condition` must be an object of operators",
                "write {\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-...\"}}",
            );
            return out;
        }
        for (operator, block) in n.entries() {
            if let Some(written) = unknown_scalar(&block) {
                out.push(Condition {
                    operator: operator.clone(),
                    key: written,
                    values: Vec::new(),
                });
                continue;
            }
            if block.kind() != Kind::Mapping {
                self.problem(
                    &block,
                    &format!(
                        "operator `{}` must map condition keys to values",
                        operator.value
                    ),
                    "write {\"key\": \"value\"}",
                );
                continue;
            }
            for (key, values) in block.entries() {
                let values: Vec<String> = match values.kind() {
                    Kind::Scalar => values.text().into_iter().collect(),
                    Kind::Sequence => values
                        .items()
                        .into_iter()
                        .filter_map(|v| v.text())
                        .collect(),
                    Kind::Mapping => {
                        self.problem(
                            &values,
                            "condition values must be strings or arrays",
                            "remove the nested object",
                        );
                        Vec::new()
                    }
                };
                out.push(Condition {
                    operator: operator.clone(),
                    key,
                    values,
                });
            }
        }
        out
    }
}

/// The placeholder (with its position) of a scalar known only at deploy time.
fn unknown_scalar<T: Tree>(n: &T) -> Option<At<String>> {
    if n.kind() != Kind::Scalar {
        return None;
    }
    n.text().filter(|t| is_unknown(t)).map(|t| at(t, n))
}

/// "did you mean" for an element name.
fn suggest_key(key: &str, known: &[&str]) -> String {
    let best = known
        .iter()
        .map(|k| {
            (
                strsim::levenshtein(&k.to_ascii_lowercase(), &key.to_ascii_lowercase()),
                *k,
            )
        })
        .min();
    match best {
        Some((d, k)) if d <= 3 => format!("did you mean `{k}`? (element names are case-sensitive)"),
        _ => format!("allowed here: {}", known.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reads_every_element_with_positions() {
        let p = Policy::parse(
            r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Read",
      "Effect": "Allow",
      "Principal": {"AWS": ["arn:aws:iam::111122223333:root"]},
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": "arn:aws:s3:::b/*",
      "Condition": {"StringEquals": {"aws:PrincipalOrgID": ["o-1", "o-2"]}, "Bool": {"aws:SecureTransport": true}}
    }
  ]
}"#,
        )
        .unwrap();
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let s = &p.statements[0];
        assert_eq!(s.effect, Effect::Allow);
        assert_eq!(s.action.as_ref().unwrap()[1].value, "s3:ListBucket");
        assert_eq!(s.action.as_ref().unwrap()[1].line, 8);
        assert_eq!(s.conditions.len(), 2);
        assert_eq!(s.conditions[1].values, vec!["true"]);
        assert_eq!(s.conditions[0].key.line, 10);
    }

    #[test]
    fn grammar_problems_are_collected_with_hints() {
        let p = Policy::parse(
            r#"{"Version": "2012-10-17", "Statment": [], "Statement": {"Effect": "allow", "Action": "s3:Get"}}"#,
        )
        .unwrap();
        let messages: Vec<&str> = p.problems.iter().map(|x| x.message.as_str()).collect();
        assert!(
            messages.iter().any(|m| m.contains("`Statment`")),
            "{messages:?}"
        );
        assert!(
            p.problems
                .iter()
                .any(|x| x.hint.contains("did you mean `Statement`"))
        );
        assert!(messages.iter().any(|m| m.contains("`Effect` is `allow`")));
        assert!(p.statements.is_empty());
        assert!(Policy::parse("{").is_err());
    }
}
