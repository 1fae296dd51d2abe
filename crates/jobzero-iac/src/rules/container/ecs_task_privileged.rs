use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::ecs::{container_definitions, container_name, field};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An ECS container definition with `privileged` set to `true`: Terraform
    /// `aws_ecs_task_definition` `container_definitions` (a `jsonencode(...)` list or a JSON
    /// string), CloudFormation `AWS::ECS::TaskDefinition` `ContainerDefinitions[].Privileged`.
    ///
    /// ## Why it matters
    /// A privileged container has every capability and every device of the host: a process
    /// that gets code execution in it mounts the host's disks, loads kernel modules and takes
    /// over the container instance, and with it every other task and the instance role's
    /// credentials.
    ///
    /// ## Example
    /// ```hcl
    /// container_definitions = jsonencode([{
    ///   name       = "agent"
    ///   image      = "acme/agent:2.1.0"
    ///   privileged = true
    /// }])
    /// ```
    ///
    /// ## Remediation
    /// Remove `privileged` and grant only the capabilities the container needs with
    /// `linuxParameters.capabilities.add` (and devices with `linuxParameters.devices`):
    /// `linuxParameters = { capabilities = { add = ["NET_ADMIN"], drop = ["ALL"] } }`.
    ///
    /// ## References
    /// - CWE-250
    /// - [Amazon ECS: container definition privileged](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_security)
    /// - Checkov CKV_AWS_334
    pub static RULE = {
        id: "iac/ecs-task-privileged",
        code: "IAC160",
        title: "container of an ECS task definition runs privileged",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_ecs_task_definition", "AWS::ECS::TaskDefinition"]) {
        let Some(defs) = container_definitions(r) else {
            continue;
        };
        for c in defs.items() {
            let Some(p) = field(c, "privileged") else { continue };
            if p.as_bool() != Some(true) {
                continue;
            }
            out.push(cx.at(&RULE, r, p).message(format!(
                "container `{}` of `{}` runs with `privileged = true`, with every capability and device of the host",
                container_name(c),
                r.addr
            )));
        }
    }
}
