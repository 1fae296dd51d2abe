//! Python: tree-sitter-python's tree lowered into the engine's form.

use tree_sitter::Node;

use super::Lowering;
use super::common;
use crate::ir::{Class, Expr, ExprKind, Function, Op, Param, Stmt, Target};

/// The grammar.
pub fn language() -> tree_sitter::Language {
    tree_sitter_python::LANGUAGE.into()
}

/// Lowers a parsed module.
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
            let mut walker = node.walk();
            for child in node.named_children(&mut walker) {
                match child.kind() {
                    "assignment" | "augmented_assignment" => assignment(cx, child, out),
                    _ => out.push(Stmt::Expr(expr(cx, child))),
                }
            }
        }
        "return_statement" => {
            let value = node.named_child(0).map(|e| expr(cx, e));
            out.push(Stmt::Return(value, cx.pos(node)));
        }
        "raise_statement" | "break_statement" | "continue_statement" => {
            if let Some(e) = node.named_child(0) {
                out.push(Stmt::Expr(expr(cx, e)));
            }
            out.push(Stmt::Exit);
        }
        "if_statement" => out.push(if_chain(cx, node)),
        "for_statement" => {
            let bind = node.child_by_field_name("left").map(|l| target(cx, l));
            let iter = field_expr(cx, node, "right");
            let body = node
                .child_by_field_name("body")
                .map(|b| block(cx, b))
                .unwrap_or_default();
            out.push(Stmt::Loop { bind, iter, body });
            if let Some(alt) = node.child_by_field_name("alternative") {
                out.push(Stmt::Block(else_body(cx, alt)));
            }
        }
        "while_statement" => {
            let iter = field_expr(cx, node, "condition");
            let body = node
                .child_by_field_name("body")
                .map(|b| block(cx, b))
                .unwrap_or_default();
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
            let mut walker = node.walk();
            for child in node.named_children(&mut walker) {
                match child.kind() {
                    "except_clause" | "except_group_clause" | "finally_clause" | "else_clause" => {
                        let mut w = child.walk();
                        for part in child.named_children(&mut w) {
                            if part.kind() == "block" {
                                parts.push(Stmt::Block(block(cx, part)));
                            }
                        }
                    }
                    _ => {}
                }
            }
            out.push(Stmt::Block(parts));
        }
        "with_statement" => {
            let mut walker = node.walk();
            for child in node.named_children(&mut walker) {
                if child.kind() == "with_clause" {
                    let mut w = child.walk();
                    for item in child.named_children(&mut w) {
                        with_item(cx, item, out);
                    }
                }
            }
            if let Some(b) = node.child_by_field_name("body") {
                out.extend(block(cx, b));
            }
        }
        "function_definition" => {
            let (name, index) = function(cx, node, Vec::new());
            out.push(bind_function(cx, node, name, index));
        }
        "decorated_definition" => {
            let mut decorators = Vec::new();
            let mut walker = node.walk();
            for child in node.named_children(&mut walker) {
                if child.kind() == "decorator"
                    && let Some(e) = child.named_child(0)
                {
                    decorators.push(expr(cx, e));
                }
            }
            if let Some(def) = node.child_by_field_name("definition") {
                match def.kind() {
                    "function_definition" => {
                        let (name, index) = function(cx, def, decorators);
                        out.push(bind_function(cx, def, name, index));
                    }
                    "class_definition" => class(cx, def, out),
                    _ => {}
                }
            }
        }
        "class_definition" => class(cx, node, out),
        "import_statement" => {
            let mut walker = node.walk();
            for child in node.named_children(&mut walker) {
                match child.kind() {
                    "dotted_name" => {
                        // `import a.b` binds `a`.
                        let full = cx.text(child);
                        let first = full.split('.').next().unwrap_or(full).to_owned();
                        out.push(import(cx, child, first.clone(), first));
                    }
                    "aliased_import" => {
                        let (Some(name), Some(alias)) = (
                            child.child_by_field_name("name"),
                            child.child_by_field_name("alias"),
                        ) else {
                            continue;
                        };
                        let path = cx.text(name).to_owned();
                        let alias = cx.text(alias).to_owned();
                        out.push(import(cx, child, alias, path));
                    }
                    _ => {}
                }
            }
        }
        "import_from_statement" => {
            let module = node
                .child_by_field_name("module_name")
                .map(|m| cx.text(m).to_owned())
                .unwrap_or_default();
            let mut walker = node.walk();
            for child in node.children_by_field_name("name", &mut walker) {
                let (name, alias) = match child.kind() {
                    "aliased_import" => (
                        child
                            .child_by_field_name("name")
                            .map(|n| cx.text(n).to_owned()),
                        child
                            .child_by_field_name("alias")
                            .map(|n| cx.text(n).to_owned()),
                    ),
                    _ => (Some(cx.text(child).to_owned()), None),
                };
                let Some(name) = name else { continue };
                let alias = alias.unwrap_or_else(|| name.clone());
                let path = if module.ends_with('.') {
                    format!("{module}{name}")
                } else {
                    format!("{module}.{name}")
                };
                out.push(import(cx, child, alias, path));
            }
        }
        "match_statement" => {
            let subject = field_expr(cx, node, "subject");
            out.push(Stmt::Expr(subject));
            let mut parts = Vec::new();
            if let Some(body) = node.child_by_field_name("body") {
                let mut walker = body.walk();
                for case in body.named_children(&mut walker) {
                    if let Some(c) = case.child_by_field_name("consequence") {
                        parts.push(block(cx, c));
                    }
                }
            }
            // One arm runs: an `if` chain with unknown conditions joins them all.
            let mut chain: Vec<Stmt> = Vec::new();
            for arm in parts.into_iter().rev() {
                chain = vec![Stmt::If {
                    cond: Expr::new(ExprKind::Other(Vec::new()), cx.pos(node)),
                    then: arm,
                    other: chain,
                }];
            }
            out.extend(chain);
        }
        "assert_statement" | "delete_statement" | "print_statement" | "exec_statement" => {
            let mut walker = node.walk();
            for child in node.named_children(&mut walker) {
                out.push(Stmt::Expr(expr(cx, child)));
            }
        }
        // Syntax errors are counted from the tree (`lang::parse`).
        "ERROR" => {}
        "block" => out.extend(block(cx, node)),
        _ => {}
    }
}

fn import(cx: &Lowering<'_>, node: Node<'_>, alias: String, path: String) -> Stmt {
    let pos = cx.pos(node);
    Stmt::Assign {
        target: Target::Name(alias, pos),
        value: Expr::new(ExprKind::Qualified(path), pos),
    }
}

fn with_item(cx: &mut Lowering<'_>, item: Node<'_>, out: &mut Vec<Stmt>) {
    let Some(value) = item.child_by_field_name("value") else {
        return;
    };
    if value.kind() == "as_pattern" {
        let Some(inner) = value.named_child(0) else {
            return;
        };
        let e = expr(cx, inner);
        match value.child_by_field_name("alias") {
            Some(alias) => {
                let t = alias
                    .named_child(0)
                    .map_or(Target::Other, |a| target(cx, a));
                out.push(Stmt::Assign {
                    target: t,
                    value: e,
                });
            }
            None => out.push(Stmt::Expr(e)),
        }
    } else {
        out.push(Stmt::Expr(expr(cx, value)));
    }
}

fn else_body(cx: &mut Lowering<'_>, node: Node<'_>) -> Vec<Stmt> {
    node.child_by_field_name("body")
        .map(|b| block(cx, b))
        .unwrap_or_default()
}

fn if_chain(cx: &mut Lowering<'_>, node: Node<'_>) -> Stmt {
    let cond = field_expr(cx, node, "condition");
    let then = node
        .child_by_field_name("consequence")
        .map(|b| block(cx, b))
        .unwrap_or_default();
    // `elif` clauses nest as `else: if`.
    let mut alternatives = Vec::new();
    let mut walker = node.walk();
    for alt in node.children_by_field_name("alternative", &mut walker) {
        alternatives.push(alt);
    }
    let mut other = Vec::new();
    for alt in alternatives.into_iter().rev() {
        match alt.kind() {
            "elif_clause" => {
                let c = field_expr(cx, alt, "condition");
                let t = alt
                    .child_by_field_name("consequence")
                    .map(|b| block(cx, b))
                    .unwrap_or_default();
                other = vec![Stmt::If {
                    cond: c,
                    then: t,
                    other,
                }];
            }
            "else_clause" => other = else_body(cx, alt),
            _ => {}
        }
    }
    Stmt::If { cond, then, other }
}

fn bind_function(cx: &Lowering<'_>, node: Node<'_>, name: String, index: usize) -> Stmt {
    let pos = cx.pos(node);
    Stmt::Assign {
        target: Target::Name(name, pos),
        value: Expr::new(ExprKind::Lambda(index), pos),
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
    let previous = cx.class.replace(index);
    let mut fields = Vec::new();
    if let Some(body) = node.child_by_field_name("body") {
        let mut walker = body.walk();
        for child in body.named_children(&mut walker) {
            let def = match child.kind() {
                "decorated_definition" => child.child_by_field_name("definition"),
                "function_definition" => Some(child),
                _ => None,
            };
            match def {
                Some(def) if def.kind() == "function_definition" => {
                    let mut decorators = Vec::new();
                    if child.kind() == "decorated_definition" {
                        let mut w = child.walk();
                        for d in child.named_children(&mut w) {
                            if d.kind() == "decorator"
                                && let Some(e) = d.named_child(0)
                            {
                                decorators.push(expr(cx, e));
                            }
                        }
                    }
                    let (_, index_fn) = function(cx, def, decorators);
                    cx.module.classes[index].methods.push(index_fn);
                }
                _ => statement(cx, child, &mut fields),
            }
        }
    }
    cx.class = previous;
    out.extend(fields);
    let pos = cx.pos(node);
    out.push(Stmt::Assign {
        target: Target::Name(name, pos),
        value: Expr::new(ExprKind::Class(index), pos),
    });
}

/// Lowers a function definition into `cx.module.functions`; its name and index.
fn function(cx: &mut Lowering<'_>, node: Node<'_>, decorators: Vec<Expr>) -> (String, usize) {
    let name = node
        .child_by_field_name("name")
        .map(|n| cx.text(n).to_owned())
        .unwrap_or_default();
    let index = cx.module.functions.len();
    cx.module.functions.push(Function {
        name: name.clone(),
        class: cx.class,
        decorators,
        pos: cx.pos(node),
        nested: cx.depth > 0,
        ..Function::default()
    });
    let params = node
        .child_by_field_name("parameters")
        .map(|p| parameters(cx, p))
        .unwrap_or_default();
    let body = if node.has_error() {
        cx.module.broken_functions += 1;
        Vec::new()
    } else {
        let previous = cx.class.take();
        cx.depth += 1;
        let body = node
            .child_by_field_name("body")
            .map(|b| block(cx, b))
            .unwrap_or_default();
        cx.depth -= 1;
        cx.class = previous;
        body
    };
    let f = &mut cx.module.functions[index];
    f.params = params;
    f.body = body;
    (name, index)
}

fn parameters(cx: &mut Lowering<'_>, node: Node<'_>) -> Vec<Param> {
    let mut out = Vec::new();
    let mut walker = node.walk();
    for p in node.named_children(&mut walker) {
        let pos = cx.pos(p);
        let param = match p.kind() {
            "identifier" => Param {
                name: cx.text(p).to_owned(),
                pos,
                ..Param::default()
            },
            "typed_parameter" => Param {
                name: p
                    .named_child(0)
                    .map(|n| cx.text(n).trim_start_matches('*').to_owned())
                    .unwrap_or_default(),
                ty: p.child_by_field_name("type").map(|t| cx.text(t).to_owned()),
                pos,
                ..Param::default()
            },
            "default_parameter" | "typed_default_parameter" => Param {
                name: p
                    .child_by_field_name("name")
                    .map(|n| cx.text(n).to_owned())
                    .unwrap_or_default(),
                ty: p.child_by_field_name("type").map(|t| cx.text(t).to_owned()),
                default: p.child_by_field_name("value").map(|v| expr(cx, v)),
                pos,
            },
            "list_splat_pattern" | "dictionary_splat_pattern" => Param {
                name: p
                    .named_child(0)
                    .map(|n| cx.text(n).to_owned())
                    .unwrap_or_default(),
                pos,
                ..Param::default()
            },
            _ => continue,
        };
        out.push(param);
    }
    out
}

fn assignment(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    let Some(left) = node.child_by_field_name("left") else {
        return;
    };
    let Some(right) = node.child_by_field_name("right") else {
        // An annotation without a value (`x: int`).
        return;
    };
    let mut value = if right.kind() == "assignment" {
        // `a = b = value`: assign the inner first, then read its target.
        assignment(cx, right, out);
        match right.child_by_field_name("left") {
            Some(l) => expr(cx, l),
            None => return,
        }
    } else {
        expr(cx, right)
    };
    if node.kind() == "augmented_assignment" {
        let op = node
            .child_by_field_name("operator")
            .map_or(Op::Other, |o| match cx.text(o) {
                "+=" => Op::Add,
                "-=" => Op::Sub,
                "*=" => Op::Mul,
                "%=" => Op::Mod,
                _ => Op::Other,
            });
        let pos = cx.pos(node);
        value = Expr::new(
            ExprKind::Binary(op, Box::new(expr(cx, left)), Box::new(value)),
            pos,
        );
    }
    out.push(Stmt::Assign {
        target: target(cx, left),
        value,
    });
}

fn target(cx: &mut Lowering<'_>, node: Node<'_>) -> Target {
    match node.kind() {
        "identifier" => Target::Name(cx.text(node).to_owned(), cx.pos(node)),
        "attribute" => match (
            node.child_by_field_name("object"),
            node.child_by_field_name("attribute"),
        ) {
            (Some(o), Some(a)) => Target::Field(expr(cx, o), cx.text(a).to_owned()),
            _ => Target::Other,
        },
        "subscript" => match (
            node.child_by_field_name("value"),
            node.child_by_field_name("subscript"),
        ) {
            (Some(v), Some(s)) => Target::Index(expr(cx, v), expr(cx, s)),
            _ => Target::Other,
        },
        "pattern_list" | "tuple_pattern" | "list_pattern" | "expression_list" => {
            let mut walker = node.walk();
            Target::Tuple(
                node.named_children(&mut walker)
                    .map(|c| target(cx, c))
                    .collect(),
            )
        }
        "list_splat_pattern" => node.named_child(0).map_or(Target::Other, |c| target(cx, c)),
        "parenthesized_expression" => node.named_child(0).map_or(Target::Other, |c| target(cx, c)),
        _ => Target::Other,
    }
}

fn expr_inner(cx: &mut Lowering<'_>, node: Node<'_>) -> Expr {
    let pos = cx.pos(node);
    let kind = match node.kind() {
        "identifier" => ExprKind::Name(cx.text(node).to_owned()),
        "true" => ExprKind::Bool(true),
        "false" => ExprKind::Bool(false),
        "none" => ExprKind::Null,
        "integer" => {
            let t = cx.text(node).replace('_', "");
            match t.parse::<i64>() {
                Ok(i) => ExprKind::Int(i),
                Err(_) => ExprKind::Other(Vec::new()),
            }
        }
        "float" => match cx.text(node).replace('_', "").parse::<f64>() {
            Ok(f) => ExprKind::Float(f),
            Err(_) => ExprKind::Other(Vec::new()),
        },
        "string" => string(cx, node),
        "concatenated_string" => {
            let parts = children(cx, node);
            match fold_strings(&parts) {
                Some(s) => ExprKind::Str(s),
                None => ExprKind::Concat(parts),
            }
        }
        "attribute" => match (
            node.child_by_field_name("object"),
            node.child_by_field_name("attribute"),
        ) {
            (Some(o), Some(a)) => ExprKind::Field(Box::new(expr(cx, o)), cx.text(a).to_owned()),
            _ => ExprKind::Other(Vec::new()),
        },
        "subscript" => match (
            node.child_by_field_name("value"),
            node.child_by_field_name("subscript"),
        ) {
            (Some(v), Some(s)) => ExprKind::Index(Box::new(expr(cx, v)), Box::new(expr(cx, s))),
            _ => ExprKind::Other(Vec::new()),
        },
        "call" => call(cx, node),
        "binary_operator" | "boolean_operator" => {
            let op = node
                .child_by_field_name("operator")
                .map_or(Op::Other, |o| binary_op(cx.text(o)));
            match (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            ) {
                (Some(l), Some(r)) => {
                    ExprKind::Binary(op, Box::new(expr(cx, l)), Box::new(expr(cx, r)))
                }
                _ => ExprKind::Other(children(cx, node)),
            }
        }
        "comparison_operator" => comparison(cx, node),
        "not_operator" => match node.child_by_field_name("argument") {
            Some(a) => ExprKind::Not(Box::new(expr(cx, a))),
            None => ExprKind::Other(Vec::new()),
        },
        "unary_operator" => {
            let op = node.child_by_field_name("operator").map(|o| cx.text(o));
            let arg = node.child_by_field_name("argument").map(|a| expr(cx, a));
            common::unary(op, arg)
        }
        "conditional_expression" => {
            let parts = children(cx, node);
            match <[Expr; 3]>::try_from(parts) {
                Ok([a, cond, b]) => ExprKind::Cond(Box::new(cond), Box::new(a), Box::new(b)),
                Err(parts) => ExprKind::Other(parts),
            }
        }
        "parenthesized_expression" => match node.named_child(0) {
            Some(inner) if inner.kind() != "comment" => return expr(cx, inner),
            _ => ExprKind::Other(Vec::new()),
        },
        "list" | "tuple" | "set" | "expression_list" => ExprKind::List(children(cx, node)),
        "dictionary" => {
            let mut pairs = Vec::new();
            let mut rest = Vec::new();
            let mut walker = node.walk();
            for child in node.named_children(&mut walker) {
                match (
                    child.kind(),
                    child.child_by_field_name("key"),
                    child.child_by_field_name("value"),
                ) {
                    ("pair", Some(k), Some(v)) => pairs.push((expr(cx, k), expr(cx, v))),
                    ("comment", _, _) => {}
                    _ => rest.push(expr(cx, child)),
                }
            }
            if rest.is_empty() {
                ExprKind::Dict(pairs)
            } else {
                // `{**other, k: v}`: the spread parts flow in, keys are no longer known.
                rest.extend(pairs.into_iter().flat_map(|(k, v)| [k, v]));
                ExprKind::Other(rest)
            }
        }
        "list_comprehension"
        | "set_comprehension"
        | "generator_expression"
        | "dictionary_comprehension" => comprehension(cx, node),
        "lambda" => {
            let index = cx.module.functions.len();
            cx.module.functions.push(Function {
                name: "<lambda>".into(),
                pos,
                nested: true,
                ..Function::default()
            });
            let params = node
                .child_by_field_name("parameters")
                .map(|p| parameters(cx, p))
                .unwrap_or_default();
            let body = node.child_by_field_name("body").map(|b| expr(cx, b));
            let f = &mut cx.module.functions[index];
            f.params = params;
            f.body = body
                .map(|b| vec![Stmt::Return(Some(b), pos)])
                .unwrap_or_default();
            ExprKind::Lambda(index)
        }
        "named_expression" => {
            // `(x := value)`: the value; the binding is rare enough in flows to skip.
            match node.child_by_field_name("value") {
                Some(v) => return expr(cx, v),
                None => ExprKind::Other(Vec::new()),
            }
        }
        "await" | "list_splat" | "dictionary_splat" | "keyword_argument" => {
            match node.named_children(&mut node.walk()).last() {
                Some(inner) => return expr(cx, inner),
                None => ExprKind::Other(Vec::new()),
            }
        }
        "ERROR" => ExprKind::Other(Vec::new()),
        _ => ExprKind::Other(children(cx, node)),
    };
    Expr::new(kind, pos)
}

fn binary_op(text: &str) -> Op {
    match text {
        "+" => Op::Add,
        "-" => Op::Sub,
        "*" => Op::Mul,
        "/" => Op::Div,
        "//" => Op::FloorDiv,
        "%" => Op::Mod,
        "and" => Op::And,
        "or" => Op::Or,
        _ => Op::Other,
    }
}

/// `a < b < c` is `a < b and b < c`; the common case is one operator.
fn comparison(cx: &mut Lowering<'_>, node: Node<'_>) -> ExprKind {
    let mut operands = Vec::new();
    let mut ops = Vec::new();
    let mut walker = node.walk();
    let mut pending_not = false;
    for child in node.children(&mut walker) {
        if child.is_named() {
            if child.kind() != "comment" {
                operands.push(expr(cx, child));
            }
            continue;
        }
        let op = match cx.text(child) {
            "==" => Op::Eq,
            "!=" | "<>" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "in" if pending_not => Op::NotIn,
            "in" => Op::In,
            "is" => Op::Is,
            "not" => {
                // `not in` and `is not` arrive as two tokens.
                if ops.last() == Some(&Op::Is) {
                    ops.pop();
                    ops.push(Op::IsNot);
                } else {
                    pending_not = true;
                }
                continue;
            }
            "not in" => Op::NotIn,
            "is not" => Op::IsNot,
            _ => Op::Other,
        };
        pending_not = false;
        ops.push(op);
    }
    if operands.len() != ops.len() + 1 || ops.is_empty() {
        return ExprKind::Other(operands);
    }
    let mut result: Option<Expr> = None;
    for (i, op) in ops.iter().enumerate() {
        let pos = operands[i].pos;
        let c = Expr::new(
            ExprKind::Binary(
                *op,
                Box::new(operands[i].clone()),
                Box::new(operands[i + 1].clone()),
            ),
            pos,
        );
        result = Some(match result {
            None => c,
            Some(prev) => Expr::new(ExprKind::Binary(Op::And, Box::new(prev), Box::new(c)), pos),
        });
    }
    result.map_or(ExprKind::Other(Vec::new()), |e| e.kind)
}

fn comprehension(cx: &mut Lowering<'_>, node: Node<'_>) -> ExprKind {
    let body = node.child_by_field_name("body").map(|b| {
        if b.kind() == "pair" {
            // `{k: v for ...}`: both flow into the dictionary.
            let pos = cx.pos(b);
            Expr::new(ExprKind::Other(children(cx, b)), pos)
        } else {
            expr(cx, b)
        }
    });
    let mut binds = Vec::new();
    let mut filters = Vec::new();
    let mut walker = node.walk();
    for clause in node.named_children(&mut walker) {
        if clause.kind() == "if_clause" {
            filters.extend(children(cx, clause));
        }
        if clause.kind() == "for_in_clause"
            && let (Some(l), Some(r)) = (
                clause.child_by_field_name("left"),
                clause.child_by_field_name("right"),
            )
        {
            let t = target(cx, l);
            let e = expr(cx, r);
            binds.push((t, e));
        }
    }
    match body {
        Some(b) => ExprKind::Comp {
            binds,
            filters,
            body: Box::new(b),
        },
        None => ExprKind::Other(Vec::new()),
    }
}

fn call(cx: &mut Lowering<'_>, node: Node<'_>) -> ExprKind {
    let Some(function) = node.child_by_field_name("function") else {
        return ExprKind::Other(Vec::new());
    };
    let callee = expr(cx, function);
    let mut args = Vec::new();
    let mut kwargs = Vec::new();
    if let Some(list) = node.child_by_field_name("arguments") {
        if list.kind() == "generator_expression" {
            args.push(expr(cx, list));
        } else {
            let mut walker = list.walk();
            for a in list.named_children(&mut walker) {
                match a.kind() {
                    "keyword_argument" => {
                        if let (Some(n), Some(v)) = (
                            a.child_by_field_name("name"),
                            a.child_by_field_name("value"),
                        ) {
                            let name = cx.text(n).to_owned();
                            kwargs.push((name, expr(cx, v)));
                        }
                    }
                    "comment" => {}
                    _ => args.push(expr(cx, a)),
                }
            }
        }
    }
    ExprKind::Call {
        callee: Box::new(callee),
        args,
        kwargs,
    }
}

/// A string literal: its text when constant, its parts when interpolated (f-strings).
fn string(cx: &mut Lowering<'_>, node: Node<'_>) -> ExprKind {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut interpolated = false;
    let mut raw = false;
    let mut walker = node.walk();
    for child in node.children(&mut walker) {
        match child.kind() {
            "string_start" => {
                raw = cx.text(child).to_ascii_lowercase().contains('r');
            }
            "string_content" => literal.push_str(&unescape(cx.text(child), raw)),
            "escape_sequence" => literal.push_str(&unescape(cx.text(child), raw)),
            "interpolation" => {
                interpolated = true;
                if !literal.is_empty() {
                    parts.push(Expr::new(
                        ExprKind::Str(std::mem::take(&mut literal)),
                        cx.pos(child),
                    ));
                }
                if let Some(e) = child.child_by_field_name("expression") {
                    parts.push(expr(cx, e));
                }
            }
            _ => {}
        }
    }
    if !interpolated {
        return ExprKind::Str(literal);
    }
    if !literal.is_empty() {
        parts.push(Expr::new(ExprKind::Str(literal), cx.pos(node)));
    }
    ExprKind::Concat(parts)
}

fn fold_strings(parts: &[Expr]) -> Option<String> {
    let mut s = String::new();
    for p in parts {
        match &p.kind {
            ExprKind::Str(t) => s.push_str(t),
            _ => return None,
        }
    }
    Some(s)
}

/// The common escapes; the value matters for constants compared in conditions and for
/// the text of queries, not for exotic escapes.
fn unescape(text: &str, raw: bool) -> String {
    if raw || !text.contains('\\') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('\'') => out.push('\''),
            Some('"') => out.push('"'),
            Some('\n') => {}
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}
