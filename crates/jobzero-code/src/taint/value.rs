//! What the engine knows of a value: whether untrusted data is in it (and how it got there),
//! its constant value, its access path, and the parts of containers and objects.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use crate::ir::Pos;

/// At most this many steps are kept in a trace: the first ones (the source) and the last one.
const MAX_STEPS: usize = 24;

/// One step of a trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The file (0: the analysed file; others: files it imports).
    pub module: usize,
    /// Where.
    pub pos: Pos,
    /// What happens there.
    pub what: String,
}

/// Untrusted data: how it got here, and the rules it has been made safe for.
#[derive(Debug, Clone)]
pub struct Taint {
    /// From the source to here.
    pub steps: Vec<Step>,
    /// Bit `i` set: sanitised for taint rule `i`.
    pub clean_for: u128,
}

impl Taint {
    /// A new taint at its source.
    pub fn source(module: usize, pos: Pos, what: String) -> Rc<Taint> {
        Rc::new(Taint {
            steps: vec![Step { module, pos, what }],
            clean_for: 0,
        })
    }

    /// This taint with one more step.
    pub fn step(self: &Rc<Taint>, module: usize, pos: Pos, what: String) -> Rc<Taint> {
        let mut t = (**self).clone();
        if t.steps
            .last()
            .is_some_and(|s| s.module == module && s.pos == pos && s.what == what)
        {
            return self.clone();
        }
        if t.steps.len() >= MAX_STEPS {
            t.steps.pop();
        }
        t.steps.push(Step { module, pos, what });
        Rc::new(t)
    }

    /// This taint, sanitised for the rules in `mask`.
    pub fn cleaned(self: &Rc<Taint>, mask: u128) -> Rc<Taint> {
        let mut t = (**self).clone();
        t.clean_for |= mask;
        Rc::new(t)
    }

    /// Whether it is still dangerous for rule `bit`.
    pub fn live_for(&self, bit: usize) -> bool {
        bit >= 128 || self.clean_for & (1u128 << bit) == 0
    }
}

/// A constant.
#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    /// Text.
    Str(Rc<str>),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// `None` / `null`.
    Null,
}

impl Const {
    /// Python's truthiness (JavaScript's differs only on `"0"`-like edge cases we ignore).
    pub fn truthy(&self) -> bool {
        match self {
            Const::Str(s) => !s.is_empty(),
            Const::Int(i) => *i != 0,
            Const::Float(f) => *f != 0.0,
            Const::Bool(b) => *b,
            Const::Null => false,
        }
    }

    /// The text of the constant, as a key or in a message.
    pub fn text(&self) -> String {
        match self {
            Const::Str(s) => s.to_string(),
            Const::Int(i) => i.to_string(),
            Const::Float(f) => f.to_string(),
            Const::Bool(b) => b.to_string(),
            Const::Null => "null".into(),
        }
    }
}

/// Something callable defined in the analysed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Callable {
    /// A function: its module and its index in the module's functions.
    Function(usize, usize),
    /// A class: its module and its index in the module's classes; calling it makes an
    /// instance.
    Class(usize, usize),
}

/// An abstract value.
#[derive(Debug, Clone, Default)]
pub struct Value {
    /// Untrusted data in the value itself.
    pub taint: Option<Rc<Taint>>,
    /// Its constant value.
    pub konst: Option<Const>,
    /// Its access path (`flask.request.args`, `sqlite3.connect()`).
    pub path: Option<Rc<str>>,
    /// The constant start of a string built by concatenation or formatting
    /// (`"/profile?tab=" + tab` starts with `/profile?tab=`).
    pub prefix: Option<Rc<str>>,
    /// The type it was declared with, when that says more than the path
    /// (`java.sql.Statement st = helper()`): methods are matched by both.
    pub alias: Option<Rc<str>>,
    /// A function or class of this file.
    pub callable: Option<Callable>,
    /// An instance of a class: its module and class index.
    pub instance: Option<(usize, usize)>,
    /// The variables a function defined inside another one sees from its definition.
    pub captured: Option<Rc<HashMap<String, Value>>>,
    /// Object fields and dictionary entries with constant keys.
    pub fields: Option<Rc<BTreeMap<String, Value>>>,
    /// List elements, when the list's shape is known.
    pub items: Option<Rc<Vec<Value>>>,
}

impl Value {
    /// A constant.
    pub fn constant(c: Const) -> Value {
        Value {
            konst: Some(c),
            ..Value::default()
        }
    }

    /// A value with only an access path.
    pub fn at_path(path: &str) -> Value {
        Value {
            path: Some(Rc::from(path)),
            ..Value::default()
        }
    }

    /// A value carrying `taint` and nothing else.
    pub fn tainted(taint: Option<Rc<Taint>>) -> Value {
        Value {
            taint,
            ..Value::default()
        }
    }

    /// Untrusted data anywhere in the value: itself, a field or an element.
    pub fn deep_taint(&self) -> Option<Rc<Taint>> {
        self.deep_taint_where(|_| true)
    }

    /// Untrusted data anywhere in the value that is still dangerous for rule `bit`.
    pub fn live_taint(&self, bit: usize) -> Option<Rc<Taint>> {
        self.deep_taint_where(|t| t.live_for(bit))
    }

    fn deep_taint_where(&self, keep: impl Fn(&Taint) -> bool + Copy) -> Option<Rc<Taint>> {
        if let Some(t) = &self.taint
            && keep(t)
        {
            return Some(t.clone());
        }
        if let Some(fields) = &self.fields {
            for v in fields.values() {
                if let Some(t) = v.deep_taint_where(keep) {
                    return Some(t);
                }
            }
        }
        if let Some(items) = &self.items {
            for v in items.iter() {
                if let Some(t) = v.deep_taint_where(keep) {
                    return Some(t);
                }
            }
        }
        None
    }

    /// The known start of the string: its constant text, or the constant it was built from.
    pub fn start(&self) -> Option<Rc<str>> {
        match (&self.konst, &self.taint) {
            (Some(Const::Str(s)), None) => Some(s.clone()),
            _ => self.prefix.clone(),
        }
    }

    /// Whether the value is a known string constant.
    pub fn str_const(&self) -> Option<&str> {
        match &self.konst {
            Some(Const::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// Adds `taint` to the value itself (an unknown part of it is untrusted now).
    pub fn absorb(&mut self, taint: Option<Rc<Taint>>) {
        if self.taint.is_none() {
            self.taint = taint;
        }
        if self.taint.is_some() {
            self.konst = None;
        }
    }
}

/// The value after two paths meet: untrusted if either is, constant if both agree.
pub fn join(a: &Value, b: &Value) -> Value {
    let taint = match (&a.taint, &b.taint) {
        (Some(x), Some(y)) => {
            // Clean for a rule only if clean on both paths.
            let mask = x.clean_for & y.clean_for;
            if mask == x.clean_for {
                Some(x.clone())
            } else {
                let mut t = (**x).clone();
                t.clean_for = mask;
                Some(Rc::new(t))
            }
        }
        (Some(x), None) | (None, Some(x)) => Some(x.clone()),
        (None, None) => None,
    };
    let konst = if taint.is_none() && a.konst == b.konst {
        a.konst.clone()
    } else {
        None
    };
    let fields = match (&a.fields, &b.fields) {
        (Some(x), Some(y)) if Rc::ptr_eq(x, y) => Some(x.clone()),
        (Some(x), Some(y)) => {
            let mut merged = (**x).clone();
            for (k, v) in y.iter() {
                let joined = match merged.get(k) {
                    Some(old) => join(old, v),
                    None => v.clone(),
                };
                merged.insert(k.clone(), joined);
            }
            Some(Rc::new(merged))
        }
        (Some(x), None) | (None, Some(x)) => Some(x.clone()),
        (None, None) => None,
    };
    let (items, spill) = match (&a.items, &b.items) {
        (Some(x), Some(y)) if Rc::ptr_eq(x, y) => (Some(x.clone()), None),
        (Some(x), Some(y)) if x.len() == y.len() => (
            Some(Rc::new(
                x.iter().zip(y.iter()).map(|(p, q)| join(p, q)).collect(),
            )),
            None,
        ),
        (Some(_), Some(_)) => (None, a.deep_taint().or_else(|| b.deep_taint())),
        (Some(x), None) | (None, Some(x)) => (Some(x.clone()), None),
        (None, None) => (None, None),
    };
    let mut v = Value {
        taint,
        konst,
        path: a.path.clone().or_else(|| b.path.clone()),
        alias: a.alias.clone().or_else(|| b.alias.clone()),
        prefix: if a.prefix == b.prefix {
            a.prefix.clone()
        } else {
            None
        },
        callable: a.callable.or(b.callable),
        instance: a.instance.or(b.instance),
        captured: a.captured.clone().or_else(|| b.captured.clone()),
        fields,
        items,
    };
    v.absorb(spill);
    v
}
