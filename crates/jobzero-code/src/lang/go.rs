//! Go: tree-sitter-go's tree lowered into the engine's form. An import is bound to its full
//! path with dots turned into `_` (`net/http`, `github_com/gin-gonic/gin`), so an access
//! path segment is a whole import path; a method's receiver is its `this`; a composite
//! literal `T{K: v}` is a call of `T` with one keyed argument, so rules can test its fields
//! (`tls.Config{InsecureSkipVerify: true}`).

use tree_sitter::Node;

use super::Lowering;
use super::common::{self, other};
use crate::ir::{Expr, ExprKind, Function, Op, Param, Stmt, Target};

/// The grammar.
pub fn language() -> tree_sitter::Language {
    tree_sitter_go::LANGUAGE.into()
}

/// Lowers a source file.
pub fn lower(cx: &mut Lowering<'_>, root: Node<'_>) {
    let mut body = Vec::new();
    let mut walker = root.walk();
    for child in root.named_children(&mut walker) {
        top_level(cx, child, &mut body);
    }
    cx.module.functions[0].body = body;
}

/// An import path as an access-path segment.
fn import_path(path: &str) -> String {
    path.replace('.', "_")
}

fn top_level(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    match node.kind() {
        "import_declaration" => {
            let mut specs = Vec::new();
            let mut walker = node.walk();
            for child in node.named_children(&mut walker) {
                match child.kind() {
                    "import_spec" => specs.push(child),
                    "import_spec_list" => {
                        let mut w = child.walk();
                        specs.extend(
                            child
                                .named_children(&mut w)
                                .filter(|c| c.kind() == "import_spec"),
                        );
                    }
                    _ => {}
                }
            }
            for spec in specs {
                let Some(path) = spec.child_by_field_name("path") else {
                    continue;
                };
                let path = cx.text(path).trim_matches(['"', '`']).to_owned();
                let local = match spec.child_by_field_name("name") {
                    Some(n) if n.kind() == "package_identifier" => cx.text(n).to_owned(),
                    Some(_) => continue,
                    None => path
                        .rsplit('/')
                        .find(|p| {
                            !(p.starts_with('v') && p[1..].chars().all(|c| c.is_ascii_digit()))
                        })
                        .unwrap_or(&path)
                        .to_owned(),
                };
                let pos = cx.pos(spec);
                out.push(Stmt::Assign {
                    target: Target::Name(local, pos),
                    value: Expr::new(ExprKind::Qualified(import_path(&path)), pos),
                });
            }
        }
        "function_declaration" | "method_declaration" => {
            let name = node
                .child_by_field_name("name")
                .map(|n| cx.text(n).to_owned())
                .unwrap_or_default();
            let index = function(cx, node, name.clone());
            // Methods are reached through their receiver's type; functions by name.
            if node.kind() == "function_declaration" {
                let pos = cx.pos(node);
                out.push(Stmt::Assign {
                    target: Target::Name(name, pos),
                    value: Expr::new(ExprKind::Lambda(index), pos),
                });
            }
        }
        "var_declaration" | "const_declaration" => declaration(cx, node, out),
        // Syntax errors are counted from the tree (`lang::parse`).
        "ERROR" => {}
        _ => {}
    }
}

/// `var x T = v`, `const (a = 1; b = 2)`.
fn declaration(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    let mut specs = Vec::new();
    let mut walker = node.walk();
    for child in node.named_children(&mut walker) {
        match child.kind() {
            "var_spec" | "const_spec" => specs.push(child),
            "var_spec_list" | "const_spec_list" => {
                let mut w = child.walk();
                specs.extend(child.named_children(&mut w));
            }
            _ => {}
        }
    }
    for spec in specs {
        let mut names = Vec::new();
        let mut w = spec.walk();
        for n in spec.children_by_field_name("name", &mut w) {
            if n.kind() == "identifier" {
                names.push(Target::Name(cx.text(n).to_owned(), cx.pos(n)));
            }
        }
        let ty = spec
            .child_by_field_name("type")
            .map(|t| go_type(cx.text(t)));
        let values = spec.child_by_field_name("value").map(|v| list(cx, v));
        let pos = cx.pos(spec);
        let target = match names.len() {
            1 => names.pop().unwrap_or(Target::Other),
            _ => Target::Tuple(names),
        };
        let mut value = match values {
            Some(mut vs) if vs.len() == 1 => vs.pop().unwrap_or_else(|| other(pos)),
            Some(vs) => Expr::new(ExprKind::List(vs), pos),
            None => other(pos),
        };
        if let Some(t) = ty {
            value = Expr::new(ExprKind::Typed(t, Box::new(value)), pos);
        }
        out.push(Stmt::Assign { target, value });
    }
}

/// `*http.Request` → `http.Request`; `[]string` → `string`.
fn go_type(text: &str) -> String {
    text.trim_start_matches(['*', '[', ']', '.'])
        .split('[')
        .next()
        .unwrap_or(text)
        .trim()
        .to_owned()
}

fn function(cx: &mut Lowering<'_>, node: Node<'_>, name: String) -> usize {
    let index = cx.module.functions.len();
    let pos = cx.pos(node);
    cx.module.functions.push(Function {
        name,
        pos,
        nested: cx.depth > 0,
        ..Function::default()
    });
    let mut params = Vec::new();
    if let Some(r) = node.child_by_field_name("receiver") {
        params.extend(parameters(cx, r));
    }
    if let Some(p) = node.child_by_field_name("parameters") {
        params.extend(parameters(cx, p));
    }
    let body = if node.has_error() {
        cx.module.broken_functions += 1;
        Vec::new()
    } else {
        cx.depth += 1;
        let body = node
            .child_by_field_name("body")
            .map(|b| block(cx, b))
            .unwrap_or_default();
        cx.depth -= 1;
        body
    };
    let f = &mut cx.module.functions[index];
    f.params = params;
    f.body = body;
    index
}

fn parameters(cx: &mut Lowering<'_>, node: Node<'_>) -> Vec<Param> {
    let mut out = Vec::new();
    let mut walker = node.walk();
    for p in node.named_children(&mut walker) {
        if !matches!(
            p.kind(),
            "parameter_declaration" | "variadic_parameter_declaration"
        ) {
            continue;
        }
        let ty = p.child_by_field_name("type").map(|t| go_type(cx.text(t)));
        let mut w = p.walk();
        let names: Vec<Node<'_>> = p.children_by_field_name("name", &mut w).collect();
        if names.is_empty() {
            out.push(Param {
                name: format!("<param{}>", out.len()),
                ty: ty.clone(),
                pos: cx.pos(p),
                ..Param::default()
            });
        }
        for n in names {
            out.push(Param {
                name: cx.text(n).to_owned(),
                ty: ty.clone(),
                pos: cx.pos(n),
                ..Param::default()
            });
        }
    }
    out
}

fn list(cx: &mut Lowering<'_>, node: Node<'_>) -> Vec<Expr> {
    if node.kind() == "expression_list" {
        children(cx, node)
    } else {
        vec![expr(cx, node)]
    }
}

fn targets(cx: &mut Lowering<'_>, node: Node<'_>) -> Target {
    let mut walker = node.walk();
    let parts: Vec<Target> = node
        .named_children(&mut walker)
        .map(|c| target(cx, c))
        .collect();
    match parts.len() {
        1 => parts.into_iter().next().unwrap_or(Target::Other),
        _ => Target::Tuple(parts),
    }
}

fn target(cx: &mut Lowering<'_>, node: Node<'_>) -> Target {
    match node.kind() {
        "identifier" => match cx.text(node) {
            "_" => Target::Other,
            name => Target::Name(name.to_owned(), cx.pos(node)),
        },
        "selector_expression" => match (
            node.child_by_field_name("operand"),
            node.child_by_field_name("field"),
        ) {
            (Some(o), Some(f)) => Target::Field(expr(cx, o), cx.text(f).to_owned()),
            _ => Target::Other,
        },
        "index_expression" => match (
            node.child_by_field_name("operand"),
            node.child_by_field_name("index"),
        ) {
            (Some(o), Some(i)) => Target::Index(expr(cx, o), expr(cx, i)),
            _ => Target::Other,
        },
        "parenthesized_expression" => node.named_child(0).map_or(Target::Other, |c| target(cx, c)),
        _ => Target::Other,
    }
}

/// `a, b := f()`, `x = v`, `x += v`.
fn assignment(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    let (Some(left), Some(right)) = (
        node.child_by_field_name("left"),
        node.child_by_field_name("right"),
    ) else {
        return;
    };
    let target = targets(cx, left);
    let pos = cx.pos(node);
    let values = list(cx, right);
    let mut value = match <[Expr; 1]>::try_from(values) {
        Ok([v]) => v,
        Err(vs) => Expr::new(ExprKind::List(vs), pos),
    };
    if let Some(op) = node.child_by_field_name("operator").map(|o| cx.text(o))
        && op != "="
        && op != ":="
    {
        let bop = match op {
            "+=" => Op::Add,
            "-=" => Op::Sub,
            "*=" => Op::Mul,
            _ => Op::Other,
        };
        let current = match left.named_child(0) {
            Some(l) => expr(cx, l),
            None => other(pos),
        };
        value = Expr::new(
            ExprKind::Binary(bop, Box::new(current), Box::new(value)),
            pos,
        );
    }
    out.push(Stmt::Assign { target, value });
}

common::lowering_helpers!();

fn statement_inner(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    match node.kind() {
        "block" | "statement_list" => out.extend(block(cx, node)),
        "expression_statement" => {
            if let Some(e) = node.named_child(0) {
                out.push(Stmt::Expr(expr(cx, e)));
            }
        }
        "short_var_declaration" | "assignment_statement" => assignment(cx, node, out),
        "var_declaration" | "const_declaration" => declaration(cx, node, out),
        "return_statement" => {
            let value = node.named_child(0).map(|l| {
                let mut vs = list(cx, l);
                let pos = cx.pos(l);
                // `return value, err`: the value is what callers read.
                if vs.len() > 1 {
                    Expr::new(ExprKind::List(vs), pos)
                } else {
                    vs.pop().unwrap_or_else(|| other(pos))
                }
            });
            out.push(Stmt::Return(value, cx.pos(node)));
        }
        "break_statement" | "continue_statement" | "goto_statement" => out.push(Stmt::Exit),
        "if_statement" => {
            if let Some(init) = node.child_by_field_name("initializer") {
                statement(cx, init, out);
            }
            let cond = field_expr(cx, node, "condition");
            let then = body_of(cx, node.child_by_field_name("consequence"));
            let other = body_of(cx, node.child_by_field_name("alternative"));
            out.push(Stmt::If { cond, then, other });
        }
        "for_statement" => {
            let mut bind = None;
            let mut iter = other(cx.pos(node));
            let mut update = Vec::new();
            let mut walker = node.walk();
            for part in node.named_children(&mut walker) {
                match part.kind() {
                    "range_clause" => {
                        // `for k, v := range xs`: the element is the second name.
                        bind = part.child_by_field_name("left").map(|l| {
                            let mut w = l.walk();
                            let names: Vec<Node<'_>> = l.named_children(&mut w).collect();
                            match names.as_slice() {
                                [_, v] => target(cx, *v),
                                [k] => target(cx, *k),
                                _ => Target::Other,
                            }
                        });
                        iter = field_expr(cx, part, "right");
                    }
                    "for_clause" => {
                        if let Some(init) = part.child_by_field_name("initializer") {
                            statement(cx, init, out);
                        }
                        if let Some(c) = part.child_by_field_name("condition") {
                            iter = expr(cx, c);
                        }
                        if let Some(u) = part.child_by_field_name("update") {
                            statement(cx, u, &mut update);
                        }
                    }
                    "block" => {}
                    _ => iter = expr(cx, part),
                }
            }
            let mut body = body_of(cx, node.child_by_field_name("body"));
            body.extend(update);
            out.push(Stmt::Loop { bind, iter, body });
        }
        "expression_switch_statement" | "type_switch_statement" | "select_statement" => {
            switch(cx, node, out);
        }
        "labeled_statement" | "go_statement" | "defer_statement" => {
            let mut walker = node.walk();
            for child in node.named_children(&mut walker) {
                if child.kind() == "label_name" {
                    continue;
                }
                if child.kind().ends_with("expression") {
                    out.push(Stmt::Expr(expr(cx, child)));
                } else {
                    statement(cx, child, out);
                }
            }
        }
        "inc_statement" | "dec_statement" | "send_statement" => {
            let mut walker = node.walk();
            for child in node.named_children(&mut walker) {
                out.push(Stmt::Expr(expr(cx, child)));
            }
        }
        "function_declaration" | "method_declaration" => top_level(cx, node, out),
        // Syntax errors are counted from the tree (`lang::parse`).
        "ERROR" => {}
        _ => {}
    }
}

/// `switch v { case a: … default: … }`: an `if` chain on `v == case`, so a constant subject
/// takes its case.
fn switch(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    if let Some(init) = node.child_by_field_name("initializer") {
        statement(cx, init, out);
    }
    let pos = cx.pos(node);
    let subject = node.child_by_field_name("value").map(|v| expr(cx, v));
    let mut arms: Vec<(Vec<Expr>, Vec<Stmt>)> = Vec::new();
    let mut walker = node.walk();
    for case in node.named_children(&mut walker) {
        if !case.kind().ends_with("_case") && case.kind() != "communication_case" {
            continue;
        }
        let labels = match case.child_by_field_name("value") {
            Some(v) if case.kind() == "expression_case" => list(cx, v),
            _ => Vec::new(),
        };
        let mut stmts = Vec::new();
        let mut w = case.walk();
        for part in case.named_children(&mut w) {
            if part.kind() == "statement_list" {
                stmts.extend(block(cx, part));
            }
        }
        arms.push((labels, stmts));
    }
    let mut chain: Vec<Stmt> = Vec::new();
    for (labels, stmts) in arms.into_iter().rev() {
        let mut cond: Option<Expr> = None;
        for l in labels {
            let c = match &subject {
                Some(s) => Expr::new(
                    ExprKind::Binary(Op::Eq, Box::new(s.clone()), Box::new(l)),
                    pos,
                ),
                // `switch { case cond: }`
                None => l,
            };
            cond = Some(match cond {
                None => c,
                Some(prev) => Expr::new(ExprKind::Binary(Op::Or, Box::new(prev), Box::new(c)), pos),
            });
        }
        chain = vec![Stmt::If {
            // `default:` runs when nothing before it did.
            cond: cond.unwrap_or_else(|| Expr::new(ExprKind::Bool(true), pos)),
            then: stmts,
            other: chain,
        }];
    }
    if let Some(s) = subject {
        out.push(Stmt::Expr(s));
    }
    out.push(Stmt::Block(chain));
}

fn binary_op(text: &str) -> Op {
    match text {
        "+" => Op::Add,
        "-" => Op::Sub,
        "*" => Op::Mul,
        "/" => Op::FloorDiv,
        "%" => Op::Mod,
        "==" => Op::Eq,
        "!=" => Op::Ne,
        "<" => Op::Lt,
        "<=" => Op::Le,
        ">" => Op::Gt,
        ">=" => Op::Ge,
        "&&" => Op::And,
        "||" => Op::Or,
        _ => Op::Other,
    }
}

fn go_string(cx: &Lowering<'_>, node: Node<'_>) -> String {
    let text = cx.text(node);
    if node.kind() == "raw_string_literal" {
        return text.trim_matches('`').to_owned();
    }
    let inner = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    inner
        .replace("\\n", "\n")
        .replace("\\t", "\t")
        .replace("\\\"", "\"")
        .replace("\\\\", "\\")
}

fn expr_inner(cx: &mut Lowering<'_>, node: Node<'_>) -> Expr {
    let pos = cx.pos(node);
    let kind = match node.kind() {
        "identifier" | "field_identifier" | "package_identifier" | "type_identifier" => {
            match cx.text(node) {
                "nil" => ExprKind::Null,
                "true" => ExprKind::Bool(true),
                "false" => ExprKind::Bool(false),
                t => ExprKind::Name(t.to_owned()),
            }
        }
        "true" => ExprKind::Bool(true),
        "false" => ExprKind::Bool(false),
        "nil" => ExprKind::Null,
        "int_literal" => cx
            .text(node)
            .replace('_', "")
            .parse::<i64>()
            .map_or(ExprKind::Other(Vec::new()), ExprKind::Int),
        "float_literal" => cx
            .text(node)
            .replace('_', "")
            .parse::<f64>()
            .map_or(ExprKind::Other(Vec::new()), ExprKind::Float),
        "interpreted_string_literal" | "raw_string_literal" => ExprKind::Str(go_string(cx, node)),
        "rune_literal" => ExprKind::Str(cx.text(node).trim_matches('\'').to_owned()),
        "selector_expression" => match (
            node.child_by_field_name("operand"),
            node.child_by_field_name("field"),
        ) {
            (Some(o), Some(f)) => ExprKind::Field(Box::new(expr(cx, o)), cx.text(f).to_owned()),
            _ => ExprKind::Other(Vec::new()),
        },
        "qualified_type" => match (
            node.child_by_field_name("package"),
            node.child_by_field_name("name"),
        ) {
            (Some(p), Some(n)) => ExprKind::Field(
                Box::new(Expr::new(ExprKind::Name(cx.text(p).to_owned()), pos)),
                cx.text(n).to_owned(),
            ),
            _ => ExprKind::Other(Vec::new()),
        },
        "index_expression" => match (
            node.child_by_field_name("operand"),
            node.child_by_field_name("index"),
        ) {
            (Some(o), Some(i)) => ExprKind::Index(Box::new(expr(cx, o)), Box::new(expr(cx, i))),
            _ => ExprKind::Other(Vec::new()),
        },
        "slice_expression" => match node.child_by_field_name("operand") {
            Some(o) => ExprKind::Other(vec![expr(cx, o)]),
            None => ExprKind::Other(Vec::new()),
        },
        "call_expression" => {
            let callee = field_expr(cx, node, "function");
            let args = node
                .child_by_field_name("arguments")
                .map(|a| children(cx, a))
                .unwrap_or_default();
            ExprKind::Call {
                callee: Box::new(callee),
                args,
                kwargs: Vec::new(),
            }
        }
        "composite_literal"
            if node.child_by_field_name("type").is_some_and(|t| {
                matches!(
                    t.kind(),
                    "map_type" | "slice_type" | "array_type" | "implicit_length_array_type"
                )
            }) =>
        {
            // A map or slice literal is the container itself: its keys and elements are known.
            match node.child_by_field_name("body") {
                Some(b) => return literal(cx, b),
                None => ExprKind::Other(Vec::new()),
            }
        }
        "composite_literal" => {
            let callee = match node.child_by_field_name("type") {
                Some(t)
                    if matches!(
                        t.kind(),
                        "qualified_type" | "type_identifier" | "generic_type"
                    ) =>
                {
                    expr(cx, t)
                }
                _ => other(pos),
            };
            let body = node.child_by_field_name("body").map(|b| literal(cx, b));
            ExprKind::Call {
                callee: Box::new(callee),
                args: body.into_iter().collect(),
                kwargs: Vec::new(),
            }
        }
        "literal_value" => return literal(cx, node),
        "literal_element" => match node.named_child(0) {
            Some(inner) => return expr(cx, inner),
            None => ExprKind::Other(Vec::new()),
        },
        "func_literal" => {
            let index = function(cx, node, "<lambda>".into());
            ExprKind::Lambda(index)
        }
        "binary_expression" => common::binary(cx, node, expr, binary_op),
        "unary_expression" => {
            let op = node.child_by_field_name("operator").map(|o| cx.text(o));
            let operand = node.child_by_field_name("operand").map(|a| expr(cx, a));
            match (op, operand) {
                // `&x`, `*p`: the same data.
                (Some("&" | "*"), Some(a)) => return a,
                (op, operand) => common::unary(op, operand),
            }
        }
        "parenthesized_expression" | "type_assertion_expression" | "type_conversion_expression" => {
            match node
                .child_by_field_name("operand")
                .or_else(|| node.named_child(0))
            {
                Some(inner) => return expr(cx, inner),
                None => ExprKind::Other(Vec::new()),
            }
        }
        "ERROR" => ExprKind::Other(Vec::new()),
        _ => ExprKind::Other(children(cx, node)),
    };
    Expr::new(kind, pos)
}

/// `{K: v, ...}` → a dictionary of its constant keys; `{a, b}` → a list.
fn literal(cx: &mut Lowering<'_>, node: Node<'_>) -> Expr {
    let pos = cx.pos(node);
    let mut pairs = Vec::new();
    let mut items = Vec::new();
    let mut walker = node.walk();
    for el in node.named_children(&mut walker) {
        match el.kind() {
            "keyed_element" => {
                let (Some(k), Some(v)) = (
                    el.child_by_field_name("key"),
                    el.child_by_field_name("value"),
                ) else {
                    let mut w = el.walk();
                    let parts: Vec<Node<'_>> = el.named_children(&mut w).collect();
                    if let [k, v] = parts.as_slice() {
                        let key = Expr::new(ExprKind::Str(cx.text(*k).to_owned()), cx.pos(*k));
                        pairs.push((key, expr(cx, *v)));
                    }
                    continue;
                };
                let key_text = cx.text(k).trim_matches('"').to_owned();
                let key = Expr::new(ExprKind::Str(key_text), cx.pos(k));
                pairs.push((key, expr(cx, v)));
            }
            "comment" => {}
            _ => items.push(expr(cx, el)),
        }
    }
    if pairs.is_empty() {
        Expr::new(ExprKind::List(items), pos)
    } else {
        Expr::new(ExprKind::Dict(pairs), pos)
    }
}
