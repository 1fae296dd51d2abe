//! Dockerfiles, hard-coded secrets in infrastructure code, and pinning.

rules! {
    docker_root_user,
}
