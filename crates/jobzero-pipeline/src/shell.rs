//! Just enough shell reading for the audits: which lines of a script write to the runner's
//! environment files, what a `name=value` there assigns, and whether a position is inside
//! quotes or a heredoc.

/// The quoting in force at a byte offset of a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// Outside quotes.
    None,
    /// Inside `"…"`.
    Double,
    /// Inside `'…'`.
    Single,
    /// Inside a heredoc's body.
    Heredoc,
}

/// The quoting at `offset` of `script`, read line by line (heredocs are recognised by their
/// `<<DELIM` / `<<-DELIM` / `<<'DELIM'` openers).
pub fn quoting_at(script: &str, offset: usize) -> Quoting {
    let mut heredoc: Option<String> = None;
    let mut pos = 0;
    for line in script.split_inclusive('\n') {
        let end = pos + line.len();
        let text = line.trim_end_matches(['\n', '\r']);
        if let Some(delim) = &heredoc {
            if offset >= pos && offset < end {
                return Quoting::Heredoc;
            }
            if text.trim() == delim {
                heredoc = None;
            }
            pos = end;
            continue;
        }
        let mut state = Quoting::None;
        let mut escaped = false;
        for (i, c) in text.char_indices() {
            if pos + i == offset {
                return state;
            }
            if escaped {
                escaped = false;
                continue;
            }
            match (state, c) {
                (Quoting::None | Quoting::Double, '\\') => escaped = true,
                (Quoting::None, '\'') => state = Quoting::Single,
                (Quoting::Single, '\'') => state = Quoting::None,
                (Quoting::None, '"') => state = Quoting::Double,
                (Quoting::Double, '"') => state = Quoting::None,
                (Quoting::None, '#') if i == 0 || text[..i].ends_with(' ') => break,
                _ => {}
            }
        }
        if offset >= pos && offset < end {
            return state;
        }
        heredoc = heredoc_delimiter(text);
        pos = end;
    }
    Quoting::None
}

fn heredoc_delimiter(line: &str) -> Option<String> {
    let at = line.find("<<")?;
    let rest = line[at + 2..].trim_start_matches('-').trim_start();
    if rest.starts_with('<') {
        return None; // a here-string
    }
    let delim: String = rest
        .trim_start_matches(['\'', '"'])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!delim.is_empty()).then_some(delim)
}

/// The environment files a line appends to: `GITHUB_ENV`, `GITHUB_PATH`, `GITHUB_OUTPUT`.
pub fn env_file_writes(line: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    if !(line.contains(">>")
        || line.contains("Out-File")
        || line.contains("tee")
        || line.contains("Add-Content"))
    {
        return out;
    }
    for file in ["GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT"] {
        let needles = [
            format!("${file}"),
            format!("${{{file}}}"),
            format!("$env:{file}"),
            format!("%{file}%"),
        ];
        if needles.iter().any(|n| line.contains(n.as_str())) {
            out.push(file);
        }
    }
    out
}

/// The `name=value` pairs a script writes to `file` (`GITHUB_OUTPUT`, `GITHUB_ENV`): for
/// `echo "name=value" >> "$GITHUB_OUTPUT"`, the name and the raw value text.
pub fn assignments<'s>(script: &'s str, file: &str) -> Vec<(&'s str, &'s str)> {
    let mut out = Vec::new();
    for line in script.lines() {
        if !env_file_writes(line).contains(&file) {
            continue;
        }
        let Some(eq) = line.find('=') else { continue };
        let before = &line[..eq];
        let name_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .map_or(0, |i| i + 1);
        let name = &before[name_start..];
        if name.is_empty() {
            continue;
        }
        let value_end = line.find(">>").unwrap_or(line.len());
        let value = line[eq + 1..value_end.max(eq + 1)].trim();
        out.push((name, value));
    }
    out
}

/// The shell variables a text expands: `$NAME` and `${NAME}`.
pub fn variables(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let (start, braced) = if bytes.get(i + 1) == Some(&b'{') {
                (i + 2, true)
            } else {
                (i + 1, false)
            };
            let mut end = start;
            while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                end += 1;
            }
            if end > start && !bytes[start].is_ascii_digit() {
                out.push(&text[start..end]);
            }
            i = end.max(i + 1);
            let _ = braced;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_tracks_quotes_and_heredocs() {
        let s = "echo \"a X\" 'b Y' Z\ncat <<EOF\nW\nEOF\nV";
        assert_eq!(quoting_at(s, s.find('X').unwrap_or(0)), Quoting::Double);
        assert_eq!(quoting_at(s, s.find('Y').unwrap_or(0)), Quoting::Single);
        assert_eq!(quoting_at(s, s.find('Z').unwrap_or(0)), Quoting::None);
        assert_eq!(quoting_at(s, s.find('W').unwrap_or(0)), Quoting::Heredoc);
        assert_eq!(quoting_at(s, s.find('V').unwrap_or(0)), Quoting::None);
    }

    #[test]
    fn assignments_to_environment_files_are_read() {
        let s = "echo \"title=${{ github.event.issue.title }}\" >> \"$GITHUB_OUTPUT\"\necho x";
        assert_eq!(
            assignments(s, "GITHUB_OUTPUT"),
            vec![("title", "${{ github.event.issue.title }}\"")]
        );
        assert_eq!(
            env_file_writes("echo x >> $env:GITHUB_ENV"),
            vec!["GITHUB_ENV"]
        );
        assert_eq!(variables("a $B ${C_D} $1"), vec!["B", "C_D"]);
    }
}
