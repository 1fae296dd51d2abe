//! Resources of every platform behind one shape, and the graph that links them.

use crate::node::{Node, Pos, Val};

/// Where a resource is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Platform {
    /// A Terraform module (`resource`, `data`, `provider`, `module` and `variable` blocks).
    Terraform,
    /// A CloudFormation template.
    CloudFormation,
    /// A Kubernetes manifest.
    Kubernetes,
}

/// One resource, data source, provider, module call, variable, template resource or
/// Kubernetes object.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Where it is declared.
    pub platform: Platform,
    /// Its type: `aws_s3_bucket`, `data.aws_iam_policy_document`, `provider.aws`, `module`,
    /// `variable`; `AWS::S3::Bucket`; `Deployment`.
    pub rtype: String,
    /// Its name (label, logical id, `metadata.name`).
    pub name: String,
    /// Its address, what references to it name: `aws_s3_bucket.logs`, `Bucket`,
    /// `Deployment/web`.
    pub addr: String,
    /// The file it is declared in.
    pub path: String,
    /// Where its declaration starts (the block header, the logical id, the document).
    pub pos: Pos,
    /// Its body: Terraform arguments and blocks, CloudFormation `Properties`, the whole
    /// Kubernetes document.
    pub body: Node,
    /// Whether it may not exist at all (`count`/`for_each`, a CloudFormation `Condition`).
    pub conditional: bool,
}

impl Resource {
    /// Whether it is of one of `types`.
    pub fn is(&self, types: &[&str]) -> bool {
        types.contains(&self.rtype.as_str())
    }

    /// The argument or property at a dotted path.
    pub fn at(&self, path: &str) -> Option<&Node> {
        self.body.at(path)
    }

    /// The known string at a dotted path.
    pub fn str_at(&self, path: &str) -> Option<&str> {
        self.at(path).and_then(Node::as_str)
    }

    /// The known boolean at a dotted path.
    pub fn bool_at(&self, path: &str) -> Option<bool> {
        self.at(path).and_then(Node::as_bool)
    }

    /// Whether the argument at `path` is set to something other than `null`/`false`, or
    /// cannot be known (the benefit of the doubt: a rule reports what is provably missing).
    pub fn is_set(&self, path: &str) -> bool {
        match self.at(path) {
            None => false,
            Some(n) => !n.is_null() && n.as_bool() != Some(false),
        }
    }

    /// A route under this resource, for a finding about something missing.
    pub fn route_of(&self, tail: &str) -> String {
        if self.body.route.is_empty() {
            tail.to_owned()
        } else {
            format!("{}.{tail}", self.body.route)
        }
    }
}

/// Every resource of one Terraform module, one template or one manifest file, for the
/// rules that must look at other resources: a bucket's encryption may be declared by an
/// `aws_s3_bucket_server_side_encryption_configuration` of another file.
#[derive(Debug, Default)]
pub struct Graph {
    /// The resources, in file and declaration order.
    pub resources: Vec<Resource>,
}

impl Graph {
    /// Resources of one of `types`.
    pub fn of<'g>(&'g self, types: &'g [&'g str]) -> impl Iterator<Item = &'g Resource> + 'g {
        self.resources.iter().filter(move |r| r.is(types))
    }

    /// Resources of type `rtype` whose argument `attr` points at `target`: a reference to its
    /// address, or its literal name (`bucket = "logs"`, `Bucket: !Ref LogsBucket`).
    pub fn linked<'g>(&'g self, target: &Resource, rtype: &str, attr: &str) -> Vec<&'g Resource> {
        let names = identities(target);
        self.resources
            .iter()
            .filter(|r| r.rtype == rtype)
            .filter(|r| {
                r.at(attr)
                    .is_some_and(|n| points_at(n, &target.addr, &names))
            })
            .collect()
    }

    /// The resource at `addr`.
    pub fn get(&self, addr: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.addr == addr)
    }
}

/// Whether `n` names the resource with address `addr` or one of its literal `names`.
pub fn points_at(n: &Node, addr: &str, names: &[&str]) -> bool {
    match &n.val {
        Val::Ref(r) => r == addr,
        Val::Str(s) => names.contains(&s.as_str()) || s.strip_prefix("arn:aws:s3:::") == Some(addr),
        Val::List(items) => items.iter().any(|i| points_at(i, addr, names)),
        _ => false,
    }
}

/// The literal names a resource is known by, besides its address.
fn identities(r: &Resource) -> Vec<&str> {
    [
        "bucket",
        "name",
        "BucketName",
        "QueueName",
        "TopicName",
        "GroupName",
    ]
    .iter()
    .filter_map(|k| r.str_at(k))
    .collect()
}
