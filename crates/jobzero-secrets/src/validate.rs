//! Structural validation: formats that carry a checksum or decode to something known. A
//! passing check raises confidence; a failing one drops the candidate.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};

/// Standard base64 that accepts bodies with or without their final padding.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// What a structural check says about a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The structure checks out: confidence is high.
    Valid,
    /// The structure is wrong: not this kind of secret.
    Invalid,
    /// The shape is right but a checksum does not match: a made-up or mangled token, kept
    /// with low confidence (test data and obfuscated samples look like this).
    Unverified,
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn base62(mut n: u32, width: usize) -> String {
    let mut digits = vec![b'0'; width];
    for d in digits.iter_mut().rev() {
        *d = BASE62[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8_lossy(&digits).into_owned()
}

/// GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36 characters): the last six
/// characters are the CRC32 of the 30 before them, in base62.
pub fn github_checksum(token: &str) -> Verdict {
    let Some((_, body)) = token.split_once('_') else {
        return Verdict::Invalid;
    };
    if body.len() != 36 || !body.is_ascii() {
        return Verdict::Invalid;
    }
    if !body.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Verdict::Invalid;
    }
    let (random, check) = body.split_at(30);
    if base62(crc32fast::hash(random.as_bytes()), 6) == check {
        Verdict::Valid
    } else {
        Verdict::Unverified
    }
}

/// A JWT: three dot-separated base64url parts whose first two decode to JSON objects, the
/// header naming an `alg`.
pub fn jwt(token: &str) -> Verdict {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Verdict::Invalid;
    }
    let decode = |p: &str| -> Option<serde_json::Value> {
        let bytes = URL_SAFE_NO_PAD.decode(p.trim_end_matches('=')).ok()?;
        serde_json::from_slice(&bytes).ok()
    };
    match (decode(parts[0]), decode(parts[1])) {
        (Some(header), Some(payload)) if header.get("alg").is_some() && payload.is_object() => {
            Verdict::Valid
        }
        _ => Verdict::Invalid,
    }
}

/// A PEM block: the lines between the armour decode as base64 (encrypted keys' headers such
/// as `Proc-Type:` are skipped).
pub fn pem(block: &str) -> Verdict {
    // Keys embedded in JSON or code strings carry `\n` escapes instead of newlines.
    let block = block.replace("\\n", "\n");
    let body: String = block
        .lines()
        .filter(|l| !l.starts_with("-----") && !l.contains(':'))
        .flat_map(|l| l.trim().chars())
        .filter(|c| !c.is_whitespace() && *c != '\\' && *c != '"' && *c != ',')
        .collect();
    if body.len() < 64 {
        return Verdict::Invalid;
    }
    match LENIENT.decode(body.as_bytes()) {
        Ok(bytes) if bytes.len() >= 48 => Verdict::Valid,
        _ => Verdict::Invalid,
    }
}

/// Base64 that decodes to printable UTF-8 text (a Kubernetes Secret's `data` value).
pub fn base64_text(value: &str) -> Verdict {
    match LENIENT.decode(value.trim().as_bytes()) {
        Ok(bytes) if !bytes.is_empty() => match std::str::from_utf8(&bytes) {
            Ok(text)
                if text
                    .chars()
                    .all(|c| !c.is_control() || c == '\n' || c == '\r' || c == '\t') =>
            {
                Verdict::Valid
            }
            _ => Verdict::Invalid,
        },
        _ => Verdict::Invalid,
    }
}

/// Base64 of `user:password` with a non-empty password (Docker `auths`, HTTP basic auth).
pub fn base64_userpass(value: &str) -> Verdict {
    let Ok(bytes) = LENIENT.decode(value.trim().as_bytes()) else {
        return Verdict::Invalid;
    };
    match std::str::from_utf8(&bytes)
        .ok()
        .and_then(|t| t.trim_end_matches(['\n', '\r']).split_once(':'))
    {
        Some((user, pass))
            if !user.is_empty() && !pass.is_empty() && !pass.chars().any(char::is_control) =>
        {
            Verdict::Valid
        }
        _ => Verdict::Invalid,
    }
}

/// Runs the named check.
pub fn check(name: &str, secret: &str) -> Option<Verdict> {
    match name {
        "github-checksum" => Some(github_checksum(secret)),
        "jwt" => Some(jwt(secret)),
        "pem" => Some(pem(secret)),
        "base64-text" => Some(base64_text(secret)),
        "base64-userpass" => Some(base64_userpass(secret)),
        _ => None,
    }
}

/// The names [`check`] knows.
pub const KNOWN: [&str; 5] = [
    "github-checksum",
    "jwt",
    "pem",
    "base64-text",
    "base64-userpass",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a token with a correct checksum, as GitHub does.
    pub fn github_token(prefix: &str, random: &str) -> String {
        format!(
            "{prefix}_{random}{}",
            base62(crc32fast::hash(random.as_bytes()), 6)
        )
    }

    #[test]
    fn github_checksums() {
        let t = github_token("ghp", "16C7e42F292c6912E7710c838347Ae");
        assert_eq!(github_checksum(&t), Verdict::Valid);
        let mut broken = t.clone();
        broken.replace_range(5..6, "X");
        assert_eq!(github_checksum(&broken), Verdict::Unverified);
        assert_eq!(github_checksum("ghp_short"), Verdict::Invalid);
    }

    #[test]
    fn jwts() {
        let t = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        assert_eq!(jwt(t), Verdict::Valid);
        assert_eq!(jwt("eyJhbGci.eyJzdWIi.x"), Verdict::Invalid);
    }
}
