//! Dockerfiles: parser directives (`# escape=`), line continuations, comments inside
//! continued instructions, heredocs (`RUN <<EOF`, `<<-EOF`, several per instruction), the
//! exec (JSON) form, flags (`--platform`, `--chown`) and build stages.
//!
//! Written here rather than taken from a crate: the Dockerfile crates on crates.io predate
//! heredocs (BuildKit 1.4) and do not report positions, and the grammar is line-based and
//! small.

use jobzero_core::ScanError;

/// Instructions Docker accepts; anything else is an error (with its line), as in `docker build`.
const KEYWORDS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// One instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// The keyword, upper case.
    pub keyword: String,
    /// Flags before the arguments (`--chown=app`, `--mount=type=secret,id=x`).
    pub flags: Vec<String>,
    /// The arguments, continuation lines joined with a space, comments removed.
    pub args: String,
    /// The bodies of the instruction's heredocs, in order.
    pub heredocs: Vec<String>,
    /// First line (1-based).
    pub line: u32,
    /// Last line, heredocs included.
    pub end_line: u32,
    /// Index of the stage it belongs to (`None` before the first `FROM`).
    pub stage: Option<usize>,
}

impl Instruction {
    /// The exec form's words (`["sh", "-c", "x"]`), when the arguments are a JSON array.
    pub fn exec_form(&self) -> Option<Vec<String>> {
        let a = self.args.trim();
        if !a.starts_with('[') {
            return None;
        }
        serde_json::from_str(a).ok()
    }

    /// What the instruction runs or writes: the arguments and every heredoc body.
    pub fn script(&self) -> String {
        let mut s = match self.exec_form() {
            Some(words) => words.join(" "),
            None => self.args.clone(),
        };
        for h in &self.heredocs {
            s.push('\n');
            s.push_str(h);
        }
        s
    }

    /// The value of flag `--name`, if given.
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags.iter().find_map(|f| {
            f.strip_prefix("--")
                .and_then(|f| f.strip_prefix(name))
                .and_then(|f| f.strip_prefix('='))
        })
    }
}

/// A build stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// The base image as written (`python:3.12-slim`, `${BASE}`, `scratch`, an earlier stage).
    pub image: String,
    /// `AS name`.
    pub alias: Option<String>,
    /// The `FROM` line.
    pub line: u32,
    /// Index of the instruction.
    pub instruction: usize,
    /// Whether the base is an earlier stage of this file.
    pub from_stage: bool,
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, Default)]
pub struct Dockerfile {
    /// Instructions in order.
    pub instructions: Vec<Instruction>,
    /// Stages in order.
    pub stages: Vec<Stage>,
}

impl Dockerfile {
    /// The instructions of the last stage: what the image that ships is built from.
    pub fn final_stage(&self) -> impl Iterator<Item = &Instruction> {
        let last = self.stages.len().checked_sub(1);
        self.instructions
            .iter()
            .filter(move |i| last.is_some() && i.stage == last)
    }
}

/// Parses `text`; unknown instructions and unterminated heredocs are errors of `path` with
/// their line, and parsing goes on after them.
pub fn parse(path: &str, text: &str) -> (Dockerfile, Vec<ScanError>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut errors = Vec::new();
    let mut escape = '\\';
    let mut i = 0;
    // Parser directives: `# key=value` lines before anything else.
    while i < lines.len() {
        let l = lines[i].trim();
        let Some(d) = l.strip_prefix('#') else { break };
        let Some((k, v)) = d.split_once('=') else {
            break;
        };
        let k = k.trim().to_ascii_lowercase();
        if k.contains(' ') {
            break;
        }
        if k == "escape" {
            escape = v.trim().chars().next().unwrap_or('\\');
        }
        i += 1;
    }
    let mut file = Dockerfile::default();
    while i < lines.len() {
        let first = lines[i].trim_start();
        if first.is_empty() || first.starts_with('#') {
            i += 1;
            continue;
        }
        let start = i;
        // Join continuation lines; comment lines inside a continued instruction are dropped.
        let mut logical = String::new();
        // A continuation followed only by comments ends at the end of the file.
        while let Some(raw) = lines.get(i).copied() {
            let trimmed = raw.trim_end();
            i += 1;
            if let Some(body) = trimmed.strip_suffix(escape)
                && i < lines.len()
            {
                logical.push_str(body);
                logical.push(' ');
                while i < lines.len() && lines[i].trim_start().starts_with('#') {
                    i += 1;
                }
                continue;
            }
            logical.push_str(trimmed);
            break;
        }
        let logical = logical.trim();
        let (word, rest) = logical
            .split_once(|c: char| c.is_whitespace())
            .unwrap_or((logical, ""));
        let keyword = word.to_ascii_uppercase();
        let line = line_no(start);
        if !KEYWORDS.contains(&keyword.as_str()) {
            errors.push(ScanError::new(
                path,
                Some(line),
                format!("unknown instruction `{word}`"),
            ));
            continue;
        }
        let mut rest = rest.trim();
        let mut flags = Vec::new();
        while rest.starts_with("--") {
            let (flag, tail) = rest
                .split_once(|c: char| c.is_whitespace())
                .unwrap_or((rest, ""));
            flags.push(flag.to_owned());
            rest = tail.trim_start();
        }
        let mut heredocs = Vec::new();
        if matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            for (delim, strip) in heredoc_markers(rest) {
                let mut body = String::new();
                let mut closed = false;
                while i < lines.len() {
                    let l = lines[i];
                    i += 1;
                    let candidate = if strip { l.trim_start_matches('\t') } else { l };
                    if candidate == delim {
                        closed = true;
                        break;
                    }
                    body.push_str(candidate);
                    body.push('\n');
                }
                if !closed {
                    errors.push(ScanError::new(
                        path,
                        Some(line),
                        format!("heredoc `<<{delim}` is never closed"),
                    ));
                }
                heredocs.push(body);
            }
        }
        let stage = file.stages.len().checked_sub(1);
        let index = file.instructions.len();
        let instr = Instruction {
            keyword: keyword.clone(),
            flags,
            args: rest.to_owned(),
            heredocs,
            line,
            end_line: line_no(i.saturating_sub(1)).max(line),
            stage: if keyword == "FROM" {
                Some(file.stages.len())
            } else {
                stage
            },
        };
        if keyword == "FROM" {
            let words: Vec<&str> = rest.split_whitespace().collect();
            let image = words.first().copied().unwrap_or("").to_owned();
            let alias = match words.as_slice() {
                [_, as_, name, ..] if as_.eq_ignore_ascii_case("as") => Some((*name).to_owned()),
                _ => None,
            };
            let from_stage = file.stages.iter().any(|s| {
                s.alias
                    .as_deref()
                    .is_some_and(|a| a.eq_ignore_ascii_case(&image))
            });
            file.stages.push(Stage {
                image,
                alias,
                line,
                instruction: index,
                from_stage,
            });
        }
        file.instructions.push(instr);
    }
    (file, errors)
}

fn line_no(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// The heredoc delimiters an instruction opens (`<<EOF`, `<<-EOF`, `<<"EOF"`), in order, with
/// whether leading tabs are stripped.
fn heredoc_markers(args: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut rest = args;
    while let Some(at) = rest.find("<<") {
        let mut tail = &rest[at + 2..];
        let strip = tail.starts_with('-');
        if strip {
            tail = &tail[1..];
        }
        let quoted = tail.starts_with('"') || tail.starts_with('\'');
        let word: String = tail
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // `<<` followed by a word is a heredoc; `<< EOF` with a space and `<<<` are shell.
        if !word.is_empty()
            && (quoted || tail.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
        {
            out.push((word, strip));
        }
        rest = &rest[at + 2..];
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_continuation_followed_only_by_comments_ends_the_file() {
        // Found by the `iac` fuzz target: the continuation read past the last line.
        let (d, errors) = parse("Dockerfile", "FROM alpine\nRUN echo \\\n# a comment");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(d.instructions[1].args, "echo");
    }

    #[test]
    fn stages_continuations_heredocs_and_directives() {
        let text = "# escape=`\nFROM golang:1.22 AS build\nRUN go build `\n  # a comment\n  -o /app\nFROM build\nRUN <<EOF\nset -e\necho hi\nEOF\nUSER app\n";
        let (d, errors) = parse("Dockerfile", text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(d.stages.len(), 2);
        assert_eq!(d.stages[0].alias.as_deref(), Some("build"));
        assert!(d.stages[1].from_stage);
        assert_eq!(d.instructions[1].args, "go build    -o /app");
        assert_eq!(d.instructions[1].line, 3);
        assert_eq!(
            d.instructions[3].heredocs,
            vec!["set -e\necho hi\n".to_owned()]
        );
        assert_eq!(d.instructions[3].end_line, 10);
        assert_eq!(d.instructions[4].line, 11);
        assert_eq!(d.final_stage().count(), 3);
    }

    #[test]
    fn flags_and_exec_form() {
        let (d, _) = parse(
            "Dockerfile",
            "FROM a\nCOPY --chown=app:app . /src\nCMD [\"sh\", \"-c\", \"x\"]\n",
        );
        assert_eq!(d.instructions[1].flag("chown"), Some("app:app"));
        assert_eq!(d.instructions[1].args, ". /src");
        assert_eq!(
            d.instructions[2].exec_form().unwrap(),
            vec!["sh", "-c", "x"]
        );
    }

    #[test]
    fn unknown_instructions_and_open_heredocs_are_errors_with_lines() {
        let (d, errors) = parse("Dockerfile", "FROM a\nFORM b\nRUN <<EOF\necho\n");
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].line, Some(2));
        assert_eq!(errors[1].line, Some(3));
        assert_eq!(d.instructions.len(), 2);
    }
}
