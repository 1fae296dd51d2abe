//! A detector's `[verify]` table: how `scan --verify` asks the issuer about a secret (the
//! asking itself is in the `verify` module).

use std::collections::BTreeMap;

use serde::Deserialize;

/// How to ask an issuer about a secret, in a detector's `[verify]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifySpec {
    /// The provider's name in `[secrets.verify] providers` (`github`).
    pub provider: String,
    /// The `https://` URL; `{secret}` is replaced by the secret (percent-encoded), and a URL
    /// that is the secret itself (`{secret}`, a webhook) is allowed only to `hosts`.
    pub url: String,
    /// `GET` (default) or `POST`.
    #[serde(default = "get")]
    pub method: String,
    /// Request headers; `{secret}` in a value is replaced by the secret.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// HTTP basic authentication: user and password templates.
    #[serde(default)]
    pub basic: Option<[String; 2]>,
    /// A POST body (JSON or form text as the provider wants it).
    #[serde(default)]
    pub body: Option<String>,
    /// The hosts the request may go to (default: the URL's own host).
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Statuses that mean live (default 200).
    #[serde(default = "ok")]
    pub live: Vec<u16>,
    /// Statuses that mean revoked (default 401 and 403).
    #[serde(default = "refused")]
    pub revoked: Vec<u16>,
    /// Text a live answer's body must contain (`"ok":true` for APIs that answer 200 to all).
    #[serde(default)]
    pub live_body: Option<String>,
    /// Texts that mark an answer as revoked whatever its status (`invalid_auth`).
    #[serde(default)]
    pub revoked_body: Vec<String>,
    /// `aws-sigv4`: the request is signed with an AWS key pair instead of carrying the secret
    /// (the secret asked about is then `KEY_ID:SECRET_KEY`, the key id found beside it).
    #[serde(default)]
    pub sign: Option<String>,
}

fn get() -> String {
    "GET".to_owned()
}

fn ok() -> Vec<u16> {
    vec![200]
}

fn refused() -> Vec<u16> {
    vec![401, 403]
}
