//! Dockerfile instructions read for their arguments: `ENV`/`ARG` pairs, `COPY`/`ADD`
//! sources, base images with `ARG` substituted, and image tags.

use super::shell::split_words;
use crate::dockerfile::{Dockerfile, Instruction};

/// The `(name, value)` pairs an `ENV` or `ARG` instruction sets: `ENV A=1 B="x y"`, the
/// legacy `ENV A some value`, `ARG A=1`; an `ARG` without a default has none.
pub(super) fn env_pairs(i: &Instruction) -> Vec<(String, String)> {
    let args = i.args.trim();
    let legacy = i.keyword == "ENV"
        && args
            .split_whitespace()
            .next()
            .is_some_and(|w| !w.contains('='));
    if legacy {
        let Some((key, value)) = args.split_once(char::is_whitespace) else {
            return Vec::new();
        };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        return vec![(key.to_owned(), value.to_owned())];
    }
    split_words(args)
        .into_iter()
        .filter_map(|w| {
            let (k, v) = w.split_once('=')?;
            Some((k.to_owned(), v.to_owned()))
        })
        .collect()
}

/// The sources of a `COPY` or `ADD` (every argument but the destination), and the
/// destination; exec form (`["a", "b", "/dst"]`) included. Heredoc sources are left out.
pub(super) fn copy_args(i: &Instruction) -> (Vec<String>, Option<String>) {
    let mut words = match i.exec_form() {
        Some(w) => w,
        None => split_words(&i.args),
    };
    let dest = words.pop();
    words.retain(|w| !w.starts_with("<<"));
    (words, dest)
}

/// Whether `src` is a Git repository source.
pub(super) fn is_git(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    let base = lower.split('#').next().unwrap_or(&lower);
    lower.starts_with("git@")
        || lower.starts_with("git://")
        || lower.starts_with("ssh://")
        || (base.contains("://") && base.ends_with(".git"))
}

/// Whether `src` is a remote source (a URL or a Git repository).
pub(super) fn is_remote(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || is_git(src)
}

/// The base image of stage `index` with the `ARG`s declared before the first `FROM`
/// substituted (`${BASE}`, `$BASE`, `${BASE:-x}`); `None` for `scratch`, an earlier stage
/// (also through an `ARG`), or a variable without a known value.
pub(super) fn base_image(d: &Dockerfile, index: usize) -> Option<String> {
    let stage = d.stages.get(index)?;
    if stage.from_stage {
        return None;
    }
    let globals: Vec<(String, Option<String>)> = d
        .instructions
        .iter()
        .filter(|i| i.stage.is_none() && i.keyword == "ARG")
        .flat_map(|i| split_words(&i.args))
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
            None => (w.clone(), None),
        })
        .collect();
    let lookup = |name: &str| -> Option<Option<String>> {
        globals
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let image = substitute(&stage.image, &lookup)?;
    let lower = image.to_ascii_lowercase();
    if image.is_empty() || lower == "scratch" {
        return None;
    }
    let earlier = d.stages.get(..index).unwrap_or(&[]);
    if earlier.iter().any(|s| {
        s.alias
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(&image))
    }) {
        return None;
    }
    Some(image)
}

/// `text` with `$NAME`, `${NAME}` and `${NAME:-default}` replaced; `None` when a name has
/// no known value.
fn substitute(text: &str, lookup: &dyn Fn(&str) -> Option<Option<String>>) -> Option<String> {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'{') {
            chars.next();
            let mut inner = String::new();
            let mut closed = false;
            for n in chars.by_ref() {
                if n == '}' {
                    closed = true;
                    break;
                }
                inner.push(n);
            }
            if !closed {
                return None;
            }
            let (name, default) = match inner.split_once(":-").or_else(|| inner.split_once('-')) {
                Some((n, d)) => (n.to_owned(), Some(d.to_owned())),
                None => (inner.clone(), None),
            };
            if name.contains(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_')) {
                return None;
            }
            let value = lookup(&name).flatten().filter(|v| !v.is_empty());
            out.push_str(&value.or(default)?);
        } else {
            let mut name = String::new();
            while let Some(&n) = chars.peek() {
                if n.is_ascii_alphanumeric() || n == '_' {
                    name.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            if name.is_empty() {
                return None;
            }
            out.push_str(&lookup(&name).flatten()?);
        }
    }
    Some(out)
}

/// An image reference's tag and whether it has a digest: `python:3.12@sha256:…` is
/// `(Some("3.12"), true)`, `registry:5000/app` is `(None, false)`.
pub(super) fn image_tag(image: &str) -> (Option<&str>, bool) {
    let (name, digest) = match image.split_once('@') {
        Some((n, _)) => (n, true),
        None => (image, false),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    (last.split_once(':').map(|(_, t)| t), digest)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn image_tags() {
        assert_eq!(image_tag("python:3.12-slim"), (Some("3.12-slim"), false));
        assert_eq!(image_tag("registry:5000/app"), (None, false));
        assert_eq!(image_tag("alpine@sha256:abc"), (None, true));
    }
}
