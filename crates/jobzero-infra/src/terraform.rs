//! Terraform modules: HCL parsed with `hcl-edit` (which keeps byte spans), then every
//! resource's arguments evaluated as far as they can be without a plan: variables from their
//! defaults and `terraform.tfvars`/`*.auto.tfvars`, locals, references between resources,
//! `jsonencode`, heredocs, conditionals and the common collection functions.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use hcl_edit::Span;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::template::{Element, Template};
use jobzero_core::ScanError;

use crate::model::{Graph, Platform, Resource};
use crate::node::{Node, Pos, Val};
use crate::text::LineIndex;

/// How deep locals may refer to locals before evaluation gives up (cycles are cut anyway).
const MAX_DEPTH: usize = 64;

/// One file of a module.
pub struct TfFile {
    /// Display path.
    pub path: String,
    /// Its text.
    pub text: String,
}

/// A module, evaluated.
#[derive(Debug, Default)]
pub struct Module {
    /// Its resources, data sources, providers, module calls and variables, as the graph the
    /// rules read (shared by every file of the module, never copied).
    pub graph: Graph,
    /// Files that did not parse.
    pub errors: Vec<ScanError>,
}

struct Parsed {
    path: String,
    lines: LineIndex,
    body: Body,
}

/// Parses one file, or says where it is broken.
fn parse(path: &str, text: &str) -> Result<Body, ScanError> {
    hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        ScanError::new(
            path,
            u32::try_from(loc.line()).ok(),
            format!(
                "invalid HCL at column {}: {} (`{}`)",
                loc.column(),
                e.message(),
                e.line().trim()
            ),
        )
    })
}

/// Reads the module in `dir`: its `.tf` files, `terraform.tfvars` and `*.auto.tfvars`.
/// `display_dir` is the directory as findings name it.
/// `inputs` are the arguments a calling module passes (they override defaults and tfvars).
pub fn load_dir(dir: &Path, display_dir: &str, inputs: &[(String, Node)]) -> Module {
    load_dir_with(dir, display_dir, inputs, &BTreeMap::new())
}

/// [`load_dir`], with `contents` standing in for files on disk (an editor's unsaved
/// buffers, by path): a buffer of the directory is read instead of its file, or as a file of
/// its own when it is not on disk yet.
pub fn load_dir_with(
    dir: &Path,
    display_dir: &str,
    inputs: &[(String, Node)],
    contents: &BTreeMap<PathBuf, Vec<u8>>,
) -> Module {
    let mut tf = Vec::new();
    let mut vars = Vec::new();
    let mut names: BTreeSet<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => BTreeSet::new(),
    };
    names.extend(
        contents
            .keys()
            .filter(|p| p.parent() == Some(dir))
            .filter_map(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned()),
    );
    for name in names {
        let is_tf = name.ends_with(".tf");
        let is_vars = name == "terraform.tfvars" || name.ends_with(".auto.tfvars");
        if !is_tf && !is_vars {
            continue;
        }
        let path = dir.join(&name);
        let bytes = match contents.get(&path) {
            Some(b) => b.clone(),
            None => match std::fs::read(&path) {
                Ok(b) => b,
                Err(_) => continue,
            },
        };
        let file = TfFile {
            path: if display_dir.is_empty() {
                name.clone()
            } else {
                format!("{display_dir}/{name}")
            },
            text: String::from_utf8_lossy(jobzero_core::scan::without_bom(&bytes)).into_owned(),
        };
        if is_tf {
            tf.push(file)
        } else {
            vars.push(file)
        }
    }
    load(&tf, &vars, inputs)
}

/// Evaluates a module made of `files`, with variable values from `tfvars`, then from the
/// caller's `inputs`.
pub fn load(files: &[TfFile], tfvars: &[TfFile], inputs: &[(String, Node)]) -> Module {
    let mut module = Module::default();
    let mut parsed = Vec::new();
    for f in files {
        match parse(&f.path, &f.text) {
            Ok(body) => parsed.push(Parsed {
                path: f.path.clone(),
                lines: LineIndex::new(&f.text),
                body,
            }),
            Err(e) => module.errors.push(e),
        }
    }
    let mut ev = Eval::default();
    // Variable defaults first: they may not refer to anything.
    for (fi, p) in parsed.iter().enumerate() {
        for block in p.body.blocks() {
            if block.ident.as_str() == "variable"
                && let Some(name) = block.labels.first()
                && let Some(default) = block.body.get_attribute("default")
            {
                let node = ev.eval(
                    &default.value,
                    &p.lines,
                    &format!("var.{}", name.as_str()),
                    0,
                );
                ev.vars.insert(name.as_str().to_owned(), node);
            }
            if block.ident.as_str() == "locals" {
                for attr in block.body.attributes() {
                    ev.locals
                        .insert(attr.key.as_str().to_owned(), (fi, attr.value.clone()));
                }
            }
        }
    }
    for f in tfvars {
        match parse(&f.path, &f.text) {
            Ok(body) => {
                let lines = LineIndex::new(&f.text);
                for attr in body.attributes() {
                    let node = ev.eval(
                        &attr.value,
                        &lines,
                        &format!("var.{}", attr.key.as_str()),
                        0,
                    );
                    ev.vars.insert(attr.key.as_str().to_owned(), node);
                }
            }
            Err(e) => module.errors.push(e),
        }
    }
    for (name, value) in inputs {
        ev.vars.insert(name.clone(), value.clone());
    }
    ev.files = parsed.iter().map(|p| p.lines.clone()).collect();
    for p in &parsed {
        for block in p.body.blocks() {
            if let Some(r) = ev.resource(block, p) {
                module.graph.resources.push(r);
            }
        }
    }
    module
}

#[derive(Default)]
struct Eval {
    vars: HashMap<String, Node>,
    locals: HashMap<String, (usize, Expression)>,
    files: Vec<LineIndex>,
    local_values: RefCell<HashMap<String, Node>>,
    evaluating: RefCell<HashSet<String>>,
}

impl Eval {
    /// The resource a top-level block declares, if it declares one.
    fn resource(&self, block: &Block, p: &Parsed) -> Option<Resource> {
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        let (rtype, name, addr, route) = match (block.ident.as_str(), labels.as_slice()) {
            ("resource", [t, n]) => (
                (*t).to_owned(),
                (*n).to_owned(),
                format!("{t}.{n}"),
                format!("resource.{t}.{n}"),
            ),
            ("data", [t, n]) => (
                format!("data.{t}"),
                (*n).to_owned(),
                format!("data.{t}.{n}"),
                format!("data.{t}.{n}"),
            ),
            ("provider", [n]) => (
                format!("provider.{n}"),
                (*n).to_owned(),
                format!("provider.{n}"),
                format!("provider.{n}"),
            ),
            ("module", [n]) => (
                "module".to_owned(),
                (*n).to_owned(),
                format!("module.{n}"),
                format!("module.{n}"),
            ),
            ("variable", [n]) => (
                "variable".to_owned(),
                (*n).to_owned(),
                format!("var.{n}"),
                format!("variable.{n}"),
            ),
            _ => return None,
        };
        let pos = p.lines.pos(block.span().unwrap_or(0..0));
        let header = Pos {
            end_line: pos.line,
            end_column: pos.column + 1,
            ..pos
        };
        let mut conditional = false;
        if let Some(count) = block.body.get_attribute("count") {
            match self.eval(&count.value, &p.lines, "count", 0).as_num() {
                Some(n) if n < 1.0 => return None,
                Some(_) => {}
                None => conditional = true,
            }
        }
        if block.body.has_attribute("for_each") {
            conditional = true;
        }
        let body = self.body(&block.body, &p.lines, &route, pos);
        Some(Resource {
            platform: Platform::Terraform,
            rtype,
            name,
            addr,
            path: p.path.clone(),
            pos: header,
            body,
            conditional,
        })
    }

    /// A block body as a map: arguments by name, nested blocks as lists (also when written
    /// once), `dynamic` blocks as their `content`.
    fn body(&self, body: &Body, lines: &LineIndex, route: &str, pos: Pos) -> Node {
        let mut entries: Vec<(String, Node)> = Vec::new();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let key = a.key.as_str().to_owned();
                    let node = self.eval(&a.value, lines, &format!("{route}.{key}"), 0);
                    // The argument's line, not the value's, is where a reader looks.
                    let node = Node {
                        pos: lines.pos(a.span().unwrap_or(0..0)),
                        ..node
                    };
                    entries.push((key, node));
                }
                Structure::Block(b) => {
                    let (key, inner) = if b.ident.as_str() == "dynamic" {
                        let Some(label) = b.labels.first() else {
                            continue;
                        };
                        let content = b.body.blocks().find(|c| c.ident.as_str() == "content");
                        match content {
                            Some(c) => (label.as_str().to_owned(), &c.body),
                            None => continue,
                        }
                    } else {
                        (b.ident.as_str().to_owned(), &b.body)
                    };
                    let index = entries
                        .iter()
                        .find(|(k, _)| *k == key)
                        .map_or(0, |(_, n)| n.items().len());
                    let bpos = lines.pos(b.span().unwrap_or(0..0));
                    let node = self.body(inner, lines, &format!("{route}.{key}[{index}]"), bpos);
                    match entries.iter_mut().find(|(k, _)| *k == key) {
                        Some((
                            _,
                            Node {
                                val: Val::List(items),
                                ..
                            },
                        )) => items.push(node),
                        _ => entries.push((
                            key.clone(),
                            Node::new(Val::List(vec![node]), bpos, format!("{route}.{key}")),
                        )),
                    }
                }
            }
        }
        Node::new(Val::Map(entries), pos, route)
    }

    fn eval(&self, expr: &Expression, lines: &LineIndex, route: &str, depth: usize) -> Node {
        let pos = lines.pos(expr.span().unwrap_or(0..0));
        let node = |val| Node::new(val, pos, route);
        if depth > MAX_DEPTH {
            return node(Val::Unknown);
        }
        match expr {
            Expression::Null(_) => node(Val::Null),
            Expression::Bool(b) => node(Val::Bool(*b.value())),
            Expression::Number(n) => node(n.value().as_f64().map_or(Val::Unknown, Val::Num)),
            Expression::String(s) => node(Val::Str(s.value().clone())),
            Expression::Array(items) => node(Val::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, e)| self.eval(e, lines, &format!("{route}[{i}]"), depth + 1))
                    .collect(),
            )),
            Expression::Object(obj) => {
                let mut entries = Vec::new();
                for (k, v) in obj.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_owned(),
                        ObjectKey::Expression(e) => {
                            match self.eval(e, lines, route, depth + 1).val {
                                Val::Str(s) => s,
                                _ => continue,
                            }
                        }
                    };
                    let child = self.eval(v.expr(), lines, &format!("{route}.{key}"), depth + 1);
                    entries.push((key, child));
                }
                node(Val::Map(entries))
            }
            Expression::StringTemplate(t) => self.template(t, false, lines, route, pos, depth),
            Expression::HeredocTemplate(h) => {
                self.template(&h.template, h.indent().is_some(), lines, route, pos, depth)
            }
            Expression::Parenthesis(p) => self.eval(p.inner(), lines, route, depth + 1),
            Expression::Variable(_) | Expression::ForExpr(_) => node(Val::Unknown),
            Expression::Conditional(c) => {
                match self.eval(&c.cond_expr, lines, route, depth + 1).as_bool() {
                    Some(true) => self.eval(&c.true_expr, lines, route, depth + 1),
                    Some(false) => self.eval(&c.false_expr, lines, route, depth + 1),
                    None => node(Val::Unknown),
                }
            }
            Expression::FuncCall(f) => {
                let args: Vec<Node> = f
                    .args
                    .iter()
                    .map(|a| self.eval(a, lines, route, depth + 1))
                    .collect();
                Node {
                    pos,
                    ..call(f.name.name.as_str(), args, route, pos)
                }
            }
            Expression::Traversal(t) => self.traversal(t, lines, route, pos, depth),
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr, lines, route, depth + 1);
                node(match (u.operator.value(), &v.val) {
                    (UnaryOperator::Not, Val::Bool(b)) => Val::Bool(!b),
                    (UnaryOperator::Neg, Val::Num(n)) => Val::Num(-n),
                    _ => Val::Unknown,
                })
            }
            Expression::BinaryOp(b) => {
                let l = self.eval(&b.lhs_expr, lines, route, depth + 1);
                let r = self.eval(&b.rhs_expr, lines, route, depth + 1);
                node(binary(*b.operator.value(), &l, &r))
            }
        }
    }

    fn template(
        &self,
        t: &Template,
        strip_indent: bool,
        lines: &LineIndex,
        route: &str,
        pos: Pos,
        depth: usize,
    ) -> Node {
        let elements: Vec<&Element> = t.iter().collect();
        if let [Element::Interpolation(i)] = elements.as_slice() {
            let inner = self.eval(&i.expr, lines, route, depth + 1);
            return Node { pos, ..inner };
        }
        let mut out = String::new();
        for e in elements {
            match e {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => {
                    match self.eval(&i.expr, lines, route, depth + 1).val {
                        Val::Str(s) => out.push_str(&s),
                        Val::Num(n) => out.push_str(&n.to_string()),
                        Val::Bool(b) => out.push_str(&b.to_string()),
                        _ => return Node::new(Val::Unknown, pos, route),
                    }
                }
                Element::Directive(_) => return Node::new(Val::Unknown, pos, route),
            }
        }
        if strip_indent {
            out = dedent(&out);
        }
        Node::new(Val::Str(out), pos, route)
    }

    fn traversal(
        &self,
        t: &hcl_edit::expr::Traversal,
        lines: &LineIndex,
        route: &str,
        pos: Pos,
        depth: usize,
    ) -> Node {
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        let unknown = Node::new(Val::Unknown, pos, route);
        let (base, rest) = match &t.expr {
            Expression::Variable(v) => match v.as_str() {
                "var" => match attr(0).and_then(|n| self.vars.get(n)) {
                    Some(value) => (relocate(value, pos, route), &ops[1..]),
                    None => return unknown,
                },
                "local" => match attr(0).and_then(|n| self.local(n, depth)) {
                    Some(value) => (relocate(&value, pos, route), &ops[1..]),
                    None => return unknown,
                },
                "data" => {
                    return match (attr(0), attr(1)) {
                        (Some(ty), Some(name)) => {
                            Node::new(Val::Ref(format!("data.{ty}.{name}")), pos, route)
                        }
                        _ => unknown,
                    };
                }
                "module" | "each" | "count" | "path" | "terraform" | "self" => return unknown,
                ty => {
                    return match attr(0) {
                        Some(name) => Node::new(Val::Ref(format!("{ty}.{name}")), pos, route),
                        None => unknown,
                    };
                }
            },
            other => (self.eval(other, lines, route, depth + 1), &ops[..]),
        };
        let mut current = base;
        for op in rest {
            let next = match op {
                TraversalOperator::GetAttr(a) => current.get_direct(a.as_str()).cloned(),
                TraversalOperator::LegacyIndex(i) => match &current.val {
                    Val::List(items) => usize::try_from(*i.value())
                        .ok()
                        .and_then(|i| items.get(i))
                        .cloned(),
                    _ => None,
                },
                TraversalOperator::Index(e) => {
                    let key = self.eval(e, lines, route, depth + 1);
                    match (&current.val, &key.val) {
                        (Val::List(items), Val::Num(n)) if *n >= 0.0 => {
                            items.get(*n as usize).cloned()
                        }
                        (Val::Map(_), Val::Str(k)) => current.get_direct(k).cloned(),
                        _ => None,
                    }
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => None,
            };
            match next {
                Some(n) => current = relocate(&n, pos, route),
                None => return unknown,
            }
        }
        current
    }

    fn local(&self, name: &str, depth: usize) -> Option<Node> {
        if let Some(v) = self.local_values.borrow().get(name) {
            return Some(v.clone());
        }
        let (file, expr) = self.locals.get(name)?;
        if !self.evaluating.borrow_mut().insert(name.to_owned()) {
            return None;
        }
        let lines = self.files.get(*file)?;
        let value = self.eval(expr, lines, &format!("local.{name}"), depth + 1);
        self.evaluating.borrow_mut().remove(name);
        self.local_values
            .borrow_mut()
            .insert(name.to_owned(), value.clone());
        Some(value)
    }
}

/// A copy of `n` placed at `pos` under `route`: a value that came from a variable or a local
/// is reported where it is used.
fn relocate(n: &Node, pos: Pos, route: &str) -> Node {
    let val = match &n.val {
        Val::List(items) => Val::List(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| relocate(item, pos, &format!("{route}[{i}]")))
                .collect(),
        ),
        Val::Map(entries) => Val::Map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), relocate(v, pos, &format!("{route}.{k}"))))
                .collect(),
        ),
        other => other.clone(),
    };
    Node::new(val, pos, route)
}

/// The built-in functions whose result matters to rules.
fn call(name: &str, mut args: Vec<Node>, route: &str, pos: Pos) -> Node {
    let unknown = Node::new(Val::Unknown, pos, route);
    let known = |n: &Node| n.is_known() && !n.is_null();
    match name {
        // The structure is kept: rules read policies as maps, with the lines they came from.
        "jsonencode" | "yamlencode" | "tolist" | "toset" | "tomap" | "tostring" | "tonumber"
        | "tobool" | "sensitive" | "nonsensitive" | "base64encode" => {
            if args.is_empty() {
                unknown
            } else {
                args.swap_remove(0)
            }
        }
        "jsondecode" => match args.first().and_then(Node::as_str) {
            Some(s) => match serde_json::from_str::<serde_json::Value>(s) {
                Ok(v) => from_json(&v, pos, route),
                Err(_) => unknown,
            },
            None => unknown,
        },
        "try" | "coalesce" => args.into_iter().find(known).unwrap_or(unknown),
        "concat" => {
            let mut items = Vec::new();
            for a in args {
                match a.val {
                    Val::List(l) => items.extend(l),
                    _ => return unknown,
                }
            }
            Node::new(Val::List(items), pos, route)
        }
        "merge" => {
            let mut entries: Vec<(String, Node)> = Vec::new();
            for a in args {
                match a.val {
                    Val::Map(m) => {
                        for (k, v) in m {
                            entries.retain(|(e, _)| *e != k);
                            entries.push((k, v));
                        }
                    }
                    Val::Null => {}
                    _ => return unknown,
                }
            }
            Node::new(Val::Map(entries), pos, route)
        }
        "lookup" => {
            let key = args.get(1).and_then(Node::as_str).map(str::to_owned);
            match (args.first(), key) {
                (
                    Some(
                        m @ Node {
                            val: Val::Map(_), ..
                        },
                    ),
                    Some(k),
                ) => m
                    .get_direct(&k)
                    .cloned()
                    .or_else(|| args.get(2).cloned())
                    .unwrap_or(unknown),
                _ => unknown,
            }
        }
        "length" => match args.first().map(|a| &a.val) {
            Some(Val::List(l)) => Node::new(Val::Num(l.len() as f64), pos, route),
            Some(Val::Map(m)) => Node::new(Val::Num(m.len() as f64), pos, route),
            Some(Val::Str(s)) => Node::new(Val::Num(s.chars().count() as f64), pos, route),
            _ => unknown,
        },
        "keys" | "values" => match args.first().map(|a| &a.val) {
            Some(Val::Map(m)) => {
                let mut entries: Vec<&(String, Node)> = m.iter().collect();
                // Terraform returns keys in lexical order.
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                let items = entries
                    .into_iter()
                    .map(|(k, v)| {
                        if name == "keys" {
                            Node::new(Val::Str(k.clone()), pos, route)
                        } else {
                            v.clone()
                        }
                    })
                    .collect();
                Node::new(Val::List(items), pos, route)
            }
            _ => unknown,
        },
        "contains" => match (args.first().map(|a| &a.val), args.get(1)) {
            (Some(Val::List(l)), Some(v)) if v.is_known() && l.iter().all(Node::is_known) => {
                Node::new(Val::Bool(l.iter().any(|i| i.val == v.val)), pos, route)
            }
            _ => unknown,
        },
        "element" => match (
            args.first().map(|a| &a.val),
            args.get(1).and_then(Node::as_num),
        ) {
            (Some(Val::List(l)), Some(i)) if !l.is_empty() && i >= 0.0 => {
                l.get((i as usize) % l.len()).cloned().unwrap_or(unknown)
            }
            _ => unknown,
        },
        "join" => match (
            args.first().and_then(Node::as_str),
            args.get(1).map(|a| &a.val),
        ) {
            (Some(sep), Some(Val::List(l))) if l.iter().all(|i| i.as_str().is_some()) => Node::new(
                Val::Str(
                    l.iter()
                        .filter_map(Node::as_str)
                        .collect::<Vec<_>>()
                        .join(sep),
                ),
                pos,
                route,
            ),
            _ => unknown,
        },
        "split" => match (
            args.first().and_then(Node::as_str),
            args.get(1).and_then(Node::as_str),
        ) {
            (Some(sep), Some(s)) if !sep.is_empty() => Node::new(
                Val::List(
                    s.split(sep)
                        .map(|p| Node::new(Val::Str(p.to_owned()), pos, route))
                        .collect(),
                ),
                pos,
                route,
            ),
            _ => unknown,
        },
        "can" => Node::new(
            Val::Bool(args.first().is_some_and(Node::is_known)),
            pos,
            route,
        ),
        "trimspace" => match args.first().and_then(Node::as_str) {
            Some(s) => Node::new(Val::Str(s.trim().to_owned()), pos, route),
            None => unknown,
        },
        "compact" => match args.first().map(|a| &a.val) {
            Some(Val::List(l)) if l.iter().all(Node::is_known) => Node::new(
                Val::List(
                    l.iter()
                        .filter(|i| !i.is_null() && i.as_str() != Some(""))
                        .cloned()
                        .collect(),
                ),
                pos,
                route,
            ),
            _ => unknown,
        },
        "flatten" => match args.first().map(|a| &a.val) {
            Some(Val::List(l)) => {
                let mut out = Vec::new();
                for i in l {
                    match &i.val {
                        Val::List(inner) => out.extend(inner.iter().cloned()),
                        Val::Unknown => return unknown,
                        _ => out.push(i.clone()),
                    }
                }
                Node::new(Val::List(out), pos, route)
            }
            _ => unknown,
        },
        "lower" | "upper" => match args.first().and_then(Node::as_str) {
            Some(s) => Node::new(
                Val::Str(if name == "lower" {
                    s.to_lowercase()
                } else {
                    s.to_uppercase()
                }),
                pos,
                route,
            ),
            None => unknown,
        },
        _ => unknown,
    }
}

/// A JSON value as a node tree, every node at `pos`.
pub fn from_json(v: &serde_json::Value, pos: Pos, route: &str) -> Node {
    let val = match v {
        serde_json::Value::Null => Val::Null,
        serde_json::Value::Bool(b) => Val::Bool(*b),
        serde_json::Value::Number(n) => n.as_f64().map_or(Val::Unknown, Val::Num),
        serde_json::Value::String(s) => Val::Str(s.clone()),
        serde_json::Value::Array(a) => Val::List(
            a.iter()
                .enumerate()
                .map(|(i, x)| from_json(x, pos, &format!("{route}[{i}]")))
                .collect(),
        ),
        serde_json::Value::Object(o) => Val::Map(
            o.iter()
                .map(|(k, x)| (k.clone(), from_json(x, pos, &format!("{route}.{k}"))))
                .collect(),
        ),
    };
    Node::new(val, pos, route)
}

fn binary(op: BinaryOperator, l: &Node, r: &Node) -> Val {
    use BinaryOperator as B;
    match (op, &l.val, &r.val) {
        (B::And, Val::Bool(a), Val::Bool(b)) => Val::Bool(*a && *b),
        (B::Or, Val::Bool(a), Val::Bool(b)) => Val::Bool(*a || *b),
        (B::And, Val::Bool(false), _) | (B::And, _, Val::Bool(false)) => Val::Bool(false),
        (B::Or, Val::Bool(true), _) | (B::Or, _, Val::Bool(true)) => Val::Bool(true),
        (B::Eq | B::NotEq, a, b) if l.is_known() && r.is_known() => {
            let same = match (a, b) {
                (Val::Ref(_), _) | (_, Val::Ref(_)) => return Val::Unknown,
                _ => a == b,
            };
            Val::Bool(if op == B::Eq { same } else { !same })
        }
        (_, Val::Num(a), Val::Num(b)) => match op {
            B::Less => Val::Bool(a < b),
            B::LessEq => Val::Bool(a <= b),
            B::Greater => Val::Bool(a > b),
            B::GreaterEq => Val::Bool(a >= b),
            B::Plus => Val::Num(a + b),
            B::Minus => Val::Num(a - b),
            B::Mul => Val::Num(a * b),
            B::Div if *b != 0.0 => Val::Num(a / b),
            _ => Val::Unknown,
        },
        _ => Val::Unknown,
    }
}

/// A `<<-` heredoc's text without the indentation its lines share.
fn dedent(s: &str) -> String {
    let indent = s
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    s.lines()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
        + if s.ends_with('\n') { "\n" } else { "" }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn module(text: &str) -> Module {
        load(
            &[TfFile {
                path: "main.tf".into(),
                text: text.into(),
            }],
            &[],
            &[],
        )
    }

    #[test]
    fn evaluates_variables_locals_and_references() {
        let m = module(
            r#"
variable "acl" { default = "public-read" }
locals { name = "logs-${var.acl}" }
resource "aws_s3_bucket" "b" {
  bucket = local.name
  acl    = var.acl
  count  = 1
}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({ Statement = [{ Effect = "Allow" }] })
}
"#,
        );
        assert!(m.errors.is_empty(), "{:?}", m.errors);
        let b = m
            .graph
            .resources
            .iter()
            .find(|r| r.addr == "aws_s3_bucket.b")
            .unwrap();
        assert_eq!(b.str_at("bucket"), Some("logs-public-read"));
        let acl = b.at("acl").unwrap();
        assert_eq!(acl.as_str(), Some("public-read"));
        assert_eq!(acl.pos.line, 6);
        assert_eq!(acl.route, "resource.aws_s3_bucket.b.acl");
        let p = m
            .graph
            .resources
            .iter()
            .find(|r| r.addr == "aws_s3_bucket_policy.p")
            .unwrap();
        assert_eq!(p.at("bucket").unwrap().as_ref(), Some("aws_s3_bucket.b"));
        assert_eq!(
            p.at("policy")
                .unwrap()
                .at("Statement")
                .unwrap()
                .get("Effect")
                .unwrap()
                .as_str(),
            Some("Allow")
        );
    }

    #[test]
    fn collection_functions_decide_counts() {
        let m = module(
            r#"
variable "sse" { default = {} }
variable "names" { default = ["a", "b"] }
resource "aws_s3_bucket_server_side_encryption_configuration" "x" {
  count  = length(keys(var.sse)) > 0 ? 1 : 0
}
resource "r" "n" {
  joined = join("-", var.names)
  has    = contains(var.names, "b")
  second = element(var.names, 1)
}
"#,
        );
        assert!(
            m.graph
                .resources
                .iter()
                .all(|r| r.rtype != "aws_s3_bucket_server_side_encryption_configuration")
        );
        let r = m.graph.resources.iter().find(|r| r.addr == "r.n").unwrap();
        assert_eq!(r.str_at("joined"), Some("a-b"));
        assert_eq!(r.bool_at("has"), Some(true));
        assert_eq!(r.str_at("second"), Some("b"));
    }

    #[test]
    fn count_zero_removes_the_resource_and_unknown_count_marks_it() {
        let m = module(
            r#"
variable "create" { default = false }
resource "aws_instance" "a" { count = var.create ? 1 : 0 }
resource "aws_instance" "b" { count = length(var.things) }
"#,
        );
        assert!(m.graph.resources.iter().all(|r| r.addr != "aws_instance.a"));
        assert!(
            m.graph
                .resources
                .iter()
                .any(|r| r.addr == "aws_instance.b" && r.conditional)
        );
    }

    #[test]
    fn blocks_and_dynamic_blocks_are_lists() {
        let m = module(
            r#"
resource "aws_security_group" "sg" {
  ingress { from_port = 22 }
  ingress { from_port = 443 }
  dynamic "egress" {
    for_each = var.rules
    content { cidr_blocks = ["0.0.0.0/0"] }
  }
}
"#,
        );
        let sg = &m.graph.resources[0];
        let ingress = sg.body.all("ingress");
        assert_eq!(ingress.len(), 2);
        assert_eq!(
            ingress[1].route,
            "resource.aws_security_group.sg.ingress[1]"
        );
        assert_eq!(ingress[1].get("from_port").unwrap().as_num(), Some(443.0));
        assert_eq!(sg.body.all("egress").len(), 1);
    }

    #[test]
    fn tfvars_override_defaults_and_heredocs_are_read() {
        let m = load(
            &[TfFile {
                path: "main.tf".into(),
                text: "variable \"x\" { default = 1 }\nresource \"r\" \"n\" {\n  v = var.x\n  doc = <<-EOT\n    {\"a\": 1}\n  EOT\n}\n".into(),
            }],
            &[TfFile {
                path: "terraform.tfvars".into(),
                text: "x = 2\n".into(),
            }],
            &[],
        );
        let r = &m.graph.resources[1];
        assert_eq!(r.at("v").unwrap().as_num(), Some(2.0));
        assert_eq!(r.str_at("doc"), Some("{\"a\": 1}\n"));
    }

    #[test]
    fn a_broken_file_is_an_error_with_its_line() {
        let m = module("resource \"a\" \"b\" {\n  x = \n}\n");
        assert_eq!(m.errors.len(), 1);
        assert_eq!(m.errors[0].path, "main.tf");
        assert!(m.errors[0].line.is_some());
    }

    #[test]
    fn cyclic_locals_do_not_loop() {
        let m = module(
            "locals {\n a = local.b\n b = local.a\n}\nresource \"r\" \"n\" { v = local.a }\n",
        );
        assert!(!m.graph.resources[0].at("v").unwrap().is_known());
    }
}
