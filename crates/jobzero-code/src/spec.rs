//! Rules as data: one TOML file per rule in `rules/`, and the sources of untrusted data per
//! language in `sources/`. A user's own framework is described in the same format, in a file
//! named by `[code] rules` of `jobzero.toml` (see `docs/code.md`).
//!
//! Names in patterns are *access paths*: what an expression is, spelled from the import it
//! comes from. `flask.request.args` is the attribute `args` of `request` imported from
//! `flask`; `sqlite3.connect().cursor().execute` the `execute` method of what `cursor()`
//! returns on what `sqlite3.connect()` returns. A name nobody imported is spelled as written
//! (`request.GET` for a Django view's `request` parameter; `open` for the builtin). In a
//! pattern `*` is one segment (or part of one: `exec*`) and `**` any number of segments.

use std::sync::LazyLock;

use jobzero_core::expectation;
use jobzero_core::rule::{Family, RuleMeta};
use jobzero_core::{Confidence, Severity};
use regex::Regex;
use serde::Deserialize;

use crate::lang::Language;
use crate::pattern::{Pattern, PatternSet};

/// What a rule file says, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// `code/<name>`.
    pub id: String,
    /// `CODE<nnn>`.
    pub code: String,
    /// One line.
    pub title: String,
    /// The CWE number.
    pub cwe: u32,
    /// Default severity.
    pub severity: Severity,
    /// How sure the rule is.
    pub confidence: Confidence,
    /// `taint` (data from a source reaches a sink) or `call` (a call with given arguments).
    pub kind: RuleKind,
    /// The sinks of a taint rule.
    #[serde(default)]
    pub sink: Vec<CallSpec>,
    /// Calls whose result is safe for this rule (escaping, quoting).
    #[serde(default)]
    pub sanitizer: Vec<CallSpec>,
    /// The calls a `call` rule reports.
    #[serde(default, rename = "match")]
    pub matches: Vec<CallSpec>,
    /// Documentation: what it finds.
    pub what: String,
    /// Why it matters.
    pub why: String,
    /// A bad example.
    pub example: String,
    /// How to fix it.
    pub remediation: String,
    /// Links.
    #[serde(default)]
    pub references: Vec<String>,
}

/// The two kinds of code rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// Untrusted data from a source reaches a sink.
    Taint,
    /// A call with given arguments is itself the problem (a weak hash, TLS verification off).
    Call,
}

/// A call, an assignment or a return the rule is about.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallSpec {
    /// Languages this entry applies to.
    pub languages: Vec<String>,
    /// Access paths of the called function or method.
    #[serde(default)]
    pub calls: Vec<String>,
    /// Access paths assigned to (`flask.session` for `session["k"] = v`).
    #[serde(default)]
    pub assigns: Vec<String>,
    /// Access paths of decorators of functions whose returned value is the sink (a Flask view
    /// returns HTML).
    #[serde(default)]
    pub returns_from: Vec<String>,
    /// Positional arguments that are sinks (0-based; none listed: all of them).
    #[serde(default)]
    pub args: Option<Vec<usize>>,
    /// Keyword arguments that are sinks.
    #[serde(default)]
    pub kwargs: Vec<String>,
    /// Whether the receiver of a method call is a sink too (`query.execute()`).
    #[serde(default)]
    pub receiver: bool,
    /// For a list argument, only its first element is the sink (the program of
    /// `subprocess.run([program, arg...])`; the arguments are not).
    #[serde(default)]
    pub first_item: bool,
    /// A URL whose constant start fixes where it goes (`/home?next=…`,
    /// `https://api.example.com/…`) is safe here: the input only picks a path or a query.
    #[serde(default)]
    pub fixed_target_safe: bool,
    /// An object or array built here is serialised as JSON (Express's `res.send({ … })`):
    /// only a string argument is the sink.
    #[serde(default)]
    pub structured_safe: bool,
    /// Conditions that must all hold.
    #[serde(default)]
    pub when: Vec<Condition>,
    /// Conditions any of which makes the call safe.
    #[serde(default)]
    pub unless: Vec<Condition>,
    /// What the message calls the sink (`an SQL query`); defaults to the call.
    #[serde(default)]
    pub label: Option<String>,
}

/// A condition on an argument of a call.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// A positional argument (0-based).
    #[serde(default)]
    pub arg: Option<usize>,
    /// A keyword argument.
    #[serde(default)]
    pub kwarg: Option<String>,
    /// For a dictionary argument: the key to look at.
    #[serde(default)]
    pub key: Option<String>,
    /// `true`, `false`, `missing`, `present`, `not-true` (false or missing), `not-false`
    /// (given, and not the constant false).
    #[serde(default)]
    pub is: Option<String>,
    /// A regular expression the constant text must match.
    #[serde(default)]
    pub matches: Option<String>,
    /// Access paths the argument's value must have (`yaml.SafeLoader`).
    #[serde(default)]
    pub path: Vec<String>,
}

/// The sources of one language, as written in `sources/<language>.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcesFile {
    /// Values that are untrusted.
    #[serde(default)]
    pub source: Vec<SourceSpec>,
    /// Calls whose result carries no taint for any rule (`int()`, `len()`).
    #[serde(default)]
    pub scrubber: Vec<CallSpec>,
    /// Calls that, as a condition, prove their argument or receiver safe in the branch where
    /// they hold (`re.fullmatch(PATTERN, x)`, `x.isdigit()`).
    #[serde(default)]
    pub validator: Vec<CallSpec>,
    /// Calls that never return (`flask.abort`, `sys.exit`): what follows is not reached.
    #[serde(default)]
    pub noreturn: Vec<CallSpec>,
}

/// One kind of untrusted value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// How it is named in traces (`HTTP request parameter`).
    pub name: String,
    /// Access paths of untrusted values (`flask.request.args`, `input()` for a call's result).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Decorators (`flask.Flask().route`) whose functions take untrusted parameters.
    #[serde(default)]
    pub params_of: Vec<String>,
    /// Parameter types that are untrusted (`HttpServletRequest`).
    #[serde(default)]
    pub param_types: Vec<String>,
}

/// A compiled condition.
#[derive(Debug)]
pub struct Cond {
    /// Which argument.
    pub arg: ArgRef,
    /// The key inside a dictionary argument.
    pub key: Option<String>,
    /// The constant test.
    pub is: Option<Is>,
    /// The text test.
    pub matches: Option<Regex>,
    /// The access-path test.
    pub path: Vec<Pattern>,
}

/// An argument of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgRef {
    /// Positional.
    Pos(usize),
    /// By keyword.
    Kw(String),
}

/// Constant tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Is {
    /// A true constant.
    True,
    /// A false constant.
    False,
    /// Not given.
    Missing,
    /// Given.
    Present,
    /// False or not given.
    NotTrue,
    /// Given, and not the constant false.
    NotFalse,
}

/// A compiled call, assignment or return entry.
#[derive(Debug)]
pub struct Site {
    /// Languages.
    pub languages: Vec<Language>,
    /// Called paths.
    pub calls: PatternSet,
    /// Assigned paths.
    pub assigns: Vec<Pattern>,
    /// Decorators of functions whose return value is the sink.
    pub returns_from: Vec<Pattern>,
    /// Sink arguments (`None`: all positional ones).
    pub args: Option<Vec<usize>>,
    /// Sink keyword arguments.
    pub kwargs: Vec<String>,
    /// Whether the receiver is a sink.
    pub receiver: bool,
    /// Only the first element of a list argument is the sink.
    pub first_item: bool,
    /// A URL with a fixed target is safe.
    pub fixed_target_safe: bool,
    /// An object or array argument is serialised as JSON: safe.
    pub structured_safe: bool,
    /// All must hold.
    pub when: Vec<Cond>,
    /// Any makes it safe.
    pub unless: Vec<Cond>,
    /// What the sink is called in messages.
    pub label: Option<String>,
}

impl Site {
    /// Whether this entry applies to `language` and matches the call path.
    pub fn matches_call(&self, language: Language, path: &str) -> bool {
        self.languages.contains(&language) && self.calls.any(path)
    }
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// Its metadata.
    pub meta: &'static RuleMeta,
    /// Its kind.
    pub kind: RuleKind,
    /// Its CWE.
    pub cwe: u32,
    /// Sinks (taint) or matches (call).
    pub sites: Vec<Site>,
    /// Sanitisers.
    pub sanitizers: Vec<Site>,
}

/// Compiled sources of a language.
#[derive(Debug, Default)]
pub struct Sources {
    /// Untrusted values: trace names, and their patterns tagged with the name's index.
    pub values: (Vec<String>, PatternSet),
    /// Decorators whose functions take untrusted parameters: trace name and patterns.
    pub params_of: Vec<(String, Vec<Pattern>)>,
    /// Parameter types that are untrusted.
    pub param_types: Vec<(String, Vec<Pattern>)>,
    /// Scrubbers.
    pub scrubbers: Vec<Site>,
    /// Validators.
    pub validators: Vec<Site>,
    /// Calls that never return.
    pub noreturn: Vec<Site>,
}

/// A rule or sources file that does not load.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: {message}")]
pub struct SpecError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

mod generated {
    include!(concat!(env!("OUT_DIR"), "/specs.rs"));
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The documentation of a rule, in the sections every rule has.
pub fn render_docs(r: &RuleFile) -> String {
    let mut references = format!("- CWE-{}\n", r.cwe);
    for link in &r.references {
        references.push_str(&format!("- {link}\n"));
    }
    format!(
        "## What it finds\n{}\n\n## Why it matters\n{}\n\n## Example\n{}\n\n## Remediation\n{}\n\n## References\n{}",
        r.what.trim(),
        r.why.trim(),
        r.example.trim(),
        r.remediation.trim(),
        references
    )
}

fn patterns(list: &[String]) -> Vec<Pattern> {
    list.iter().map(|p| Pattern::new(p)).collect()
}

fn pattern_set(list: &[String]) -> PatternSet {
    let mut set = PatternSet::default();
    for p in list {
        set.push(Pattern::new(p), 0);
    }
    set
}

fn condition(c: &Condition, err: &dyn Fn(String) -> SpecError) -> Result<Cond, SpecError> {
    let arg = match (&c.arg, &c.kwarg) {
        (Some(i), None) => ArgRef::Pos(*i),
        (None, Some(k)) => ArgRef::Kw(k.clone()),
        _ => {
            return Err(err(
                "a condition names exactly one of `arg` and `kwarg`".into()
            ));
        }
    };
    let is = match c.is.as_deref() {
        None => None,
        Some("true") => Some(Is::True),
        Some("false") => Some(Is::False),
        Some("missing") => Some(Is::Missing),
        Some("present") => Some(Is::Present),
        Some("not-true") => Some(Is::NotTrue),
        Some("not-false") => Some(Is::NotFalse),
        Some(other) => {
            return Err(err(format!(
                "unknown `is = \"{other}\"` (true, false, missing, present, not-true, not-false)"
            )));
        }
    };
    let matches = match &c.matches {
        Some(re) => Some(Regex::new(re).map_err(|e| err(format!("`matches`: {e}")))?),
        None => None,
    };
    Ok(Cond {
        arg,
        key: c.key.clone(),
        is,
        matches,
        path: patterns(&c.path),
    })
}

fn site(s: &CallSpec, err: &dyn Fn(String) -> SpecError) -> Result<Site, SpecError> {
    let mut languages = Vec::new();
    for name in &s.languages {
        languages.push(
            Language::from_name(name).ok_or_else(|| err(format!("unknown language `{name}`")))?,
        );
    }
    if s.calls.is_empty() && s.assigns.is_empty() && s.returns_from.is_empty() {
        return Err(err(
            "an entry names at least one of `calls`, `assigns`, `returns_from`".into(),
        ));
    }
    Ok(Site {
        languages,
        calls: pattern_set(&s.calls),
        assigns: patterns(&s.assigns),
        returns_from: patterns(&s.returns_from),
        args: s.args.clone(),
        kwargs: s.kwargs.clone(),
        receiver: s.receiver,
        first_item: s.first_item,
        fixed_target_safe: s.fixed_target_safe,
        structured_safe: s.structured_safe,
        when: s
            .when
            .iter()
            .map(|c| condition(c, err))
            .collect::<Result<_, _>>()?,
        unless: s
            .unless
            .iter()
            .map(|c| condition(c, err))
            .collect::<Result<_, _>>()?,
        label: s.label.clone(),
    })
}

/// Compiles a rule file; `family_rule` is false for a user's own file (its ids are checked
/// against the namespace all the same).
pub fn load_rule(file: &str, text: &str) -> Result<Rule, SpecError> {
    let err = |message: String| SpecError {
        file: file.to_owned(),
        message,
    };
    let r: RuleFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
    if !r.id.starts_with("code/") {
        return Err(err(format!(
            "rule id `{}` does not start with `code/`",
            r.id
        )));
    }
    let sites = match r.kind {
        RuleKind::Taint => &r.sink,
        RuleKind::Call => &r.matches,
    };
    if sites.is_empty() {
        return Err(err(match r.kind {
            RuleKind::Taint => "a taint rule has at least one `[[sink]]`".into(),
            RuleKind::Call => "a call rule has at least one `[[match]]`".into(),
        }));
    }
    let sites = sites
        .iter()
        .map(|s| site(s, &err))
        .collect::<Result<Vec<_>, _>>()?;
    let sanitizers = r
        .sanitizer
        .iter()
        .map(|s| site(s, &err))
        .collect::<Result<Vec<_>, _>>()?;
    let meta: &'static RuleMeta = Box::leak(Box::new(RuleMeta {
        id: leak(r.id.clone()),
        code: leak(r.code.clone()),
        title: leak(r.title.clone()),
        family: Family::Code,
        severity: r.severity,
        confidence: r.confidence,
        expectation: &expectation::CODE_ANALYSIS,
        dynamic_ids: false,
        docs: leak(render_docs(&r)),
    }));
    Ok(Rule {
        meta,
        kind: r.kind,
        cwe: r.cwe,
        sites,
        sanitizers,
    })
}

/// Compiles a sources file.
pub fn load_sources(file: &str, text: &str) -> Result<Sources, SpecError> {
    let err = |message: String| SpecError {
        file: file.to_owned(),
        message,
    };
    let s: SourcesFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
    let mut out = Sources::default();
    for src in &s.source {
        if !src.paths.is_empty() {
            let tag = out.values.0.len();
            out.values.0.push(src.name.clone());
            for p in &src.paths {
                out.values.1.push(Pattern::new(p), tag);
            }
        }
        if !src.params_of.is_empty() {
            out.params_of
                .push((src.name.clone(), patterns(&src.params_of)));
        }
        if !src.param_types.is_empty() {
            out.param_types
                .push((src.name.clone(), patterns(&src.param_types)));
        }
    }
    out.scrubbers = s
        .scrubber
        .iter()
        .map(|x| site(x, &err))
        .collect::<Result<_, _>>()?;
    out.validators = s
        .validator
        .iter()
        .map(|x| site(x, &err))
        .collect::<Result<_, _>>()?;
    out.noreturn = s
        .noreturn
        .iter()
        .map(|x| site(x, &err))
        .collect::<Result<_, _>>()?;
    Ok(out)
}

/// Every rule and source set that ships, compiled once.
pub struct Catalogue {
    /// The rules, in file order.
    pub rules: Vec<Rule>,
    /// Sources per language.
    pub sources: Vec<(Language, Sources)>,
    /// Files that do not load (a test keeps this empty).
    pub errors: Vec<SpecError>,
    /// Per language, every called path any rule or source entry names: a call that matches
    /// none of them is not checked entry by entry (most calls of a program).
    interesting: std::sync::OnceLock<Vec<(Language, PatternSet)>>,
}

impl Catalogue {
    /// Whether any sink, match, sanitiser, scrubber, validator or no-return entry of
    /// `language` names the called `path`.
    pub fn interesting(&self, language: Language, path: &str) -> bool {
        let sets = self.interesting.get_or_init(|| {
            Language::ALL
                .into_iter()
                .map(|l| {
                    let mut set = PatternSet::default();
                    let mut add = |site: &Site| {
                        if site.languages.contains(&l) {
                            for p in site.calls.patterns() {
                                set.push(p.clone(), 0);
                            }
                        }
                    };
                    for r in &self.rules {
                        r.sites.iter().for_each(&mut add);
                        r.sanitizers.iter().for_each(&mut add);
                    }
                    if let Some(src) = self.sources(l) {
                        src.scrubbers.iter().for_each(&mut add);
                        src.validators.iter().for_each(&mut add);
                        src.noreturn.iter().for_each(&mut add);
                    }
                    (l, set)
                })
                .collect()
        });
        sets.iter()
            .find(|(l, _)| *l == language)
            .is_some_and(|(_, set)| set.any(path))
    }

    /// The sources of a language.
    pub fn sources(&self, language: Language) -> Option<&Sources> {
        self.sources
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, s)| s)
    }

    /// Adds a user's rule file (`[code] rules`): its sources join the language's, its rules
    /// are added (or replace a shipped rule of the same id).
    pub fn extend_from(&mut self, file: &str, text: &str) -> Result<(), SpecError> {
        let value: toml::Table = toml::from_str(text).map_err(|e| SpecError {
            file: file.to_owned(),
            message: e.to_string(),
        })?;
        if value.contains_key("id") {
            let rule = load_rule(file, text)?;
            self.rules.retain(|r| r.meta.id != rule.meta.id);
            self.rules.push(rule);
            return Ok(());
        }
        let language = value
            .get("language")
            .and_then(|l| l.as_str())
            .and_then(Language::from_name)
            .ok_or_else(|| SpecError {
                file: file.to_owned(),
                message: "a sources file names its `language` (python)".into(),
            })?;
        let mut stripped = value.clone();
        stripped.remove("language");
        let text = toml::to_string(&stripped).map_err(|e| SpecError {
            file: file.to_owned(),
            message: e.to_string(),
        })?;
        let extra = load_sources(file, &text)?;
        match self.sources.iter_mut().find(|(l, _)| *l == language) {
            Some((_, s)) => {
                let base = s.values.0.len();
                s.values.0.extend(extra.values.0);
                for (pattern, tag) in extra.values.1.into_entries() {
                    s.values.1.push(pattern, base + tag);
                }
                s.params_of.extend(extra.params_of);
                s.param_types.extend(extra.param_types);
                s.scrubbers.extend(extra.scrubbers);
                s.validators.extend(extra.validators);
                s.noreturn.extend(extra.noreturn);
            }
            None => self.sources.push((language, extra)),
        }
        Ok(())
    }
}

/// The shipped catalogue.
pub static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(shipped);

/// Compiles the shipped rule and source files.
pub fn shipped() -> Catalogue {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for (file, text) in generated::RULES {
        match load_rule(file, text) {
            Ok(r) => rules.push(r),
            Err(e) => errors.push(e),
        }
    }
    let mut sources = Vec::new();
    for (file, text) in generated::SOURCES {
        let name = file.trim_end_matches(".toml");
        let Some(language) = Language::from_name(name) else {
            errors.push(SpecError {
                file: (*file).to_owned(),
                message: format!("`{name}` is not a language"),
            });
            continue;
        };
        match load_sources(file, text) {
            Ok(s) => sources.push((language, s)),
            Err(e) => errors.push(e),
        }
    }
    Catalogue {
        rules,
        sources,
        errors,
        interesting: std::sync::OnceLock::new(),
    }
}
