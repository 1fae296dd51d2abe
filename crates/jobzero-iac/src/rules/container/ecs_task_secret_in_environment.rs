use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::ecs::{container_definitions, container_name, field};
use jobzero_secrets::names::is_secret_name;
use jobzero_secrets::literal::{mentions_aws_access_key_id, is_literal};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// An ECS container definition whose plain `environment` holds a literal secret: a
    /// secret-looking name (`…PASSWORD`, `…SECRET…`, `…TOKEN`, `API_KEY`, `PRIVATE_KEY`) with
    /// a literal value, or any value shaped like an AWS access key id. Terraform
    /// `aws_ecs_task_definition` `container_definitions` (a `jsonencode(...)` list or a JSON
    /// string); CloudFormation `AWS::ECS::TaskDefinition` `ContainerDefinitions[].Environment`.
    /// Entries under `secrets` (which reference Secrets Manager or SSM) are the fix, not a
    /// finding; definitions read from files are not analysed.
    ///
    /// ## Why it matters
    /// Task definition environment values are plain text for anyone allowed
    /// `ecs:DescribeTaskDefinition`, stay in every revision of the task definition forever,
    /// and are in the repository and the state; the container also exposes them to every
    /// process and crash dump.
    ///
    /// ## Example
    /// ```hcl
    /// container_definitions = jsonencode([{
    ///   name        = "api"
    ///   image       = "acme/api:1.4.2"
    ///   environment = [{ name = "DB_PASSWORD", value = "Orders-Pr0d-2024!" }]
    /// }])
    /// ```
    ///
    /// ## Remediation
    /// Move the value to Secrets Manager or SSM Parameter Store and reference it from the
    /// container's `secrets` list, which ECS injects at start-up:
    /// `secrets = [{ name = "DB_PASSWORD", valueFrom = aws_secretsmanager_secret.db.arn }]`.
    ///
    /// ## References
    /// - CWE-798
    /// - CWE-526
    /// - [Amazon ECS: pass sensitive data to a container](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html)
    pub static RULE = {
        id: "iac/ecs-task-secret-in-environment",
        code: "IAC158",
        title: "secret hard-coded in an ECS container environment",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::Medium,
        expectation: &expectation::SECRET_HARDCODED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_ecs_task_definition", "AWS::ECS::TaskDefinition"]) {
        let Some(defs) = container_definitions(r) else {
            continue;
        };
        for c in defs.items() {
            let entries = field(c, "environment").map(Node::items).unwrap_or_default();
            for e in entries {
                let (Some(name), Some(value)) = (
                    field(e, "name").and_then(Node::as_str),
                    field(e, "value"),
                ) else {
                    continue;
                };
                let Some(text) = value.as_str() else { continue };
                let by_name = is_secret_name(name) && is_literal(text);
                if !by_name && !mentions_aws_access_key_id(text) {
                    continue;
                }
                out.push(cx.at(&RULE, r, value).message(format!(
                    "container `{}` of `{}` sets `{name}` to a hard-coded secret in its plain environment",
                    container_name(c),
                    r.addr
                )));
            }
        }
    }
}
