//! Where a secret sits and what it looks like, for how sure a finding is: values in test
//! and fixture files and obvious demo values are reported with low confidence (not dropped:
//! real keys are committed to tests too), and a generic finding names what made it fire.

/// Directory names that hold tests, fixtures and mocks.
const TEST_DIRS: [&str; 14] = [
    "test",
    "tests",
    "__tests__",
    "spec",
    "specs",
    "fixture",
    "fixtures",
    "testdata",
    "test-data",
    "test_data",
    "mocks",
    "__mocks__",
    "testing",
    "e2e",
];

/// Whether `path` (a display path, `/`-separated) is a test, fixture or mock file: in a
/// directory named so, or named as test runners name tests (`test_x.py`, `x_test.go`,
/// `x.spec.ts`, `XTest.java`, `x_spec.rb`, `conftest.py`).
pub fn is_test_path(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split('/').collect();
    let name = parts.pop().unwrap_or_default();
    if parts
        .iter()
        .any(|p| TEST_DIRS.contains(&p.to_ascii_lowercase().as_str()))
    {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    let stem = lower.split('.').next().unwrap_or_default();
    lower == "conftest.py"
        || stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("_spec")
        || lower.contains(".test.")
        || lower.contains(".spec.")
        || (name.ends_with("Test.java")
            || name.ends_with("Tests.java")
            || name.ends_with("Test.kt"))
}

/// Passwords people type in examples and tests, whole or before a short suffix of digits and
/// punctuation (`password123!`).
const DEMO_STEMS: [&str; 24] = [
    "password",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "pass",
    "secret",
    "s3cr3t",
    "supersecret",
    "topsecret",
    "mysecret",
    "mypassword",
    "hunter",
    "test",
    "testing",
    "testpass",
    "testpassword",
    "demo",
    "admin",
    "letmein",
    "qwerty",
    "abc",
    "foobar",
    "welcome",
    "changeit",
];

/// Whether `value` is an obvious demo value: one of the stems, any case, with at most a few
/// trailing digits or punctuation marks (`Password123!`, `hunter2`, `test1234`).
pub fn is_demo_value(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || "!?#.*_-".contains(c));
    let suffix = lower.len() - stem.len();
    suffix <= 6 && DEMO_STEMS.contains(&stem)
}

/// The name a value is assigned to, from the text before it on its line: `DB_PASSWORD` of
/// `DB_PASSWORD="x"`, `password` of `"password": "x"`, `db.password` of `db.password: x`.
pub fn assigned_name(before: &str) -> Option<&str> {
    let trimmed = before.trim_end().trim_end_matches(['"', '\'']).trim_end();
    let trimmed = trimmed
        .strip_suffix(":=")
        .or_else(|| trimmed.strip_suffix("=>"))
        .or_else(|| trimmed.strip_suffix('='))
        .or_else(|| trimmed.strip_suffix(':'))?
        .trim_end()
        .trim_end_matches(['"', '\'', ']']);
    let start = trimmed
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || "_.-".contains(c)))
        .map_or(0, |i| i + 1);
    let name = &trimmed[start..];
    (!name.is_empty()).then_some(name)
}

/// The name of a name/value entry whose value is at the end of `before` (the text before the
/// value, a few lines of it): `API_TOKEN` of `{"name": "API_TOKEN", "value": "`.
pub fn entry_name(before: &str) -> Option<&str> {
    let at = before.to_ascii_lowercase().rfind("name")?;
    let rest = &before[at + 4..];
    let rest = rest.trim_start_matches(['"', '\'']).trim_start();
    let rest = rest.strip_prefix(['=', ':'])?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || "_.-".contains(c)))
        .unwrap_or(rest.len());
    let name = &rest[..end];
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_paths() {
        for p in [
            "tests/test_login.py",
            "src/app/__tests__/auth.js",
            "pkg/auth/auth_test.go",
            "web/login.spec.ts",
            "src/test/java/com/acme/LoginTest.java",
            "spec/models/user_spec.rb",
            "conftest.py",
            "internal/testdata/config.yaml",
        ] {
            assert!(is_test_path(p), "{p}");
        }
        for p in [
            "src/app.py",
            "config/prod.env",
            "attestation/keys.go",
            "contest/app.py",
        ] {
            assert!(!is_test_path(p), "{p}");
        }
    }

    #[test]
    fn demo_values() {
        for v in [
            "password123",
            "Password1!",
            "hunter2",
            "test1234",
            "P@ssw0rd",
            "secret",
        ] {
            assert!(is_demo_value(v), "{v}");
        }
        for v in [
            "kJ8#mQ2$vL9xR4tZ",
            "passwordmanager",
            "s3cr3t-prod-9f8e1c",
            "test123456789",
        ] {
            assert!(!is_demo_value(v), "{v}");
        }
    }

    #[test]
    fn names_before_values() {
        assert_eq!(assigned_name("DB_PASSWORD=\""), Some("DB_PASSWORD"));
        assert_eq!(assigned_name("  \"password\": \""), Some("password"));
        assert_eq!(assigned_name("db.password: "), Some("db.password"));
        assert_eq!(assigned_name("$conf['pass'] => '"), Some("pass"));
        assert_eq!(assigned_name("token := \""), Some("token"));
        assert_eq!(assigned_name("no assignment "), None);
        assert_eq!(
            entry_name("{\"name\": \"API_TOKEN\", \"value\": \""),
            Some("API_TOKEN")
        );
        assert_eq!(
            entry_name("- name: DB_PASSWORD\n  value: "),
            Some("DB_PASSWORD")
        );
        assert_eq!(entry_name("value: "), None);
    }
}
