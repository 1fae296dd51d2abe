//! JavaScript and TypeScript (with JSX/TSX): the tree-sitter-javascript and
//! tree-sitter-typescript trees lowered into the engine's form. TypeScript's grammar extends
//! JavaScript's, so one lowering serves both; type annotations are read for parameters and
//! otherwise skipped.

use tree_sitter::Node;

use super::Lowering;
use super::common::{self, other};
use crate::ir::{Class, Expr, ExprKind, Function, Op, Param, Pos, Stmt, Target};

/// The JavaScript grammar (JSX included).
pub fn javascript() -> tree_sitter::Language {
    tree_sitter_javascript::LANGUAGE.into()
}

/// The TypeScript grammar.
pub fn typescript() -> tree_sitter::Language {
    tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into()
}

/// The TSX grammar.
pub fn tsx() -> tree_sitter::Language {
    tree_sitter_typescript::LANGUAGE_TSX.into()
}

/// Lowers a parsed program.
pub fn lower(cx: &mut Lowering<'_>, root: Node<'_>) {
    let body = block(cx, root);
    cx.module.functions[0].body = body;
}

// `block`, `statement`, `expr`, `field_expr`, `children`, `body_of` over this
// language's `statement_inner` and `expr_inner`.
common::lowering_helpers!();

fn statement_inner(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    match node.kind() {
        "expression_statement" => {
            if let Some(e) = node.named_child(0) {
                expression_statement(cx, e, out);
            }
        }
        "lexical_declaration" | "variable_declaration" => {
            let mut walker = node.walk();
            for d in node.named_children(&mut walker) {
                if d.kind() != "variable_declarator" {
                    continue;
                }
                let Some(name) = d.child_by_field_name("name") else {
                    continue;
                };
                let Some(value) = d.child_by_field_name("value") else {
                    continue;
                };
                let v = expr(cx, value);
                bind_pattern(cx, name, v, out);
            }
        }
        "statement_block" => out.extend(block(cx, node)),
        "return_statement" => {
            let value = node.named_child(0).map(|e| expr(cx, e));
            out.push(Stmt::Return(value, cx.pos(node)));
        }
        "throw_statement" | "break_statement" | "continue_statement" => {
            if let Some(e) = node.named_child(0)
                && node.kind() == "throw_statement"
            {
                out.push(Stmt::Expr(expr(cx, e)));
            }
            out.push(Stmt::Exit);
        }
        "if_statement" => {
            let cond = field_expr(cx, node, "condition");
            let then = body_of(cx, node.child_by_field_name("consequence"));
            let other = node
                .child_by_field_name("alternative")
                .map(|alt| body_of(cx, alt.named_child(0)))
                .unwrap_or_default();
            out.push(Stmt::If { cond, then, other });
        }
        "for_statement" => {
            if let Some(init) = node.child_by_field_name("initializer") {
                statement(cx, init, out);
            }
            let pos = cx.pos(node);
            let iter = match node.child_by_field_name("condition") {
                Some(c) => expr(cx, c),
                None => other(pos),
            };
            let mut body = body_of(cx, node.child_by_field_name("body"));
            if let Some(inc) = node.child_by_field_name("increment") {
                expression_statement(cx, inc, &mut body);
            }
            out.push(Stmt::Loop {
                bind: None,
                iter,
                body,
            });
        }
        "for_in_statement" => {
            let iter = field_expr(cx, node, "right");
            let bind = node.child_by_field_name("left").map(|l| target(cx, l));
            let body = body_of(cx, node.child_by_field_name("body"));
            // `for (k in obj)` iterates keys: constant names, not the values.
            let iter = match node.child_by_field_name("operator").map(|o| cx.text(o)) {
                Some("in") => Expr::new(ExprKind::Other(Vec::new()), iter.pos),
                _ => iter,
            };
            out.push(Stmt::Loop { bind, iter, body });
        }
        "while_statement" | "do_statement" => {
            let iter = field_expr(cx, node, "condition");
            let body = body_of(cx, node.child_by_field_name("body"));
            out.push(Stmt::Loop {
                bind: None,
                iter,
                body,
            });
        }
        "try_statement" => {
            let mut parts = Vec::new();
            if let Some(b) = node.child_by_field_name("body") {
                parts.extend(block(cx, b));
            }
            if let Some(h) = node.child_by_field_name("handler")
                && let Some(b) = h.child_by_field_name("body")
            {
                parts.push(Stmt::Block(block(cx, b)));
            }
            if let Some(f) = node.child_by_field_name("finalizer")
                && let Some(b) = f.child_by_field_name("body")
            {
                parts.push(Stmt::Block(block(cx, b)));
            }
            out.push(Stmt::Block(parts));
        }
        "switch_statement" => {
            let value = field_expr(cx, node, "value");
            out.push(Stmt::Expr(value));
            let mut arms = Vec::new();
            if let Some(body) = node.child_by_field_name("body") {
                let mut walker = body.walk();
                for case in body.named_children(&mut walker) {
                    let mut stmts = Vec::new();
                    let mut w = case.walk();
                    for s in case.children_by_field_name("body", &mut w) {
                        statement(cx, s, &mut stmts);
                    }
                    arms.push(stmts);
                }
            }
            let mut chain: Vec<Stmt> = Vec::new();
            for arm in arms.into_iter().rev() {
                chain = vec![Stmt::If {
                    cond: other(cx.pos(node)),
                    then: arm,
                    other: chain,
                }];
            }
            // `break` leaves the switch, not the function.
            out.push(Stmt::Block(chain));
        }
        "labeled_statement" => {
            if let Some(b) = node.child_by_field_name("body") {
                statement(cx, b, out);
            }
        }
        "function_declaration" | "generator_function_declaration" => {
            let name = node
                .child_by_field_name("name")
                .map(|n| cx.text(n).to_owned())
                .unwrap_or_default();
            let index = function(cx, node, name.clone(), Vec::new());
            let pos = cx.pos(node);
            out.push(Stmt::Assign {
                target: Target::Name(name, pos),
                value: Expr::new(ExprKind::Lambda(index), pos),
            });
        }
        "class_declaration" | "abstract_class_declaration" | "class" => class(cx, node, out),
        "import_statement" => import(cx, node, out),
        "export_statement" => {
            if let Some(d) = node.child_by_field_name("declaration") {
                statement(cx, d, out);
            } else if let Some(v) = node.child_by_field_name("value") {
                // `export default function (req, res) {...}` / `export default handler`.
                let e = expr(cx, v);
                let pos = cx.pos(node);
                out.push(Stmt::Assign {
                    target: Target::Name("default".into(), pos),
                    value: e,
                });
            }
        }
        // Syntax errors are counted from the tree (`lang::parse`).
        "ERROR" => {}
        "comment" | "empty_statement" | "debugger_statement" => {}
        // Types, interfaces, enums and declarations carry no data flow.
        _ => {}
    }
}

/// An expression used as a statement: assignments become statements.
fn expression_statement(cx: &mut Lowering<'_>, e: Node<'_>, out: &mut Vec<Stmt>) {
    match e.kind() {
        "assignment_expression" | "augmented_assignment_expression" => assignment(cx, e, out),
        "sequence_expression" => {
            let mut walker = e.walk();
            for part in e.named_children(&mut walker) {
                expression_statement(cx, part, out);
            }
        }
        "parenthesized_expression" => {
            if let Some(inner) = e.named_child(0) {
                expression_statement(cx, inner, out);
            }
        }
        _ => out.push(Stmt::Expr(expr(cx, e))),
    }
}

fn assignment(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    let (Some(left), Some(right)) = (
        node.child_by_field_name("left"),
        node.child_by_field_name("right"),
    ) else {
        return;
    };
    let mut value = expr(cx, right);
    if node.kind() == "augmented_assignment_expression" {
        let op = node
            .child_by_field_name("operator")
            .map_or(Op::Other, |o| match cx.text(o) {
                "+=" => Op::Add,
                "-=" => Op::Sub,
                "*=" => Op::Mul,
                "||=" | "??=" => Op::Or,
                "&&=" => Op::And,
                _ => Op::Other,
            });
        let pos = cx.pos(node);
        value = Expr::new(
            ExprKind::Binary(op, Box::new(expr(cx, left)), Box::new(value)),
            pos,
        );
    }
    // `module.exports = …` / `exports.x = …` are plain field stores.
    if matches!(left.kind(), "object_pattern" | "array_pattern") {
        bind_pattern(cx, left, value, out);
        return;
    }
    out.push(Stmt::Assign {
        target: target(cx, left),
        value,
    });
}

/// Binds a declaration's name or destructuring pattern to `value`. `const {exec} =
/// require("child_process")` binds `exec` to `child_process.exec`.
fn bind_pattern(cx: &mut Lowering<'_>, pattern: Node<'_>, value: Expr, out: &mut Vec<Stmt>) {
    match pattern.kind() {
        "identifier" => out.push(Stmt::Assign {
            target: Target::Name(cx.text(pattern).to_owned(), cx.pos(pattern)),
            value,
        }),
        "object_pattern" => {
            let mut walker = pattern.walk();
            for p in pattern.named_children(&mut walker) {
                let pos = cx.pos(p);
                let (key, local, default) = match p.kind() {
                    "shorthand_property_identifier_pattern" => {
                        (cx.text(p).to_owned(), Some(p), None)
                    }
                    "pair_pattern" => {
                        let key = p
                            .child_by_field_name("key")
                            .map(|k| unquote(cx.text(k)))
                            .unwrap_or_default();
                        (key, p.child_by_field_name("value"), None)
                    }
                    "object_assignment_pattern" => {
                        let left = p.child_by_field_name("left");
                        let key = left.map(|l| cx.text(l).to_owned()).unwrap_or_default();
                        (key, left, p.child_by_field_name("right"))
                    }
                    "rest_pattern" => {
                        if let Some(inner) = p.named_child(0) {
                            bind_pattern(cx, inner, value.clone(), out);
                        }
                        continue;
                    }
                    _ => continue,
                };
                let Some(local) = local else { continue };
                let mut v = Expr::new(ExprKind::Field(Box::new(value.clone()), key), pos);
                if let Some(d) = default {
                    let d = expr(cx, d);
                    v = Expr::new(ExprKind::Binary(Op::Or, Box::new(v), Box::new(d)), pos);
                }
                match local.kind() {
                    "assignment_pattern" => {
                        if let Some(l) = local.child_by_field_name("left") {
                            bind_pattern(cx, l, v, out);
                        }
                    }
                    _ => bind_pattern(cx, local, v, out),
                }
            }
        }
        "array_pattern" => {
            let mut walker = pattern.walk();
            for (i, p) in pattern.named_children(&mut walker).enumerate() {
                let pos = cx.pos(p);
                let index = Expr::new(ExprKind::Int(i64::try_from(i).unwrap_or(0)), pos);
                let v = Expr::new(
                    ExprKind::Index(Box::new(value.clone()), Box::new(index)),
                    pos,
                );
                match p.kind() {
                    "assignment_pattern" => {
                        if let Some(l) = p.child_by_field_name("left") {
                            bind_pattern(cx, l, v, out);
                        }
                    }
                    "rest_pattern" => {
                        if let Some(inner) = p.named_child(0) {
                            bind_pattern(cx, inner, value.clone(), out);
                        }
                    }
                    _ => bind_pattern(cx, p, v, out),
                }
            }
        }
        "assignment_pattern" => {
            if let Some(l) = pattern.child_by_field_name("left") {
                bind_pattern(cx, l, value, out);
            }
        }
        _ => out.push(Stmt::Assign {
            target: target(cx, pattern),
            value,
        }),
    }
}

fn unquote(text: &str) -> String {
    text.trim_matches(|c| c == '"' || c == '\'' || c == '`')
        .to_owned()
}

fn import(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    let Some(source) = node.child_by_field_name("source") else {
        return;
    };
    let module = unquote(cx.text(source));
    let mut walker = node.walk();
    for clause in node.named_children(&mut walker) {
        if clause.kind() != "import_clause" {
            continue;
        }
        let mut w = clause.walk();
        for part in clause.named_children(&mut w) {
            let pos = cx.pos(part);
            match part.kind() {
                // `import express from "express"`: the module's default export is the module
                // as far as access paths go.
                "identifier" => out.push(qualified(cx.text(part), &module, pos)),
                "namespace_import" => {
                    if let Some(id) = part.named_child(0) {
                        out.push(qualified(cx.text(id), &module, pos));
                    }
                }
                "named_imports" => {
                    let mut w2 = part.walk();
                    for spec in part.named_children(&mut w2) {
                        if spec.kind() != "import_specifier" {
                            continue;
                        }
                        let Some(name) = spec.child_by_field_name("name") else {
                            continue;
                        };
                        let name = unquote(cx.text(name));
                        let alias = spec
                            .child_by_field_name("alias")
                            .map_or_else(|| name.clone(), |a| cx.text(a).to_owned());
                        out.push(qualified(&alias, &format!("{module}.{name}"), cx.pos(spec)));
                    }
                }
                _ => {}
            }
        }
    }
}

fn qualified(local: &str, path: &str, pos: Pos) -> Stmt {
    Stmt::Assign {
        target: Target::Name(local.to_owned(), pos),
        value: Expr::new(ExprKind::Qualified(module_path(path)), pos),
    }
}

/// `node:child_process` and `child_process` are one module.
fn module_path(path: &str) -> String {
    path.strip_prefix("node:").unwrap_or(path).to_owned()
}

fn class(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    let name = node
        .child_by_field_name("name")
        .map(|n| cx.text(n).to_owned())
        .unwrap_or_default();
    let index = cx.module.classes.len();
    cx.module.classes.push(Class {
        name: name.clone(),
        methods: Vec::new(),
    });
    if let Some(body) = node.child_by_field_name("body") {
        let previous = cx.class.replace(index);
        let mut walker = body.walk();
        for member in body.named_children(&mut walker) {
            if member.kind() == "method_definition" {
                let mname = member
                    .child_by_field_name("name")
                    .map(|n| cx.text(n).to_owned())
                    .unwrap_or_default();
                let f = function(cx, member, mname, Vec::new());
                cx.module.classes[index].methods.push(f);
            }
        }
        cx.class = previous;
    }
    let pos = cx.pos(node);
    out.push(Stmt::Assign {
        target: Target::Name(name, pos),
        value: Expr::new(ExprKind::Class(index), pos),
    });
}

/// Lowers a function-like node into `cx.module.functions`; its index. Methods take an
/// implicit `this` as their first parameter.
fn function(cx: &mut Lowering<'_>, node: Node<'_>, name: String, decorators: Vec<Expr>) -> usize {
    let index = cx.module.functions.len();
    let pos = cx.pos(node);
    cx.module.functions.push(Function {
        name,
        class: cx.class,
        decorators,
        pos,
        nested: cx.depth > 0,
        ..Function::default()
    });
    let mut params = Vec::new();
    if cx.class.is_some() && node.kind() == "method_definition" {
        params.push(Param {
            name: "this".into(),
            pos,
            ..Param::default()
        });
    }
    if let Some(p) = node.child_by_field_name("parameters") {
        params.extend(parameters(cx, p));
    } else if let Some(p) = node.child_by_field_name("parameter") {
        params.push(Param {
            name: cx.text(p).to_owned(),
            pos: cx.pos(p),
            ..Param::default()
        });
    }
    let body = if node.has_error() {
        cx.module.broken_functions += 1;
        Vec::new()
    } else {
        let previous = if node.kind() == "method_definition" {
            cx.class.take()
        } else {
            cx.class
        };
        cx.depth += 1;
        let body = match node.child_by_field_name("body") {
            Some(b) if b.kind() == "statement_block" => block(cx, b),
            Some(b) => {
                let e = expr(cx, b);
                vec![Stmt::Return(Some(e), cx.pos(b))]
            }
            None => Vec::new(),
        };
        cx.depth -= 1;
        cx.class = previous;
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
        let pos = cx.pos(p);
        // TypeScript wraps each parameter with its type.
        let (pattern, ty) = match p.kind() {
            "required_parameter" | "optional_parameter" => (
                p.child_by_field_name("pattern"),
                p.child_by_field_name("type")
                    .and_then(|t| t.named_child(0))
                    .map(|t| cx.text(t).to_owned()),
            ),
            _ => (Some(p), None),
        };
        let Some(pattern) = pattern else { continue };
        let (name, default) = match pattern.kind() {
            "identifier" => (cx.text(pattern).to_owned(), None),
            "assignment_pattern" => (
                pattern
                    .child_by_field_name("left")
                    .map(|l| cx.text(l).to_owned())
                    .unwrap_or_default(),
                pattern.child_by_field_name("right").map(|r| expr(cx, r)),
            ),
            "rest_pattern" => (
                pattern
                    .named_child(0)
                    .map(|n| cx.text(n).to_owned())
                    .unwrap_or_default(),
                None,
            ),
            // `({ query }) => …`: the whole object under a synthetic name; the fields are
            // bound at the top of the body.
            _ => (format!("<param{}>", out.len()), None),
        };
        out.push(Param {
            name,
            ty,
            default: default.or_else(|| p.child_by_field_name("value").map(|v| expr(cx, v))),
            pos,
        });
    }
    out
}

fn target(cx: &mut Lowering<'_>, node: Node<'_>) -> Target {
    match node.kind() {
        "identifier" | "shorthand_property_identifier_pattern" => {
            Target::Name(cx.text(node).to_owned(), cx.pos(node))
        }
        "member_expression" => match (
            node.child_by_field_name("object"),
            node.child_by_field_name("property"),
        ) {
            (Some(o), Some(p)) => Target::Field(expr(cx, o), cx.text(p).to_owned()),
            _ => Target::Other,
        },
        "subscript_expression" => match (
            node.child_by_field_name("object"),
            node.child_by_field_name("index"),
        ) {
            (Some(o), Some(i)) => Target::Index(expr(cx, o), expr(cx, i)),
            _ => Target::Other,
        },
        "parenthesized_expression" | "non_null_expression" => {
            node.named_child(0).map_or(Target::Other, |c| target(cx, c))
        }
        _ => Target::Other,
    }
}

fn binary_op(text: &str) -> Op {
    match text {
        "+" => Op::Add,
        "-" => Op::Sub,
        "*" => Op::Mul,
        "/" => Op::Div,
        "%" => Op::Mod,
        "==" | "===" => Op::Eq,
        "!=" | "!==" => Op::Ne,
        "<" => Op::Lt,
        "<=" => Op::Le,
        ">" => Op::Gt,
        ">=" => Op::Ge,
        "&&" => Op::And,
        "||" | "??" => Op::Or,
        _ => Op::Other,
    }
}

fn expr_inner(cx: &mut Lowering<'_>, node: Node<'_>) -> Expr {
    let pos = cx.pos(node);
    let kind = match node.kind() {
        "identifier" | "shorthand_property_identifier" | "property_identifier" => {
            match cx.text(node) {
                "undefined" => ExprKind::Null,
                t => ExprKind::Name(t.to_owned()),
            }
        }
        "this" => ExprKind::Name("this".into()),
        "true" => ExprKind::Bool(true),
        "false" => ExprKind::Bool(false),
        "null" | "undefined" => ExprKind::Null,
        "number" => {
            let t = cx.text(node).replace('_', "");
            match t.parse::<i64>() {
                Ok(i) => ExprKind::Int(i),
                Err(_) => match t.parse::<f64>() {
                    Ok(f) => ExprKind::Float(f),
                    Err(_) => ExprKind::Other(Vec::new()),
                },
            }
        }
        "string" => ExprKind::Str(string_text(cx, node)),
        "template_string" => template(cx, node),
        "member_expression" => match (
            node.child_by_field_name("object"),
            node.child_by_field_name("property"),
        ) {
            (Some(o), Some(p)) => ExprKind::Field(Box::new(expr(cx, o)), cx.text(p).to_owned()),
            _ => ExprKind::Other(Vec::new()),
        },
        "subscript_expression" => match (
            node.child_by_field_name("object"),
            node.child_by_field_name("index"),
        ) {
            (Some(o), Some(i)) => ExprKind::Index(Box::new(expr(cx, o)), Box::new(expr(cx, i))),
            _ => ExprKind::Other(Vec::new()),
        },
        "call_expression" => call(cx, node),
        "new_expression" => {
            let callee = match node.child_by_field_name("constructor") {
                Some(c) => expr(cx, c),
                None => other(pos),
            };
            let args = node
                .child_by_field_name("arguments")
                .map(|a| children(cx, a))
                .unwrap_or_default();
            ExprKind::New(Box::new(Expr::new(
                ExprKind::Call {
                    callee: Box::new(callee),
                    args,
                    kwargs: Vec::new(),
                },
                pos,
            )))
        }
        "await_expression"
        | "parenthesized_expression"
        | "non_null_expression"
        | "as_expression"
        | "satisfies_expression"
        | "type_assertion"
        | "spread_element" => match node.named_child(0) {
            Some(inner) => return expr(cx, inner),
            None => ExprKind::Other(Vec::new()),
        },
        "binary_expression" => common::binary(cx, node, expr, binary_op),
        "unary_expression" => {
            let op = node.child_by_field_name("operator").map(|o| cx.text(o));
            // `typeof x` is a type name, never the data.
            if op == Some("typeof") {
                ExprKind::Other(Vec::new())
            } else {
                let arg = node.child_by_field_name("argument").map(|a| expr(cx, a));
                common::unary(op, arg)
            }
        }
        "ternary_expression" => common::ternary(cx, node, expr),
        "array" => ExprKind::List(children(cx, node)),
        "object" => object(cx, node),
        "arrow_function" | "function_expression" | "function" | "generator_function" => {
            let name = node
                .child_by_field_name("name")
                .map_or_else(|| "<lambda>".to_owned(), |n| cx.text(n).to_owned());
            let saved = cx.class.take();
            let index = function(cx, node, name, Vec::new());
            cx.class = saved;
            ExprKind::Lambda(index)
        }
        "class" => {
            let mut stmts = Vec::new();
            class(cx, node, &mut stmts);
            match stmts.pop() {
                Some(Stmt::Assign { value, .. }) => return value,
                _ => ExprKind::Other(Vec::new()),
            }
        }
        "assignment_expression" | "augmented_assignment_expression" => {
            // An assignment inside an expression (`a = b = x`): its value.
            match node.child_by_field_name("right") {
                Some(r) => return expr(cx, r),
                None => ExprKind::Other(Vec::new()),
            }
        }
        "sequence_expression" => ExprKind::Other(children(cx, node)),
        "jsx_expression" => ExprKind::Other(children(cx, node)),
        "ERROR" => ExprKind::Other(Vec::new()),
        _ => ExprKind::Other(children(cx, node)),
    };
    Expr::new(kind, pos)
}

fn object(cx: &mut Lowering<'_>, node: Node<'_>) -> ExprKind {
    let mut pairs = Vec::new();
    let mut rest = Vec::new();
    let mut walker = node.walk();
    for child in node.named_children(&mut walker) {
        let pos = cx.pos(child);
        match child.kind() {
            "pair" => {
                let key = child.child_by_field_name("key");
                let value = child.child_by_field_name("value");
                let (Some(k), Some(v)) = (key, value) else {
                    continue;
                };
                let key = match k.kind() {
                    "computed_property_name" => match k.named_child(0) {
                        Some(inner) => expr(cx, inner),
                        None => other(pos),
                    },
                    _ => Expr::new(ExprKind::Str(unquote(cx.text(k))), pos),
                };
                pairs.push((key, expr(cx, v)));
            }
            "shorthand_property_identifier" => {
                let name = cx.text(child).to_owned();
                pairs.push((
                    Expr::new(ExprKind::Str(name.clone()), pos),
                    Expr::new(ExprKind::Name(name), pos),
                ));
            }
            "method_definition" => {
                let name = child
                    .child_by_field_name("name")
                    .map(|n| cx.text(n).to_owned())
                    .unwrap_or_default();
                let saved = cx.class.take();
                let index = function(cx, child, name.clone(), Vec::new());
                cx.class = saved;
                pairs.push((
                    Expr::new(ExprKind::Str(name), pos),
                    Expr::new(ExprKind::Lambda(index), pos),
                ));
            }
            "comment" => {}
            _ => rest.push(expr(cx, child)),
        }
    }
    if rest.is_empty() {
        ExprKind::Dict(pairs)
    } else {
        rest.extend(pairs.into_iter().flat_map(|(k, v)| [k, v]));
        ExprKind::Other(rest)
    }
}

fn call(cx: &mut Lowering<'_>, node: Node<'_>) -> ExprKind {
    let Some(function) = node.child_by_field_name("function") else {
        return ExprKind::Other(Vec::new());
    };
    let arguments = node.child_by_field_name("arguments");
    // `require("child_process")` is an import.
    if cx.text(function) == "require"
        && let Some(args) = arguments
        && let Some(first) = args.named_child(0)
        && first.kind() == "string"
    {
        let module = module_path(&string_text(cx, first));
        return ExprKind::Qualified(module);
    }
    let callee = expr(cx, function);
    let args = match arguments {
        // A tagged template: the template is the argument.
        Some(a) if a.kind() == "template_string" => vec![expr(cx, a)],
        Some(a) => children(cx, a),
        None => Vec::new(),
    };
    ExprKind::Call {
        callee: Box::new(callee),
        args,
        kwargs: Vec::new(),
    }
}

fn string_text(cx: &Lowering<'_>, node: Node<'_>) -> String {
    let mut out = String::new();
    let mut walker = node.walk();
    for part in node.named_children(&mut walker) {
        match part.kind() {
            "string_fragment" => out.push_str(cx.text(part)),
            "escape_sequence" => out.push_str(match cx.text(part) {
                "\\n" => "\n",
                "\\t" => "\t",
                "\\r" => "\r",
                "\\'" => "'",
                "\\\"" => "\"",
                "\\\\" => "\\",
                other => other,
            }),
            _ => {}
        }
    }
    out
}

fn template(cx: &mut Lowering<'_>, node: Node<'_>) -> ExprKind {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut walker = node.walk();
    for part in node.named_children(&mut walker) {
        match part.kind() {
            "string_fragment" => literal.push_str(cx.text(part)),
            "escape_sequence" => literal.push_str(cx.text(part)),
            "template_substitution" => {
                if !literal.is_empty() {
                    parts.push(Expr::new(
                        ExprKind::Str(std::mem::take(&mut literal)),
                        cx.pos(part),
                    ));
                }
                parts.extend(children(cx, part));
            }
            _ => {}
        }
    }
    if parts.is_empty() {
        return ExprKind::Str(literal);
    }
    if !literal.is_empty() {
        parts.push(Expr::new(ExprKind::Str(literal), cx.pos(node)));
    }
    ExprKind::Concat(parts)
}
