//! Whether a variable, property or environment name says it holds a secret: the one
//! judgement iac, pipeline and the secrets family share, so that a name is a secret's in one
//! family exactly when it is in the others.

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
    "FILENAME",
    "MOUNT",
    "LIFETIME",
    "DISABLED",
    "REQUIRED",
    "LIMIT",
    "MAX",
    "MIN",
    "RETRIES",
    "INTERVAL",
    "SECONDS",
    "MINUTES",
    "HOURS",
    "DAYS",
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
pub fn is_secret_name(name: &str) -> bool {
    let segs = segments(name);
    let Some(last) = segs.last() else {
        return false;
    };
    if NOT_SECRET_SUFFIXES.contains(&last.as_str()) {
        return false;
    }
    // Limits of language-model clients (`MAX_TOKENS`, `MIN_TOKEN_COUNT`) are not secrets.
    if segs
        .first()
        .is_some_and(|s| matches!(s.as_str(), "MAX" | "MIN"))
    {
        return false;
    }
    segs.iter().enumerate().any(|(i, s)| {
        SECRET_PARTS.iter().any(|p| s.contains(p))
            || s.ends_with("TOKEN")
            || s == "PASS"
            || (s == "KEY"
                && i > 0
                && segs
                    .get(i - 1)
                    .is_some_and(|q| KEY_QUALIFIERS.contains(&q.as_str())))
    })
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
            assert!(is_secret_name(yes), "{yes}");
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
            "MAX_TOKENS",
            "TOKENS_PER_MINUTE",
            "SESSION_TOKEN_SECONDS",
        ] {
            assert!(!is_secret_name(no), "{no}");
        }
    }
}
