//! The interpreter.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use super::value::{Callable, Const, Step, Taint, Value, join};
use crate::ir::{Expr, ExprKind, Function, Module, Op, Pos, Stmt, Target};
use crate::lang::Language;
use crate::spec::{ArgRef, Catalogue, Cond, Is, Rule, RuleKind, Site, Sources};

/// How deep calls into functions of the same file are followed.
const MAX_DEPTH: usize = 5;
/// Expressions evaluated per file before calls stop being followed (a file of generated
/// dispatch tables must not take minutes).
const BUDGET: usize = 3_000_000;
/// Loop bodies run this many times: enough for a value to flow from one iteration to the next.
const LOOP_PASSES: usize = 2;

/// A finding of the engine.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The rule.
    pub rule: &'static crate::spec::Rule,
    /// Where the sink (or the reported call) is.
    pub pos: Pos,
    /// What the sink is called (`os.system`, `returned by a Flask view`).
    pub sink: String,
    /// From the source to the sink; empty for call rules.
    pub trace: Vec<Step>,
    /// The name of the function the sink is in.
    pub function: String,
    /// The file the sink is in (0: the analysed file; see [`Analysed::files`]).
    pub module: usize,
}

/// What the analysis of a file found: findings, and the files they and their traces name
/// (the analysed file first, then files it imports that were followed).
#[derive(Debug, Default)]
pub struct Analysed {
    /// The findings.
    pub hits: Vec<Hit>,
    /// Display paths, by module index.
    pub files: Vec<String>,
}

/// Finds the files an import names, for calls followed into other files of the project.
pub trait Resolver {
    /// The module `import` (an access path: `helpers.utils.escape`, `./dao/user.UserDAO`)
    /// names from the file `from` (a display path), its display path, and the part of the
    /// access path inside it (`["escape"]`); `None` for libraries and what is not found.
    fn resolve(
        &self,
        from: &str,
        language: Language,
        import: &str,
    ) -> Option<(Arc<Module>, String, Vec<String>)>;
}

/// Method names that store their last argument into the receiver (`WriteString`: Go's
/// `strings.Builder`).
const STORES: [&str; 13] = [
    "WriteString",
    "append",
    "add",
    "push",
    "extend",
    "insert",
    "appendleft",
    "update",
    "unshift",
    "put",
    "set",
    "setdefault",
    "__setitem__",
];

/// Method names that read an entry of the receiver by key.
const READS: [&str; 4] = ["get", "pop", "getOrDefault", "__getitem__"];

/// Analyses one lowered file with the catalogue's rules for `language`; `path` is its display
/// path, `resolver` follows imports into other files.
pub fn analyse(
    module: Arc<Module>,
    path: &str,
    language: Language,
    catalogue: &'static Catalogue,
    resolver: Option<&dyn Resolver>,
) -> Analysed {
    let language = language.rules_language();
    let Some(sources) = catalogue.sources(language) else {
        return Analysed::default();
    };
    let rules: Rc<[(usize, &'static Rule)]> = catalogue
        .rules
        .iter()
        .filter(|r| r.sites.iter().any(|s| s.languages.contains(&language)))
        .enumerate()
        .collect();
    let assign_sinks = rules
        .iter()
        .any(|(_, r)| r.sites.iter().any(|s| !s.assigns.is_empty()));
    let mut a = Analysis {
        catalogue,
        modules: vec![module],
        files: vec![path.to_owned()],
        loaded: HashMap::new(),
        exports: HashMap::new(),
        resolver,
        language,
        sources,
        rules,
        globals: vec![HashMap::new()],
        hits: BTreeMap::new(),
        budget: BUDGET,
        stack: Vec::new(),
        cache: HashMap::new(),
        constructing: false,
        nested: BTreeMap::new(),
        assign_sinks,
        no_return: false,
    };
    a.run();
    Analysed {
        hits: a.hits.into_values().collect(),
        files: a.files,
    }
}

/// At most this many other files are followed from one file.
const MAX_MODULES: usize = 64;

struct Analysis<'r> {
    catalogue: &'static Catalogue,
    /// The analysed file first, then the files followed into.
    modules: Vec<Arc<Module>>,
    /// Their display paths.
    files: Vec<String>,
    /// Display path of a followed file → its module index (`None` while it is loading).
    loaded: HashMap<String, Option<usize>>,
    /// What importing a followed module gives, by module index.
    exports: HashMap<usize, Value>,
    resolver: Option<&'r dyn Resolver>,
    language: Language,
    sources: &'static Sources,
    /// The rules that apply to the language, with their bit for sanitisation.
    rules: Rc<[(usize, &'static Rule)]>,
    /// Whether any rule of the language has an assignment sink (most assignments are then
    /// not checked).
    assign_sinks: bool,
    /// The call just evaluated never returns (`sys.exit()`, `abort(400)`).
    no_return: bool,
    /// Module-level variables, per module.
    globals: Vec<HashMap<String, Value>>,
    hits: BTreeMap<(String, usize, Pos), Hit>,
    budget: usize,
    /// Functions being evaluated, as (module, index) (no recursion).
    stack: Vec<(usize, usize)>,
    /// Results of calls whose arguments carry no taint, by function and constant arguments.
    cache: HashMap<(usize, usize, String), Value>,
    /// The call being evaluated is a `new` expression.
    constructing: bool,
    /// Nested functions of the analysed file met while analysing their parent: analysed as
    /// entries with the variables they see (`None` once done).
    nested: BTreeMap<usize, Option<Rc<HashMap<String, Value>>>>,
}

/// The variables of one function invocation.
#[derive(Default, Clone)]
struct Frame {
    vars: HashMap<String, Value>,
    returned: Option<Value>,
    /// Decorator paths of the function when it is analysed as an entry point (its returned
    /// value may be a sink).
    decorators: Vec<String>,
    function: usize,
    /// The module the function is in.
    module: usize,
}

/// How a block ends.
#[derive(PartialEq, Eq, Clone, Copy)]
enum Flow {
    Next,
    Exit,
}

impl Analysis<'_> {
    fn run(&mut self) {
        let module = self.modules[0].clone();
        let Some(top) = module.functions.first() else {
            return;
        };
        let mut frame = Frame::default();
        self.block(&mut frame, &top.body);
        self.globals[0] = frame.vars;
        for (index, f) in module.functions.iter().enumerate().skip(1) {
            match self.nested.get(&index) {
                // Already analysed with its parent's variables.
                Some(None) => continue,
                Some(Some(captured)) => {
                    let captured = captured.clone();
                    self.nested.insert(index, None);
                    self.entry(index, f, Some(&captured));
                }
                None => self.entry(index, f, None),
            }
        }
    }

    /// The value of an import that names a file of the project: its module-level variables
    /// (Python) or its exports (JavaScript), then the access path's rest inside it.
    fn import(&mut self, from: usize, path: &str) -> Option<Value> {
        let resolver = self.resolver?;
        let from_file = self.files.get(from)?.clone();
        let (module, file, rest) = resolver.resolve(&from_file, self.language, path)?;
        let index = match self.loaded.get(&file) {
            Some(Some(i)) => *i,
            // Loading (an import cycle): the path is all that is known.
            Some(None) => return None,
            None => {
                if self.modules.len() >= MAX_MODULES {
                    return None;
                }
                self.loaded.insert(file.clone(), None);
                let i = self.modules.len();
                self.modules.push(module.clone());
                self.files.push(file.clone());
                self.globals.push(HashMap::new());
                let mut frame = Frame {
                    module: i,
                    ..Frame::default()
                };
                if let Some(top) = module.functions.first() {
                    self.stack.push((i, 0));
                    self.block(&mut frame, &top.body);
                    self.stack.pop();
                }
                self.globals[i] = frame.vars;
                self.loaded.insert(file, Some(i));
                i
            }
        };
        let mut v = match self.exports.get(&index) {
            Some(v) => v.clone(),
            None => {
                let v = self.module_value(index);
                self.exports.insert(index, v.clone());
                v
            }
        };
        for part in rest {
            v = v.fields.as_ref().and_then(|f| f.get(&part)).cloned()?;
        }
        if v.path.is_none() {
            v.path = Some(Rc::from(path));
        }
        Some(v)
    }

    /// Analyses a function as if called from outside: its parameters are untrusted when a
    /// framework says so, unknown otherwise.
    fn entry(&mut self, index: usize, f: &Function, captured: Option<&HashMap<String, Value>>) {
        let mut globals_frame = Frame::default();
        let decorators: Vec<String> = f
            .decorators
            .iter()
            .filter_map(|d| {
                let callee = match &d.kind {
                    ExprKind::Call { callee, .. } => callee,
                    _ => d,
                };
                self.eval(&mut globals_frame, callee)
                    .path
                    .map(|p| p.to_string())
            })
            .collect();
        let route_source = self
            .sources
            .params_of
            .iter()
            .find(|(_, pats)| decorators.iter().any(|d| pats.iter().any(|p| p.matches(d))))
            .map(|(name, _)| name.clone());
        let mut frame = Frame {
            decorators,
            function: index,
            vars: captured.cloned().unwrap_or_default(),
            ..Frame::default()
        };
        for (i, p) in f.params.iter().enumerate() {
            let mut v = Value::default();
            if i == 0
                && let Some(class) = f.class
                && matches!(p.name.as_str(), "self" | "this")
            {
                v.instance = Some((0, class));
            } else {
                let ty = p.ty.as_deref().map(|t| self.type_path(t));
                // TypeScript types are structural: `req: Request` is still read as `req`.
                let by_type = ty
                    .as_deref()
                    .filter(|_| self.language != Language::JavaScript);
                v.path = Some(Rc::from(by_type.unwrap_or(&p.name)));
                let typed_source = ty.as_deref().and_then(|t| {
                    self.sources
                        .param_types
                        .iter()
                        .find(|(_, pats)| pats.iter().any(|pat| pat.matches(t)))
                        .map(|(n, _)| n.clone())
                });
                if let Some(name) = typed_source {
                    v.taint = Some(Taint::source(
                        0,
                        p.pos,
                        format!("{name}: parameter `{}`", p.name),
                    ));
                } else if let Some(name) = &route_source
                    && !matches!(p.name.as_str(), "self" | "cls" | "request")
                {
                    v.taint = Some(Taint::source(
                        0,
                        p.pos,
                        format!("{name}: parameter `{}`", p.name),
                    ));
                }
            }
            frame.vars.insert(p.name.clone(), v);
        }
        self.stack.push((0, index));
        self.block(&mut frame, &f.body);
        self.stack.pop();
    }

    /// What importing module `index` gives: its exports (JavaScript) or its module-level
    /// names (Python, Java).
    fn module_value(&self, index: usize) -> Value {
        let globals = &self.globals[index];
        let exported = globals
            .get("module")
            .and_then(|m| m.fields.as_ref())
            .and_then(|f| f.get("exports"))
            .cloned()
            .or_else(|| {
                globals
                    .get("exports")
                    .filter(|e| e.fields.is_some())
                    .cloned()
            });
        match exported {
            Some(e) if self.language == Language::JavaScript => e,
            _ => Value {
                fields: Some(Rc::new(
                    globals
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                )),
                ..Value::default()
            },
        }
    }

    fn function_name(&self, module: usize, function: usize) -> String {
        self.modules
            .get(module)
            .and_then(|m| m.functions.get(function))
            .map(|f| f.name.clone())
            .unwrap_or_default()
    }

    /// The access path of a written type: through an import when the name is imported.
    fn type_path(&self, ty: &str) -> String {
        self.type_path_in(None, ty)
    }

    /// [`Self::type_path`] seen from a frame (the module body binds its imports as it runs).
    fn type_path_in(&self, frame: Option<&Frame>, ty: &str) -> String {
        let head = ty.split(['.', '[', '<']).next().unwrap_or(ty);
        let module = frame.map_or(0, |f| f.module);
        let bound = frame
            .and_then(|f| f.vars.get(head))
            .or_else(|| self.globals.get(module).and_then(|g| g.get(head)));
        match bound.and_then(|v| v.path.clone()) {
            Some(p) if ty.len() == head.len() => p.to_string(),
            Some(p) => format!("{p}{}", &ty[head.len()..]),
            None => ty.to_owned(),
        }
    }

    fn block(&mut self, frame: &mut Frame, stmts: &[Stmt]) -> Flow {
        for s in stmts {
            if self.stmt(frame, s) == Flow::Exit {
                return Flow::Exit;
            }
        }
        Flow::Next
    }

    fn stmt(&mut self, frame: &mut Frame, stmt: &Stmt) -> Flow {
        match stmt {
            Stmt::Assign { target, value } => {
                let v = self.eval(frame, value);
                self.assign(frame, target, v);
                Flow::Next
            }
            Stmt::Expr(e) => {
                self.no_return = false;
                self.eval(frame, e);
                // Set by the statement's own call, evaluated last.
                if std::mem::take(&mut self.no_return) {
                    return Flow::Exit;
                }
                Flow::Next
            }
            Stmt::If { cond, then, other } => self.branch(frame, cond, then, other),
            Stmt::Loop { bind, iter, body } => {
                let it = self.eval(frame, iter);
                let before = frame.vars.clone();
                if let Some(Const::Bool(false)) = it.konst
                    && bind.is_none()
                {
                    return Flow::Next;
                }
                for _ in 0..LOOP_PASSES {
                    if let Some(t) = bind {
                        let elem = element(&it);
                        self.assign(frame, t, elem);
                    }
                    let saved_return = frame.returned.clone();
                    self.block(frame, body);
                    // A loop body that exits (break, return) still may have run partly.
                    if frame.returned.is_none() {
                        frame.returned = saved_return;
                    }
                }
                merge_vars(&mut frame.vars, &before);
                Flow::Next
            }
            Stmt::Return(value, pos) => {
                let mut v = match value {
                    Some(e) => self.eval(frame, e),
                    None => Value::constant(Const::Null),
                };
                self.check_return(frame, &v, *pos);
                if self.stack.len() > 1
                    && let Some(t) = &v.taint
                {
                    let name = self.function_name(frame.module, frame.function);
                    v.taint = Some(t.step(frame.module, *pos, format!("returned by `{name}`")));
                }
                frame.returned = Some(match &frame.returned {
                    Some(prev) => join(prev, &v),
                    None => v,
                });
                Flow::Exit
            }
            Stmt::Exit => Flow::Exit,
            Stmt::Block(stmts) => {
                for s in stmts {
                    // Any statement may throw: what follows a `try` sees every part.
                    self.stmt(frame, s);
                }
                Flow::Next
            }
        }
    }

    fn branch(&mut self, frame: &mut Frame, cond: &Expr, then: &[Stmt], other: &[Stmt]) -> Flow {
        let c = self.eval(frame, cond);
        if c.taint.is_none()
            && let Some(k) = &c.konst
        {
            return if k.truthy() {
                self.block(frame, then)
            } else {
                self.block(frame, other)
            };
        }
        let mut t = frame.clone();
        let mut o = frame.clone();
        self.refine(&mut t, cond, true);
        self.refine(&mut o, cond, false);
        let ft = self.block(&mut t, then);
        let fo = self.block(&mut o, other);
        let returned = match (&t.returned, &o.returned) {
            (Some(a), Some(b)) => Some(join(a, b)),
            (a, b) => a.clone().or_else(|| b.clone()),
        };
        match (ft, fo) {
            (Flow::Exit, Flow::Exit) => {
                // Both left the block (`break` in a loop or switch may resume after it).
                let mut vars = t.vars;
                merge_vars(&mut vars, &o.vars);
                frame.vars = vars;
                frame.returned = returned;
                Flow::Exit
            }
            (Flow::Exit, Flow::Next) => {
                frame.vars = o.vars;
                frame.returned = returned;
                Flow::Next
            }
            (Flow::Next, Flow::Exit) => {
                frame.vars = t.vars;
                frame.returned = returned;
                Flow::Next
            }
            (Flow::Next, Flow::Next) => {
                let mut vars = t.vars;
                merge_vars(&mut vars, &o.vars);
                frame.vars = vars;
                frame.returned = returned;
                Flow::Next
            }
        }
    }

    /// What a condition proves about variables in the branch where it is `holds`: equal to a
    /// constant, member of a constant collection, accepted by a validator.
    fn refine(&mut self, frame: &mut Frame, cond: &Expr, holds: bool) {
        match &cond.kind {
            ExprKind::Not(inner) => self.refine(frame, inner, !holds),
            ExprKind::Binary(Op::And, a, b) if holds => {
                self.refine(frame, a, true);
                self.refine(frame, b, true);
            }
            ExprKind::Binary(Op::Or, a, b) if !holds => {
                self.refine(frame, a, false);
                self.refine(frame, b, false);
            }
            ExprKind::Binary(op @ (Op::Eq | Op::Ne | Op::In | Op::NotIn), a, b) => {
                let positive = matches!(op, Op::Eq | Op::In) == holds;
                if !positive {
                    return;
                }
                let (var, other) = match (&a.kind, &b.kind) {
                    (ExprKind::Name(_), _) => (a, b),
                    (_, ExprKind::Name(_)) if matches!(op, Op::Eq | Op::Ne) => (b, a),
                    _ => return,
                };
                let o = self.eval_quiet(frame, other);
                let constant = match op {
                    Op::Eq | Op::Ne => o.konst.is_some() && o.taint.is_none(),
                    _ => {
                        o.deep_taint().is_none()
                            && (o.items.is_some() || o.fields.is_some() || o.konst.is_some())
                    }
                };
                if constant && let ExprKind::Name(n) = &var.kind {
                    let mut v = frame.vars.get(n).cloned().unwrap_or_default();
                    v.taint = None;
                    if matches!(op, Op::Eq | Op::Ne) {
                        v.konst = o.konst;
                    }
                    frame.vars.insert(n.clone(), v);
                }
            }
            ExprKind::Call { callee, args, .. } if holds => {
                // `ALLOWED.includes(x)`, `ALLOWED.has(x)`: membership in a constant collection.
                if let ExprKind::Field(recv, method) = &callee.kind
                    && matches!(
                        method.as_str(),
                        "includes" | "has" | "contains" | "containsKey"
                    )
                {
                    let r = self.eval_quiet(frame, recv);
                    let constant = r.deep_taint().is_none()
                        && (r.items.is_some() || r.fields.is_some())
                        && r.path.is_none();
                    if constant {
                        for a in args {
                            if let ExprKind::Name(n) = &a.kind
                                && let Some(v) = frame.vars.get_mut(n)
                            {
                                v.taint = None;
                            }
                        }
                    }
                    return;
                }
                // `x.equals("const")`: `x` is that constant where it holds.
                if let ExprKind::Field(recv, method) = &callee.kind
                    && matches!(method.as_str(), "equals" | "equalsIgnoreCase")
                    && let ExprKind::Name(n) = &recv.kind
                    && let [arg] = args.as_slice()
                {
                    let a = self.eval_quiet(frame, arg);
                    if a.taint.is_none() && a.konst.is_some() {
                        let mut v = frame.vars.get(n).cloned().unwrap_or_default();
                        v.taint = None;
                        v.fields = None;
                        v.items = None;
                        frame.vars.insert(n.clone(), v);
                    }
                    return;
                }
                let path = self.callee_path(frame, callee);
                let Some(path) = path else { return };
                if !self
                    .sources
                    .validators
                    .iter()
                    .any(|s| s.matches_call(self.language, &path))
                {
                    return;
                }
                let mut validated: Vec<&Expr> = args.iter().collect();
                if let ExprKind::Field(recv, _) = &callee.kind {
                    validated.push(recv);
                    if let ExprKind::Call { args: inner, .. } = &recv.kind {
                        validated.extend(inner.iter());
                    }
                }
                for e in validated {
                    if let ExprKind::Name(n) = &e.kind
                        && let Some(v) = frame.vars.get_mut(n)
                    {
                        v.taint = None;
                        v.fields = None;
                        v.items = None;
                    }
                }
            }
            _ => {}
        }
    }

    /// The access path of a callee without evaluating side effects twice.
    fn callee_path(&mut self, frame: &mut Frame, callee: &Expr) -> Option<String> {
        self.eval_quiet(frame, callee).path.map(|p| p.to_string())
    }

    /// Evaluates without recording sinks (conditions re-read for refinement).
    fn eval_quiet(&mut self, frame: &mut Frame, e: &Expr) -> Value {
        let mut scratch = frame.clone();
        let saved = std::mem::take(&mut self.hits);
        let v = self.eval(&mut scratch, e);
        self.hits = saved;
        v
    }

    fn assign(&mut self, frame: &mut Frame, target: &Target, value: Value) {
        match target {
            Target::Name(name, pos) => {
                let mut v = value;
                if let Some(t) = &v.taint {
                    v.taint = Some(t.step(frame.module, *pos, format!("assigned to `{name}`")));
                }
                frame.vars.insert(name.clone(), v);
            }
            Target::Field(obj, field) => {
                self.check_assign_sink(frame, obj, Some(field), &value, obj.pos);
                let field = field.clone();
                self.update(frame, obj, &mut |o: &mut Value| {
                    Rc::make_mut(o.fields.get_or_insert_with(Default::default))
                        .insert(field.clone(), value.clone());
                });
            }
            Target::Index(obj, key) => {
                let k = self.eval(frame, key);
                self.check_assign_sink(frame, obj, None, &value, obj.pos);
                let key_text = k.konst.as_ref().map(Const::text);
                self.update(frame, obj, &mut |o: &mut Value| {
                    store_entry(o, key_text.as_deref(), &value);
                });
            }
            Target::Tuple(targets) => {
                let parts: Option<Vec<Value>> = value
                    .items
                    .as_ref()
                    .filter(|items| items.len() == targets.len())
                    .map(|items| items.to_vec());
                match parts {
                    Some(parts) => {
                        for (t, v) in targets.iter().zip(parts) {
                            self.assign(frame, t, v);
                        }
                    }
                    None => {
                        // `db, err := sql.Open(…)`: the first is the value; the rest carry
                        // its taint only.
                        let elem = Value::tainted(value.deep_taint());
                        for (i, t) in targets.iter().enumerate() {
                            let v = if i == 0 { value.clone() } else { elem.clone() };
                            self.assign(frame, t, v);
                        }
                    }
                }
            }
            Target::Other => {}
        }
    }

    /// Changes the value stored at a place (`x`, `x.f`, `x.f.g`); other places are left
    /// alone.
    fn update(&mut self, frame: &mut Frame, place: &Expr, f: &mut dyn FnMut(&mut Value)) {
        match &place.kind {
            ExprKind::Name(n) => {
                let mut v = match frame.vars.get(n) {
                    Some(v) => v.clone(),
                    None => self.globals[frame.module]
                        .get(n)
                        .cloned()
                        .unwrap_or_else(|| Value::at_path(n)),
                };
                f(&mut v);
                frame.vars.insert(n.clone(), v);
            }
            ExprKind::Field(obj, field) => {
                let current = self.eval_quiet(frame, place);
                let field = field.clone();
                self.update(frame, obj, &mut |o: &mut Value| {
                    let fields = Rc::make_mut(o.fields.get_or_insert_with(Default::default));
                    let entry = fields
                        .entry(field.clone())
                        .or_insert_with(|| current.clone());
                    f(entry);
                });
            }
            _ => {}
        }
    }

    /// Reports untrusted data assigned to a sink: `obj.field = value` (`el.innerHTML`,
    /// `ctx.body`) or `obj[key] = value` (`session["k"]`, where the object is the sink).
    fn check_assign_sink(
        &mut self,
        frame: &mut Frame,
        obj: &Expr,
        field: Option<&str>,
        value: &Value,
        pos: Pos,
    ) {
        if !self.assign_sinks {
            return;
        }
        let target = self.eval_quiet(frame, obj);
        let base = target.path.as_deref().unwrap_or("?");
        let full = match field {
            Some(f) => format!("{base}.{f}"),
            None => base.to_owned(),
        };
        let path = full.as_str();
        let rules = self.rules.clone();
        for &(bit, rule) in rules.iter() {
            if rule.kind != RuleKind::Taint {
                continue;
            }
            for site in &rule.sites {
                if site.languages.contains(&self.language)
                    && site.assigns.iter().any(|p| p.matches(path))
                    && let Some(t) = value.live_taint(bit)
                {
                    let label = site.label.clone().unwrap_or_else(|| format!("`{path}`"));
                    self.hit(rule, frame.module, pos, label, &t, frame.function);
                }
            }
        }
    }

    fn check_return(&mut self, frame: &Frame, value: &Value, pos: Pos) {
        if frame.decorators.is_empty() || self.stack.len() != 1 {
            return;
        }
        // `return body, 200` answers with the body; a dictionary or a list is sent as JSON.
        let literal = value.path.is_none() && value.instance.is_none();
        let value = match &value.items {
            Some(items)
                if literal
                    && (2..=3).contains(&items.len())
                    && matches!(items[1].konst, Some(Const::Int(_))) =>
            {
                &items[0]
            }
            _ => value,
        };
        if value.path.is_none()
            && value.instance.is_none()
            && (value.items.is_some() || value.fields.is_some())
        {
            return;
        }
        let rules = self.rules.clone();
        for &(bit, rule) in rules.iter() {
            for site in &rule.sites {
                if site.languages.contains(&self.language)
                    && site
                        .returns_from
                        .iter()
                        .any(|p| frame.decorators.iter().any(|d| p.matches(d)))
                    && let Some(t) = value.live_taint(bit)
                {
                    let label = site
                        .label
                        .clone()
                        .unwrap_or_else(|| "the response".to_owned());
                    self.hit(rule, frame.module, pos, label, &t, frame.function);
                }
            }
        }
    }

    fn hit(
        &mut self,
        rule: &'static Rule,
        module: usize,
        pos: Pos,
        sink: String,
        taint: &Taint,
        function: usize,
    ) {
        let mut trace = taint.steps.clone();
        trace.push(Step {
            module,
            pos,
            what: format!("reaches {sink}"),
        });
        let key = (rule.meta.id.to_owned(), module, pos);
        let function = self.function_name(module, function);
        let hit = Hit {
            rule,
            pos,
            sink,
            trace,
            function,
            module,
        };
        match self.hits.get(&key) {
            // The shortest trace explains best; ties keep the first found.
            Some(old) if old.trace.len() <= hit.trace.len() => {}
            _ => {
                self.hits.insert(key, hit);
            }
        }
    }

    fn source_of(&self, module: usize, path: &str, pos: Pos) -> Option<Rc<Taint>> {
        let (names, set) = &self.sources.values;
        let tag = set.find(path)?;
        let name = names.get(tag)?;
        Some(Taint::source(
            module,
            pos,
            format!("{name}: `{}`", display_path(path)),
        ))
    }

    fn eval(&mut self, frame: &mut Frame, e: &Expr) -> Value {
        self.budget = self.budget.saturating_sub(1);
        match &e.kind {
            ExprKind::Name(n) => match frame.vars.get(n) {
                Some(v) => v.clone(),
                None => match self.globals[frame.module].get(n) {
                    Some(v) => v.clone(),
                    None => {
                        let mut v = Value::at_path(n);
                        v.taint = self.source_of(frame.module, n, e.pos);
                        v
                    }
                },
            },
            ExprKind::Qualified(p) => {
                if let Some(v) = self.import(frame.module, p) {
                    return v;
                }
                let mut v = Value::at_path(p);
                v.taint = self.source_of(frame.module, p, e.pos);
                v
            }
            ExprKind::Str(s) => Value::constant(Const::Str(Rc::from(s.as_str()))),
            ExprKind::Int(i) => Value::constant(Const::Int(*i)),
            ExprKind::Float(f) => Value::constant(Const::Float(*f)),
            ExprKind::Bool(b) => Value::constant(Const::Bool(*b)),
            ExprKind::Null => Value::constant(Const::Null),
            ExprKind::Field(obj, name) => {
                let o = self.eval(frame, obj);
                if let Some(v) = o.fields.as_ref().and_then(|f| f.get(name)) {
                    return v.clone();
                }
                // An unknown receiver still names the method: `**.execute` matches
                // `get_db().execute` when `get_db` is unknown.
                let path = Some(format!("{}.{name}", o.path.as_deref().unwrap_or("?")));
                let mut v = Value {
                    path: path.as_deref().map(Rc::from),
                    taint: o.taint.clone(),
                    ..Value::default()
                };
                if let Some((module, class)) = o.instance
                    && let Some(m) = self.method(module, class, name)
                {
                    v.callable = Some(Callable::Function(module, m));
                }
                if v.taint.is_none()
                    && let Some(p) = &path
                {
                    v.taint = self.source_of(frame.module, p, e.pos);
                }
                v
            }
            ExprKind::Index(obj, key) => {
                let o = self.eval(frame, obj);
                let k = self.eval(frame, key);
                index(&o, &k)
            }
            ExprKind::Call {
                callee,
                args,
                kwargs,
            } => self.call(frame, e.pos, callee, args, kwargs),
            ExprKind::Typed(ty, inner) => {
                let mut v = self.eval(frame, inner);
                // The declared type is a second name for what the value is; a value of this
                // file (an instance, a function) is known better than by its type.
                if v.instance.is_none() && v.callable.is_none() {
                    let ty: Rc<str> = Rc::from(self.type_path_in(Some(frame), ty));
                    if v.path.is_none() {
                        v.path = Some(ty.clone());
                    }
                    v.alias = Some(ty);
                }
                v
            }
            ExprKind::New(call) => {
                self.constructing = matches!(call.kind, ExprKind::Call { .. });
                let v = self.eval(frame, call);
                self.constructing = false;
                v
            }
            ExprKind::Binary(op, l, r) => {
                let a = self.eval(frame, l);
                let b = self.eval(frame, r);
                binary(*op, &a, &b)
            }
            ExprKind::Not(inner) => {
                let v = self.eval(frame, inner);
                match (&v.konst, &v.taint) {
                    (Some(k), None) => Value::constant(Const::Bool(!k.truthy())),
                    _ => Value::default(),
                }
            }
            ExprKind::Cond(c, a, b) => {
                let cv = self.eval(frame, c);
                if cv.taint.is_none()
                    && let Some(k) = &cv.konst
                {
                    return if k.truthy() {
                        self.eval(frame, a)
                    } else {
                        self.eval(frame, b)
                    };
                }
                let x = self.eval(frame, a);
                let y = self.eval(frame, b);
                join(&x, &y)
            }
            ExprKind::Concat(parts) => {
                let mut text = Some(String::new());
                let mut taint = None;
                let mut first_part = None;
                for (i, p) in parts.iter().enumerate() {
                    let v = self.eval(frame, p);
                    if i == 0 {
                        first_part = v.start();
                    }
                    if taint.is_none() {
                        taint = v.deep_taint();
                    }
                    match (&mut text, &v.konst) {
                        (Some(t), Some(k)) if v.taint.is_none() => t.push_str(&k.text()),
                        _ => text = None,
                    }
                }
                let mut v = Value::tainted(taint);
                if v.taint.is_none() {
                    v.konst = text.map(|t| Const::Str(Rc::from(t)));
                } else {
                    v.prefix = first_part;
                }
                v
            }
            ExprKind::List(items) => {
                let values: Vec<Value> = items.iter().map(|i| self.eval(frame, i)).collect();
                Value {
                    items: Some(Rc::new(values)),
                    ..Value::default()
                }
            }
            ExprKind::Dict(pairs) => {
                let mut fields = BTreeMap::new();
                let mut v = Value::default();
                for (k, val) in pairs {
                    let kv = self.eval(frame, k);
                    let vv = self.eval(frame, val);
                    match kv.konst.as_ref() {
                        Some(c) if kv.taint.is_none() => {
                            fields.insert(c.text(), vv);
                        }
                        _ => {
                            v.absorb(kv.deep_taint());
                            v.absorb(vv.deep_taint());
                        }
                    }
                }
                v.fields = Some(Rc::new(fields));
                v
            }
            ExprKind::Lambda(i) => Value {
                callable: Some(Callable::Function(frame.module, *i)),
                // A function defined inside another sees that one's variables.
                captured: (frame.function != 0).then(|| {
                    let captured = Rc::new(frame.vars.clone());
                    // Analysed as an entry with what it sees (a handler defined in a
                    // constructor uses the constructor's variables).
                    if frame.module == 0 && !self.nested.contains_key(i) {
                        self.nested.insert(*i, Some(captured.clone()));
                    }
                    captured
                }),
                ..Value::default()
            },
            ExprKind::Class(i) => Value {
                callable: Some(Callable::Class(frame.module, *i)),
                path: self
                    .modules
                    .get(frame.module)
                    .and_then(|m| m.classes.get(*i))
                    .map(|c| Rc::from(c.name.as_str())),
                ..Value::default()
            },
            ExprKind::Comp {
                binds,
                filters,
                body,
            } => {
                let mut scope = frame.clone();
                for (t, iter) in binds {
                    let it = self.eval(&mut scope, iter);
                    self.assign(&mut scope, t, element(&it));
                }
                for f in filters {
                    self.eval(&mut scope, f);
                }
                let v = self.eval(&mut scope, body);
                Value::tainted(v.deep_taint())
            }
            ExprKind::Other(parts) => {
                let mut v = Value::default();
                for p in parts {
                    let x = self.eval(frame, p);
                    v.absorb(x.deep_taint());
                }
                v
            }
        }
    }

    fn method(&self, module: usize, class: usize, name: &str) -> Option<usize> {
        let m = self.modules.get(module)?;
        let c = m.classes.get(class)?;
        c.methods
            .iter()
            .copied()
            .find(|&i| m.functions.get(i).is_some_and(|f| f.name == name))
    }

    fn call(
        &mut self,
        frame: &mut Frame,
        pos: Pos,
        callee: &Expr,
        args: &[Expr],
        kwargs: &[(String, Expr)],
    ) -> Value {
        let constructing = std::mem::take(&mut self.constructing);
        let (receiver, method) = match &callee.kind {
            ExprKind::Field(obj, name) => (Some(self.eval(frame, obj)), Some(name.as_str())),
            _ => (None, None),
        };
        let f = match (&receiver, method) {
            (Some(r), Some(m)) => {
                let mut v = match r.fields.as_ref().and_then(|f| f.get(m)) {
                    Some(v) => v.clone(),
                    None => Value {
                        path: Some(Rc::from(format!(
                            "{}.{m}",
                            r.path.as_deref().unwrap_or("?")
                        ))),
                        ..Value::default()
                    },
                };
                let class = r.instance.or(match r.callable {
                    Some(Callable::Class(module, class)) => Some((module, class)),
                    _ => None,
                });
                if let Some((module, class)) = class
                    && let Some(i) = self.method(module, class, m)
                {
                    v.callable = Some(Callable::Function(module, i));
                }
                v
            }
            _ => self.eval(frame, callee),
        };
        let arg_values: Vec<Value> = args.iter().map(|a| self.eval(frame, a)).collect();
        let kwarg_values: Vec<(String, Value)> = kwargs
            .iter()
            .map(|(k, v)| (k.clone(), self.eval(frame, v)))
            .collect();
        // Only this call, not one in its arguments, decides whether the statement returns.
        self.no_return = false;

        if let (Some(m), Some(r)) = (method, &receiver)
            && let Some(folded) = fold_string_method(r, m, &arg_values)
        {
            return folded;
        }

        // A function or class of the project: follow the call.
        if let Some(callable) = f.callable
            && self.budget > 0
            && self.stack.len() < MAX_DEPTH
        {
            let fresh = |module: usize, class: Option<usize>| Value {
                instance: class.map(|c| (module, c)),
                path: f.path.clone().map(|p| Rc::from(format!("{p}()"))),
                fields: Some(Rc::default()),
                ..Value::default()
            };
            let (target, this) = match callable {
                // `new F()` of a constructor function: `this` is the new object.
                Callable::Function(m, i) if constructing => (Some((m, i)), Some(fresh(m, None))),
                Callable::Function(m, i) => (
                    Some((m, i)),
                    receiver.clone().filter(|r| r.instance.is_some()),
                ),
                Callable::Class(m, c) => (
                    self.method(m, c, "__init__")
                        .or_else(|| self.method(m, c, "constructor"))
                        .map(|i| (m, i)),
                    Some(fresh(m, Some(c))),
                ),
            };
            let constructs = constructing || matches!(callable, Callable::Class(..));
            if let Some((m, i)) = target
                && !self.stack.contains(&(m, i))
            {
                let (ret, this_after) = self.invoke(
                    m,
                    i,
                    pos,
                    frame.module,
                    f.captured.clone(),
                    this.clone(),
                    &arg_values,
                    &kwarg_values,
                );
                // A `sys.exit()` inside the callee ends the callee, not the caller.
                self.no_return = false;
                if constructs {
                    return this_after.or(this).unwrap_or_default();
                }
                if let Some(after) = this_after
                    && let ExprKind::Field(obj, _) = &callee.kind
                    && receiver.as_ref().is_some_and(|r| r.instance.is_some())
                {
                    self.update(frame, obj, &mut |o: &mut Value| *o = after.clone());
                }
                return ret;
            }
            if constructs {
                return this.unwrap_or_default();
            }
        }

        let path = f.path.as_deref().unwrap_or("").to_owned();
        // The method by the receiver's declared type (`java.sql.Statement.execute`).
        let alt = match (&receiver, method) {
            (Some(r), Some(m)) => r.alias.as_ref().map(|a| format!("{a}.{m}")),
            _ => None,
        };
        let call = CallSite {
            path: &path,
            pos,
            receiver: receiver.as_ref(),
            args: &arg_values,
            kwargs: &kwarg_values,
        };
        let interesting = self.catalogue.interesting(self.language, &path)
            || alt
                .as_deref()
                .is_some_and(|a| self.catalogue.interesting(self.language, a));
        self.no_return = interesting
            && self
                .sources
                .noreturn
                .iter()
                .any(|s| s.matches_call(self.language, &path));
        // What a sink consumed is reported there, not again where its result goes
        // (`make_response(tainted)` returned from a view is one finding).
        let result_path = (!path.is_empty()).then(|| format!("{path}()"));
        let mut clean_mask = 0u128;
        if interesting {
            clean_mask = self.check_call(frame, &call);
            if let Some(alt) = &alt {
                clean_mask |= self.check_call(frame, &CallSite { path: alt, ..call });
            }
            let matches = |s: &Site, language: Language| {
                s.matches_call(language, &path)
                    || alt.as_deref().is_some_and(|a| s.matches_call(language, a))
            };
            if self
                .sources
                .scrubbers
                .iter()
                .any(|s| matches(s, self.language) && conditions_hold(s, &call))
            {
                return Value {
                    path: result_path.as_deref().map(Rc::from),
                    ..Value::default()
                };
            }
            for &(bit, rule) in self.rules.iter() {
                if rule
                    .sanitizers
                    .iter()
                    .any(|s| matches(s, self.language) && conditions_hold(s, &call))
                    && bit < 128
                {
                    clean_mask |= 1u128 << bit;
                }
            }
        }

        // A new empty collection: its elements and keys are followed from here on.
        if arg_values.is_empty() && kwarg_values.is_empty() {
            let last = path.rsplit('.').next().unwrap_or("");
            if matches!(
                last,
                "ArrayList" | "LinkedList" | "Vector" | "ArrayDeque" | "Stack" | "list" | "deque"
            ) {
                return Value {
                    items: Some(Rc::default()),
                    path: result_path.as_deref().map(Rc::from),
                    ..Value::default()
                };
            }
            if matches!(
                last,
                "HashMap"
                    | "TreeMap"
                    | "LinkedHashMap"
                    | "Hashtable"
                    | "Properties"
                    | "ConcurrentHashMap"
                    | "dict"
                    | "OrderedDict"
                    | "Map"
                    | "Object"
                    | "ConfigParser"
                    | "RawConfigParser"
            ) {
                return Value {
                    fields: Some(Rc::default()),
                    path: result_path.as_deref().map(Rc::from),
                    ..Value::default()
                };
            }
        }

        // Containers: entries stored and read by constant keys.
        if let (Some(m), Some(r), ExprKind::Field(obj, _)) = (method, &receiver, &callee.kind) {
            if STORES.contains(&m) && !arg_values.is_empty() {
                let keys: Vec<String> = arg_values[..arg_values.len() - 1]
                    .iter()
                    .filter_map(|k| k.konst.as_ref().map(Const::text))
                    .collect();
                let all_const = keys.len() + 1 == arg_values.len();
                let stored = arg_values[arg_values.len() - 1].clone();
                let list_op = matches!(m, "append" | "push" | "add" | "appendleft" | "unshift");
                if m == "insert" && arg_values.len() == 2 {
                    let at = match arg_values[0].konst {
                        Some(Const::Int(i)) => usize::try_from(i).ok(),
                        _ => None,
                    };
                    self.update(
                        frame,
                        obj,
                        &mut |o: &mut Value| match (at, o.items.as_mut()) {
                            (Some(i), Some(items)) => {
                                let items = Rc::make_mut(items);
                                items.insert(i.min(items.len()), stored.clone());
                            }
                            _ => {
                                o.items = None;
                                o.absorb(stored.deep_taint());
                            }
                        },
                    );
                } else if list_op {
                    let front = matches!(m, "appendleft" | "unshift");
                    self.update(frame, obj, &mut |o: &mut Value| match o.items.as_mut() {
                        Some(items) => {
                            let items = Rc::make_mut(items);
                            if front {
                                items.insert(0, stored.clone());
                            } else {
                                items.push(stored.clone());
                            }
                        }
                        None => o.absorb(stored.deep_taint()),
                    });
                } else if all_const && !keys.is_empty() {
                    let key = keys.join("/");
                    self.update(frame, obj, &mut |o: &mut Value| {
                        store_entry(o, Some(&key), &stored);
                    });
                } else {
                    self.update(frame, obj, &mut |o: &mut Value| {
                        o.items = None;
                        o.absorb(stored.deep_taint());
                    });
                }
                // `sb.append(x)` returns the builder.
                let mut after = self.eval_quiet(frame, obj);
                after.path = r.path.clone();
                return after;
            }
            if READS.contains(&m) || m == "pop" || m == "remove" {
                if let Some(v) = self.read_entry(frame, obj, r, m, &arg_values) {
                    return v;
                }
            }
        }

        let mut v = Value {
            path: result_path.as_deref().map(Rc::from),
            ..Value::default()
        };
        v.taint = self.source_of(frame.module, v.path.as_deref().unwrap_or(""), pos);
        if v.taint.is_none()
            && let Some(alt) = &alt
        {
            v.taint = self.source_of(frame.module, &format!("{alt}()"), pos);
        }
        if v.taint.is_none() {
            let mut t = receiver.as_ref().and_then(Value::deep_taint);
            for a in arg_values.iter().chain(kwarg_values.iter().map(|(_, v)| v)) {
                if t.is_none() {
                    t = a.deep_taint();
                }
            }
            if let Some(t) = t {
                v.taint = Some(if clean_mask != 0 {
                    t.cleaned(clean_mask)
                } else {
                    t
                });
            }
        }
        // `"/users/{}".format(x)`, `String.format("/u/%s", x)`, `fmt.Sprintf("/u/%s", x)`,
        // `urljoin("https://api/", x)`: the constant start of the result stays known.
        if v.taint.is_some() {
            let template = match (method, receiver.as_ref()) {
                (Some("format"), Some(r)) => r.start(),
                _ => arg_values.first().and_then(Value::start),
            };
            v.prefix = template.map(|t| Rc::from(t.split(['{', '%']).next().unwrap_or("")));
        }
        v
    }

    /// `d.get("k")`, `lst.pop(0)`, `conf.get("section", "k")` on a container whose entries are
    /// known; `None` when they are not.
    fn read_entry(
        &mut self,
        frame: &mut Frame,
        obj: &Expr,
        r: &Value,
        m: &str,
        args: &[Value],
    ) -> Option<Value> {
        if m == "get"
            && let Some(items) = &r.items
            && let [
                Value {
                    konst: Some(Const::Int(i)),
                    taint: None,
                    ..
                },
            ] = args
        {
            let at = usize::try_from(*i).ok()?;
            return items.get(at).cloned();
        }
        if matches!(m, "pop" | "remove")
            && let Some(items) = &r.items
        {
            let at = match args.first().and_then(|a| a.konst.clone()) {
                None => items.len().checked_sub(1),
                Some(Const::Int(i)) if i >= 0 => usize::try_from(i).ok(),
                Some(Const::Int(i)) => items.len().checked_sub(usize::try_from(-i).ok()?),
                _ => None,
            };
            let at = at.filter(|&i| i < items.len())?;
            let taken = items[at].clone();
            self.update(frame, obj, &mut |o: &mut Value| {
                if let Some(items) = o.items.as_mut() {
                    let items = Rc::make_mut(items);
                    if at < items.len() {
                        items.remove(at);
                    }
                }
            });
            return Some(taken);
        }
        let fields = r.fields.as_ref()?;
        let key_args = if args.len() >= 2 && m != "get" && m != "pop" && m != "getOrDefault" {
            args
        } else if args.len() >= 2 && fields.keys().any(|k| k.contains('/')) {
            // `configparser.get(section, option)`: both are the key.
            args
        } else {
            &args[..args.len().min(1)]
        };
        let keys: Option<Vec<String>> = key_args
            .iter()
            .map(|a| a.konst.as_ref().map(Const::text))
            .collect();
        let Some(keys) = keys else {
            // An unknown key into a dictionary whose entries are all known (an allow-list):
            // one of its values, or the default.
            if r.taint.is_some() || r.path.is_some() || r.instance.is_some() || m == "pop" {
                return None;
            }
            let mut v = Value::constant(Const::Null);
            let mut first = true;
            for value in fields.values().chain(args.get(1)) {
                v = if first {
                    value.clone()
                } else {
                    join(&v, value)
                };
                first = false;
            }
            return Some(v);
        };
        let key = keys.join("/");
        if let Some(v) = fields.get(&key) {
            return Some(v.clone());
        }
        if r.taint.is_some() {
            return None;
        }
        // A key the container does not hold: the default, or nothing.
        Some(match (m, args.get(1)) {
            ("get" | "getOrDefault" | "pop", Some(default)) if key_args.len() == 1 => {
                default.clone()
            }
            _ => Value::constant(Const::Null),
        })
    }

    /// Reports the sinks and dangerous calls of a call; the taint rules whose sink it is.
    fn check_call(&mut self, frame: &Frame, call: &CallSite<'_>) -> u128 {
        let mut sinks = 0u128;
        if call.path.is_empty() {
            return sinks;
        }
        let rules = self.rules.clone();
        for &(bit, rule) in rules.iter() {
            for site in &rule.sites {
                if !site.matches_call(self.language, call.path) || !conditions_hold(site, call) {
                    continue;
                }
                let label = site
                    .label
                    .clone()
                    .unwrap_or_else(|| format!("`{}`", display_path(call.path)));
                match rule.kind {
                    // Another file's dangerous calls are that file's findings.
                    RuleKind::Call if frame.module != 0 => {}
                    RuleKind::Call => {
                        let key = (rule.meta.id.to_owned(), 0, call.pos);
                        let function = self.function_name(0, frame.function);
                        self.hits.entry(key).or_insert(Hit {
                            rule,
                            pos: call.pos,
                            sink: label,
                            trace: Vec::new(),
                            function,
                            module: 0,
                        });
                    }
                    RuleKind::Taint => {
                        if bit < 128 {
                            sinks |= 1u128 << bit;
                        }
                        let mut tainted = None;
                        for (i, a) in call.args.iter().enumerate() {
                            let listed = site.args.as_ref().is_none_or(|l| l.contains(&i));
                            if listed && site.fixed_target_safe && fixed_target(a) {
                                continue;
                            }
                            // `res.send({ error: msg })` answers JSON, not HTML.
                            if listed
                                && site.structured_safe
                                && a.taint.is_none()
                                && (a.fields.is_some() || a.items.is_some())
                            {
                                continue;
                            }
                            if listed && tainted.is_none() {
                                tainted = match (&a.items, site.first_item) {
                                    (Some(items), true) => {
                                        items.first().and_then(|f| f.live_taint(bit))
                                    }
                                    _ => a.live_taint(bit),
                                };
                            }
                        }
                        for (k, a) in call.kwargs {
                            if tainted.is_none() && (site.args.is_none() || site.kwargs.contains(k))
                            {
                                tainted = a.live_taint(bit);
                            }
                        }
                        if tainted.is_none() && site.receiver {
                            tainted = call.receiver.and_then(|r| r.live_taint(bit));
                        }
                        if let Some(t) = tainted {
                            self.hit(rule, frame.module, call.pos, label, &t, frame.function);
                        }
                    }
                }
            }
        }
        sinks
    }

    /// Evaluates function `index` of `module` with the given arguments (called from
    /// `caller`): its return value, and the final value of its receiver (`self`/`this`).
    #[allow(
        clippy::too_many_arguments,
        reason = "one call site; the parts of a call"
    )]
    fn invoke(
        &mut self,
        module: usize,
        index: usize,
        pos: Pos,
        caller: usize,
        captured: Option<Rc<HashMap<String, Value>>>,
        this: Option<Value>,
        args: &[Value],
        kwargs: &[(String, Value)],
    ) -> (Value, Option<Value>) {
        let Some(m) = self.modules.get(module).cloned() else {
            return (Value::default(), this);
        };
        let Some(f) = m.functions.get(index) else {
            return (Value::default(), this);
        };
        let clean = this.as_ref().is_none_or(|t| t.deep_taint().is_none())
            && args.iter().all(|a| a.deep_taint().is_none())
            && kwargs.iter().all(|(_, a)| a.deep_taint().is_none())
            && captured.is_none();
        let key = clean.then(|| (module, index, signature(this.as_ref(), args, kwargs)));
        if let Some(k) = &key
            && this.is_none()
            && let Some(v) = self.cache.get(k)
        {
            return (v.clone(), None);
        }
        // Module-level names are read from `globals` when a name is not a local: a call
        // does not copy them.
        let vars = captured.as_deref().cloned().unwrap_or_default();
        let mut frame = Frame {
            function: index,
            module,
            vars,
            ..Frame::default()
        };
        let mut params = f.params.iter().peekable();
        // The receiver: a method's `self`/`this` parameter, or the implicit `this` of a
        // JavaScript function called with `new` or as a method.
        let this_name = match &this {
            Some(t) => {
                let name = match params
                    .next_if(|p| f.class.is_some() && matches!(p.name.as_str(), "self" | "this"))
                {
                    Some(p) => p.name.clone(),
                    None => "this".to_owned(),
                };
                frame.vars.insert(name.clone(), t.clone());
                Some(name)
            }
            None => {
                // A static call of a method whose implicit `this` is declared.
                let _ = params.next_if(|p| f.class.is_some() && p.name == "this");
                None
            }
        };
        let mut positional = args.iter();
        for p in params {
            let given = kwargs
                .iter()
                .find(|(k, _)| *k == p.name)
                .map(|(_, v)| v.clone())
                .or_else(|| positional.next().cloned());
            let mut v = match given {
                Some(v) => v,
                None => match &p.default {
                    Some(d) => {
                        let mut g = Frame {
                            module,
                            ..Frame::default()
                        };
                        self.eval(&mut g, d)
                    }
                    None => Value::at_path(&p.name),
                },
            };
            if let Some(t) = &v.taint {
                v.taint = Some(t.step(
                    caller,
                    pos,
                    format!("passed to `{}` as `{}`", f.name, p.name),
                ));
            }
            frame.vars.insert(p.name.clone(), v);
        }
        self.stack.push((module, index));
        self.block(&mut frame, &f.body);
        self.stack.pop();
        let ret = frame.returned.take().unwrap_or_default();
        let this_after = this_name.map(|n| frame.vars.get(&n).cloned().unwrap_or_default());
        if let Some(k) = key
            && this_after.is_none()
        {
            self.cache.insert(k, ret.clone());
        }
        (ret, this_after)
    }
}

/// A call being checked against the rules.
#[derive(Clone, Copy)]
struct CallSite<'a> {
    path: &'a str,
    pos: Pos,
    receiver: Option<&'a Value>,
    args: &'a [Value],
    kwargs: &'a [(String, Value)],
}

fn conditions_hold(site: &Site, call: &CallSite<'_>) -> bool {
    site.when.iter().all(|c| condition(c, call)) && !site.unless.iter().any(|c| condition(c, call))
}

fn condition(c: &Cond, call: &CallSite<'_>) -> bool {
    let mut value = match &c.arg {
        ArgRef::Pos(i) => call.args.get(*i),
        ArgRef::Kw(k) => call.kwargs.iter().find(|(n, _)| n == k).map(|(_, v)| v),
    }
    .cloned();
    if let (Some(key), Some(v)) = (&c.key, &value) {
        value = v.fields.as_ref().and_then(|f| f.get(key)).cloned();
    }
    if let Some(is) = c.is {
        let truth = value
            .as_ref()
            .and_then(|v| v.konst.as_ref().filter(|_| v.taint.is_none()))
            .map(Const::truthy);
        let ok = match is {
            Is::True => truth == Some(true),
            Is::False => truth == Some(false),
            Is::Missing => value.is_none(),
            Is::Present => value.is_some(),
            Is::NotTrue => value.is_none() || truth == Some(false),
            Is::NotFalse => value.is_some() && truth != Some(false),
        };
        if !ok {
            return false;
        }
    }
    if let Some(re) = &c.matches {
        let text = value
            .as_ref()
            .and_then(|v| v.konst.as_ref().map(Const::text));
        // A list matches when one of its constant elements does (`algorithms=["none"]`).
        let in_list = value
            .as_ref()
            .and_then(|v| v.items.as_ref())
            .is_some_and(|items| {
                items
                    .iter()
                    .any(|i| i.konst.as_ref().is_some_and(|k| re.is_match(&k.text())))
            });
        if !in_list && !text.is_some_and(|t| re.is_match(&t)) {
            return false;
        }
    }
    if !c.path.is_empty() {
        let path = value.as_ref().and_then(|v| v.path.clone());
        if !path.is_some_and(|p| c.path.iter().any(|pat| pat.matches(&p))) {
            return false;
        }
    }
    true
}

/// A cache key for a call without taint: the constants of its arguments.
fn signature(this: Option<&Value>, args: &[Value], kwargs: &[(String, Value)]) -> String {
    let mut s = String::new();
    if this.is_some() {
        s.push_str("this;");
    }
    for a in args {
        s.push_str(&format!("{:?}|{:?};", a.konst, a.path));
    }
    for (k, a) in kwargs {
        s.push_str(&format!("{k}={:?}|{:?};", a.konst, a.path));
    }
    s
}

/// The value of an element of an iterated container.
fn element(it: &Value) -> Value {
    if let Some(items) = &it.items {
        let mut v = Value::tainted(it.taint.clone());
        for i in items.iter() {
            v = join(&v, &Value::tainted(i.deep_taint()));
        }
        return v;
    }
    Value::tainted(it.deep_taint())
}

fn index(o: &Value, k: &Value) -> Value {
    if k.taint.is_none() {
        match &k.konst {
            Some(Const::Int(i)) if o.items.is_some() => {
                if let Some(items) = &o.items {
                    let at = if *i < 0 {
                        usize::try_from(-*i)
                            .ok()
                            .and_then(|n| items.len().checked_sub(n))
                    } else {
                        usize::try_from(*i).ok()
                    };
                    if let Some(v) = at.and_then(|a| items.get(a)) {
                        return v.clone();
                    }
                }
            }
            Some(c) => {
                if let Some(v) = o.fields.as_ref().and_then(|f| f.get(&c.text())) {
                    return v.clone();
                }
                if o.fields.is_some() && o.taint.is_none() && o.path.is_none() {
                    return Value::constant(Const::Null);
                }
            }
            None => {}
        }
    }
    let mut v = Value::tainted(o.deep_taint());
    if v.taint.is_none()
        && let Some(Const::Str(s)) = &o.konst
        && let Some(Const::Int(i)) = k.konst
    {
        // `"abc"[1]`.
        if let Some(c) = usize::try_from(i).ok().and_then(|i| s.chars().nth(i)) {
            v.konst = Some(Const::Str(Rc::from(c.to_string())));
        }
    }
    v
}

fn store_entry(o: &mut Value, key: Option<&str>, value: &Value) {
    match key {
        Some(k) => {
            if let (Ok(i), Some(items)) = (k.parse::<usize>(), o.items.as_mut()) {
                let items = Rc::make_mut(items);
                if i < items.len() {
                    items[i] = value.clone();
                    return;
                }
            }
            Rc::make_mut(o.fields.get_or_insert_with(Default::default))
                .insert(k.to_owned(), value.clone());
        }
        None => {
            o.items = None;
            o.absorb(value.deep_taint());
        }
    }
}

fn merge_vars(into: &mut HashMap<String, Value>, other: &HashMap<String, Value>) {
    for (k, v) in other {
        let joined = match into.get(k) {
            Some(old) => join(old, v),
            // Defined on one path only: unknown on the other, so keep what is known.
            None => v.clone(),
        };
        into.insert(k.clone(), joined);
    }
}

fn binary(op: Op, a: &Value, b: &Value) -> Value {
    let taint = a.deep_taint().or_else(|| b.deep_taint());
    let both = match (&a.konst, &b.konst) {
        (Some(x), Some(y)) if a.taint.is_none() && b.taint.is_none() => Some((x, y)),
        _ => None,
    };
    let folded = both.and_then(|(x, y)| fold(op, x, y));
    match op {
        Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::Is | Op::IsNot => Value {
            konst: folded,
            ..Value::default()
        },
        Op::In | Op::NotIn => {
            let member = membership(a, b);
            Value {
                konst: member.map(|m| Const::Bool(if op == Op::In { m } else { !m })),
                ..Value::default()
            }
        }
        Op::And | Op::Or => {
            if let Some(k) = a.konst.as_ref().filter(|_| a.taint.is_none()) {
                let pick_a = if op == Op::And {
                    !k.truthy()
                } else {
                    k.truthy()
                };
                return if pick_a { a.clone() } else { b.clone() };
            }
            join(a, b)
        }
        _ => {
            let mut v = Value::tainted(taint);
            if v.taint.is_none() {
                v.konst = folded;
            } else if matches!(op, Op::Add | Op::Mod) {
                // `"/path?q=" + x`, `"/path/%s" % x`: the constant start stays known.
                v.prefix = a.start().map(|p| match op {
                    Op::Mod => Rc::from(p.split('%').next().unwrap_or("")),
                    _ => p,
                });
            }
            v
        }
    }
}

fn membership(needle: &Value, hay: &Value) -> Option<bool> {
    let n = needle.konst.as_ref().filter(|_| needle.taint.is_none())?;
    if let Some(items) = &hay.items {
        let mut all_known = true;
        for i in items.iter() {
            match &i.konst {
                Some(k) if i.taint.is_none() => {
                    if k == n {
                        return Some(true);
                    }
                }
                _ => all_known = false,
            }
        }
        return all_known.then_some(false);
    }
    if let (Some(Const::Str(h)), Const::Str(s)) = (&hay.konst, n) {
        return Some(h.contains(&**s));
    }
    None
}

fn num(c: &Const) -> Option<f64> {
    match c {
        Const::Int(i) => Some(*i as f64),
        Const::Float(f) => Some(*f),
        Const::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

fn fold(op: Op, x: &Const, y: &Const) -> Option<Const> {
    use Const::{Bool, Float, Int, Str};
    Some(match (op, x, y) {
        (Op::Add, Int(a), Int(b)) => Int(a.checked_add(*b)?),
        (Op::Sub, Int(a), Int(b)) => Int(a.checked_sub(*b)?),
        (Op::Mul, Int(a), Int(b)) => Int(a.checked_mul(*b)?),
        (Op::FloorDiv, Int(a), Int(b)) => Int(a.checked_div_euclid(*b)?),
        (Op::Mod, Int(a), Int(b)) => Int(a.checked_rem_euclid(*b)?),
        (Op::Add, Str(a), Str(b)) => Str(Rc::from(format!("{a}{b}"))),
        (Op::Add | Op::Sub | Op::Mul | Op::Div, _, _) => {
            let (a, b) = (num(x)?, num(y)?);
            Float(match op {
                Op::Add => a + b,
                Op::Sub => a - b,
                Op::Mul => a * b,
                _ if b != 0.0 => a / b,
                _ => return None,
            })
        }
        (Op::Eq | Op::Is, _, _) => Bool(equal(x, y)),
        (Op::Ne | Op::IsNot, _, _) => Bool(!equal(x, y)),
        (Op::Lt | Op::Le | Op::Gt | Op::Ge, Str(a), Str(b)) => Bool(match op {
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            _ => a >= b,
        }),
        (Op::Lt | Op::Le | Op::Gt | Op::Ge, _, _) => {
            let (a, b) = (num(x)?, num(y)?);
            Bool(match op {
                Op::Lt => a < b,
                Op::Le => a <= b,
                Op::Gt => a > b,
                _ => a >= b,
            })
        }
        _ => return None,
    })
}

fn equal(x: &Const, y: &Const) -> bool {
    match (num(x), num(y)) {
        (Some(a), Some(b)) if !matches!((x, y), (Const::Bool(_), _) | (_, Const::Bool(_))) => {
            a == b
        }
        _ => x == y,
    }
}

/// Whether a URL's constant start fixes where it goes: a local path (`/x`, not `//host` or
/// `/\host`), or an absolute URL with its host and a `/` after it.
fn fixed_target(v: &Value) -> bool {
    let Some(start) = v.start() else {
        return false;
    };
    if let Some(rest) = start.strip_prefix('/') {
        return !rest.is_empty() && !rest.starts_with(['/', '\\']);
    }
    for scheme in ["https://", "http://"] {
        if let Some(rest) = start.strip_prefix(scheme) {
            return rest.find('/').is_some_and(|i| i > 0);
        }
    }
    false
}

/// A method of a constant string with constant arguments (`"ABC".charAt(1)`,
/// `"a-b".upper()`): its constant result, so conditions and `switch`es on it fold.
fn fold_string_method(receiver: &Value, method: &str, args: &[Value]) -> Option<Value> {
    let text = receiver.str_const()?;
    if receiver.taint.is_some() || args.iter().any(|a| a.taint.is_some() || a.konst.is_none()) {
        return None;
    }
    let int = |i: usize| match args.get(i).and_then(|a| a.konst.clone()) {
        Some(Const::Int(n)) => usize::try_from(n).ok(),
        _ => None,
    };
    let chars: Vec<char> = text.chars().collect();
    let s: String = match method {
        "charAt" => chars.get(int(0)?)?.to_string(),
        "substring" => {
            let from = int(0)?;
            let to = match args.len() {
                1 => chars.len(),
                _ => int(1)?,
            };
            chars.get(from..to)?.iter().collect()
        }
        "toUpperCase" | "upper" => text.to_uppercase(),
        "toLowerCase" | "lower" => text.to_lowercase(),
        "trim" | "strip" => text.trim().to_owned(),
        "length" | "__len__" => {
            return Some(Value::constant(Const::Int(
                i64::try_from(chars.len()).ok()?,
            )));
        }
        "toString" | "intern" => text.to_owned(),
        _ => return None,
    };
    Some(Value::constant(Const::Str(Rc::from(s))))
}

/// A path as shown in messages: call results keep their parentheses.
fn display_path(path: &str) -> &str {
    path
}
