//! Java: tree-sitter-java's tree lowered into the engine's form. Every method takes an
//! implicit `this`, and an unqualified call `helper(x)` is `this.helper(x)`, so methods of the
//! same class are followed; every class, nested or not, is bound by name at module level.

use tree_sitter::Node;

use super::Lowering;
use super::common::{self, other};
use crate::ir::{Class, Expr, ExprKind, Function, Op, Param, Stmt, Target};

/// The grammar.
pub fn language() -> tree_sitter::Language {
    tree_sitter_java::LANGUAGE.into()
}

/// Lowers a compilation unit.
pub fn lower(cx: &mut Lowering<'_>, root: Node<'_>) {
    let mut body = Vec::new();
    let mut walker = root.walk();
    for child in root.named_children(&mut walker) {
        top_level(cx, child, &mut body);
    }
    cx.module.functions[0].body = body;
}

fn top_level(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    match node.kind() {
        "import_declaration" => {
            let text = cx.text(node);
            let path = text
                .trim_start_matches("import")
                .trim()
                .trim_start_matches("static")
                .trim()
                .trim_end_matches(';')
                .trim();
            if path.ends_with(".*") {
                return;
            }
            let local = path.rsplit('.').next().unwrap_or(path).to_owned();
            let pos = cx.pos(node);
            out.push(Stmt::Assign {
                target: Target::Name(local, pos),
                value: Expr::new(ExprKind::Qualified(path.to_owned()), pos),
            });
        }
        "class_declaration"
        | "interface_declaration"
        | "enum_declaration"
        | "record_declaration" => class(cx, node, out),
        // Syntax errors are counted from the tree (`lang::parse`).
        "ERROR" => {}
        _ => {}
    }
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
    let pos = cx.pos(node);
    // Bound first: methods refer to their own class.
    out.push(Stmt::Assign {
        target: Target::Name(name, pos),
        value: Expr::new(ExprKind::Class(index), pos),
    });
    let Some(body) = node.child_by_field_name("body") else {
        return;
    };
    let previous = cx.class.replace(index);
    let mut walker = body.walk();
    for member in body.named_children(&mut walker) {
        match member.kind() {
            "method_declaration"
            | "constructor_declaration"
            | "compact_constructor_declaration" => {
                let mname = if member.kind() == "method_declaration" {
                    member
                        .child_by_field_name("name")
                        .map(|n| cx.text(n).to_owned())
                        .unwrap_or_default()
                } else {
                    "constructor".to_owned()
                };
                let f = method(cx, member, mname);
                cx.module.classes[index].methods.push(f);
            }
            "field_declaration" => {
                // Constant fields (`static final String SQL = "..."`) as module-level
                // names: methods read them unqualified.
                let mut stmts = Vec::new();
                declarators(cx, member, &mut stmts);
                out.extend(stmts);
            }
            "class_declaration"
            | "interface_declaration"
            | "enum_declaration"
            | "record_declaration" => class(cx, member, out),
            "enum_body_declarations" => {}
            _ => {}
        }
    }
    cx.class = previous;
}

/// Annotation names of a declaration's modifiers (`RequestParam`, `GetMapping`).
fn annotations(cx: &mut Lowering<'_>, node: Node<'_>) -> Vec<Expr> {
    let mut out = Vec::new();
    let mut walker = node.walk();
    for child in node.named_children(&mut walker) {
        if child.kind() != "modifiers" {
            continue;
        }
        let mut w = child.walk();
        for m in child.named_children(&mut w) {
            if matches!(m.kind(), "marker_annotation" | "annotation")
                && let Some(name) = m.child_by_field_name("name")
            {
                let pos = cx.pos(m);
                out.push(Expr::new(
                    ExprKind::Name(format!("@{}", cx.text(name))),
                    pos,
                ));
            }
        }
    }
    out
}

fn method(cx: &mut Lowering<'_>, node: Node<'_>, name: String) -> usize {
    let index = cx.module.functions.len();
    let pos = cx.pos(node);
    let decorators = annotations(cx, node);
    cx.module.functions.push(Function {
        name,
        class: cx.class,
        decorators,
        pos,
        nested: false,
        ..Function::default()
    });
    let mut params = vec![Param {
        name: "this".into(),
        pos,
        ..Param::default()
    }];
    if let Some(list) = node.child_by_field_name("parameters") {
        let mut walker = list.walk();
        for p in list.named_children(&mut walker) {
            if !matches!(p.kind(), "formal_parameter" | "spread_parameter") {
                continue;
            }
            let name = p
                .child_by_field_name("name")
                .or_else(|| {
                    let mut w = p.walk();
                    let found = p
                        .named_children(&mut w)
                        .find(|c| c.kind() == "variable_declarator");
                    found.and_then(|d| d.child_by_field_name("name"))
                })
                .map(|n| cx.text(n).to_owned())
                .unwrap_or_default();
            let ty = p.child_by_field_name("type").map(|t| type_name(cx.text(t)));
            // Annotations on a parameter (`@RequestParam String q`) are read as its type
            // for the sources' `param_types` (`@RequestParam`).
            let notes: Vec<String> = annotations(cx, p)
                .into_iter()
                .filter_map(|e| match e.kind {
                    ExprKind::Name(n) => Some(n),
                    _ => None,
                })
                .collect();
            let ty = match (notes.first(), ty) {
                (Some(a), _) => Some(a.clone()),
                (None, t) => t,
            };
            params.push(Param {
                name,
                ty,
                default: None,
                pos: cx.pos(p),
            });
        }
    }
    let body = if node.has_error() {
        cx.module.broken_functions += 1;
        Vec::new()
    } else {
        let saved = cx.class.take();
        cx.depth += 1;
        let body = node
            .child_by_field_name("body")
            .map(|b| block(cx, b))
            .unwrap_or_default();
        cx.depth -= 1;
        cx.class = saved;
        body
    };
    let f = &mut cx.module.functions[index];
    f.params = params;
    f.body = body;
    index
}

/// `java.util.List<String>` → `java.util.List`; `String[]` → `String`.
fn type_name(text: &str) -> String {
    text.split(['<', '['])
        .next()
        .unwrap_or(text)
        .trim()
        .to_owned()
}

/// Declared types that say nothing about what a value is for.
const PLAIN_TYPES: [&str; 14] = [
    "var",
    "String",
    "Object",
    "int",
    "long",
    "short",
    "byte",
    "char",
    "boolean",
    "double",
    "float",
    "Integer",
    "Long",
    "StringBuilder",
];

fn declarators(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    let ty = node
        .child_by_field_name("type")
        .map(|t| type_name(cx.text(t)))
        .filter(|t| !PLAIN_TYPES.contains(&t.as_str()) && !t.starts_with("java.lang."));
    let mut walker = node.walk();
    for d in node.children_by_field_name("declarator", &mut walker) {
        let Some(name) = d.child_by_field_name("name") else {
            continue;
        };
        let mut v = match (d.child_by_field_name("value"), &ty) {
            (Some(value), _) => expr(cx, value),
            // `@Autowired JdbcTemplate jdbc;`: known by its type only.
            (None, Some(_)) => other(cx.pos(d)),
            (None, None) => continue,
        };
        if let Some(t) = &ty {
            let pos = v.pos;
            v = Expr::new(ExprKind::Typed(t.clone(), Box::new(v)), pos);
        }
        out.push(Stmt::Assign {
            target: Target::Name(cx.text(name).to_owned(), cx.pos(name)),
            value: v,
        });
    }
}

// `block`, `statement`, `expr`, `field_expr`, `children`, `body_of` over this
// language's `statement_inner` and `expr_inner`.
common::lowering_helpers!();

fn statement_inner(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    match node.kind() {
        "block" | "constructor_body" | "switch_block_statement_group" => {
            out.extend(block(cx, node));
        }
        "local_variable_declaration" => declarators(cx, node, out),
        "expression_statement" => {
            if let Some(e) = node.named_child(0) {
                expression_statement(cx, e, out);
            }
        }
        "return_statement" => {
            let value = node.named_child(0).map(|e| expr(cx, e));
            out.push(Stmt::Return(value, cx.pos(node)));
        }
        "throw_statement" | "break_statement" | "continue_statement" | "yield_statement" => {
            if node.kind() == "throw_statement"
                && let Some(e) = node.named_child(0)
            {
                out.push(Stmt::Expr(expr(cx, e)));
            }
            out.push(Stmt::Exit);
        }
        "if_statement" => {
            let cond = field_expr(cx, node, "condition");
            let then = body_of(cx, node.child_by_field_name("consequence"));
            let other = body_of(cx, node.child_by_field_name("alternative"));
            out.push(Stmt::If { cond, then, other });
        }
        "for_statement" => {
            let mut walker = node.walk();
            for init in node.children_by_field_name("init", &mut walker) {
                if init.kind() == "local_variable_declaration" {
                    declarators(cx, init, out);
                } else {
                    expression_statement(cx, init, out);
                }
            }
            let pos = cx.pos(node);
            let iter = match node.child_by_field_name("condition") {
                Some(c) => expr(cx, c),
                None => other(pos),
            };
            let mut body = body_of(cx, node.child_by_field_name("body"));
            let mut w = node.walk();
            for update in node.children_by_field_name("update", &mut w) {
                expression_statement(cx, update, &mut body);
            }
            out.push(Stmt::Loop {
                bind: None,
                iter,
                body,
            });
        }
        "enhanced_for_statement" => {
            let bind = node
                .child_by_field_name("name")
                .map(|n| Target::Name(cx.text(n).to_owned(), cx.pos(n)));
            let iter = field_expr(cx, node, "value");
            let body = body_of(cx, node.child_by_field_name("body"));
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
        "try_statement" | "try_with_resources_statement" => {
            let mut parts = Vec::new();
            if let Some(res) = node.child_by_field_name("resources") {
                let mut walker = res.walk();
                for r in res.named_children(&mut walker) {
                    if let (Some(n), Some(v)) = (
                        r.child_by_field_name("name"),
                        r.child_by_field_name("value"),
                    ) {
                        let value = expr(cx, v);
                        parts.push(Stmt::Assign {
                            target: Target::Name(cx.text(n).to_owned(), cx.pos(n)),
                            value,
                        });
                    }
                }
            }
            if let Some(b) = node.child_by_field_name("body") {
                parts.extend(block(cx, b));
            }
            let mut walker = node.walk();
            for child in node.named_children(&mut walker) {
                if matches!(child.kind(), "catch_clause" | "finally_clause") {
                    let mut w = child.walk();
                    for part in child.named_children(&mut w) {
                        if part.kind() == "block" {
                            parts.push(Stmt::Block(block(cx, part)));
                        }
                    }
                }
            }
            out.push(Stmt::Block(parts));
        }
        "switch_expression" | "switch_statement" => switch(cx, node, out),
        "synchronized_statement" | "labeled_statement" => {
            let mut walker = node.walk();
            for child in node.named_children(&mut walker) {
                if matches!(child.kind(), "block" | "statement")
                    || child.kind().ends_with("statement")
                {
                    statement(cx, child, out);
                }
            }
        }
        "class_declaration"
        | "record_declaration"
        | "enum_declaration"
        | "interface_declaration" => {
            // A local class: bound where it is declared.
            class(cx, node, out);
        }
        // Syntax errors are counted from the tree (`lang::parse`).
        "ERROR" => {}
        _ => {}
    }
}

/// A `switch`: one arm runs. A constant subject picks its arm when the labels are constants.
fn switch(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    let pos = cx.pos(node);
    let subject = field_expr(cx, node, "condition");
    let mut arms: Vec<(Vec<Expr>, Vec<Stmt>)> = Vec::new();
    if let Some(body) = node.child_by_field_name("body") {
        let mut walker = body.walk();
        for group in body.named_children(&mut walker) {
            let mut labels = Vec::new();
            let mut stmts = Vec::new();
            let mut w = group.walk();
            for part in group.named_children(&mut w) {
                if part.kind() == "switch_label" {
                    let mut w2 = part.walk();
                    for l in part.named_children(&mut w2) {
                        labels.push(expr(cx, l));
                    }
                    if part.named_child_count() == 0 {
                        // `default`
                        labels.push(Expr::new(ExprKind::Name("<default>".into()), pos));
                    }
                } else if matches!(
                    part.kind(),
                    "block" | "expression_statement" | "throw_statement"
                ) || part.kind().ends_with("statement")
                    || part.kind().ends_with("declaration")
                {
                    statement(cx, part, &mut stmts);
                } else {
                    // `case X -> expr;`
                    let e = expr(cx, part);
                    stmts.push(Stmt::Expr(e));
                }
            }
            arms.push((labels, stmts));
        }
    }
    // An `if` chain on `subject == label`: constant subjects fold to their arm.
    let mut chain: Vec<Stmt> = Vec::new();
    for (labels, stmts) in arms.into_iter().rev() {
        let mut cond: Option<Expr> = None;
        for l in labels {
            let c = match &l.kind {
                ExprKind::Name(n) if n == "<default>" => Expr::new(ExprKind::Bool(true), pos),
                _ => Expr::new(
                    ExprKind::Binary(Op::Eq, Box::new(subject.clone()), Box::new(l)),
                    pos,
                ),
            };
            cond = Some(match cond {
                None => c,
                Some(prev) => Expr::new(ExprKind::Binary(Op::Or, Box::new(prev), Box::new(c)), pos),
            });
        }
        chain = vec![Stmt::If {
            cond: cond.unwrap_or_else(|| other(pos)),
            then: stmts,
            other: chain,
        }];
    }
    out.push(Stmt::Expr(subject));
    // `break` leaves the switch, not the method.
    out.push(Stmt::Block(chain));
}

fn expression_statement(cx: &mut Lowering<'_>, e: Node<'_>, out: &mut Vec<Stmt>) {
    match e.kind() {
        "switch_expression" => switch(cx, e, out),
        "assignment_expression" => {
            let (Some(left), Some(right)) = (
                e.child_by_field_name("left"),
                e.child_by_field_name("right"),
            ) else {
                return;
            };
            let mut value = expr(cx, right);
            let op = e.child_by_field_name("operator").map(|o| cx.text(o));
            if let Some(op) = op
                && op != "="
            {
                let pos = cx.pos(e);
                let bop = match op {
                    "+=" => Op::Add,
                    "-=" => Op::Sub,
                    "*=" => Op::Mul,
                    _ => Op::Other,
                };
                value = Expr::new(
                    ExprKind::Binary(bop, Box::new(expr(cx, left)), Box::new(value)),
                    pos,
                );
            }
            out.push(Stmt::Assign {
                target: target(cx, left),
                value,
            });
        }
        _ => out.push(Stmt::Expr(expr(cx, e))),
    }
}

fn target(cx: &mut Lowering<'_>, node: Node<'_>) -> Target {
    match node.kind() {
        "identifier" => Target::Name(cx.text(node).to_owned(), cx.pos(node)),
        "field_access" => match (
            node.child_by_field_name("object"),
            node.child_by_field_name("field"),
        ) {
            (Some(o), Some(f)) => Target::Field(expr(cx, o), cx.text(f).to_owned()),
            _ => Target::Other,
        },
        "array_access" => match (
            node.child_by_field_name("array"),
            node.child_by_field_name("index"),
        ) {
            (Some(a), Some(i)) => Target::Index(expr(cx, a), expr(cx, i)),
            _ => Target::Other,
        },
        "parenthesized_expression" => node.named_child(0).map_or(Target::Other, |c| target(cx, c)),
        _ => Target::Other,
    }
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

fn java_string(text: &str) -> String {
    let inner = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn expr_inner(cx: &mut Lowering<'_>, node: Node<'_>) -> Expr {
    let pos = cx.pos(node);
    let kind = match node.kind() {
        "identifier" | "type_identifier" => ExprKind::Name(cx.text(node).to_owned()),
        "this" => ExprKind::Name("this".into()),
        "true" => ExprKind::Bool(true),
        "false" => ExprKind::Bool(false),
        "null_literal" => ExprKind::Null,
        "decimal_integer_literal" => {
            let t = cx.text(node).trim_end_matches(['l', 'L']).replace('_', "");
            t.parse::<i64>()
                .map_or(ExprKind::Other(Vec::new()), ExprKind::Int)
        }
        "decimal_floating_point_literal" => {
            let t = cx
                .text(node)
                .trim_end_matches(['f', 'F', 'd', 'D'])
                .replace('_', "");
            t.parse::<f64>()
                .map_or(ExprKind::Other(Vec::new()), ExprKind::Float)
        }
        "character_literal" => {
            let t = java_string(cx.text(node).trim_matches('\''));
            ExprKind::Str(t)
        }
        "string_literal" => ExprKind::Str(java_string(cx.text(node))),
        "text_block" => ExprKind::Str(
            cx.text(node)
                .trim_start_matches("\"\"\"")
                .trim_end_matches("\"\"\"")
                .to_owned(),
        ),
        "field_access" => match (
            node.child_by_field_name("object"),
            node.child_by_field_name("field"),
        ) {
            (Some(o), Some(f)) => ExprKind::Field(Box::new(expr(cx, o)), cx.text(f).to_owned()),
            _ => ExprKind::Other(Vec::new()),
        },
        "scoped_identifier" | "scoped_type_identifier" => {
            let text = cx.text(node);
            match text.rsplit_once('.') {
                Some((head, last)) => {
                    let mut e = Expr::new(
                        ExprKind::Name(head.split('.').next().unwrap_or(head).to_owned()),
                        pos,
                    );
                    for part in head.split('.').skip(1) {
                        e = Expr::new(ExprKind::Field(Box::new(e), part.to_owned()), pos);
                    }
                    ExprKind::Field(Box::new(e), last.to_owned())
                }
                None => ExprKind::Name(text.to_owned()),
            }
        }
        "array_access" => match (
            node.child_by_field_name("array"),
            node.child_by_field_name("index"),
        ) {
            (Some(a), Some(i)) => ExprKind::Index(Box::new(expr(cx, a)), Box::new(expr(cx, i))),
            _ => ExprKind::Other(Vec::new()),
        },
        "method_invocation" => {
            let name = node
                .child_by_field_name("name")
                .map(|n| cx.text(n).to_owned())
                .unwrap_or_default();
            let object = match node.child_by_field_name("object") {
                Some(o) => expr(cx, o),
                // `helper(x)` is `this.helper(x)`.
                None => Expr::new(ExprKind::Name("this".into()), pos),
            };
            let args = node
                .child_by_field_name("arguments")
                .map(|a| children(cx, a))
                .unwrap_or_default();
            ExprKind::Call {
                callee: Box::new(Expr::new(ExprKind::Field(Box::new(object), name), pos)),
                args,
                kwargs: Vec::new(),
            }
        }
        "object_creation_expression" => {
            let ty = node.child_by_field_name("type");
            let callee = match ty {
                Some(t) => {
                    let name = type_name(cx.text(t));
                    let mut parts = name.split('.');
                    let first = parts.next().unwrap_or("").to_owned();
                    let mut e = Expr::new(ExprKind::Name(first), pos);
                    for p in parts {
                        e = Expr::new(ExprKind::Field(Box::new(e), p.to_owned()), pos);
                    }
                    e
                }
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
        "array_creation_expression" => match node.child_by_field_name("value") {
            Some(v) => return expr(cx, v),
            None => ExprKind::Other(Vec::new()),
        },
        "array_initializer" => ExprKind::List(children(cx, node)),
        "assignment_expression" => match node.child_by_field_name("right") {
            Some(r) => return expr(cx, r),
            None => ExprKind::Other(Vec::new()),
        },
        "binary_expression" => common::binary(cx, node, expr, binary_op),
        "unary_expression" => {
            let op = node.child_by_field_name("operator").map(|o| cx.text(o));
            let operand = node.child_by_field_name("operand").map(|a| expr(cx, a));
            common::unary(op, operand)
        }
        "ternary_expression" => common::ternary(cx, node, expr),
        "cast_expression" => match node.child_by_field_name("value") {
            Some(v) => return expr(cx, v),
            None => ExprKind::Other(Vec::new()),
        },
        "parenthesized_expression" => match node.named_child(0) {
            Some(inner) => return expr(cx, inner),
            None => ExprKind::Other(Vec::new()),
        },
        "instanceof_expression" | "class_literal" | "update_expression" => {
            ExprKind::Other(Vec::new())
        }
        "lambda_expression" => {
            let index = cx.module.functions.len();
            cx.module.functions.push(Function {
                name: "<lambda>".into(),
                pos,
                nested: true,
                ..Function::default()
            });
            let mut params = Vec::new();
            if let Some(p) = node.child_by_field_name("parameters") {
                if p.kind() == "identifier" {
                    params.push(Param {
                        name: cx.text(p).to_owned(),
                        pos: cx.pos(p),
                        ..Param::default()
                    });
                } else {
                    let mut walker = p.walk();
                    for c in p.named_children(&mut walker) {
                        let name = c
                            .child_by_field_name("name")
                            .map_or_else(|| cx.text(c).to_owned(), |n| cx.text(n).to_owned());
                        params.push(Param {
                            name,
                            pos: cx.pos(c),
                            ..Param::default()
                        });
                    }
                }
            }
            let body = match node.child_by_field_name("body") {
                Some(b) if b.kind() == "block" => block(cx, b),
                Some(b) => {
                    let e = expr(cx, b);
                    vec![Stmt::Return(Some(e), cx.pos(b))]
                }
                None => Vec::new(),
            };
            let f = &mut cx.module.functions[index];
            f.params = params;
            f.body = body;
            ExprKind::Lambda(index)
        }
        "switch_expression" => {
            // As an expression its arms' values join; lowered for their calls.
            let mut stmts = Vec::new();
            switch(cx, node, &mut stmts);
            ExprKind::Other(Vec::new())
        }
        "ERROR" => ExprKind::Other(Vec::new()),
        _ => ExprKind::Other(children(cx, node)),
    };
    Expr::new(kind, pos)
}
