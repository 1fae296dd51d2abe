//! ECS container definitions in every shape (a JSON string, `jsonencode`, a CloudFormation
//! list) and the values inside them.

use crate::model::Resource;
use crate::node::{Node, Val};

/// The entry `key` of a map, whatever its case (`privileged` in Terraform's JSON,
/// `Privileged` in CloudFormation).
pub(super) fn field<'a>(n: &'a Node, key: &str) -> Option<&'a Node> {
    n.entries()
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// The items of a list, or the node itself.
fn expand(n: &Node) -> Vec<&Node> {
    match &n.val {
        Val::List(items) => items.iter().collect(),
        _ => vec![n],
    }
}

/// Every node at a dotted path, entering every item of the lists (blocks written several
/// times, lists of objects) on the way, and every item of a final list: `user.password` of
/// an `aws_mq_broker` gives the password of each `user` block.
pub(super) fn nodes_at<'a>(root: &'a Node, path: &str) -> Vec<&'a Node> {
    let mut current = vec![root];
    for seg in path.split('.') {
        current = current
            .into_iter()
            .flat_map(expand)
            .filter_map(|n| n.get_direct(seg))
            .collect();
    }
    current.into_iter().flat_map(expand).collect()
}

/// The container definitions of an ECS task definition, as a list: Terraform's
/// `container_definitions` (a `jsonencode` list, or a JSON string parsed here, its nodes
/// placed at the argument) or CloudFormation's `ContainerDefinitions`. `None` when unknown
/// (`file(...)`, a template).
pub(super) fn container_definitions(r: &Resource) -> Option<Node> {
    let n = r
        .at("container_definitions")
        .or_else(|| r.at("ContainerDefinitions"))?;
    match &n.val {
        Val::List(_) => Some(n.clone()),
        Val::Str(s) => {
            let v: serde_json::Value = serde_json::from_str(s).ok()?;
            let parsed = crate::terraform::from_json(&v, n.pos, &n.route);
            matches!(parsed.val, Val::List(_)).then_some(parsed)
        }
        _ => None,
    }
}

/// The name of a container definition, for messages.
pub(super) fn container_name(c: &Node) -> &str {
    field(c, "name")
        .and_then(Node::as_str)
        .unwrap_or("(unnamed)")
}
