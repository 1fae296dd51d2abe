//! YAML with positions, for every family that reads YAML (lockfiles, workflows, templates,
//! manifests).
//!
//! Built on the event parser of `saphyr-parser` rather than a value loader, because scanners
//! need what loaders throw away or get wrong on hostile input:
//!
//! - every node keeps its line and column, and its tag (`!Ref`, `!GetAtt`);
//! - aliases share the anchored node instead of copying it, and the size a document would
//!   have once aliases are expanded is bounded, so a "billion laughs" file is an error, not an
//!   out-of-memory;
//! - merge keys (`<<: *defaults`) are resolved, own keys winning, as GitLab CI and compose files
//!   rely on;
//! - nesting is bounded, so recursive consumers cannot overflow the stack.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// The most nodes a stream may expand to once aliases are followed.
pub const MAX_EXPANDED_NODES: u64 = 2_000_000;

/// The deepest nesting of sequences and mappings accepted.
pub const MAX_DEPTH: usize = 256;

/// A YAML syntax error, or an input refused for its size.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at line {line} column {column}")]
pub struct YamlError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

/// Index of a node in its stream.
type NodeId = usize;

#[derive(Debug, Clone)]
enum Value {
    Scalar(String, ScalarStyle),
    Sequence(Vec<NodeId>),
    Mapping(Vec<(NodeId, NodeId)>),
}

#[derive(Debug, Clone)]
struct NodeData {
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    tag: Option<String>,
    value: Value,
}

/// A parsed YAML stream: one or more documents.
#[derive(Debug, Clone, Default)]
pub struct Yaml {
    nodes: Vec<NodeData>,
    roots: Vec<NodeId>,
}

/// The kind of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A scalar (string, number, boolean or null, unresolved).
    Scalar,
    /// A sequence.
    Sequence,
    /// A mapping.
    Mapping,
}

/// A node of a [`Yaml`] stream.
#[derive(Clone, Copy)]
pub struct Node<'y> {
    yaml: &'y Yaml,
    id: NodeId,
}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.data().value {
            Value::Scalar(s, _) => write!(f, "{s:?}@{}", self.line()),
            Value::Sequence(items) => write!(f, "[{} items]@{}", items.len(), self.line()),
            Value::Mapping(e) => write!(f, "{{{} entries}}@{}", e.len(), self.line()),
        }
    }
}

impl Yaml {
    /// Parses a YAML stream.
    pub fn parse(text: &str) -> Result<Yaml, YamlError> {
        Builder::default().run(text)
    }

    /// The documents of the stream, in order.
    pub fn documents(&self) -> impl Iterator<Item = Node<'_>> {
        self.roots.iter().map(move |&id| Node { yaml: self, id })
    }

    /// The first document, if any.
    pub fn first(&self) -> Option<Node<'_>> {
        self.documents().next()
    }
}

impl<'y> Node<'y> {
    fn data(&self) -> &'y NodeData {
        // Ids are only created by the builder, for nodes it pushed.
        &self.yaml.nodes[self.id]
    }

    fn at(&self, id: NodeId) -> Node<'y> {
        Node {
            yaml: self.yaml,
            id,
        }
    }

    /// 1-based line where the node starts.
    pub fn line(&self) -> u32 {
        self.data().line
    }

    /// 1-based column where the node starts.
    pub fn column(&self) -> u32 {
        self.data().column
    }

    /// 1-based line where the node ends: the end of a scalar's text (a block scalar's last
    /// line), or for a collection where the parser closed it, which can be the start of
    /// whatever follows it.
    pub fn end_line(&self) -> u32 {
        self.data().end_line
    }

    /// 1-based column where the node ends (see [`Node::end_line`]).
    pub fn end_column(&self) -> u32 {
        self.data().end_column
    }

    /// The node's tag as written (`!Ref`, `!!str`), if any.
    pub fn tag(&self) -> Option<&'y str> {
        self.data().tag.as_deref()
    }

    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self.data().value {
            Value::Scalar(..) => Kind::Scalar,
            Value::Sequence(_) => Kind::Sequence,
            Value::Mapping(_) => Kind::Mapping,
        }
    }

    /// The text of a scalar (whatever its type: `true` and `3` are text here too).
    pub fn as_str(&self) -> Option<&'y str> {
        match &self.data().value {
            Value::Scalar(s, _) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar that is not null.
    pub fn as_text(&self) -> Option<&'y str> {
        if self.is_null() { None } else { self.as_str() }
    }

    /// Whether the scalar was quoted or written as a block, so `'true'` is no boolean.
    pub fn is_quoted(&self) -> bool {
        matches!(&self.data().value, Value::Scalar(_, style) if *style != ScalarStyle::Plain)
    }

    /// Whether the node is a null: a plain `~`, `null` or empty scalar.
    pub fn is_null(&self) -> bool {
        match &self.data().value {
            Value::Scalar(s, ScalarStyle::Plain) => {
                self.tag().is_none() && matches!(s.as_str(), "" | "~" | "null" | "Null" | "NULL")
            }
            _ => false,
        }
    }

    /// A plain `true`/`false` (YAML 1.2 core schema spellings).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.data().value {
            Value::Scalar(s, ScalarStyle::Plain) => match s.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// The value of `key` in a mapping (scalar keys only); the first entry wins, and merged
    /// entries come after the mapping's own.
    pub fn get(&self, key: &str) -> Option<Node<'y>> {
        match &self.data().value {
            Value::Mapping(entries) => entries
                .iter()
                .find(|(k, _)| self.at(*k).as_str() == Some(key))
                .map(|&(_, v)| self.at(v)),
            _ => None,
        }
    }

    /// The entries of a mapping, in document order (empty for other kinds).
    pub fn entries(&self) -> impl Iterator<Item = (Node<'y>, Node<'y>)> + use<'y> {
        let this = *self;
        let entries: &'y [(NodeId, NodeId)] = match &self.data().value {
            Value::Mapping(e) => e,
            _ => &[],
        };
        entries.iter().map(move |&(k, v)| (this.at(k), this.at(v)))
    }

    /// The items of a sequence, in order (empty for other kinds).
    pub fn items(&self) -> impl Iterator<Item = Node<'y>> + use<'y> {
        let this = *self;
        let items: &'y [NodeId] = match &self.data().value {
            Value::Sequence(i) => i,
            _ => &[],
        };
        items.iter().map(move |&id| this.at(id))
    }

    /// The number of entries or items; 0 for a scalar.
    pub fn len(&self) -> usize {
        match &self.data().value {
            Value::Scalar(..) => 0,
            Value::Sequence(i) => i.len(),
            Value::Mapping(e) => e.len(),
        }
    }

    /// Whether [`Node::len`] is 0.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

enum Frame {
    Sequence {
        start: Span,
        anchor: usize,
        tag: Option<String>,
        items: Vec<NodeId>,
    },
    Mapping {
        start: Span,
        anchor: usize,
        tag: Option<String>,
        entries: Vec<(NodeId, NodeId)>,
        key: Option<NodeId>,
    },
}

#[derive(Default)]
struct Builder {
    yaml: Yaml,
    /// Expanded size of each node, aliases counted as copies.
    sizes: Vec<u64>,
    anchors: HashMap<usize, NodeId>,
    stack: Vec<Frame>,
    /// Expanded size of the documents finished so far.
    total: u64,
}

fn position(span: &Span) -> (u32, u32) {
    marker_position(&span.start)
}

fn marker_position(marker: &saphyr_parser::Marker) -> (u32, u32) {
    let line = u32::try_from(marker.line()).unwrap_or(u32::MAX).max(1);
    let column = u32::try_from(marker.col().saturating_add(1)).unwrap_or(u32::MAX);
    (line, column)
}

fn error(span: &Span, message: impl Into<String>) -> YamlError {
    let (line, column) = position(span);
    YamlError {
        line,
        column,
        message: message.into(),
    }
}

fn tag_text(tag: Option<std::borrow::Cow<'_, saphyr_parser::Tag>>) -> Option<String> {
    tag.map(|t| format!("{}{}", t.handle, t.suffix))
}

impl Builder {
    fn run(mut self, text: &str) -> Result<Yaml, YamlError> {
        for event in Parser::new_from_str(text) {
            let (event, span) = event.map_err(|e| {
                let m = e.marker();
                YamlError {
                    line: u32::try_from(m.line()).unwrap_or(u32::MAX).max(1),
                    column: u32::try_from(m.col().saturating_add(1)).unwrap_or(u32::MAX),
                    message: e.info().to_owned(),
                }
            })?;
            match event {
                Event::Scalar(value, style, anchor, tag) => {
                    let id = self.push(
                        &span,
                        &span,
                        tag_text(tag),
                        Value::Scalar(value.into(), style),
                        1,
                    );
                    self.anchor(anchor, id);
                    self.attach(id, &span)?;
                }
                Event::Alias(anchor) => {
                    let id = *self
                        .anchors
                        .get(&anchor)
                        .ok_or_else(|| error(&span, "alias to an unknown anchor"))?;
                    self.attach(id, &span)?;
                }
                Event::SequenceStart(anchor, tag) => {
                    self.deeper(&span)?;
                    self.stack.push(Frame::Sequence {
                        start: span,
                        anchor,
                        tag: tag_text(tag),
                        items: Vec::new(),
                    });
                }
                Event::MappingStart(anchor, tag) => {
                    self.deeper(&span)?;
                    self.stack.push(Frame::Mapping {
                        start: span,
                        anchor,
                        tag: tag_text(tag),
                        entries: Vec::new(),
                        key: None,
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => self.close(&span)?,
                Event::DocumentStart(_) => self.anchors.clear(),
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
            }
        }
        Ok(self.yaml)
    }

    fn deeper(&self, span: &Span) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(error(
                span,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn push(
        &mut self,
        span: &Span,
        end: &Span,
        tag: Option<String>,
        value: Value,
        size: u64,
    ) -> NodeId {
        let (line, column) = position(span);
        let (end_line, end_column) = marker_position(&end.end);
        self.yaml.nodes.push(NodeData {
            line,
            column,
            end_line: end_line.max(line),
            end_column,
            tag,
            value,
        });
        self.sizes.push(size);
        self.yaml.nodes.len() - 1
    }

    fn anchor(&mut self, anchor: usize, id: NodeId) {
        // saphyr numbers anchors from 1; 0 means none.
        if anchor > 0 {
            self.anchors.insert(anchor, id);
        }
    }

    fn size(&self, id: NodeId) -> u64 {
        self.sizes.get(id).copied().unwrap_or(1)
    }

    fn close(&mut self, span: &Span) -> Result<(), YamlError> {
        let Some(frame) = self.stack.pop() else {
            return Err(error(span, "unbalanced end of collection"));
        };
        let (start, anchor, id) = match frame {
            Frame::Sequence {
                start,
                anchor,
                tag,
                items,
            } => {
                let size = items
                    .iter()
                    .fold(1u64, |acc, &i| acc.saturating_add(self.size(i)));
                let id = self.push(&start, span, tag, Value::Sequence(items), size);
                (start, anchor, id)
            }
            Frame::Mapping {
                start,
                anchor,
                tag,
                entries,
                ..
            } => {
                let entries = self.merge(entries);
                let size = entries.iter().fold(1u64, |acc, &(k, v)| {
                    acc.saturating_add(self.size(k))
                        .saturating_add(self.size(v))
                });
                let id = self.push(&start, span, tag, Value::Mapping(entries), size);
                (start, anchor, id)
            }
        };
        if self.size(id) > MAX_EXPANDED_NODES {
            return Err(error(
                &start,
                format!("aliases expand to more than {MAX_EXPANDED_NODES} nodes"),
            ));
        }
        self.anchor(anchor, id);
        self.attach(id, &start)
    }

    /// Resolves `<<` merge keys: the mapping's own entries first, then the merged mappings'
    /// entries whose keys it does not have, in the order the merge lists them.
    fn merge(&self, entries: Vec<(NodeId, NodeId)>) -> Vec<(NodeId, NodeId)> {
        let is_merge = |k: NodeId| {
            matches!(&self.yaml.nodes.get(k).map(|n| &n.value),
                Some(Value::Scalar(s, ScalarStyle::Plain)) if s == "<<")
        };
        if !entries.iter().any(|&(k, _)| is_merge(k)) {
            return entries;
        }
        let key_text = |k: NodeId| match self.yaml.nodes.get(k).map(|n| &n.value) {
            Some(Value::Scalar(s, _)) => Some(s.as_str()),
            _ => None,
        };
        let mut own: Vec<(NodeId, NodeId)> = Vec::with_capacity(entries.len());
        let mut sources: Vec<NodeId> = Vec::new();
        for (k, v) in entries {
            if is_merge(k) {
                match self.yaml.nodes.get(v).map(|n| &n.value) {
                    Some(Value::Sequence(items)) => sources.extend(items.iter().copied()),
                    _ => sources.push(v),
                }
            } else {
                own.push((k, v));
            }
        }
        let mut seen: std::collections::HashSet<&str> =
            own.iter().filter_map(|&(k, _)| key_text(k)).collect();
        let mut merged = Vec::new();
        for source in sources {
            if let Some(Value::Mapping(inherited)) = self.yaml.nodes.get(source).map(|n| &n.value) {
                for &(k, v) in inherited {
                    if key_text(k).is_none_or(|t| seen.insert(t)) {
                        merged.push((k, v));
                    }
                }
            }
        }
        own.extend(merged);
        own
    }

    fn attach(&mut self, id: NodeId, span: &Span) -> Result<(), YamlError> {
        match self.stack.last_mut() {
            None => {
                self.yaml.roots.push(id);
                self.total = self
                    .total
                    .saturating_add(self.sizes.get(id).copied().unwrap_or(1));
            }
            Some(Frame::Sequence { items, .. }) => items.push(id),
            Some(Frame::Mapping { entries, key, .. }) => match key.take() {
                None => *key = Some(id),
                Some(k) => entries.push((k, id)),
            },
        }
        if self.total > MAX_EXPANDED_NODES {
            return Err(error(
                span,
                format!("aliases expand to more than {MAX_EXPANDED_NODES} nodes"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn positions_tags_and_documents() {
        let y =
            Yaml::parse("a: 1\nb:\n  - x\n  - !Ref y\n---\nc: 'true'\nd: true\ne: ~\n").unwrap();
        let docs: Vec<_> = y.documents().collect();
        assert_eq!(docs.len(), 2);
        let b = docs[0].get("b").unwrap();
        assert_eq!(b.kind(), Kind::Sequence);
        let items: Vec<_> = b.items().collect();
        // A tagged scalar starts at its value, after the tag.
        assert_eq!((items[1].line(), items[1].column()), (4, 10));
        assert_eq!(items[1].tag(), Some("!Ref"));
        assert_eq!(items[1].as_str(), Some("y"));
        assert_eq!(docs[1].get("c").unwrap().as_bool(), None);
        assert!(docs[1].get("c").unwrap().is_quoted());
        assert_eq!(docs[1].get("d").unwrap().as_bool(), Some(true));
        assert!(docs[1].get("e").unwrap().is_null());
        assert_eq!(docs[1].get("e").unwrap().as_text(), None);
        let keys: Vec<_> = docs[0].entries().map(|(k, _)| k.line()).collect();
        assert_eq!(keys, [1, 2]);
    }

    #[test]
    fn aliases_and_merge_keys() {
        let y = Yaml::parse(
            ".base: &base\n  image: alpine\n  script: [a]\njob:\n  <<: *base\n  script: [b]\nother: *base\n",
        )
        .unwrap();
        let doc = y.first().unwrap();
        let job = doc.get("job").unwrap();
        assert_eq!(job.get("image").unwrap().as_str(), Some("alpine"));
        let script: Vec<_> = job
            .get("script")
            .unwrap()
            .items()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert_eq!(script, ["b"]);
        assert_eq!(job.len(), 2);
        assert_eq!(doc.get("other").unwrap().get("image").unwrap().line(), 2);
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='k' {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            text.push_str(&format!("{c}: &{c} [{refs}]\n"));
            prev = c;
        }
        let e = Yaml::parse(&text).unwrap_err();
        assert!(e.message.contains("expand"), "{e}");
    }

    #[test]
    fn errors_have_positions_and_depth_is_bounded() {
        let e = Yaml::parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(e.line >= 1, "{e}");
        let deep = "[".repeat(MAX_DEPTH + 10);
        let e = Yaml::parse(&deep).unwrap_err();
        assert!(
            e.message.contains("nesting") || e.message.contains("recursion"),
            "{e}"
        );
        assert!(Yaml::parse("a: *nope\n").is_err());
    }
}
