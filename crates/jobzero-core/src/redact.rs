//! How a secret is shown: at most its first four characters and its length, never more.

/// The redacted form of a secret: `AKIA…(20 chars)`. Short secrets show fewer leading
/// characters (two from 8 characters, none below), so that a redaction never gives away a
/// meaningful share of the value.
pub fn redact(secret: &str) -> String {
    let len = secret.chars().count();
    let keep = if len >= 16 {
        4
    } else if len >= 8 {
        2
    } else {
        0
    };
    let head: String = secret.chars().take(keep).collect();
    format!("{head}…({len} chars)")
}

/// `line` with every occurrence of `secret` replaced by its [`redact`]ed form.
pub fn redact_in(line: &str, secret: &str) -> String {
    if secret.is_empty() {
        return line.to_owned();
    }
    line.replace(secret, &redact(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_little() {
        assert_eq!(redact("AKIAZ7DQ2XJ4NFAKE123"), "AKIA…(20 chars)");
        assert_eq!(redact("hunter22"), "hu…(8 chars)");
        assert_eq!(redact("abc"), "…(3 chars)");
        assert_eq!(redact("é".repeat(20).as_str()), "éééé…(20 chars)");
        assert_eq!(
            redact_in("key = s3cr3tvalue!", "s3cr3tvalue!"),
            "key = s3…(12 chars)"
        );
    }
}
