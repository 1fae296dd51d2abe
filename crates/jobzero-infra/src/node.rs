//! One value model for every format: a tree of [`Node`]s, each with its position and route,
//! so that a rule reads `Properties.BucketEncryption` of a template and `acl` of a Terraform
//! resource the same way and reports the exact line either way.

use std::fmt;

/// Where a node is in its file (1-based lines and columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// First line.
    pub line: u32,
    /// First column.
    pub column: u32,
    /// Last line.
    pub end_line: u32,
    /// Column just past the end on the last line.
    pub end_column: u32,
}

/// A value, as far as it is known without deploying anything.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// `null`, or a CloudFormation `!Ref AWS::NoValue`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A string.
    Str(String),
    /// A list (and a Terraform block written more than once, or once: blocks are always lists).
    List(Vec<Node>),
    /// A map or object, keys in written order.
    Map(Vec<(String, Node)>),
    /// A reference to another resource of the same module or template, by address
    /// (`aws_s3_bucket.logs`, `data.aws_iam_policy_document.read`, a logical id).
    Ref(String),
    /// Known only at deploy time.
    Unknown,
}

/// A value with its position and its route from the document root.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub val: Val,
    /// Where it is written.
    pub pos: Pos,
    /// The route (`resource.aws_s3_bucket.logs.acl`, `spec.containers[0].image`).
    pub route: String,
}

impl Node {
    /// A node.
    pub fn new(val: Val, pos: Pos, route: impl Into<String>) -> Node {
        Node {
            val,
            pos,
            route: route.into(),
        }
    }

    /// The entry `key` of a map; for a list (a Terraform block), of its first item.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.val {
            Val::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Val::List(items) => items.first().and_then(|i| i.get(key)),
            _ => None,
        }
    }

    /// The node at a dotted path of map keys (`versioning.enabled`); lists are entered at their
    /// first item, as Terraform's single blocks are.
    pub fn at(&self, path: &str) -> Option<&Node> {
        path.split('.').try_fold(self, |n, key| n.get(key))
    }

    /// Every item of a list, a single map as one item, nothing for anything else: the
    /// instances of a block (`ingress`), or of a property that may be a list or one object.
    pub fn items(&self) -> Vec<&Node> {
        match &self.val {
            Val::List(items) => items.iter().collect(),
            Val::Map(_) => vec![self],
            _ => Vec::new(),
        }
    }

    /// Every instance of the block or list `key` (empty when absent).
    pub fn all(&self, key: &str) -> Vec<&Node> {
        self.get_direct(key).map(Node::items).unwrap_or_default()
    }

    /// The entry `key` of this map only (no descent into lists).
    pub fn get_direct(&self, key: &str) -> Option<&Node> {
        match &self.val {
            Val::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The entries of a map (empty for anything else).
    pub fn entries(&self) -> &[(String, Node)] {
        match &self.val {
            Val::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The string, when the value is a known string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.val {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, also from the strings `true` and `false` that templates often hold.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.val {
            Val::Bool(b) => Some(*b),
            Val::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Val::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// The number, also from a numeric string.
    pub fn as_num(&self) -> Option<f64> {
        match &self.val {
            Val::Num(n) => Some(*n),
            Val::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The strings of a list, or the string itself, skipping what is not a known string.
    pub fn strings(&self) -> Vec<&str> {
        match &self.val {
            Val::Str(s) => vec![s.as_str()],
            Val::List(items) => items.iter().filter_map(Node::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether the value is known (not [`Val::Unknown`], and for collections, not made only of
    /// unknowns).
    pub fn is_known(&self) -> bool {
        !matches!(self.val, Val::Unknown)
    }

    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.val, Val::Null)
    }

    /// The address this node refers to, when it is a reference.
    pub fn as_ref(&self) -> Option<&str> {
        match &self.val {
            Val::Ref(r) => Some(r),
            _ => None,
        }
    }

    /// Whether the value is false, `"false"`, or absent in the sense of `null`: what a rule
    /// treats as "not switched on".
    pub fn is_off(&self) -> bool {
        self.as_bool() == Some(false) || self.is_null()
    }

    /// Every node of the tree, depth first, this one included.
    pub fn walk(&self) -> Vec<&Node> {
        let mut out = vec![self];
        let mut i = 0;
        while i < out.len() {
            let n = out[i];
            match &n.val {
                Val::List(items) => out.extend(items.iter()),
                Val::Map(entries) => out.extend(entries.iter().map(|(_, v)| v)),
                _ => {}
            }
            i += 1;
        }
        out
    }
}

impl fmt::Display for Node {
    /// The value as a user would write it, shortened for messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.val {
            Val::Null => f.write_str("null"),
            Val::Bool(b) => write!(f, "{b}"),
            Val::Num(n) => write!(f, "{n}"),
            Val::Str(s) if s.chars().count() > 60 => {
                let short: String = s.chars().take(57).collect();
                write!(f, "\"{short}...\"")
            }
            Val::Str(s) => write!(f, "\"{s}\""),
            Val::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().take(5).enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                if items.len() > 5 {
                    f.write_str(", ...")?;
                }
                f.write_str("]")
            }
            Val::Map(_) => f.write_str("{...}"),
            Val::Ref(r) => f.write_str(r),
            Val::Unknown => f.write_str("(known after apply)"),
        }
    }
}
