use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

declare_rule! {
    /// ## What it finds
    /// A hard-coded secret reported by another tool in a SARIF 2.1.0 log: any result of a
    /// secrets scanner (Gitleaks, TruffleHog, detect-secrets, Kingfisher, ggshield,
    /// secretlint, Nosey Parker), or a result whose rule id, name or tags speak of a secret,
    /// password, credential, token or key. The finding id is `sarif/<tool>/<ruleId>`.
    ///
    /// The snippet is always replaced by `[redacted]`, and the snippet's text is removed from
    /// the message, so the secret never reaches jobzero's outputs or the hub.
    ///
    /// ## Why it matters
    /// A secret found by a separate tool is still a secret in the repository: it belongs to
    /// the `JZ-SECRET-HARDCODED` expectation, with the same owner, deadline and launch gate as
    /// the ones jobzero finds itself.
    ///
    /// ## Example
    /// ```json
    /// {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "gitleaks"}},
    ///   "results": [{"ruleId": "aws-access-token", "message": {"text": "secret in config.py"},
    ///     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "config.py"},
    ///       "region": {"startLine": 3, "snippet": {"text": "AKIA..."}}}}]}]}]}
    /// ```
    /// becomes `sarif/gitleaks/aws-access-token` at `config.py:3` with the snippet redacted.
    ///
    /// When the tool gives neither a level nor a `security-severity`, the severity is high.
    ///
    /// ## Remediation
    /// Revoke and rotate the credential first (it is compromised from the moment it was
    /// pushed), then move it to a secrets manager and remove it from the file; rewriting
    /// history does not undo the exposure.
    ///
    /// ## References
    /// - CWE-798
    /// - [OWASP Secrets Management Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html)
    pub static INGESTED_SECRET = {
        id: "sarif/ingested-secret",
        code: "SARIF002",
        title: "secret reported by another tool",
        family: Family::Sarif,
        severity: Severity::High,
        confidence: Confidence::Medium,
        expectation: &expectation::SECRET_HARDCODED,
        dynamic_ids: true,
    }
}
