//! Safe fixes: edits of the text by byte ranges, so comments, key order and formatting stay
//! as they were. A fix is computed against the text the audit read; several fixes of one
//! file are applied in rounds (apply what does not overlap, audit again), so each edit is
//! always made against fresh positions.

use jobzero_core::yaml::Node;

use crate::source::Source;

pub use jobzero_core::check::{Edit, Fix};

/// The indentation (in spaces) of a key node: its column minus one.
pub fn indent_of(key: Node<'_>) -> usize {
    key.column().saturating_sub(1) as usize
}

/// The byte offset where a new sibling entry can be inserted after the entry whose key is
/// `key`: the start of the first line after the entry's last non-blank line, where an entry
/// ends at the first non-blank line indented no deeper than the key.
pub fn after_entry(src: &Source, key: Node<'_>) -> usize {
    let indent = indent_of(key);
    let mut last_content = key.line();
    let mut line = key.line() + 1;
    loop {
        let start = src.offset(line, 1);
        if start >= src.text.len() {
            break;
        }
        let text = src.line_text(line);
        let trimmed = text.trim_start();
        if !trimmed.is_empty() {
            let depth = text.len() - trimmed.len();
            if depth <= indent {
                break;
            }
            last_content = line;
        }
        line += 1;
    }
    line_end(src, last_content)
}

/// The offset just after line `line`'s newline (or the end of the text).
pub fn line_end(src: &Source, line: u32) -> usize {
    let next = src.offset(line + 1, 1);
    if next > src.text.len() || (next == src.text.len() && !src.text.ends_with('\n')) {
        src.text.len()
    } else {
        next
    }
}

/// Text of new lines to insert at `at`: prefixed with a newline when `at` is the end of a
/// text that does not end with one.
pub fn lines_at(src: &Source, at: usize, lines: &str) -> String {
    if at == src.text.len() && !src.text.is_empty() && !src.text.ends_with('\n') {
        format!("\n{lines}")
    } else {
        lines.to_owned()
    }
}

/// An edit that adds `key: value` lines to a block mapping, or creates the mapping: under
/// `parent`'s entry `name` when it exists as a block mapping with entries, else as a new
/// `name:` entry after the entry keyed `after` (a sibling at the same indentation).
pub fn add_to_mapping(
    src: &Source,
    parent: Node<'_>,
    name: &str,
    after: Node<'_>,
    entries: &[(String, String)],
) -> Option<Edit> {
    let existing = parent.get(name);
    if let Some(map) = existing {
        let (first_key, _) = map.entries().next()?;
        if first_key.line() == crate::model::key_node(parent, name)?.line() {
            return None; // a flow mapping: `env: {A: b}`
        }
        let indent = indent_of(first_key);
        let at = src.offset(first_key.line(), 1);
        let text: String = entries
            .iter()
            .map(|(k, v)| format!("{}{k}: {v}\n", " ".repeat(indent)))
            .collect();
        return Some(Edit {
            start: at,
            end: at,
            text,
        });
    }
    let indent = indent_of(after);
    let at = after_entry(src, after);
    let mut text = format!("{}{name}:\n", " ".repeat(indent));
    for (k, v) in entries {
        text.push_str(&format!("{}{k}: {v}\n", " ".repeat(indent + 2)));
    }
    Some(Edit {
        start: at,
        end: at,
        text: lines_at(src, at, &text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Kind;
    use jobzero_core::check::apply_fixes as apply;

    #[test]
    fn entries_are_added_after_multi_line_siblings() {
        let text = "steps:\n  - run: |\n      echo a\n\n      echo b\n    name: x\n";
        let src =
            Source::parse("w.yml", text, Kind::Workflow).unwrap_or_else(|e| unreachable!("{e}"));
        let step = src
            .root()
            .and_then(|r| r.get("steps"))
            .and_then(|s| s.items().next())
            .unwrap_or_else(|| unreachable!());
        let run_key = crate::model::key_node(step, "run").unwrap_or_else(|| unreachable!());
        let edit = add_to_mapping(&src, step, "env", run_key, &[("A".into(), "b".into())])
            .unwrap_or_else(|| unreachable!());
        let (out, _) = apply(
            text,
            &[Fix {
                rule: "r",
                title: String::new(),
                edits: vec![edit],
            }],
        );
        assert_eq!(
            out,
            "steps:\n  - run: |\n      echo a\n\n      echo b\n    env:\n      A: b\n    name: x\n"
        );
    }
}
