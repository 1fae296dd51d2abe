//! Values that look like credentials but are documentation, templates or test fillers.

/// Substrings (lowercase) that mark a value as a placeholder.
const MARKERS: [&str; 16] = [
    "example",
    "xxxx",
    "****",
    "....",
    "changeme",
    "change_me",
    "placeholder",
    "redacted",
    "dummy",
    "your_",
    "your-",
    "yourkey",
    "insert",
    "replace",
    "sample",
    "fake_",
];

/// Values that are documentation defaults, not secrets, when they are the whole value.
const COMMON_DEFAULTS: [&str; 18] = [
    "password", "passw0rd", "passwd", "secret", "pass", "changeit", "admin", "root", "test",
    "letmein", "123456", "12345678", "qwerty", "default", "pwd", "foobar", "token", "apikey",
];

/// Whether `value` is a placeholder rather than a credential: a documentation value
/// (`AKIAIOSFODNN7EXAMPLE`), a template (`${TOKEN}`, `{{ .Values.key }}`, `<your-token>`,
/// `%(password)s`, `$PASSWORD`), a filler (`xxxxxxxx`, `********`, `changeme`) or a value of
/// one repeated character.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
    if v.is_empty() {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if COMMON_DEFAULTS.contains(&lower.as_str()) || MARKERS.iter().any(|m| lower.contains(m)) {
        return true;
    }
    let templated = v.starts_with("${")
        || v.starts_with("{{")
        || v.starts_with('<') && v.ends_with('>')
        || v.starts_with("%(")
        || v.starts_with("#{")
        || v.starts_with("$(")
        || (v.starts_with('$')
            && v[1..]
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'));
    if templated {
        return true;
    }
    let mut chars = v.chars();
    let first = chars.next().unwrap_or_default();
    chars.all(|c| c == first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for p in [
            "AKIAIOSFODNN7EXAMPLE",
            "${GITHUB_TOKEN}",
            "{{ .Values.password }}",
            "<your-token>",
            "%(password)s",
            "$DB_PASSWORD",
            "xxxxxxxxxxxxxxxx",
            "changeme",
            "aaaaaaaaaaaaaa",
            "''",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for real in [
            "AKIAZ7DQ2XJ4NQ3KW5LM",
            "hunter2-prod-9f8e",
            "$2y$10$abcdefghijkl",
        ] {
            assert!(!is_placeholder(real), "{real}");
        }
    }
}
