use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An ECS task definition that shares the host's process or IPC namespace: Terraform
    /// `aws_ecs_task_definition` `pid_mode = "host"` or `ipc_mode = "host"`, CloudFormation
    /// `AWS::ECS::TaskDefinition` `PidMode: host` or `IpcMode: host`.
    ///
    /// ## Why it matters
    /// With the host's PID namespace a container sees every process of the container
    /// instance, reads their environment and command lines (secrets of other tasks and of the
    /// ECS agent), and can signal or trace them; with the host's IPC namespace it reads and
    /// writes their shared memory.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "monitor" {
    ///   family   = "monitor"
    ///   pid_mode = "host"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Remove `pid_mode`/`ipc_mode`, or use `task` to share a namespace only between the
    /// containers of the same task:
    /// `pid_mode = "task"`.
    ///
    /// ## References
    /// - CWE-653
    /// - [Amazon ECS: task definition pidMode](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#other_task_definition_params)
    /// - Checkov CKV_AWS_335
    pub static RULE = {
        id: "iac/ecs-task-host-process-namespace",
        code: "IAC162",
        title: "task definition shares the host process or IPC namespace",
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
        .map(|r| (r, [("pid_mode", "PID"), ("ipc_mode", "IPC")]))
        .chain(
            cx.of(&["AWS::ECS::TaskDefinition"])
                .into_iter()
                .map(|r| (r, [("PidMode", "PID"), ("IpcMode", "IPC")])),
        );
    for (r, keys) in tasks {
        for (key, what) in keys {
            let Some(mode) = r.at(key) else { continue };
            if !mode.as_str().is_some_and(|m| m.eq_ignore_ascii_case("host")) {
                continue;
            }
            out.push(cx.at(&RULE, r, mode).message(format!(
                "task definition `{}` sets `{key}` to `host`, sharing the instance's {what} namespace with its containers",
                r.addr
            )));
        }
    }
}
