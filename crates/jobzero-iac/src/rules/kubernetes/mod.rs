//! Kubernetes workloads, RBAC and services.

rules! {
    privileged_container,
}
