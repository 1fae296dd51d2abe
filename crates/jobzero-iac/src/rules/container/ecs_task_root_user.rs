use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::ecs::{container_definitions, container_name, field};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An ECS container definition that explicitly runs as root: `user` set to `root` or `0`
    /// (also `root:…`, `0:…`) in Terraform `aws_ecs_task_definition` `container_definitions`
    /// or CloudFormation `AWS::ECS::TaskDefinition` `ContainerDefinitions[].User`.
    /// Containers without a `user` run as their image's user, which
    /// `iac/docker-root-user` checks in the Dockerfile.
    ///
    /// ## Why it matters
    /// A process that runs as root inside the container can rewrite the image's binaries,
    /// read every mounted secret, and is root on the host as soon as a kernel or runtime bug
    /// lets it out; setting it in the task definition overrides an image that was built to
    /// run unprivileged.
    ///
    /// ## Example
    /// ```hcl
    /// container_definitions = jsonencode([{
    ///   name  = "api"
    ///   image = "acme/api:1.4.2"
    ///   user  = "root"
    /// }])
    /// ```
    ///
    /// ## Remediation
    /// Run the container as an unprivileged user, by name or numeric id, and fix file
    /// ownership in the image rather than running as root:
    /// `user = "1000:1000"`.
    ///
    /// ## References
    /// - CWE-250
    /// - [Amazon ECS: container definition user](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_security)
    pub static RULE = {
        id: "iac/ecs-task-root-user",
        code: "IAC163",
        title: "container of an ECS task definition runs as root",
        family: Family::Iac,
        severity: Severity::Low,
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
            let Some(node) = field(c, "user") else { continue };
            let user = match (node.as_str(), node.as_num()) {
                (Some(s), _) => s.split(':').next().unwrap_or("").trim().to_owned(),
                (None, Some(n)) => n.to_string(),
                _ => continue,
            };
            if user != "root" && user != "0" {
                continue;
            }
            out.push(cx.at(&RULE, r, node).message(format!(
                "container `{}` of `{}` runs as `{user}`",
                container_name(c),
                r.addr
            )));
        }
    }
}
