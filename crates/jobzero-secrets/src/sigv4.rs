//! AWS Signature Version 4, for the one request `scan --verify` makes with an AWS key pair
//! (`sts:GetCallerIdentity`, which every credential may call and which changes nothing).
//! The secret key signs the request; it is never sent.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(key) {
        Ok(m) => m,
        // HMAC takes keys of any length.
        Err(_) => return Vec::new(),
    };
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What to sign.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The host (`sts.amazonaws.com`).
    pub host: &'a str,
    /// The path (`/`).
    pub path: &'a str,
    /// The query string, already canonical (sorted, encoded), or empty.
    pub query: &'a str,
    /// Extra headers to sign, lowercase names, besides `host` and `x-amz-date`.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a str,
    /// `YYYYMMDDTHHMMSSZ`.
    pub amz_date: &'a str,
    /// `us-east-1`.
    pub region: &'a str,
    /// `sts`.
    pub service: &'a str,
}

/// The `Authorization` header value of `request` signed with the key pair.
pub fn authorization(request: &Request<'_>, key_id: &str, secret: &str) -> String {
    let mut headers: Vec<(String, String)> = vec![
        ("host".to_owned(), request.host.to_owned()),
        ("x-amz-date".to_owned(), request.amz_date.to_owned()),
    ];
    headers.extend(
        request
            .headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned())),
    );
    headers.sort();
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = headers
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let payload_hash = hex(&Sha256::digest(request.body.as_bytes()));
    let canonical = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{payload_hash}",
        request.method, request.path, request.query
    );
    let date = request.amz_date.get(..8).unwrap_or_default();
    let scope = format!("{date}/{}/{}/aws4_request", request.region, request.service);
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        request.amz_date,
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date);
    let k_region = hmac(&k_date, request.region);
    let k_service = hmac(&k_region, request.service);
    let k_signing = hmac(&k_service, "aws4_request");
    let signature = hex(&hmac(&k_signing, &to_sign));
    format!(
        "AWS4-HMAC-SHA256 Credential={key_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    )
}

/// `YYYYMMDDTHHMMSSZ` of now.
pub fn amz_date_now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    jobzero_core::days::utc_timestamp(seconds).replace(['-', ':'], "") + "Z"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's published Signature Version 4 test suite, case `get-vanilla`.
    #[test]
    fn the_published_test_vector() {
        let request = Request {
            method: "GET",
            host: "example.amazonaws.com",
            path: "/",
            query: "",
            headers: &[],
            body: "",
            amz_date: "20150830T123600Z",
            region: "us-east-1",
            service: "service",
        };
        assert_eq!(
            authorization(
                &request,
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
            ),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
        assert_eq!(amz_date_now().len(), 16);
    }
}
