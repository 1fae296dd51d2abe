use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An ECS task definition that shares the host's network namespace: Terraform
    /// `aws_ecs_task_definition` `network_mode = "host"`, CloudFormation
    /// `AWS::ECS::TaskDefinition` `NetworkMode: host`.
    ///
    /// ## Why it matters
    /// With host networking the containers see and bind every interface of the container
    /// instance: they reach services listening only on localhost, the instance metadata
    /// service (and the instance role's credentials) without the hop limit that `awsvpc`
    /// and `bridge` modes put in the way, and security groups no longer separate tasks from
    /// each other.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "collector" {
    ///   family       = "collector"
    ///   network_mode = "host"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Use `awsvpc` (each task gets its own interface and security groups) or `bridge`,
    /// and publish only the ports the task serves:
    /// `network_mode = "awsvpc"`.
    ///
    /// ## References
    /// - CWE-653
    /// - [Amazon ECS: task networking](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking.html)
    pub static RULE = {
        id: "iac/ecs-task-host-network",
        code: "IAC161",
        title: "task definition shares the host network namespace",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let tasks = cx
        .of(&["aws_ecs_task_definition"])
        .into_iter()
        .map(|r| (r, r.at("network_mode")))
        .chain(
            cx.of(&["AWS::ECS::TaskDefinition"])
                .into_iter()
                .map(|r| (r, r.at("NetworkMode"))),
        );
    for (r, mode) in tasks {
        let Some(mode) = mode else { continue };
        if !mode.as_str().is_some_and(|m| m.eq_ignore_ascii_case("host")) {
            continue;
        }
        out.push(cx.at(&RULE, r, mode).message(format!(
            "task definition `{}` uses the `host` network mode, so its containers share the instance's network stack",
            r.addr
        )));
    }
}
