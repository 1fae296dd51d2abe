//! The security expectations catalogue: non-negotiable baselines, each with a stable id.
//!
//! Every rule names exactly one expectation, and the weekly review reports compliance per
//! expectation and per team. Ids are permanent: an expectation is never renamed or reused.

use serde::Serialize;

/// A security expectation: a baseline every service must meet.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Expectation {
    /// Stable id, `JZ-` followed by an upper-case name (`JZ-ENC-REST`).
    pub id: &'static str,
    /// One line: what must be true.
    pub title: &'static str,
    /// What the expectation covers and how it is checked.
    pub description: &'static str,
    /// Why it is non-negotiable.
    pub rationale: &'static str,
}

macro_rules! expectations {
    ($($const:ident = $id:literal, $title:literal, $description:literal, $rationale:literal;)*) => {
        $(
            #[doc = $title]
            pub static $const: Expectation = Expectation {
                id: $id,
                title: $title,
                description: $description,
                rationale: $rationale,
            };
        )*
        /// The whole catalogue, in the order it is documented.
        pub static ALL: &[&Expectation] = &[$(&$const),*];
    };
}

expectations! {
    ENC_REST = "JZ-ENC-REST", "Data is encrypted at rest",
        "Every data store (object storage, volumes, databases, queues, caches, logs, backups) encrypts its data at rest, with a customer-managed key where the data is sensitive.",
        "A lost disk, a leaked snapshot or a misrouted backup must not expose customer data.";
    TLS = "JZ-TLS", "Data is encrypted in transit with TLS 1.2 or later",
        "Every listener, endpoint and client connection uses TLS 1.2 or above; plain HTTP redirects to HTTPS; stores refuse unencrypted connections.",
        "Anyone on the network path can read or change unencrypted traffic.";
    CRED_LONGTERM = "JZ-CRED-LONGTERM", "No long-term credentials",
        "Workloads and people use short-lived, federated credentials (roles, OIDC, instance profiles) instead of access keys and passwords stored in files or variables.",
        "A long-term key works for anyone who copies it, from anywhere, until someone notices.";
    IAM_LEASTPRIV = "JZ-IAM-LEASTPRIV", "Least privilege",
        "Identities, workflows and tokens get only the permissions their task needs: no wildcards on sensitive actions, no privilege-escalation paths, no write scopes left on by default.",
        "Every extra permission is blast radius when the identity is compromised.";
    MFA = "JZ-MFA", "Multi-factor authentication for people",
        "Human access to consoles, sensitive actions and role assumption requires MFA.",
        "Passwords are phished and reused; a second factor stops most account takeovers.";
    IMDSV2 = "JZ-IMDSV2", "Instance metadata requires IMDSv2",
        "Compute instances and launch templates require session tokens (IMDSv2) for the metadata service, with a hop limit that keeps containers out.",
        "IMDSv1 turns any server-side request forgery into stolen instance credentials.";
    LOG_AUDIT = "JZ-LOG-AUDIT", "Audit logging is on",
        "Control-plane audit trails (CloudTrail and equivalents), access logs and flow logs are on, tamper-evident, encrypted and retained.",
        "Without an audit trail an incident cannot be scoped, and nobody can prove what did not happen.";
    NET_EXPOSED = "JZ-NET-EXPOSED", "Nothing is exposed to the internet by accident",
        "Administrative and database ports are never open to 0.0.0.0/0 or ::/0; public endpoints are deliberate, behind a load balancer or gateway.",
        "Internet-wide scanners find an open SSH, RDP or database port within minutes.";
    DATA_PUBLIC = "JZ-DATA-PUBLIC", "No public data stores",
        "Buckets, databases, snapshots, search domains and their policies never grant access to anonymous principals or to any account.",
        "Public data stores are the most common source of large data breaches.";
    SECRET_HARDCODED = "JZ-SECRET-HARDCODED", "No secrets in code, configuration or history",
        "Credentials, tokens and private keys live in a secrets manager and are injected at run time; none is committed to a repository, baked into an image or printed in a log.",
        "A committed secret is readable by everyone with repository access, forever, in every clone and fork.";
    SUPPLY_VULN = "JZ-SUPPLY-VULN", "No known-vulnerable dependencies",
        "Third-party packages, images and actions carry no known vulnerability that affects the service, or the risk is accepted with an owner and an expiry.",
        "Known vulnerabilities are what attackers exploit first, often within days of disclosure.";
    SUPPLY_PIN = "JZ-SUPPLY-PIN", "Dependencies are pinned",
        "Builds use exact, immutable references: lockfiles, image digests, full commit SHAs for CI actions.",
        "A moving tag lets whoever controls it change what your pipeline runs, without a code review.";
    SUPPLY_SBOM = "JZ-SUPPLY-SBOM", "Every service has a software bill of materials",
        "Every service's components are inventoried from its lockfiles and images, so the organisation can answer where a package is used the day a vulnerability is published.",
        "You cannot patch what you do not know you run.";
    SUPPLY_SIGNED = "JZ-SUPPLY-SIGNED", "Artifacts are signed and publishing is trusted",
        "Releases are built in CI, signed, published with short-lived trusted-publishing credentials, and verified before deployment.",
        "An unsigned artifact can be replaced anywhere between the build and production.";
    WORKLOAD_HARDENED = "JZ-WORKLOAD-HARDENED", "Workloads run hardened",
        "Containers and pods run as non-root, without privilege escalation or added capabilities, with a read-only root filesystem and no host namespaces.",
        "A hardened workload turns a code-execution bug into a contained incident instead of a node compromise.";
    THREAT_MODEL = "JZ-THREAT-MODEL", "Design starts with a threat model",
        "Every service has a current threat model; each threat has a mitigation tracked to closure.",
        "Design flaws are the most expensive to fix after launch.";
    CODE_ANALYSIS = "JZ-CODE-ANALYSIS", "Code analysis findings are triaged before release",
        "Results of static analysis (jobzero's code family: untrusted data reaching dangerous calls, weak cryptography, disabled verification) and of other security tools ingested as SARIF are fixed or have their risk accepted before the service launches.",
        "A tool that runs but whose results nobody reads is not a control.";
}

/// Looks an expectation up by its id, case-insensitively.
pub fn find(id: &str) -> Option<&'static Expectation> {
    ALL.iter().copied().find(|e| e.id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = BTreeSet::new();
        for e in ALL {
            assert!(seen.insert(e.id), "duplicate expectation {}", e.id);
            assert!(e.id.starts_with("JZ-"), "{}", e.id);
            assert!(
                e.id[3..]
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                e.id
            );
            assert!(!e.title.is_empty() && !e.description.is_empty() && !e.rationale.is_empty());
        }
    }

    #[test]
    fn design_ids_are_all_present() {
        for id in [
            "JZ-ENC-REST",
            "JZ-TLS",
            "JZ-CRED-LONGTERM",
            "JZ-IAM-LEASTPRIV",
            "JZ-MFA",
            "JZ-IMDSV2",
            "JZ-LOG-AUDIT",
            "JZ-NET-EXPOSED",
            "JZ-DATA-PUBLIC",
            "JZ-SECRET-HARDCODED",
            "JZ-SUPPLY-VULN",
            "JZ-SUPPLY-PIN",
            "JZ-SUPPLY-SBOM",
            "JZ-SUPPLY-SIGNED",
            "JZ-WORKLOAD-HARDENED",
            "JZ-THREAT-MODEL",
        ] {
            assert!(find(id).is_some(), "{id} missing");
        }
        assert_eq!(find("jz-tls").map(|e| e.id), Some("JZ-TLS"));
    }
}
