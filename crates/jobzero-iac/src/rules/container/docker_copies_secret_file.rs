use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::instructions::{copy_args, is_remote};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Dockerfile `COPY` or `ADD` whose source is a credential file, or whose destination
    /// is a credential location: SSH private keys (`id_rsa`, `id_dsa`, `id_ecdsa`,
    /// `id_ed25519`), private keys and key stores (`*.key`, `*.pem`, `*.p12`, `*.pfx`,
    /// `*.jks`), `.env` files, package-manager and tool credentials (`.npmrc`, `.pypirc`,
    /// `.netrc`, `.git-credentials`, `.dockercfg`, `.htpasswd`, `credentials`,
    /// `credentials.json`), and the `.ssh`, `.aws`, `.gnupg`, `.kube` and `.docker`
    /// directories. Certificates and public keys (`ca.pem`, `cert.pem`, `*.pub`, `*.gpg.key`,
    /// keyrings) and template files (`.env.example`, `.env.sample`) are not reported.
    ///
    /// ## Why it matters
    /// A file copied into a layer stays in the image even if a later `RUN rm` deletes it:
    /// anyone who pulls the image extracts the key or token from the layer, and a deploy key
    /// or registry token found there opens the source code or the package registry.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY id_rsa /root/.ssh/id_rsa
    /// RUN git clone git@github.com:acme/private.git && rm /root/.ssh/id_rsa
    /// ```
    ///
    /// ## Remediation
    /// Do not copy credentials into the image; pass them to the one `RUN` that needs them
    /// with a BuildKit secret or SSH mount, and inject runtime secrets when the container
    /// starts:
    /// `RUN --mount=type=ssh git clone git@github.com:acme/private.git`.
    ///
    /// ## References
    /// - CWE-538
    /// - CWE-798
    /// - [Docker: build secrets](https://docs.docker.com/build/building/secrets/)
    pub static RULE = {
        id: "iac/docker-copies-secret-file",
        code: "IAC147",
        title: "credential file copied into the image",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::Medium,
        expectation: &expectation::SECRET_HARDCODED,
    }
}

/// File names that are credentials.
const SECRET_FILES: &[&str] = &[
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    ".env",
    ".npmrc",
    ".pypirc",
    ".netrc",
    "_netrc",
    ".git-credentials",
    ".dockercfg",
    ".htpasswd",
    "credentials",
    "credentials.json",
    ".pgpass",
    ".my.cnf",
    "service-account.json",
    "kubeconfig",
];

/// Directories whose content is credentials.
const SECRET_DIRS: &[&str] = &[".ssh", ".aws", ".gnupg", ".kube", ".docker"];

/// Endings of private keys and key stores.
const KEY_ENDINGS: &[&str] = &[".key", ".pem", ".p12", ".pfx", ".jks", ".keystore", ".ppk"];

/// Words in a key file's name that say it is public (a certificate, a CA, a signing key's
/// public half).
const PUBLIC_HINTS: &[&str] = &[
    "cert", "crt", "chain", "bundle", "root", "ca.", "ca-", "ca_", "-ca", "_ca", "pub", "gpg",
    "pgp", "keyring", "trust", "asc",
];

/// Why `path` is a credential, if it is one.
fn secret_path(path: &str) -> Option<&'static str> {
    let trimmed = path.trim_end_matches('/');
    let parts: Vec<&str> = trimmed.split('/').collect();
    let name = parts.last().copied().unwrap_or("").to_ascii_lowercase();
    if parts
        .iter()
        .any(|p| SECRET_DIRS.contains(&p.to_ascii_lowercase().as_str()))
    {
        return Some("a credentials directory");
    }
    if SECRET_FILES.contains(&name.as_str()) {
        return Some("a credential file");
    }
    if let Some(suffix) = name.strip_prefix(".env.") {
        if !["example", "sample", "template", "dist", "defaults", "default", "tpl", "in"]
            .contains(&suffix)
        {
            return Some("an environment file");
        }
        return None;
    }
    if KEY_ENDINGS.iter().any(|e| name.ends_with(e))
        && !PUBLIC_HINTS.iter().any(|h| name.contains(h))
    {
        return Some("a private key or key store");
    }
    None
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(d) = cx.docker else { return };
    for i in d
        .instructions
        .iter()
        .filter(|i| i.keyword == "COPY" || i.keyword == "ADD")
    {
        let (sources, dest) = copy_args(i);
        let hit = sources
            .iter()
            .filter(|s| !is_remote(s))
            .find_map(|s| secret_path(s).map(|why| (s.clone(), why)))
            .or_else(|| {
                let dest = dest?;
                // A directory destination keeps the sources' names, already checked.
                if dest.ends_with('/') && !dest.contains("/.ssh/") && !dest.contains("/.aws/") {
                    return None;
                }
                secret_path(&dest).map(|why| (dest.clone(), why))
            });
        let Some((path, why)) = hit else { continue };
        out.push(cx.instruction(&RULE, i).message(format!(
            "`{} {path}` puts {why} into an image layer, where it stays even if deleted later",
            i.keyword
        )));
    }
}
