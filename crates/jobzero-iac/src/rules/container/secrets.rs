//! Secret-looking names in infrastructure code, and assignments of literal values to them;
//! whether a value is a literal credential is the secrets family's judgement
//! (`jobzero_secrets::literal`).

use jobzero_secrets::literal::is_literal;

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
