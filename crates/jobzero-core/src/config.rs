//! `jobzero.toml`: discovered upwards from the scanned path, or given with `--config`.
//!
//! Unknown keys and wrong types are errors that name the file, the line and the key: a
//! misspelt setting that is silently ignored is a security control that silently is not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::severity::{FailOn, Severity};

/// The file name looked for in the scanned directory and its ancestors.
pub const FILE_NAME: &str = "jobzero.toml";

/// Default size above which a file is skipped (and counted), in bytes.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// The whole configuration file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// `[scan]`: what to scan and when to fail.
    #[serde(default)]
    pub scan: ScanConfig,
    /// `[service]`: what the scanned code is, which feeds effective severity.
    #[serde(default)]
    pub service: ServiceConfig,
    /// `[rules]`: switch rules off, change their severities.
    #[serde(default)]
    pub rules: RulesConfig,
    /// `[[ignore]]`: suppress findings by rule and path glob, with a reason.
    #[serde(default)]
    pub ignore: Vec<IgnoreEntry>,
    /// `[hub]`: where findings are uploaded.
    #[serde(default)]
    pub hub: HubConfig,
    /// `[secrets]`: allowlists of the secrets family.
    #[serde(default)]
    pub secrets: SecretsConfig,
    /// `[deps]`: the deps family.
    #[serde(default)]
    pub deps: DepsConfig,
    /// `[pipeline]`: the pipeline family.
    #[serde(default)]
    pub pipeline: PipelineConfig,
    /// `[iam]`: the IAM family.
    #[serde(default)]
    pub iam: IamConfig,
    /// `[code]`: the code family.
    #[serde(default)]
    pub code: CodeConfig,
}

/// `[code]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CodeConfig {
    /// Rule and source files of the organisation's own frameworks (the format of the
    /// shipped ones, see `docs/code.md`), relative to the configuration file.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
}

/// `[iam]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct IamConfig {
    /// Sensitive actions must be allowed only with MFA (`aws:MultiFactorAuthPresent`):
    /// `true` for jobzero's list (permissions management, and deleting or disabling
    /// what cannot be brought back), or a list of action patterns (`["iam:*",
    /// "s3:DeleteBucket"]`). Off by default.
    #[serde(default)]
    pub require_mfa: RequireMfa,
    /// The organisation's own accounts (12-digit ids). With them, `iam/public-access`
    /// reports a resource policy that grants any other account (external access), not only
    /// grants beyond the accounts the policy names.
    #[serde(default)]
    pub accounts: Vec<String>,
    /// The organisation's ids (`o-...`) or paths, trusted in `aws:PrincipalOrgID` conditions
    /// (default: any organisation a policy names).
    #[serde(default)]
    pub organizations: Vec<String>,
}

/// `require-mfa = true | false | ["action", ...]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum RequireMfa {
    /// On with the built-in list, or off.
    Flag(bool),
    /// On for these action patterns.
    Actions(Vec<String>),
}

impl Default for RequireMfa {
    fn default() -> Self {
        RequireMfa::Flag(false)
    }
}

/// `[pipeline]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PipelineConfig {
    /// How `uses:` must be pinned, by `owner/repo`, `owner/*` or `*` (the most specific
    /// pattern wins): `hash` (a full commit SHA, the default for everything), `ref` (any
    /// tag or branch is accepted) or `any`.
    #[serde(default)]
    pub pin: BTreeMap<String, PinPolicy>,
    /// Actions no workflow may use, as `owner/repo` or `owner/*`.
    #[serde(default)]
    pub forbid: Vec<String>,
}

/// How an action must be pinned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PinPolicy {
    /// A full commit SHA.
    Hash,
    /// A tag, a branch or a SHA: only a missing ref is reported.
    Ref,
    /// Not checked.
    Any,
}

/// `[deps]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DepsConfig {
    /// Warn when the newest advisory in the database is older than this many days
    /// (default 7): an old database reports old vulnerabilities only.
    pub max_advisory_age_days: Option<u32>,
}

/// `[secrets]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SecretsConfig {
    /// Regexes: a candidate secret matching one is not reported (known test values).
    #[serde(default)]
    pub allow: Vec<String>,
    /// Path globs where secrets are not looked for (fixtures of a secrets scanner).
    #[serde(default)]
    pub allow_paths: Vec<String>,
    /// Key of the keyed hash that fingerprints a secret. Set one per organisation so that a
    /// fingerprint cannot be used to confirm a guessed secret.
    pub fingerprint_key: Option<String>,
    /// `[secrets.verify]`: what `scan --verify` may ask issuers.
    #[serde(default)]
    pub verify: VerifyConfig,
}

/// `[secrets.verify]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct VerifyConfig {
    /// The providers whose issuers `--verify` may send a secret to (`github`, `slack`, ...;
    /// `jobzero rules list --family secrets` shows which detectors verify); absent means every
    /// provider jobzero can verify.
    pub providers: Option<Vec<String>>,
    /// Seconds the whole verification may take after the scan (default 20); what is not
    /// decided by then is `unknown`.
    pub timeout: Option<u64>,
}

/// `[scan]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScanConfig {
    /// Threshold for exit code 1 (`--fail-on` wins).
    pub fail_on: Option<FailOn>,
    /// Globs, relative to the scanned directory, of paths never scanned.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are skipped and counted.
    pub max_file_size: Option<u64>,
}

/// How reachable a service is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Exposure {
    /// Reachable from the internet.
    Internet,
    /// Reachable only from inside the organisation's networks.
    Internal,
}

/// How sensitive the data a service handles is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DataClassification {
    /// Published anyway.
    Public,
    /// Internal, not sensitive.
    Internal,
    /// Customer or business data.
    Confidential,
    /// Regulated or secret data (payment, health, credentials).
    Restricted,
}

/// `[service]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServiceConfig {
    /// Service name, stamped on every finding (`--service` wins).
    pub name: Option<String>,
    /// Repository URL or name.
    pub repository: Option<String>,
    /// Internet-facing or internal.
    pub exposure: Option<Exposure>,
    /// The most sensitive data the service handles.
    pub data_classification: Option<DataClassification>,
}

/// `[rules]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RulesConfig {
    /// Rule ids or codes that do not run. Their findings are counted as `rule-disabled`.
    #[serde(default)]
    pub disable: Vec<String>,
    /// New base severities by rule id or code.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

/// One `[[ignore]]` entry. Matching findings are suppressed and counted as `config`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct IgnoreEntry {
    /// Rule id or code; absent means every rule.
    pub rule: Option<String>,
    /// Path globs relative to the scanned directory; absent means every path.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Why: shown in reviews and required, so that every suppression is explained.
    pub reason: String,
}

/// `[hub]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HubConfig {
    /// Base URL of the findings hub.
    pub url: Option<String>,
}

/// A configuration file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: cannot read configuration: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or has an unknown key or a wrong type.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line of the offending key or value.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, naming the key.
        message: String,
    },
}

/// A loaded configuration and where it came from.
#[derive(Debug, Clone, Default)]
pub struct LoadedConfig {
    /// The parsed settings.
    pub config: Config,
    /// The file, when one was found.
    pub path: Option<PathBuf>,
    /// The file's text, kept to point at lines in later validation errors.
    pub source: String,
}

/// Whether `s` is an AWS account id: twelve digits.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.chars().all(|c| c.is_ascii_digit())
}

impl LoadedConfig {
    /// An error about `needle` (a rule id, a glob) at the line where it first appears.
    pub fn error_at(&self, needle: &str, message: impl Into<String>) -> ConfigError {
        let quoted = format!("\"{needle}\"");
        let (line, column) = self
            .source
            .lines()
            .enumerate()
            .find_map(|(i, l)| {
                l.find(&quoted)
                    .or_else(|| l.find(needle))
                    .map(|c| (i + 1, c + 1))
            })
            .unwrap_or((1, 1));
        ConfigError::Invalid {
            path: self
                .path
                .clone()
                .unwrap_or_else(|| PathBuf::from(FILE_NAME)),
            line,
            column,
            message: message.into(),
        }
    }
}

impl Config {
    /// Parses the text of a configuration file; `path` is used in error messages only.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |span| line_column(text, span.start));
            ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                message: e.message().trim_end_matches('\n').to_owned(),
            }
        })
    }

    /// Reads and parses a configuration file.
    pub fn load(path: &Path) -> Result<LoadedConfig, ConfigError> {
        let source = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut config = Config::parse(&source, path)?;
        // Paths in the file are relative to it, wherever jobzero runs from.
        if let Some(dir) = path.parent() {
            for rule in &mut config.code.rules {
                if rule.is_relative() {
                    *rule = dir.join(&*rule);
                }
            }
        }
        Ok(LoadedConfig {
            config,
            path: Some(path.to_owned()),
            source,
        })
    }

    /// The nearest `jobzero.toml` in `start` (a directory or a file's directory) or any of
    /// its ancestors.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_owned());
        let dir = if start.is_dir() {
            start.as_path()
        } else {
            start.parent()?
        };
        dir.ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|candidate| candidate.is_file())
    }
}

/// 1-based line and column of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(before.chars().count(), |nl| {
        before[nl + 1..].chars().count()
    }) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("dir/jobzero.toml"))
    }

    #[test]
    fn full_example_parses() {
        let c = parse(
            r#"
[scan]
fail-on = "medium"
exclude = ["vendor/**"]
max-file-size = 1000

[service]
name = "payments"
exposure = "internet"
data-classification = "restricted"

[rules]
disable = ["SARIF001"]
severity = { "sarif/result" = "low" }

[[ignore]]
rule = "sarif/result"
paths = ["tests/**"]
reason = "fixtures"

[hub]
url = "http://127.0.0.1:8080"
"#,
        )
        .unwrap();
        assert_eq!(c.scan.fail_on, Some(FailOn::At(Severity::Medium)));
        assert_eq!(c.service.exposure, Some(Exposure::Internet));
        assert_eq!(
            c.service.data_classification,
            Some(DataClassification::Restricted)
        );
        assert_eq!(c.rules.severity.get("sarif/result"), Some(&Severity::Low));
        assert_eq!(c.ignore[0].paths, vec!["tests/**".to_owned()]);
        assert_eq!(c.scan.fail_on, "medium".parse().ok());
        assert_eq!(
            parse("[scan]\nfail-on = \"never\"\n").unwrap().scan.fail_on,
            Some(FailOn::Never)
        );
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let err = parse("[scan]\nfail-on = \"high\"\nexlude = [\"x\"]\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("dir/jobzero.toml:3:1: "), "{msg}");
        assert!(msg.contains("exlude"), "{msg}");
    }

    #[test]
    fn wrong_type_names_line() {
        let err = parse("[service]\nname = \"a\"\nexposure = 3\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("dir/jobzero.toml:3:"), "{msg}");
        let err = parse("[scan]\nfail-on = \"severe\"\n").unwrap_err();
        assert!(err.to_string().starts_with("dir/jobzero.toml:2:"), "{err}");
    }

    #[test]
    fn syntax_error_has_a_line() {
        let err = parse("[scan\n").unwrap_err();
        assert!(err.to_string().starts_with("dir/jobzero.toml:1:"), "{err}");
    }

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab", 99), (1, 3));
    }

    #[test]
    fn discovery_walks_upwards() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        let found = Config::discover(&dir.path().join("a/b")).unwrap();
        assert_eq!(
            found,
            std::fs::canonicalize(dir.path()).unwrap().join(FILE_NAME)
        );
    }
}
