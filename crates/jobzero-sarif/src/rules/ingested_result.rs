use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

declare_rule! {
    /// ## What it finds
    /// A result reported by another tool (a SAST engine, a container scanner, a linter) in a
    /// SARIF 2.1.0 log: a `*.sarif` or `*.sarif.json` file in the scanned tree, or a log given
    /// with `--sarif FILE`. Each result becomes a finding whose id is
    /// `sarif/<tool>/<ruleId>`, keeping the tool's locations, message and rule help.
    ///
    /// Results of kind `pass`, `notApplicable` or `informational`, and results whose
    /// `baselineState` is `absent`, are not findings. Results the tool itself suppressed are
    /// counted as suppressed (`tool`).
    ///
    /// ## Why it matters
    /// An organisation runs many tools; a result that sits in one tool's log nobody opens is
    /// not a control. Ingesting them gives every result an owner, a deadline, a place in the
    /// launch gate and in the weekly review, with one fingerprint to deduplicate on.
    ///
    /// ## Example
    /// ```json
    /// {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Semgrep"}},
    ///   "results": [{"ruleId": "python.lang.security.audit.eval", "level": "error",
    ///     "message": {"text": "eval() on user input"},
    ///     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app.py"},
    ///       "region": {"startLine": 12}}}]}]}]}
    /// ```
    /// becomes `sarif/semgrep/python.lang.security.audit.eval` at `app.py:12`, severity high.
    ///
    /// Severity comes from the `security-severity` property of the result or its rule (a
    /// CVSS-like score: 9.0+ critical, 7.0+ high, 4.0+ medium, above 0 low), else from the
    /// level (`error` high, `warning` medium, `note` low, `none` info).
    ///
    /// ## Remediation
    /// Follow the producing tool's help for the rule; when the result is a false positive,
    /// suppress it in that tool or with a `jobzero: ignore[...]` comment or `[[ignore]]` entry
    /// that says why.
    ///
    /// ## References
    /// - [SARIF 2.1.0](https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html)
    /// - [GitHub code scanning SARIF support](https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning)
    pub static INGESTED_RESULT = {
        id: "sarif/ingested-result",
        code: "SARIF001",
        title: "result reported by another tool",
        family: Family::Sarif,
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        expectation: &expectation::CODE_ANALYSIS,
        dynamic_ids: true,
    }
}
