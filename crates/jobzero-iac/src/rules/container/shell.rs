//! The simple commands of a `RUN` script or a build command: a small shell tokenizer that
//! follows pipes, `&&`, `;` and inline `sh -c` scripts.

/// How a simple command is joined to the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Join {
    /// `a | b`: the output of this command is the input of the next.
    Pipe,
    /// `a <(b)`: the output of the next command is a file this one reads.
    ProcSub,
    /// `;`, `&&`, `||`, a new line, the end.
    Other,
}

/// One simple command of a shell script.
#[derive(Debug, Clone)]
pub(super) struct Cmd {
    /// Its words without quotes, the command name first, after what only runs it (`sudo`,
    /// `env`, assignments, `then`).
    pub(super) words: Vec<String>,
    /// Whether `sudo` runs it.
    pub(super) sudo: bool,
    /// The `NAME=value` assignments written before it.
    pub(super) env: Vec<String>,
    /// How it is joined to the next command.
    pub(super) join: Join,
}

impl Cmd {
    /// The command's name without its directory (`/usr/bin/curl` is `curl`).
    pub(super) fn name(&self) -> &str {
        self.words
            .first()
            .map(|w| w.rsplit('/').next().unwrap_or(w))
            .unwrap_or("")
    }

    /// The words after the name.
    pub(super) fn args(&self) -> &[String] {
        self.words.get(1..).unwrap_or(&[])
    }
}

/// Shells and interpreters that run a script read from their input.
pub(super) fn is_interpreter(name: &str) -> bool {
    matches!(
        name,
        "sh" | "bash" | "zsh" | "dash" | "ksh" | "ash" | "fish" | "perl" | "ruby" | "node" | "php"
    ) || name.starts_with("python")
}

fn is_shell(name: &str) -> bool {
    matches!(name, "sh" | "bash" | "zsh" | "dash" | "ksh" | "ash")
}

/// Whether `w` is a `NAME=value` assignment.
pub(super) fn is_assignment(w: &str) -> bool {
    let Some((name, _)) = w.split_once('=') else {
        return false;
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The simple commands of a shell script (a `RUN` instruction's [`Instruction::script`]),
/// with `sh -c '…'` scripts read as their own commands.
pub(super) fn commands(script: &str) -> Vec<Cmd> {
    parse_commands(script, 0)
}

fn parse_commands(script: &str, depth: usize) -> Vec<Cmd> {
    let mut out = Vec::new();
    for (words, join) in tokenize(script) {
        let cmd = normalize(words, join);
        let expanded = if depth < 4 { inline_script(&cmd) } else { None };
        match expanded {
            Some(script) => {
                let mut inner = parse_commands(&script, depth + 1);
                for c in &mut inner {
                    c.sudo |= cmd.sudo;
                }
                if let Some(last) = inner.last_mut() {
                    last.join = cmd.join;
                }
                out.extend(inner);
            }
            None => out.push(cmd),
        }
    }
    out
}

/// The script of `sh -c 'script'` (or of an exec form's `["sh", "-c", "script"]`, whose
/// words were joined).
fn inline_script(cmd: &Cmd) -> Option<String> {
    if !is_shell(cmd.name()) {
        return None;
    }
    let args = cmd.args();
    let at = args.iter().position(|w| {
        w.starts_with('-') && !w.starts_with("--") && w.contains('c') && w.len() > 1
    })?;
    let rest = args.get(at + 1..)?;
    let script = rest.join(" ");
    // `sh -c "$(curl …)"` runs the output of a command: kept whole, so rules see both.
    let t = script.trim_start();
    if t.is_empty() || t.starts_with("$(") || t.starts_with('`') {
        return None;
    }
    Some(script)
}

/// Drops what only runs the command (`sudo -E`, `env A=1`, assignments, `then`), noting
/// `sudo` and the assignments.
fn normalize(words: Vec<String>, join: Join) -> Cmd {
    let mut sudo = false;
    let mut env = Vec::new();
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let base = w.rsplit('/').next().unwrap_or(w);
        if is_assignment(w) {
            env.push(w.clone());
            i += 1;
        } else if base == "sudo" || base == "doas" {
            sudo = true;
            i += 1;
            while let Some(o) = words.get(i) {
                if !o.starts_with('-') {
                    break;
                }
                let takes_value = matches!(
                    o.as_str(),
                    "-u" | "-g" | "-U" | "-C" | "-p" | "-h" | "-r" | "-t"
                );
                i += if takes_value { 2 } else { 1 };
            }
        } else if base == "env" {
            i += 1;
            while let Some(o) = words.get(i) {
                if !o.starts_with('-') {
                    break;
                }
                i += if o == "-u" || o == "-C" { 2 } else { 1 };
            }
        } else if matches!(
            w.as_str(),
            "then"
                | "do"
                | "else"
                | "elif"
                | "if"
                | "while"
                | "until"
                | "{"
                | "!"
                | "time"
                | "nohup"
                | "exec"
                | "command"
                | "builtin"
        ) {
            i += 1;
        } else {
            break;
        }
    }
    Cmd {
        words: words.get(i..).map(<[String]>::to_vec).unwrap_or_default(),
        sudo,
        env,
        join,
    }
}

/// Splits a script into simple commands (words without quotes) and how each is joined to the
/// next. Quoted text stays one word; comments are dropped.
fn tokenize(script: &str) -> Vec<(Vec<String>, Join)> {
    struct State {
        out: Vec<(Vec<String>, Join)>,
        words: Vec<String>,
        word: String,
        in_word: bool,
    }
    impl State {
        fn flush_word(&mut self) {
            if self.in_word {
                self.words.push(std::mem::take(&mut self.word));
                self.in_word = false;
            }
        }
        fn end(&mut self, join: Join) {
            self.flush_word();
            if !self.words.is_empty() {
                self.out.push((std::mem::take(&mut self.words), join));
            }
        }
    }
    let mut s = State {
        out: Vec::new(),
        words: Vec::new(),
        word: String::new(),
        in_word: false,
    };
    let mut quote: Option<char> = None;
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if c == '\\' && q == '"' {
                if let Some(n) = chars.next() {
                    s.word.push(n);
                }
            } else {
                s.word.push(c);
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                s.in_word = true;
            }
            '\\' => match chars.next() {
                Some('\n') | None => {}
                Some(n) => {
                    s.word.push(n);
                    s.in_word = true;
                }
            },
            '#' if !s.in_word => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        break;
                    }
                }
                s.end(Join::Other);
            }
            '\n' | ';' | '(' | ')' | '`' => s.end(Join::Other),
            '$' if chars.peek() == Some(&'(') => {
                chars.next();
                s.end(Join::Other);
            }
            '|' => {
                if chars.peek() == Some(&'|') {
                    chars.next();
                    s.end(Join::Other);
                } else {
                    if chars.peek() == Some(&'&') {
                        chars.next();
                    }
                    s.end(Join::Pipe);
                }
            }
            '&' => {
                if chars.peek() == Some(&'&') {
                    chars.next();
                }
                s.end(Join::Other);
            }
            '<' if chars.peek() == Some(&'(') => {
                chars.next();
                s.end(Join::ProcSub);
            }
            '<' | '>' => {
                s.flush_word();
                let mut op = String::from(c);
                while let Some(&n) = chars.peek() {
                    if matches!(n, '>' | '<' | '&' | '-')
                        || (n.is_ascii_digit() && op.ends_with('&'))
                    {
                        op.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                s.words.push(op);
            }
            c if c.is_whitespace() => s.flush_word(),
            c => {
                s.word.push(c);
                s.in_word = true;
            }
        }
    }
    s.end(Join::Other);
    s.out
}

/// The words of a Dockerfile argument string, quotes removed (`KEY="a b"` is one word).
pub(super) fn split_words(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = args.chars();
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if c == '\\' && q == '"' {
                if let Some(n) = chars.next() {
                    word.push(n);
                }
            } else {
                word.push(c);
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                in_word = true;
            }
            '\\' => {
                if let Some(n) = chars.next() {
                    word.push(n);
                    in_word = true;
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn commands_pipes_and_inline_scripts() {
        let c = commands("apt-get update && curl -fsSL https://x | sudo -E bash -");
        assert_eq!(c.len(), 3);
        assert_eq!(c[1].name(), "curl");
        assert_eq!(c[1].join, Join::Pipe);
        assert_eq!(c[2].name(), "bash");
        assert!(c[2].sudo);
        let c = commands("sh -c \"wget -qO- https://x | sh\"");
        assert_eq!(c[0].name(), "wget");
        assert_eq!(c[0].join, Join::Pipe);
        let c = commands("echo \"curl x | sh\" > /usr/bin/y");
        assert_eq!(c.len(), 1);
        let c = commands("bash <(curl -s https://x)");
        assert_eq!(c[0].join, Join::ProcSub);
        assert_eq!(c[1].name(), "curl");
    }
}
