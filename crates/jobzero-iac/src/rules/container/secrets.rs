//! Assignments of literal values to secret-looking names in infrastructure code; whether a
//! name is a secret's and a value a literal credential is the secrets family's judgement
//! (`jobzero_secrets::names`, `jobzero_secrets::literal`).

use jobzero_secrets::literal::is_literal;

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
            && is_literal(&value)
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

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
}
