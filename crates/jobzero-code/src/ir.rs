//! The language-neutral program form the taint engine reads. Each front end (`lang::*`)
//! lowers a tree-sitter tree into it; the engine never sees a grammar's node kinds, so one
//! engine and one rule language serve every language.

/// A position in the file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    /// Line.
    pub line: u32,
    /// Column (characters).
    pub col: u32,
}

/// One source file, lowered.
#[derive(Debug, Default)]
pub struct Module {
    /// Functions and methods, the module body first (named `<module>`).
    pub functions: Vec<Function>,
    /// Classes: name and the indexes of their methods in `functions`.
    pub classes: Vec<Class>,
    /// Functions whose body did not parse (counted, not analysed).
    pub broken_functions: usize,
}

/// A class and its methods.
#[derive(Debug, Default)]
pub struct Class {
    /// The class name.
    pub name: String,
    /// Indexes into `Module::functions`.
    pub methods: Vec<usize>,
}

/// A function, method or the module body.
#[derive(Debug, Default)]
pub struct Function {
    /// Its name (`<module>` for the module body, `<lambda>` for anonymous functions).
    pub name: String,
    /// The class it is a method of, as an index into `Module::classes`.
    pub class: Option<usize>,
    /// Parameter names, in order (`self` included).
    pub params: Vec<Param>,
    /// Decorators and annotations (`@app.route("/x")`), as expressions.
    pub decorators: Vec<Expr>,
    /// The statements.
    pub body: Vec<Stmt>,
    /// Where it starts.
    pub pos: Pos,
    /// Whether it is nested in another function (a closure): its free names read the
    /// enclosing function's variables.
    pub nested: bool,
}

/// A parameter.
#[derive(Debug, Clone, Default)]
pub struct Param {
    /// Its name.
    pub name: String,
    /// Its declared type, as written (`HttpServletRequest`, `str`).
    pub ty: Option<String>,
    /// Its default value.
    pub default: Option<Expr>,
    /// Where it is declared.
    pub pos: Pos,
}

/// A statement.
#[derive(Debug, Clone)]
pub enum Stmt {
    /// `target = value` (also `+=`: `value` is then the binary expression).
    Assign {
        /// What is assigned.
        target: Target,
        /// The value.
        value: Expr,
    },
    /// An expression evaluated for its effect (a call).
    Expr(Expr),
    /// `if cond: then else: other`.
    If {
        /// The condition.
        cond: Expr,
        /// Taken when true.
        then: Vec<Stmt>,
        /// Taken when false.
        other: Vec<Stmt>,
    },
    /// A loop: `for bind in iter: body` (`bind` absent for `while`).
    Loop {
        /// The loop variable(s).
        bind: Option<Target>,
        /// What is iterated over (or the `while` condition).
        iter: Expr,
        /// The body.
        body: Vec<Stmt>,
    },
    /// `return value`.
    Return(Option<Expr>, Pos),
    /// `raise`, `throw`, `break`, `continue`: the rest of the block is not reached.
    Exit,
    /// A block that may be left anywhere (`try` bodies and handlers): every part runs.
    Block(Vec<Stmt>),
}

/// The left side of an assignment.
#[derive(Debug, Clone)]
pub enum Target {
    /// A variable.
    Name(String, Pos),
    /// `object.field = …`.
    Field(Expr, String),
    /// `object[key] = …`.
    Index(Expr, Expr),
    /// `a, b = …`.
    Tuple(Vec<Target>),
    /// Anything else (ignored).
    Other,
}

/// An expression and where it is.
#[derive(Debug, Clone)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it starts.
    pub pos: Pos,
}

/// Binary operators the constant folder knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `//`
    FloorDiv,
    /// `%` (also string formatting in Python)
    Mod,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `and` / `&&`
    And,
    /// `or` / `||`
    Or,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `is`
    Is,
    /// `is not`
    IsNot,
    /// Anything else (bitwise, shifts, ...): operands flow, nothing folds.
    Other,
}

/// The kinds of expression.
#[derive(Debug, Clone)]
pub enum ExprKind {
    /// A variable or a global name.
    Name(String),
    /// A string literal.
    Str(String),
    /// An integer literal.
    Int(i64),
    /// A floating-point literal.
    Float(f64),
    /// `True` / `true`.
    Bool(bool),
    /// `None` / `null` / `nil` / `undefined`.
    Null,
    /// `object.field`.
    Field(Box<Expr>, String),
    /// `object[key]`.
    Index(Box<Expr>, Box<Expr>),
    /// A call.
    Call {
        /// What is called.
        callee: Box<Expr>,
        /// Positional arguments.
        args: Vec<Expr>,
        /// Keyword arguments.
        kwargs: Vec<(String, Expr)>,
    },
    /// A value declared with a type (`java.sql.Statement s = helper()`): the type names what
    /// an unknown value is.
    Typed(String, Box<Expr>),
    /// `new F(...)`: the call makes an object (`this` in `F` is the new object).
    New(Box<Expr>),
    /// `a op b`.
    Binary(Op, Box<Expr>, Box<Expr>),
    /// `not a` / `!a`.
    Not(Box<Expr>),
    /// `a if cond else b` / `cond ? a : b`.
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// String interpolation (f-strings, template literals): the parts in order.
    Concat(Vec<Expr>),
    /// `[a, b]`, `(a, b)`, `{a, b}`.
    List(Vec<Expr>),
    /// `{k: v}`.
    Dict(Vec<(Expr, Expr)>),
    /// A function defined inline: its index in `Module::functions`.
    Lambda(usize),
    /// A class: its index in `Module::classes`; calling it makes an instance.
    Class(usize),
    /// A name bound by an import, fully qualified (`subprocess.run`, `flask.request`).
    Qualified(String),
    /// A comprehension: each binding iterates an expression, the body is evaluated with them.
    Comp {
        /// `for target in iterable`, in order.
        binds: Vec<(Target, Expr)>,
        /// `if condition` filters: evaluated for what they call, not part of the value.
        filters: Vec<Expr>,
        /// The element.
        body: Box<Expr>,
    },
    /// Anything else: its sub-expressions flow into it, nothing more is known.
    Other(Vec<Expr>),
}

impl Expr {
    /// An expression at `pos`.
    pub fn new(kind: ExprKind, pos: Pos) -> Expr {
        Expr { kind, pos }
    }
}
