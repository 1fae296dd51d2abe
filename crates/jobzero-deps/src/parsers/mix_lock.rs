//! Elixir `mix.lock`: an Elixir map of `"app": {:hex, :name, "version", "inner checksum",
//! [managers], [deps], "repo", "outer checksum"}`, read with a small parser of Elixir terms
//! (maps, tuples, lists, keyword lists, atoms, strings).

use std::collections::{BTreeMap, BTreeSet};

use crate::ParseError;
use crate::model::{Ecosystem, Package, purl};

/// Nesting deeper than this is not a lockfile.
const MAX_DEPTH: usize = 32;

#[derive(Debug)]
enum Term {
    Atom(String),
    Str(String),
    List(Vec<Term>),
    Tuple(Vec<Term>),
    /// Entries with the line of their key.
    Map(Vec<(Term, Term, u32)>),
    /// `key: value` in a keyword list.
    Pair(String, Box<Term>),
    /// Numbers, `true`, `nil`…
    Word,
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
    line: u32,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '?' | '!' | '-' | '+' | '@')
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        self.text.get(self.at..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        if c == '\n' {
            self.line = self.line.saturating_add(1);
        }
        Some(c)
    }

    fn error(&self, message: &str) -> ParseError {
        ParseError::new(self.line, message)
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if c == '#' {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.bump();
                }
            } else if c.is_whitespace() {
                self.bump();
            } else {
                break;
            }
        }
    }

    fn expect(&mut self, c: char) -> Result<(), ParseError> {
        self.skip_space();
        if self.peek() == Some(c) {
            self.bump();
            Ok(())
        } else {
            Err(self.error(&format!("expected `{c}`")))
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let start = self.line;
        self.bump(); // the opening quote
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(ParseError::new(start, "unterminated string")),
                Some('"') => return Ok(out),
                Some('\\') => {
                    if let Some(c) = self.bump() {
                        out.push(c);
                    }
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn word(&mut self) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek().filter(|&c| is_word_char(c)) {
            out.push(c);
            self.bump();
        }
        out
    }

    /// Terms separated by commas up to `close` (a trailing comma allowed where Elixir allows
    /// one: lists and maps).
    fn items(
        &mut self,
        close: char,
        trailing_comma: bool,
        depth: usize,
    ) -> Result<Vec<Term>, ParseError> {
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.peek() == Some(close) && (items.is_empty() || trailing_comma) {
                self.bump();
                return Ok(items);
            }
            items.push(self.term(depth + 1)?);
            self.skip_space();
            match self.bump() {
                Some(',') => {}
                Some(c) if c == close => return Ok(items),
                _ => return Err(self.error(&format!("expected `,` or `{close}`"))),
            }
        }
    }

    fn term(&mut self, depth: usize) -> Result<Term, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error("terms nested too deep"));
        }
        self.skip_space();
        match self.peek() {
            None => Err(self.error("unexpected end of file")),
            Some('%') => {
                self.bump();
                self.expect('{')?;
                let mut entries = Vec::new();
                loop {
                    self.skip_space();
                    if self.peek() == Some('}') {
                        self.bump();
                        return Ok(Term::Map(entries));
                    }
                    let line = self.line;
                    let key = self.term(depth + 1)?;
                    let key = match key {
                        Term::Pair(k, v) => {
                            entries.push((Term::Atom(k), *v, line));
                            None
                        }
                        other => Some(other),
                    };
                    if let Some(key) = key {
                        self.skip_space();
                        if !self.rest().starts_with("=>") {
                            return Err(self.error("expected `=>` or `key: value`"));
                        }
                        self.bump();
                        self.bump();
                        let value = self.term(depth + 1)?;
                        entries.push((key, value, line));
                    }
                    self.skip_space();
                    match self.bump() {
                        Some(',') => {}
                        Some('}') => return Ok(Term::Map(entries)),
                        _ => return Err(self.error("expected `,` or `}`")),
                    }
                }
            }
            Some('{') => {
                self.bump();
                Ok(Term::Tuple(self.items('}', false, depth)?))
            }
            Some('[') => {
                self.bump();
                Ok(Term::List(self.items(']', true, depth)?))
            }
            Some('"') => {
                let s = self.string()?;
                // `"key": value`, a quoted keyword key.
                if self.rest().starts_with(": ") || self.rest().starts_with(":\n") {
                    self.bump();
                    return Ok(Term::Pair(s, Box::new(self.term(depth + 1)?)));
                }
                Ok(Term::Str(s))
            }
            Some(':') => {
                self.bump();
                if self.peek() == Some('"') {
                    return Ok(Term::Atom(self.string()?));
                }
                let w = self.word();
                if w.is_empty() {
                    return Err(self.error("expected an atom after `:`"));
                }
                Ok(Term::Atom(w))
            }
            Some(c) if is_word_char(c) => {
                let w = self.word();
                if self.peek() == Some(':') {
                    self.bump();
                    return Ok(Term::Pair(w, Box::new(self.term(depth + 1)?)));
                }
                Ok(Term::Word)
            }
            Some(c) => Err(self.error(&format!("unexpected `{c}`"))),
        }
    }
}

/// Parses a `mix.lock`. Hex packages only: git and path dependencies have no version. The
/// lockfile does not say which dependencies `mix.exs` declares.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut p = Parser {
        text,
        at: 0,
        line: 1,
    };
    let root = p.term(0)?;
    p.skip_space();
    if p.peek().is_some() {
        return Err(p.error("unexpected text after the lock map"));
    }
    let Term::Map(entries) = root else {
        return Err(ParseError::new(1, "not a mix.lock: not a map"));
    };
    // app → (name, version, line, tuple)
    let mut hex: BTreeMap<String, (String, String, u32, &[Term])> = BTreeMap::new();
    let mut order = Vec::new();
    for (key, value, line) in &entries {
        let (Term::Atom(app) | Term::Str(app)) = key else {
            return Err(ParseError::new(*line, "a lock key is not a name"));
        };
        let Term::Tuple(items) = value else {
            return Err(ParseError::new(*line, "a lock entry is not a tuple"));
        };
        if !matches!(items.first(), Some(Term::Atom(kind)) if kind == "hex") {
            continue;
        }
        let (Some(Term::Atom(name)), Some(Term::Str(version))) = (items.get(1), items.get(2))
        else {
            return Err(ParseError::new(
                *line,
                "a hex entry needs a package name and a version",
            ));
        };
        order.push(app.clone());
        hex.insert(app.clone(), (name.clone(), version.clone(), *line, items));
    }
    let mut out = Vec::new();
    for app in order {
        let Some((name, version, line, items)) = hex.get(&app) else {
            continue;
        };
        let checksum = match (items.get(7), items.get(3)) {
            (Some(Term::Str(outer)), _) | (None, Some(Term::Str(outer))) => Some(outer),
            _ => None,
        };
        let dependencies: BTreeSet<String> = match items.get(5) {
            Some(Term::List(deps)) => deps
                .iter()
                .filter_map(|d| match d {
                    Term::Tuple(t) => match t.first() {
                        Some(Term::Atom(dep)) => hex.get(dep),
                        _ => None,
                    },
                    _ => None,
                })
                .map(|(n, v, ..)| purl(Ecosystem::Hex, n, v))
                .collect(),
            _ => BTreeSet::new(),
        };
        out.push(Package {
            ecosystem: Ecosystem::Hex,
            name: name.clone(),
            version: version.clone(),
            purl: purl(Ecosystem::Hex, name, version),
            direct: None,
            scope: None,
            line: *line,
            hashes: checksum
                .filter(|c| c.len() == 64 && c.chars().all(|c| c.is_ascii_hexdigit()))
                .map(|c| format!("SHA-256:{}", c.to_ascii_lowercase()))
                .into_iter()
                .collect(),
            dependencies: dependencies.into_iter().collect(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    const SUM: &str = "23524e4fefbb587c11f0833b3910bfb414bf2e2534d61928e920f54e3a1b881f";

    #[test]
    fn hex_git_and_deps() {
        let text = format!(
            "%{{\n  \"foo\": {{:git, \"https://github.com/my-org/foo.git\", \"fc94cce\", [branch: \"x\"]}},\n  \"mime\": {{:hex, :mime, \"1.5.0\", \"203e\", [:mix], [], \"hexpm\", \"{SUM}\"}},\n  \"plug\": {{:hex, :plug, \"1.11.1\", \"f299\", [:mix], [{{:mime, \"~> 1.0\", [hex: :mime, repo: \"hexpm\", optional: false]}}], \"hexpm\", \"{SUM}\"}},\n}}\n"
        );
        let p = parse(&text).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].purl, "pkg:hex/mime@1.5.0");
        assert_eq!(p[0].line, 3);
        assert_eq!(p[0].hashes, [format!("SHA-256:{SUM}")]);
        assert_eq!(p[1].line, 4);
        assert_eq!(p[1].dependencies, ["pkg:hex/mime@1.5.0"]);
    }

    #[test]
    fn malformed() {
        let e = parse("%{\n  \"bunt\": {:hex, :bunt, \"1.0.0\"},\n  \"certifi\": {:hex, },\n}\n")
            .unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(parse("%{\n  \"a\": {:hex}\n}\n").unwrap_err().line, 2);
        assert_eq!(parse("%{\n  \"a\": [\n").unwrap_err().line, 3);
        let deep = format!("%{{\"a\": {}", "[".repeat(10_000));
        assert!(parse(&deep).is_err());
        assert!(parse("%{}\n").unwrap().is_empty());
    }
}
