use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::ecs::{container_definitions, container_name, field};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An ECS container definition whose root filesystem is writable: no
    /// `readonlyRootFilesystem`, or `readonlyRootFilesystem = false`, in Terraform
    /// `aws_ecs_task_definition` `container_definitions` or CloudFormation
    /// `AWS::ECS::TaskDefinition` `ContainerDefinitions[].ReadonlyRootFilesystem`.
    /// Windows task definitions (`runtime_platform.operating_system_family = "WINDOWS_…"`),
    /// which do not support the setting, are not reported.
    ///
    /// ## Why it matters
    /// A writable root filesystem lets an attacker who gets code execution in the container
    /// modify the application's code and configuration, drop tools and persist until the
    /// task is replaced; a read-only one limits writes to the volumes meant for data.
    ///
    /// ## Example
    /// ```hcl
    /// container_definitions = jsonencode([{
    ///   name  = "api"
    ///   image = "acme/api:1.4.2"
    /// }])
    /// ```
    ///
    /// ## Remediation
    /// Set `readonlyRootFilesystem = true` and give the paths the application writes to
    /// (`/tmp`, caches) their own volumes or bind mounts:
    /// `readonlyRootFilesystem = true, mountPoints = [{ sourceVolume = "tmp", containerPath = "/tmp" }]`.
    ///
    /// ## References
    /// - CWE-732
    /// - [Amazon ECS: readonlyRootFilesystem](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_storage)
    /// - Checkov CKV_AWS_336
    pub static RULE = {
        id: "iac/ecs-task-writable-root-fs",
        code: "IAC164",
        title: "container of an ECS task definition has a writable root filesystem",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_ecs_task_definition", "AWS::ECS::TaskDefinition"]) {
        let os = r
            .str_at("runtime_platform.operating_system_family")
            .or_else(|| r.str_at("RuntimePlatform.OperatingSystemFamily"))
            .unwrap_or("");
        if os.to_ascii_uppercase().starts_with("WINDOWS") {
            continue;
        }
        let Some(defs) = container_definitions(r) else {
            continue;
        };
        for c in defs.items() {
            match field(c, "readonlyRootFilesystem") {
                None => out.push(cx.at(&RULE, r, c).message(format!(
                    "container `{}` of `{}` does not set `readonlyRootFilesystem`, so its root filesystem is writable",
                    container_name(c),
                    r.addr
                ))),
                Some(n) if n.as_bool() == Some(false) => {
                    out.push(cx.at(&RULE, r, n).message(format!(
                        "container `{}` of `{}` sets `readonlyRootFilesystem` to `false`",
                        container_name(c),
                        r.addr
                    )));
                }
                Some(_) => {}
            }
        }
    }
}
