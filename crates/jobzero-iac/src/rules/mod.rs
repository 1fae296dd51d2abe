//! The family's rules, one per file, in four groups: data stores (encryption, public
//! access), network and identity (exposure, TLS, metadata, logging, credentials, policies),
//! Kubernetes workloads, and containers and supply chain (Dockerfiles, hard-coded secrets,
//! pinning).

use std::sync::LazyLock;

use jobzero_core::RuleMeta;

use crate::audit::{Cx, Out};

/// A rule's check.
type Check = fn(&Cx<'_>, &mut Out);

/// Declares a group's rule modules, its `RULES` and its `CHECKS`, in the order given. Each
/// module defines `pub static RULE` (with `declare_rule!`) and `pub(crate) fn check`.
macro_rules! rules {
    ($($m:ident),* $(,)?) => {
        $(mod $m;)*
        /// The group's rules, in code order.
        pub static RULES: &[&jobzero_core::RuleMeta] = &[$(&$m::RULE),*];
        /// The group's checks, in the order of [`RULES`].
        pub(crate) const CHECKS: &[super::Check] = &[$($m::check),*];
    };
}

pub mod cloud;
pub mod container;
pub mod kubernetes;
pub mod network;
pub mod storage;

/// Every rule of the family.
pub static RULES: LazyLock<Vec<&'static RuleMeta>> = LazyLock::new(|| {
    [
        storage::RULES,
        network::RULES,
        kubernetes::RULES,
        container::RULES,
        cloud::RULES,
    ]
    .concat()
});

/// Runs every rule on one file.
pub fn check_all(cx: &Cx<'_>, out: &mut Out) {
    for check in storage::CHECKS
        .iter()
        .chain(network::CHECKS)
        .chain(kubernetes::CHECKS)
        .chain(container::CHECKS)
        .chain(cloud::CHECKS)
    {
        check(cx, out);
    }
}
