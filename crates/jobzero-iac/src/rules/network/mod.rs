//! Network exposure, TLS, instance metadata, audit logging, credentials and policies.

rules! {
    security_group_open_admin_port,
}
