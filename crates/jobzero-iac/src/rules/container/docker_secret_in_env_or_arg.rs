use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::instructions::env_pairs;
use jobzero_secrets::names::is_secret_name;
use jobzero_secrets::literal::{mentions_aws_access_key_id, is_literal};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Dockerfile `ENV` or `ARG` that gives a literal value to a secret-looking name
    /// (`…PASSWORD`, `…PASSWD`, `…SECRET…`, `…TOKEN`, `API_KEY`, `ACCESS_KEY`, `PRIVATE_KEY`,
    /// `…CREDENTIALS`), or any value shaped like an AWS access key id, in every syntax
    /// (`ENV A=1 B="x y"`, legacy `ENV A value`, `ARG A=default`). References to build
    /// arguments or variables (`$TOKEN`, `${TOKEN}`), empty values, and names that only
    /// point at a secret (`…_FILE`, `…_PATH`, `…_ARN`, `…_NAME`) are not reported.
    ///
    /// ## Why it matters
    /// `ENV` values are stored in the image configuration and `ARG` defaults in its build
    /// history: anyone who can pull the image reads them with `docker inspect` or
    /// `docker history`, and the value is also in the repository for every clone and fork.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV DATABASE_PASSWORD=s3cr3t-prod-pw
    /// ```
    ///
    /// ## Remediation
    /// Remove the value, rotate it, and inject the secret at run time (an orchestrator
    /// secret, a mounted file) or, when the build needs it, with a BuildKit secret mount:
    /// `RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci`.
    ///
    /// ## References
    /// - CWE-798
    /// - CIS Docker Benchmark 4.10
    /// - [Docker: build secrets](https://docs.docker.com/build/building/secrets/)
    pub static RULE = {
        id: "iac/docker-secret-in-env-or-arg",
        code: "IAC146",
        title: "secret hard-coded in a Dockerfile ENV or ARG",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::Medium,
        expectation: &expectation::SECRET_HARDCODED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(d) = cx.docker else { return };
    for i in d
        .instructions
        .iter()
        .filter(|i| i.keyword == "ENV" || i.keyword == "ARG")
    {
        for (key, value) in env_pairs(i) {
            let by_name = is_secret_name(&key) && is_literal(&value);
            if !by_name && !mentions_aws_access_key_id(&value) {
                continue;
            }
            // The value feeds neither the message nor the fingerprint.
            out.push(
                cx.instruction(&RULE, i)
                    .message(format!(
                        "`{} {key}` sets a hard-coded secret that ships in the image",
                        i.keyword
                    ))
                    .evidence(key.clone()),
            );
        }
    }
}
