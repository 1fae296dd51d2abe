//! One module per lockfile format, and the helpers they share.

pub mod bun_lock;
pub mod cargo_lock;
pub mod composer_lock;
pub mod conan_lock;
pub mod cyclonedx;
pub mod gemfile_lock;
pub mod go_mod;
pub mod gradle_lockfile;
pub mod mix_lock;
pub mod npm_lock;
pub mod nuget_lock;
pub mod package_resolved;
pub mod pdm_lock;
pub mod pipfile_lock;
pub mod pnpm_lock;
pub mod poetry_lock;
pub mod pom_xml;
pub mod pubspec_lock;
pub mod requirements;
pub mod uv_lock;
pub mod yarn_lock;

use std::collections::HashMap;

use crate::ParseError;

/// The 1-based line of a 0-based line index.
pub(crate) fn line_no(index: usize) -> u32 {
    u32::try_from(index.saturating_add(1)).unwrap_or(u32::MAX)
}

/// The 1-based line of a byte offset (for errors: one count, not per package).
pub(crate) fn line_of_offset(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    let newlines = text
        .as_bytes()
        .get(..end)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
    line_no(newlines)
}

/// A TOML error, at the line of its span.
pub(crate) fn toml_error(text: &str, e: &toml::de::Error) -> ParseError {
    let line = e.span().map_or(1, |s| line_of_offset(text, s.start));
    ParseError::new(line, e.message())
}

/// A JSON error, at its line.
pub(crate) fn json_error(e: &serde_json::Error) -> ParseError {
    let line = u32::try_from(e.line()).unwrap_or(u32::MAX).max(1);
    ParseError::new(line, &e.to_string())
}

/// A YAML error, at its line.
pub(crate) fn yaml_error(e: &jobzero_core::yaml::YamlError) -> ParseError {
    ParseError::new(e.line, &format!("{} (column {})", e.message, e.column))
}

/// Parses JSON text whose top level must be an object.
pub(crate) fn json_object(
    text: &str,
    what: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, ParseError> {
    match serde_json::from_str(text).map_err(|e| json_error(&e))? {
        serde_json::Value::Object(map) => Ok(map),
        _ => Err(ParseError::new(
            1,
            &format!("not a {what}: the top level is not an object"),
        )),
    }
}

/// The 1-based lines of the `[[name]]` array-of-tables headers of a TOML document, in order:
/// one pass over the text.
pub(crate) fn toml_array_headers(text: &str, name: &str) -> Vec<u32> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim();
            t.strip_prefix("[[")
                .and_then(|r| r.split_once("]]"))
                .is_some_and(|(inner, rest)| {
                    inner.trim() == name && {
                        let rest = rest.trim_start();
                        rest.is_empty() || rest.starts_with('#')
                    }
                })
        })
        .map(|(i, _)| line_no(i))
        .collect()
}

/// Lines for the `count` entries of a TOML array of tables: the headers when there is one per
/// entry, else 0 (the array was written inline).
pub(crate) fn toml_entry_lines(text: &str, name: &str, count: usize) -> Vec<u32> {
    let headers = toml_array_headers(text, name);
    if headers.len() == count {
        headers
    } else {
        vec![0; count]
    }
}

/// `sha256:abcd` (any case) → `SHA-256:abcd`; `None` for anything else.
pub(crate) fn alg_hash(value: &str) -> Option<String> {
    let (alg, digest) = value.trim().split_once([':', '='])?;
    let alg = match alg.to_ascii_lowercase().as_str() {
        "sha1" => "SHA-1",
        "sha256" => "SHA-256",
        "sha384" => "SHA-384",
        "sha512" => "SHA-512",
        "md5" => "MD5",
        _ => return None,
    };
    if digest.is_empty() || !digest.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    Some(format!("{alg}:{}", digest.to_ascii_lowercase()))
}

/// Whether a dependency group's name says it is for development (`dev`, `test`, `lint`,
/// `docs`, `typing`…).
pub(crate) fn is_dev_group(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "dev", "test", "lint", "doc", "typ", "mypy", "format", "style", "bench", "check",
    ]
    .iter()
    .any(|w| lower.contains(w))
        || lower == "ci"
}

/// Packages met once per tree place or peer variant (pnpm, bun), merged into one per name and
/// version: runtime wins over dev, dependencies are the union, sorted.
pub(crate) fn merge_variant(
    package: &mut crate::model::Package,
    scope: Option<crate::model::Scope>,
    dependencies: impl IntoIterator<Item = String>,
) {
    // A package some variant needs at run time is a runtime package.
    if scope == Some(crate::model::Scope::Runtime) {
        package.scope = scope;
    }
    package.dependencies.extend(dependencies);
    package.dependencies.sort();
    package.dependencies.dedup();
}

/// Bytes as lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Standard base64 → hex.
pub(crate) fn base64_hex(value: &str) -> Option<String> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .ok()
        .map(|b| hex(&b))
}

/// Separator of path segments in [`JsonLines`] keys.
const SEP: char = '\u{1}';

/// The 1-based line where each JSON value starts, by its path of object keys and array
/// indices, up to a depth; built in one pass over text already known to be valid JSON.
#[derive(Debug, Default)]
pub(crate) struct JsonLines {
    map: HashMap<String, u32>,
}

enum Frame {
    Object {
        key: Option<String>,
        expect_key: bool,
    },
    Array {
        index: usize,
    },
}

impl JsonLines {
    /// Indexes `text`, recording values nested at most `max_depth` containers deep.
    pub(crate) fn new(text: &str, max_depth: usize) -> JsonLines {
        let bytes = text.as_bytes();
        let mut map = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut line = 1u32;
        let mut i = 0usize;
        let record = |stack: &[Frame], map: &mut HashMap<String, u32>, line: u32| {
            if stack.len() > max_depth {
                return;
            }
            let mut key = String::new();
            for (n, f) in stack.iter().enumerate() {
                if n > 0 {
                    key.push(SEP);
                }
                match f {
                    Frame::Object { key: Some(k), .. } => key.push_str(k),
                    Frame::Object { key: None, .. } => return,
                    Frame::Array { index } => key.push_str(&index.to_string()),
                }
            }
            map.entry(key).or_insert(line);
        };
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\n' => {
                    line = line.saturating_add(1);
                    i += 1;
                }
                b'"' => {
                    let start = i + 1;
                    let mut j = start;
                    let mut escaped = false;
                    let mut has_escape = false;
                    while let Some(&c) = bytes.get(j) {
                        if escaped {
                            escaped = false;
                        } else if c == b'\\' {
                            escaped = true;
                            has_escape = true;
                        } else if c == b'"' {
                            break;
                        }
                        j += 1;
                    }
                    let raw = text.get(start..j).unwrap_or("");
                    match stack.last_mut() {
                        Some(Frame::Object {
                            key,
                            expect_key: expect @ true,
                        }) => {
                            *key = Some(if has_escape {
                                serde_json::from_str::<String>(&format!("\"{raw}\""))
                                    .unwrap_or_else(|_| raw.to_owned())
                            } else {
                                raw.to_owned()
                            });
                            *expect = false;
                        }
                        _ => record(&stack, &mut map, line),
                    }
                    i = j + 1;
                }
                b'{' | b'[' => {
                    record(&stack, &mut map, line);
                    stack.push(if b == b'{' {
                        Frame::Object {
                            key: None,
                            expect_key: true,
                        }
                    } else {
                        Frame::Array { index: 0 }
                    });
                    i += 1;
                }
                b'}' | b']' => {
                    stack.pop();
                    i += 1;
                }
                b',' => {
                    match stack.last_mut() {
                        Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                        Some(Frame::Array { index }) => *index += 1,
                        None => {}
                    }
                    i += 1;
                }
                b':' | b' ' | b'\t' | b'\r' => i += 1,
                _ => {
                    record(&stack, &mut map, line);
                    while let Some(&c) = bytes.get(i) {
                        if matches!(c, b',' | b']' | b'}' | b'\n' | b' ' | b'\t' | b'\r') {
                            break;
                        }
                        i += 1;
                    }
                }
            }
        }
        JsonLines { map }
    }

    /// The line of the value at `path` (object keys and array indices as text), or 0.
    pub(crate) fn line(&self, path: &[&str]) -> u32 {
        let mut key = String::new();
        for (n, p) in path.iter().enumerate() {
            if n > 0 {
                key.push(SEP);
            }
            key.push_str(p);
        }
        self.map.get(&key).copied().unwrap_or(0)
    }
}

/// PyPI versions by normalised name, to resolve dependency names to the locked packages.
pub(crate) struct PypiVersions<'a>(std::collections::BTreeMap<String, Vec<&'a str>>);

impl<'a> PypiVersions<'a> {
    /// Indexes `(name, version)` pairs.
    pub(crate) fn new(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut map: std::collections::BTreeMap<String, Vec<&'a str>> =
            std::collections::BTreeMap::new();
        for (name, version) in pairs {
            map.entry(crate::model::normalize_pypi(name))
                .or_default()
                .push(version);
        }
        PypiVersions(map)
    }

    /// The purls of the locked packages a dependency name designates, sorted.
    pub(crate) fn purls<'n>(&self, names: impl IntoIterator<Item = &'n str>) -> Vec<String> {
        let set: std::collections::BTreeSet<String> = names
            .into_iter()
            .flat_map(|n| {
                let n = crate::model::normalize_pypi(n);
                self.0
                    .get(&n)
                    .into_iter()
                    .flatten()
                    .map(move |v| crate::model::purl(crate::model::Ecosystem::PyPi, &n, v))
            })
            .collect();
        set.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn json_lines_by_path() {
        let text = "{\n  \"a\": {\n    \"b\": [\n      {\"c\": 1},\n      {\"c\": \"x,y\"}\n    ],\n    \"d\\\"e\": true\n  }\n}\n";
        let l = JsonLines::new(text, 8);
        assert_eq!(l.line(&[]), 1);
        assert_eq!(l.line(&["a"]), 2);
        assert_eq!(l.line(&["a", "b"]), 3);
        assert_eq!(l.line(&["a", "b", "0"]), 4);
        assert_eq!(l.line(&["a", "b", "1", "c"]), 5);
        assert_eq!(l.line(&["a", "d\"e"]), 7);
        assert_eq!(l.line(&["nope"]), 0);
    }

    #[test]
    fn hashes_and_headers() {
        assert_eq!(alg_hash("sha256:ABCD").unwrap(), "SHA-256:abcd");
        assert_eq!(alg_hash("md5:zz"), None);
        assert_eq!(
            toml_array_headers(
                "[[package]]\nx = 1\n [[ package ]] # c\n[[package.wheels]]\n",
                "package"
            ),
            [1, 3]
        );
        assert_eq!(line_of_offset("a\nb\nc", 4), 3);
    }
}
