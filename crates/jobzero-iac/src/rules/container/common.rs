//! What the group's rules share: secret-looking names and literal values, the simple commands
//! of a `RUN` script, `ENV`/`ARG` pairs and base images of Dockerfiles, and ECS container
//! definitions in every shape.

use crate::dockerfile::{Dockerfile, Instruction};
use crate::model::Resource;
use crate::node::{Node, Val};

/// Name segments that are secrets on their own (`DB_PASSWORD`, `CLIENT_SECRET`).
const SECRET_PARTS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "APIKEY",
    "ACCESSKEY",
    "PRIVATEKEY",
    "CREDENTIAL",
];

/// Words that, before `KEY`, make a name a key's (`API_KEY`, `PRIVATE_KEY`).
const KEY_QUALIFIERS: &[&str] = &[
    "API",
    "ACCESS",
    "PRIVATE",
    "SECRET",
    "AUTH",
    "SIGNING",
    "ENCRYPTION",
    "MASTER",
    "LICENSE",
];

/// Last segments that name something about a secret rather than the secret itself
/// (`PASSWORD_FILE`, `SECRET_ARN`, `TOKEN_TTL`).
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "FILE",
    "FILES",
    "PATH",
    "DIR",
    "ARN",
    "NAME",
    "URL",
    "URI",
    "ENDPOINT",
    "HOST",
    "PORT",
    "LENGTH",
    "LEN",
    "TTL",
    "EXPIRY",
    "EXPIRES",
    "EXPIRATION",
    "TIMEOUT",
    "HEADER",
    "TYPE",
    "ID",
    "REF",
    "VERSION",
    "LOCATION",
    "POLICY",
    "ROTATION",
    "ENABLED",
    "ENABLE",
    "REGION",
    "PARAM",
    "PARAMETER",
    "MODE",
    "FORMAT",
    "PREFIX",
    "SUFFIX",
    "COUNT",
    "SIZE",
    "USER",
    "USERNAME",
    "EMAIL",
    "ISSUER",
    "AUDIENCE",
    "SCOPE",
    "SCOPES",
    "ALGORITHM",
    "FIELD",
    "MANAGER",
    "STORE",
    "PROVIDER",
];

/// The segments of a name, upper case: `dbPassword` and `db-password` both give
/// `["DB", "PASSWORD"]`.
fn segments(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_uppercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether a variable, property or environment name is a secret's: `DB_PASSWORD`,
/// `clientSecret`, `NPM_TOKEN`, `api_key`, `AWS_SECRET_ACCESS_KEY`; not `PASSWORD_FILE`,
/// `SECRET_ARN`, `TOKEN_TTL` or `TOKENIZERS_PARALLELISM`.
pub(super) fn secret_name(name: &str) -> bool {
    let segs = segments(name);
    let Some(last) = segs.last() else {
        return false;
    };
    if NOT_SECRET_SUFFIXES.contains(&last.as_str()) {
        return false;
    }
    segs.iter().enumerate().any(|(i, s)| {
        SECRET_PARTS.iter().any(|p| s.contains(p))
            || s.ends_with("TOKEN")
            || s == "TOKENS"
            || s == "PASS"
            || (s == "KEY"
                && i > 0
                && segs
                    .get(i - 1)
                    .is_some_and(|q| KEY_QUALIFIERS.contains(&q.as_str())))
    })
}

/// Whether `value` is a literal that can be a secret: not empty, not a variable or command
/// substitution (`$X`, `${X}`, `$(cmd)`), not a template or dynamic reference (`{{resolve:…}}`),
/// not an ARN or file path pointing at where the secret lives, not a boolean or a
/// `<placeholder>`.
pub(super) fn literal_secret(value: &str) -> bool {
    let v = value
        .trim()
        .trim_matches(|c: char| c == '"' || c == '\'')
        .trim();
    if v.is_empty() {
        return false;
    }
    if v.starts_with('$')
        || v.starts_with('`')
        || v.contains("${")
        || v.contains("{{")
        || v.starts_with("arn:")
        || v.starts_with('/')
        || v.starts_with("file:")
        || (v.starts_with('<') && v.ends_with('>'))
    {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null" | "nil" | "0" | "1"
    ) {
        return false;
    }
    // `xxxx`, `****`: a mask, not a value.
    let mut chars = v.chars();
    let first = chars.next();
    !(v.chars().count() > 1 && chars.all(|c| Some(c) == first))
}

/// Whether a literal is one of the dummy values test setups use (`test`, `mock`, a LocalStack
/// key), which authenticate nothing.
pub(super) fn placeholder(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "test"
            | "testing"
            | "mock"
            | "dummy"
            | "fake"
            | "foo"
            | "bar"
            | "example"
            | "placeholder"
            | "localstack"
            | "xxx"
            | "key"
            | "secret"
            | "token"
            | "password"
            | "changeme"
            | "replace-me"
            | "replaceme"
    ) || [
        "mock_", "mock-", "dummy", "fake_", "fake-", "test_", "test-", "your_", "your-",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// Whether `text` holds an AWS access key id: `AKIA` or `ASIA` and 16 upper-case letters or
/// digits, not part of a longer such word.
pub(super) fn has_aws_key_id(text: &str) -> bool {
    let b = text.as_bytes();
    let word = |c: &u8| c.is_ascii_uppercase() || c.is_ascii_digit();
    text.match_indices("AKIA")
        .chain(text.match_indices("ASIA"))
        .any(|(i, _)| {
            let before = i.checked_sub(1).and_then(|j| b.get(j));
            let body = b.get(i + 4..i + 20);
            let after = b.get(i + 20);
            !before.is_some_and(word)
                && body.is_some_and(|s| s.iter().all(word))
                && !after.is_some_and(word)
        })
}

/// Whether `text` assigns a literal to `key`, case-insensitively: `key=value`,
/// `KEY: value`, `"key": "value"`, `export DB_KEY=value`. A variable, command substitution
/// or template is not a literal, nor is a value shorter than four characters.
pub(super) fn assigns_literal(text: &str, key: &str) -> bool {
    // ASCII lower-casing keeps byte offsets.
    let lower = text.to_ascii_lowercase();
    let key = key.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower.get(from..).and_then(|s| s.find(&key)) {
        let end = from + at + key.len();
        from = end;
        let rest = lower
            .get(end..)
            .unwrap_or("")
            .trim_start_matches(['"', '\'', ' ', '\t']);
        let Some(rest) = rest.strip_prefix(['=', ':']) else {
            continue;
        };
        let value: String = rest
            .trim_start_matches(['"', '\'', ' ', '\t'])
            .chars()
            .take_while(|c| {
                !c.is_whitespace() && !matches!(c, '"' | '\'' | ';' | ',' | '}' | ')' | '&' | '|')
            })
            .collect();
        if value.chars().count() >= 4
            && value.chars().any(|c| c.is_ascii_alphanumeric())
            && literal_secret(&value)
        {
            return true;
        }
    }
    false
}

/// The entry `key` of a map, whatever its case (`privileged` in Terraform's JSON,
/// `Privileged` in CloudFormation).
pub(super) fn field<'a>(n: &'a Node, key: &str) -> Option<&'a Node> {
    n.entries()
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// The items of a list, or the node itself.
fn expand(n: &Node) -> Vec<&Node> {
    match &n.val {
        Val::List(items) => items.iter().collect(),
        _ => vec![n],
    }
}

/// Every node at a dotted path, entering every item of the lists (blocks written several
/// times, lists of objects) on the way, and every item of a final list: `user.password` of
/// an `aws_mq_broker` gives the password of each `user` block.
pub(super) fn nodes_at<'a>(root: &'a Node, path: &str) -> Vec<&'a Node> {
    let mut current = vec![root];
    for seg in path.split('.') {
        current = current
            .into_iter()
            .flat_map(expand)
            .filter_map(|n| n.get_direct(seg))
            .collect();
    }
    current.into_iter().flat_map(expand).collect()
}

/// The container definitions of an ECS task definition, as a list: Terraform's
/// `container_definitions` (a `jsonencode` list, or a JSON string parsed here, its nodes
/// placed at the argument) or CloudFormation's `ContainerDefinitions`. `None` when unknown
/// (`file(...)`, a template).
pub(super) fn container_definitions(r: &Resource) -> Option<Node> {
    let n = r
        .at("container_definitions")
        .or_else(|| r.at("ContainerDefinitions"))?;
    match &n.val {
        Val::List(_) => Some(n.clone()),
        Val::Str(s) => {
            let v: serde_json::Value = serde_json::from_str(s).ok()?;
            let parsed = crate::terraform::from_json(&v, n.pos, &n.route);
            matches!(parsed.val, Val::List(_)).then_some(parsed)
        }
        _ => None,
    }
}

/// The name of a container definition, for messages.
pub(super) fn container_name(c: &Node) -> &str {
    field(c, "name")
        .and_then(Node::as_str)
        .unwrap_or("(unnamed)")
}

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
    fn secret_names() {
        for yes in [
            "DB_PASSWORD",
            "clientSecret",
            "NPM_TOKEN",
            "api_key",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "db_pass",
            "privateKey",
            "MYSQL_ROOT_PASSWORD",
        ] {
            assert!(secret_name(yes), "{yes}");
        }
        for no in [
            "PASSWORD_FILE",
            "SECRET_ARN",
            "TOKEN_TTL",
            "TOKENIZERS_PARALLELISM",
            "GPG_KEY",
            "PWD",
            "db_username",
            "AWS_ACCESS_KEY_ID",
        ] {
            assert!(!secret_name(no), "{no}");
        }
    }

    #[test]
    fn literals() {
        assert!(literal_secret("hunter22"));
        assert!(!literal_secret("${DB_PASSWORD}"));
        assert!(!literal_secret("$NPM_TOKEN"));
        assert!(!literal_secret("{{resolve:secretsmanager:db}}"));
        assert!(!literal_secret(""));
        assert!(!literal_secret("\"\""));
        assert!(!literal_secret("false"));
        assert!(!literal_secret("********"));
    }

    #[test]
    fn aws_key_ids() {
        assert!(has_aws_key_id(
            "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
        ));
        assert!(!has_aws_key_id("AKIAIOSFODNN7EXAMPLEX"));
        assert!(!has_aws_key_id("AKIA123"));
    }

    #[test]
    fn assignments_of_literals() {
        assert!(assigns_literal("DB_PASSWORD=s3cr3t-value\n", "password"));
        assert!(assigns_literal("password: \"hunter22\"", "password"));
        assert!(!assigns_literal("lock_passwd: false", "passwd"));
        assert!(!assigns_literal(
            "DB_PASSWORD=$(aws ssm get-parameter)",
            "password"
        ));
        assert!(!assigns_literal("--password-stdin", "password"));
    }

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

    #[test]
    fn image_tags() {
        assert_eq!(image_tag("python:3.12-slim"), (Some("3.12-slim"), false));
        assert_eq!(image_tag("registry:5000/app"), (None, false));
        assert_eq!(image_tag("alpine@sha256:abc"), (None, true));
    }
}
