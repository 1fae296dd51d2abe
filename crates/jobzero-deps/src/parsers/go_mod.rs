//! `go.mod`: `require` lines and blocks (`// indirect` marks transitive modules) and `replace`
//! directives. The main module (`module`) is the project itself, not a package.

use super::line_no;
use crate::ParseError;
use crate::model::{Ecosystem, Package, purl};

const DIRECTIVES: [&str; 10] = [
    "module",
    "go",
    "toolchain",
    "godebug",
    "require",
    "exclude",
    "replace",
    "retract",
    "tool",
    "ignore",
];

struct Require {
    path: String,
    version: String,
    line: u32,
    indirect: bool,
    /// Replaced by a local directory: not a module version any more.
    local: bool,
}

struct Replace {
    old_path: String,
    old_version: Option<String>,
    new_path: String,
    /// `None` for a local directory.
    new_version: Option<String>,
}

/// A line split at its `//` comment (outside quoted strings).
fn split_comment(line: &str) -> (&str, &str) {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut prev_slash = false;
    for (i, c) in line.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        if c == '"' || c == '`' {
            quote = Some(c);
            prev_slash = false;
        } else if c == '/' && prev_slash {
            let code = line.get(..i.saturating_sub(1)).unwrap_or("");
            let comment = line.get(i + 1..).unwrap_or("");
            return (code, comment.trim());
        } else {
            prev_slash = c == '/';
        }
    }
    (line, "")
}

/// The tokens of a line (quoted strings unquoted) and its comment.
fn tokens(line: &str, n: u32) -> Result<(Vec<String>, &str), ParseError> {
    let (code, comment) = split_comment(line);
    let mut out = Vec::new();
    let mut rest = code;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Ok((out, comment));
        }
        if let Some(r) = rest.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = r.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, e)) = chars.next() {
                            value.push(e);
                        }
                    }
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    _ => value.push(c),
                }
            }
            let Some(end) = end else {
                return Err(ParseError::new(n, "unterminated quoted string"));
            };
            out.push(value);
            rest = r.get(end..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('`') {
            let Some((value, after)) = r.split_once('`') else {
                return Err(ParseError::new(n, "unterminated quoted string"));
            };
            out.push(value.to_owned());
            rest = after;
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '"' || c == '`')
                .unwrap_or(rest.len());
            let (word, after) = rest.split_at_checked(end).unwrap_or((rest, ""));
            out.push(word.to_owned());
            rest = after;
        }
    }
}

fn is_indirect(comment: &str) -> bool {
    comment == "indirect" || comment.starts_with("indirect;")
}

fn version_of(v: &str) -> String {
    v.strip_prefix('v').unwrap_or(v).to_owned()
}

/// Parses a `go.mod`. Versions lose their `v` prefix, as OSV writes Go versions; purls keep it.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    let mut requires: Vec<Require> = Vec::new();
    let mut replaces: Vec<(Replace, u32)> = Vec::new();
    let mut block: Option<(String, u32)> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = line_no(i);
        let (toks, comment) = tokens(raw, n)?;
        let Some(first) = toks.first() else {
            continue;
        };
        let (verb, args): (&str, &[String]) = match &block {
            Some((verb, _)) => {
                if first == ")" {
                    if toks.len() > 1 {
                        return Err(ParseError::new(n, "unexpected text after `)`"));
                    }
                    block = None;
                    continue;
                }
                (verb.as_str(), &toks)
            }
            None => {
                if !DIRECTIVES.contains(&first.as_str()) {
                    return Err(ParseError::new(n, &format!("unknown directive `{first}`")));
                }
                let args = toks.get(1..).unwrap_or(&[]);
                if args.len() == 1 && args.first().is_some_and(|a| a == "(") {
                    block = Some((first.clone(), n));
                    continue;
                }
                (first.as_str(), args)
            }
        };
        match verb {
            "require" => {
                let [path, version] = args else {
                    return Err(ParseError::new(
                        n,
                        "a require needs a module path and a version",
                    ));
                };
                requires.push(Require {
                    path: path.clone(),
                    version: version.clone(),
                    line: n,
                    indirect: is_indirect(comment),
                    local: false,
                });
            }
            "replace" => {
                let Some(arrow) = args.iter().position(|a| a == "=>") else {
                    return Err(ParseError::new(n, "a replace needs `=>`"));
                };
                let (old, new) = args.split_at(arrow);
                let new = new.get(1..).unwrap_or(&[]);
                let replace = match (old, new) {
                    ([op], [np]) | ([op, _], [np]) | ([op], [np, _]) | ([op, _], [np, _]) => {
                        Replace {
                            old_path: op.clone(),
                            old_version: old.get(1).cloned(),
                            new_path: np.clone(),
                            new_version: new.get(1).cloned(),
                        }
                    }
                    _ => {
                        return Err(ParseError::new(
                            n,
                            "a replace is `module [version] => module version` or `=> directory`",
                        ));
                    }
                };
                replaces.push((replace, n));
            }
            "module" | "go" | "toolchain" if args.is_empty() => {
                return Err(ParseError::new(n, &format!("`{verb}` needs an argument")));
            }
            _ => {}
        }
    }
    if let Some((verb, n)) = block {
        return Err(ParseError::new(n, &format!("`{verb} (` is never closed")));
    }
    // A replace of every version applies first; one of a given version wins over it.
    replaces.sort_by_key(|(r, _)| r.old_version.is_some());
    for (r, _) in &replaces {
        for req in requires.iter_mut().filter(|q| {
            q.path == r.old_path && r.old_version.as_ref().is_none_or(|v| *v == q.version)
        }) {
            match &r.new_version {
                Some(v) => {
                    req.path.clone_from(&r.new_path);
                    req.version.clone_from(v);
                    req.local = false;
                }
                None => req.local = true,
            }
        }
    }
    Ok(requires
        .into_iter()
        .filter(|r| !r.local)
        .map(|r| {
            let version = version_of(&r.version);
            Package {
                ecosystem: Ecosystem::Go,
                purl: purl(Ecosystem::Go, &r.path, &version),
                name: r.path,
                version,
                direct: Some(!r.indirect),
                scope: None,
                line: r.line,
                hashes: Vec::new(),
                dependencies: Vec::new(),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn requires_indirect_and_replaces() {
        let text = "module example.com/app\n\ngo 1.22\n\nrequire github.com/sirupsen/logrus v1.9.3\n\nrequire (\n\tgolang.org/x/net v0.5.6 // indirect\n\tgolang.org/x/sys v0.1.0 // indirect; pinned\n\tgithub.com/BurntSushi/toml v1.0.0\n\texample.com/local v1.0.0\n)\n\nreplace golang.org/x/net => example.com/fork/net v1.4.5\nreplace example.com/local v1.0.0 => ../local\n";
        let p = parse(text).unwrap();
        assert_eq!(p.len(), 4);
        assert_eq!(p[0].name, "github.com/sirupsen/logrus");
        assert_eq!(p[0].version, "1.9.3");
        assert_eq!(p[0].purl, "pkg:golang/github.com/sirupsen/logrus@v1.9.3");
        assert_eq!(p[0].direct, Some(true));
        assert_eq!(p[0].line, 5);
        assert_eq!(p[1].name, "example.com/fork/net");
        assert_eq!(p[1].version, "1.4.5");
        assert_eq!(p[1].direct, Some(false));
        assert_eq!(p[1].line, 8);
        assert_eq!(p[2].direct, Some(false));
        assert_eq!(p[3].name, "github.com/BurntSushi/toml");
        assert_eq!(p[3].direct, Some(true));
        assert_eq!(p[3].line, 10);
    }

    #[test]
    fn malformed() {
        assert_eq!(parse("this is not a go.mod file!\n").unwrap_err().line, 1);
        assert_eq!(
            parse("module a\n\nrequire (\n\tb v1\n").unwrap_err().line,
            3
        );
        assert_eq!(parse("module a\nrequire b\n").unwrap_err().line, 2);
        assert_eq!(parse("module a\nreplace b v1 c v2\n").unwrap_err().line, 2);
        assert!(parse("").unwrap().is_empty());
    }
}
