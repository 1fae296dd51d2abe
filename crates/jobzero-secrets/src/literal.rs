//! Whether a value written in code or configuration is a literal credential: the judgement
//! the secrets family's detectors, the iac family's credential rules and the pipeline family's
//! variable rules share, so that one value gets one answer whichever family reads it.

use crate::engine::ENGINE;
use crate::placeholder::is_placeholder;

/// A value with its quotes and surrounding blanks removed.
fn bare(value: &str) -> &str {
    value
        .trim()
        .trim_matches(|c: char| c == '"' || c == '\'')
        .trim()
}

/// Whether the value refers to a credential kept elsewhere rather than holding one: a
/// variable or template (`$TOKEN`, `${var.password}`, `{{ .Values.key }}`, `` `cmd` ``), an
/// ARN, a path or a `file:` URL, a `<placeholder>`.
pub fn is_reference(value: &str) -> bool {
    let v = bare(value);
    v.starts_with('$')
        || v.starts_with('`')
        || v.contains("${")
        || v.contains("{{")
        || v.starts_with("arn:")
        || v.starts_with('/')
        || v.starts_with("file:")
        || (v.starts_with('<') && v.ends_with('>'))
}

/// Whether the value is a switch or a number, not a secret (`true`, `off`, `null`, `0`).
fn is_switch(v: &str) -> bool {
    matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null" | "nil" | "0" | "1"
    )
}

/// Fillers that demos and tests write where a credential goes (`mock`, `test-token`,
/// `your-key`, `localstack`): not secrets, whatever the name they are assigned to.
pub fn is_filler(value: &str) -> bool {
    let lower = bare(value).to_ascii_lowercase();
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

/// Whether a value assigned to a credential's name is written literally: not empty, not a
/// reference, a switch or a filler. A documentation value (`AKIAIOSFODNN7EXAMPLE`) is still
/// written literally: configuration rules report the habit, not the key.
pub fn is_literal(value: &str) -> bool {
    let v = bare(value);
    !v.is_empty() && !is_reference(v) && !is_switch(v) && !is_filler(v)
}

/// Whether a value assigned to a credential's name is a literal credential: written
/// literally and not a placeholder (the secrets family's judgement of a real secret).
pub fn is_literal_credential(value: &str) -> bool {
    is_literal(value) && !is_placeholder(bare(value))
}

const AWS_ACCESS_KEY_ID: &str = "secret/aws-access-key-id";

/// Whether `text` holds an AWS access key id, as the secrets family's detector reads it
/// (AWS's documentation keys such as `AKIAIOSFODNN7EXAMPLE` are placeholders, not keys).
pub fn has_aws_access_key_id(text: &str) -> bool {
    ENGINE
        .scan("", text.as_bytes())
        .iter()
        .any(|c| ENGINE.detectors[c.detector].meta.id == AWS_ACCESS_KEY_ID)
}

/// Whether `text` holds something shaped like an AWS access key id by the detector's own
/// pattern, documentation keys included: what configuration rules look for.
pub fn mentions_aws_access_key_id(text: &str) -> bool {
    ENGINE
        .detectors
        .iter()
        .filter(|d| d.meta.id == AWS_ACCESS_KEY_ID)
        .any(|d| d.regex().is_ok_and(|r| r.is_match(text.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_references_and_fillers() {
        assert!(is_literal_credential("\"Zt4q9Lk2Vw8xRm7pQ3\""));
        for not in [
            "",
            "${var.db_password}",
            "$DB_PASSWORD",
            "{{ .Values.password }}",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
            "/run/secrets/db",
            "<password>",
            "true",
            "changeme",
            "mock-password",
            "********",
        ] {
            assert!(!is_literal_credential(not), "{not}");
        }
    }

    #[test]
    fn aws_key_ids_as_the_detector_reads_them() {
        assert!(has_aws_access_key_id(
            "export AWS_ACCESS_KEY_ID=AKIAQ4LM2ZT7XW3NB5KD\n"
        ));
        assert!(!has_aws_access_key_id("AKIAIOSFODNN7EXAMPLE"));
        assert!(mentions_aws_access_key_id(
            "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
        ));
        assert!(!mentions_aws_access_key_id("AKIAIOSFODNN7EXAMPLEX"));
        assert!(is_literal("AKIAIOSFODNN7EXAMPLE"));
        assert!(!is_literal_credential("AKIAIOSFODNN7EXAMPLE"));
        assert!(!has_aws_access_key_id("AKIAQ4LM2ZT7XW3NB5KDX"));
        assert!(!has_aws_access_key_id("AKIA123"));
    }
}
