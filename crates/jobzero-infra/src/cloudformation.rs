//! CloudFormation templates (YAML and JSON) and Kubernetes manifests, read with the
//! positioned YAML of `jobzero-core` into the common node tree. Template intrinsics are
//! resolved where they can be: `Ref` to a parameter takes its default, `Ref`/`GetAtt` to a
//! resource become links, `Sub`/`Join` of known parts become strings, `AWS::NoValue` is null.

use std::collections::HashMap;

use jobzero_core::ScanError;
use jobzero_core::yaml::{Kind, Node as Y, Yaml};

use crate::model::{Platform, Resource};
use crate::node::{Node, Pos, Val};

/// The deepest nesting converted; deeper values are unknown.
const MAX_DEPTH: usize = 128;

/// The position of a YAML node.
pub fn pos_of(y: &Y<'_>) -> Pos {
    Pos {
        line: y.line(),
        column: y.column(),
        end_line: y.end_line(),
        end_column: y.end_column(),
    }
}

/// `route.key`, or `key` at the root.
pub fn child(route: &str, key: &str) -> String {
    if route.is_empty() {
        key.to_owned()
    } else {
        format!("{route}.{key}")
    }
}

/// What intrinsic references resolve to.
#[derive(Default)]
struct Template {
    /// Parameter defaults (unknown when a parameter has none).
    params: HashMap<String, Node>,
    /// Logical ids of resources.
    resources: Vec<String>,
}

/// Parses YAML, turning its error into a scan error of `path`.
pub fn parse_yaml(path: &str, text: &str) -> Result<Yaml, ScanError> {
    Yaml::parse(text).map_err(|e| {
        ScanError::new(
            path,
            Some(e.line),
            format!("invalid YAML at column {}: {}", e.column, e.message),
        )
    })
}

/// The resources of a template.
pub fn template(path: &str, root: Y<'_>) -> Vec<Resource> {
    let mut t = Template::default();
    if let Some(res) = root.get("Resources") {
        t.resources = res
            .entries()
            .filter_map(|(k, _)| k.as_str().map(str::to_owned))
            .collect();
    }
    if let Some(params) = root.get("Parameters") {
        for (k, v) in params.entries() {
            let Some(name) = k.as_str() else { continue };
            let route = format!("Parameters.{name}.Default");
            let value = match v.get("Default") {
                Some(d) => convert(d, &route, Some(&t), 0),
                None => Node::new(Val::Unknown, pos_of(&v), route),
            };
            t.params.insert(name.to_owned(), value);
        }
    }
    let mut out = Vec::new();
    let Some(res) = root.get("Resources") else {
        return out;
    };
    for (k, v) in res.entries() {
        let Some(id) = k.as_str() else { continue };
        let Some(rtype) = v.get("Type").and_then(|t| t.as_str()) else {
            continue;
        };
        let route = format!("Resources.{id}.Properties");
        let body = match v.get("Properties") {
            Some(p) if p.kind() == Kind::Mapping => convert(p, &route, Some(&t), 0),
            _ => Node::new(Val::Map(Vec::new()), pos_of(&k), route),
        };
        out.push(Resource {
            platform: Platform::CloudFormation,
            rtype: rtype.to_owned(),
            name: id.to_owned(),
            addr: id.to_owned(),
            path: path.to_owned(),
            pos: pos_of(&k),
            body,
            conditional: v.get("Condition").is_some(),
        });
    }
    out
}

/// The objects of a Kubernetes manifest (every document with `apiVersion` and `kind`).
pub fn manifest(path: &str, yaml: &Yaml) -> Vec<Resource> {
    let mut out = Vec::new();
    for doc in yaml.documents() {
        let items: Vec<Y<'_>> = match doc.get("kind").and_then(|k| k.as_str()) {
            // A `List` holds objects under `items`.
            Some("List") => doc
                .get("items")
                .map(|i| i.items().collect())
                .unwrap_or_default(),
            _ => vec![doc],
        };
        for obj in items {
            let (Some(kind), Some(_)) = (
                obj.get("kind").and_then(|k| k.as_str()),
                obj.get("apiVersion"),
            ) else {
                continue;
            };
            let name = obj
                .get("metadata")
                .and_then(|m| m.get("name").or_else(|| m.get("generateName")))
                .and_then(|n| n.as_str())
                .unwrap_or("unnamed");
            let namespace = obj
                .get("metadata")
                .and_then(|m| m.get("namespace"))
                .and_then(|n| n.as_str());
            out.push(Resource {
                platform: Platform::Kubernetes,
                rtype: kind.to_owned(),
                name: name.to_owned(),
                addr: match namespace {
                    Some(ns) => format!("{kind}/{ns}/{name}"),
                    None => format!("{kind}/{name}"),
                },
                path: path.to_owned(),
                pos: Pos {
                    end_line: obj.line(),
                    end_column: obj.column() + 1,
                    ..pos_of(&obj)
                },
                body: convert(obj, "", None, 0),
                conditional: false,
            });
        }
    }
    out
}

/// A YAML node as a value tree; with a template, intrinsics resolved.
fn convert(y: Y<'_>, route: &str, t: Option<&Template>, depth: usize) -> Node {
    convert_tagged(y, route, t, depth, true)
}

/// [`convert`], reading a short-form intrinsic's tag only when `tags` is set (the argument
/// of `!Base64 x` is the same node as the call).
fn convert_tagged(y: Y<'_>, route: &str, t: Option<&Template>, depth: usize, tags: bool) -> Node {
    let pos = pos_of(&y);
    let node = |val| Node::new(val, pos, route);
    if depth > MAX_DEPTH {
        return node(Val::Unknown);
    }
    if let Some(t) = t {
        if tags
            && let Some(tag) = y.tag().and_then(|tag| tag.strip_prefix('!'))
            && !tag.starts_with('!')
        {
            let name = match tag {
                "Ref" | "Condition" => tag.to_owned(),
                other => format!("Fn::{other}"),
            };
            return intrinsic(&name, y, route, t, depth);
        }
        if y.kind() == Kind::Mapping && y.len() == 1 {
            let (k, v) = y.entries().next().map(|(k, v)| (k.as_str(), v)).unzip();
            if let (Some(Some(k)), Some(v)) = (k, v)
                && (k == "Ref" || k.starts_with("Fn::"))
            {
                return Node {
                    pos,
                    ..intrinsic(k, v, route, t, depth)
                };
            }
        }
    }
    match y.kind() {
        Kind::Scalar => node(scalar(&y)),
        Kind::Sequence => node(Val::List(
            y.items()
                .enumerate()
                .map(|(i, item)| convert(item, &format!("{route}[{i}]"), t, depth + 1))
                .collect(),
        )),
        Kind::Mapping => node(Val::Map(
            y.entries()
                .filter_map(|(k, v)| {
                    let key = k.as_str()?;
                    Some((key.to_owned(), convert(v, &child(route, key), t, depth + 1)))
                })
                .collect(),
        )),
    }
}

/// A plain scalar by the YAML core schema; a quoted one is always a string.
fn scalar(y: &Y<'_>) -> Val {
    let Some(s) = y.as_str() else {
        return Val::Unknown;
    };
    if y.is_quoted() || y.tag().is_some() {
        return Val::Str(s.to_owned());
    }
    if y.is_null() {
        return Val::Null;
    }
    if let Some(b) = y.as_bool() {
        return Val::Bool(b);
    }
    if let Ok(n) = s.parse::<f64>()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
    {
        return Val::Num(n);
    }
    Val::Str(s.to_owned())
}

/// The value of an intrinsic function, as far as it is known.
fn intrinsic(name: &str, arg: Y<'_>, route: &str, t: &Template, depth: usize) -> Node {
    let pos = pos_of(&arg);
    let node = |val| Node::new(val, pos, route);
    match name {
        "Ref" => match arg.as_str() {
            Some("AWS::NoValue") => node(Val::Null),
            Some(p) if t.params.contains_key(p) => {
                let v = &t.params[p];
                Node {
                    pos,
                    route: route.to_owned(),
                    ..v.clone()
                }
            }
            Some(r) if t.resources.iter().any(|id| id == r) => node(Val::Ref(r.to_owned())),
            _ => node(Val::Unknown),
        },
        "Fn::GetAtt" => {
            let target = match arg.kind() {
                Kind::Scalar => arg.as_str().and_then(|s| s.split('.').next()),
                Kind::Sequence => arg.items().next().and_then(|i| i.as_str()),
                Kind::Mapping => None,
            };
            match target {
                Some(r) if t.resources.iter().any(|id| id == r) => node(Val::Ref(r.to_owned())),
                _ => node(Val::Unknown),
            }
        }
        "Fn::Base64" => convert_tagged(arg, route, Some(t), depth + 1, false),
        "Fn::Sub" => {
            let (text, vars) = match arg.kind() {
                Kind::Scalar => (arg.as_str(), None),
                Kind::Sequence => {
                    let mut it = arg.items();
                    (it.next().and_then(|s| s.as_str()), it.next())
                }
                Kind::Mapping => (None, None),
            };
            let Some(text) = text else {
                return node(Val::Unknown);
            };
            match substitute(text, |name| {
                if let Some(v) = vars.and_then(|m| m.get(name)) {
                    return convert(v, route, Some(t), depth + 1)
                        .as_str()
                        .map(str::to_owned);
                }
                t.params.get(name).and_then(Node::as_str).map(str::to_owned)
            }) {
                Some(s) => node(Val::Str(s)),
                None => {
                    // A string that names one resource still links to it.
                    let refs: Vec<&String> = t
                        .resources
                        .iter()
                        .filter(|id| {
                            text.contains(&format!("${{{id}}}"))
                                || text.contains(&format!("${{{id}."))
                        })
                        .collect();
                    match refs.as_slice() {
                        [one] => node(Val::Ref((*one).clone())),
                        _ => node(Val::Unknown),
                    }
                }
            }
        }
        "Fn::Join" => {
            let mut it = arg.items();
            let (Some(sep), Some(parts)) = (it.next().and_then(|s| s.as_str()), it.next()) else {
                return node(Val::Unknown);
            };
            let parts = convert(parts, route, Some(t), depth + 1);
            match &parts.val {
                Val::List(items) if items.iter().all(|i| i.as_str().is_some()) => node(Val::Str(
                    items
                        .iter()
                        .filter_map(Node::as_str)
                        .collect::<Vec<_>>()
                        .join(sep),
                )),
                _ => node(Val::Unknown),
            }
        }
        _ => node(Val::Unknown),
    }
}

/// `${Name}` replaced by `lookup(Name)`; `${!Literal}` kept as `${Literal}`; `None` when a
/// name is unknown.
fn substitute(text: &str, lookup: impl Fn(&str) -> Option<String>) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}')?;
        let name = &after[..end];
        if let Some(lit) = name.strip_prefix('!') {
            out.push_str("${");
            out.push_str(lit);
            out.push('}');
        } else {
            out.push_str(&lookup(name)?);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn resolves_parameters_refs_and_no_value() {
        let text = r#"
Parameters:
  Acl:
    Type: String
    Default: PublicRead
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: !Ref Acl
      BucketName: !Sub "${Acl}-logs"
      Tags: !Ref AWS::NoValue
      UserData: !Base64 "echo hi"
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: { "Ref": "Logs" }
      Other: !GetAtt Logs.Arn
"#;
        let y = Yaml::parse(text).unwrap();
        let rs = template("t.yaml", y.first().unwrap());
        assert_eq!(rs.len(), 2);
        assert_eq!(rs[0].str_at("AccessControl"), Some("PublicRead"));
        assert_eq!(rs[0].at("AccessControl").unwrap().pos.line, 10);
        assert_eq!(
            rs[0].at("AccessControl").unwrap().route,
            "Resources.Logs.Properties.AccessControl"
        );
        assert_eq!(rs[0].str_at("BucketName"), Some("PublicRead-logs"));
        assert!(rs[0].at("Tags").unwrap().is_null());
        assert_eq!(rs[0].str_at("UserData"), Some("echo hi"));
        assert_eq!(rs[1].at("Bucket").unwrap().as_ref(), Some("Logs"));
        assert_eq!(rs[1].at("Other").unwrap().as_ref(), Some("Logs"));
    }

    #[test]
    fn reads_every_document_of_a_manifest() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  hostNetwork: true\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n";
        let y = Yaml::parse(text).unwrap();
        let rs = manifest("m.yaml", &y);
        assert_eq!(rs.len(), 2);
        assert_eq!(rs[0].addr, "Pod/a");
        let h = rs[0].at("spec.hostNetwork").unwrap();
        assert_eq!(h.route, "spec.hostNetwork");
        assert_eq!(h.as_bool(), Some(true));
        assert_eq!(rs[1].rtype, "Service");
    }
}
