//! The family's rules, one per file, in four groups: data stores (encryption, public
//! access), network and identity (exposure, TLS, metadata, logging, credentials, policies),
//! Kubernetes workloads, and containers and supply chain (Dockerfiles, hard-coded secrets,
//! pinning).

use std::sync::LazyLock;

use jobzero_core::RuleMeta;
use jobzero_core::check::{Rule, Sink, metas};

use crate::audit::Cx;

/// A rule's check.
pub(crate) type Check = fn(&Cx<'_>, &mut Sink);

pub mod cloud;
pub mod container;
pub mod kubernetes;
pub mod network;
pub mod storage;

/// The groups, in the order their rules are registered and run.
const GROUPS: [&[Rule<Check>]; 5] = [
    storage::RULES,
    network::RULES,
    kubernetes::RULES,
    container::RULES,
    cloud::RULES,
];

/// Every rule of the family.
pub static RULES: LazyLock<Vec<&'static RuleMeta>> =
    LazyLock::new(|| GROUPS.iter().flat_map(|g| metas(g)).collect());

/// Runs every rule on one file.
pub fn check_all(cx: &Cx<'_>, out: &mut Sink) {
    for rule in GROUPS.iter().flat_map(|g| g.iter()) {
        (rule.check)(cx, out);
    }
}
