//! `--verify` against a local stand-in for every issuer: each detector that verifies sends its
//! secret only to its own issuer's host, and reads live, revoked and rate-limited answers
//! right. No request leaves 127.0.0.1.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use jobzero_core::Verified;
use jobzero_core::config::VerifyConfig;
use jobzero_secrets::definition::LOADED;
use jobzero_secrets::engine::ENGINE;
use jobzero_secrets::verify::Verifier;

/// One request the stand-in received.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

type Reply = Arc<Mutex<(u16, String)>>;

/// A stand-in issuer on 127.0.0.1 answering every request with the current reply.
fn stand_in() -> (String, Reply, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let reply: Reply = Arc::new(Mutex::new((200, String::new())));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (r, s) = (reply.clone(), seen.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap_or_default().to_owned();
            let path = parts.next().unwrap_or_default().to_owned();
            let mut headers = Vec::new();
            let mut length = 0;
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    if k.eq_ignore_ascii_case("content-length") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    headers.push((k.to_ascii_lowercase(), v.trim().to_owned()));
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            s.lock().unwrap().push(Seen {
                method,
                path,
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
            });
            let (status, text) = r.lock().unwrap().clone();
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    (base, reply, seen)
}

/// The secret a detector reports in its first positive.
fn secret_of(detector: usize) -> String {
    let (d, _) = &LOADED.0[detector];
    let path = d
        .files
        .first()
        .map_or("input.txt", |g| g.trim_start_matches("**/"));
    for p in &d.positives {
        if let Some(c) = ENGINE
            .scan(path, p.as_bytes())
            .into_iter()
            .find(|c| c.detector == detector)
        {
            return c.secret;
        }
    }
    panic!("{}: no positive yields a secret", d.id);
}

#[test]
fn every_verifying_detector_asks_only_its_issuer_and_reads_its_answers() {
    let (base, reply, seen) = stand_in();
    let verifier = Verifier::new(&VerifyConfig::default())
        .unwrap()
        .with_test_base(&base);
    let mut checked = std::collections::BTreeSet::new();
    let mut problems = Vec::new();
    for (i, (d, _)) in LOADED.0.iter().enumerate() {
        let Some(spec) = &d.verify else { continue };
        checked.insert(spec.provider.clone());
        let key = secret_of(i);
        // A signing detector is asked about its key pair; the secret key is never sent.
        let signed = spec.sign.is_some();
        let secret = if signed {
            format!("AKIAZ7DQ2XJ4NQ3KW5LM:{key}")
        } else {
            key.clone()
        };
        let expected_host = if spec.url == "{secret}" {
            secret
                .strip_prefix("https://")
                .and_then(|r| r.split('/').next())
                .unwrap()
                .to_owned()
        } else {
            spec.url
                .strip_prefix("https://")
                .and_then(|r| r.split(['/', '?']).next())
                .unwrap()
                .to_owned()
        };
        assert!(
            spec.url == "{secret}" || spec.url.starts_with("https://"),
            "{}: not https",
            d.id
        );

        // Live.
        let live_body = spec.live_body.clone().unwrap_or_else(|| "{}".to_owned());
        *reply.lock().unwrap() = (spec.live[0], live_body);
        seen.lock().unwrap().clear();
        let answer = verifier.check(i, &secret);
        if answer.verified != Verified::Live {
            problems.push(format!("{}: live answer read as {:?}", d.id, answer));
        }
        let requests = seen.lock().unwrap().clone();
        if requests.len() != 1 {
            problems.push(format!("{}: {} requests", d.id, requests.len()));
            continue;
        }
        let r = &requests[0];
        if !r.path.starts_with(&format!("/{expected_host}/"))
            && r.path != format!("/{expected_host}")
        {
            problems.push(format!("{}: sent to {} not {expected_host}", d.id, r.path));
        }
        if r.method != spec.method {
            problems.push(format!("{}: {} instead of {}", d.id, r.method, spec.method));
        }
        // The secret travels in a header, the URL or the body: never nowhere.
        let encoded_secret = secret
            .replace('/', "%2F")
            .replace('+', "%2B")
            .replace('=', "%3D");
        let carried = r.headers.iter().any(|(_, v)| {
            v.contains(&secret)
                || v.strip_prefix("Basic ").is_some_and(|b| {
                    use base64::Engine as _;
                    base64::engine::general_purpose::STANDARD
                        .decode(b)
                        .is_ok_and(|raw| String::from_utf8_lossy(&raw).contains(&secret))
                })
        }) || r.path.contains(&encoded_secret)
            || r.body.contains(&secret)
            || spec.url == "{secret}";
        if signed {
            let signature = r.headers.iter().any(|(k, v)| {
                k == "authorization"
                    && v.starts_with("AWS4-HMAC-SHA256 Credential=AKIAZ7DQ2XJ4NQ3KW5LM/")
            });
            let leaked = r.headers.iter().any(|(_, v)| v.contains(&key))
                || r.path.contains(&key)
                || r.body.contains(&key);
            if !signature || leaked {
                problems.push(format!("{}: not signed, or the secret key was sent", d.id));
            }
        } else if !carried {
            problems.push(format!("{}: the secret was not sent", d.id));
        }

        // Revoked.
        if let Some(status) = spec.revoked.first() {
            *reply.lock().unwrap() = (*status, "{}".to_owned());
        } else if let Some(text) = spec.revoked_body.first() {
            *reply.lock().unwrap() = (200, format!("{{\"error\":\"{text}\"}}"));
        } else {
            // Only an acceptance decides (multi-instance issuers): a refusal is unknown.
            *reply.lock().unwrap() = (401, "{}".to_owned());
            let a = verifier.check(i, &secret);
            if a.verified != Verified::Unknown {
                problems.push(format!("{}: a refusal decided {:?}", d.id, a.verified));
            }
            continue;
        }
        let a = verifier.check(i, &secret);
        if a.verified != Verified::Revoked {
            problems.push(format!("{}: revoked answer read as {a:?}", d.id));
        }

        // Rate limited.
        *reply.lock().unwrap() = (429, "{}".to_owned());
        let a = verifier.check(i, &secret);
        if a.verified != Verified::Unknown || !a.detail.contains("rate limited") {
            problems.push(format!("{}: 429 read as {a:?}", d.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        checked.len() >= 40,
        "only {} providers verify: {checked:?}",
        checked.len()
    );
}

#[test]
fn an_unknown_provider_in_the_allow_list_is_an_error() {
    let config = VerifyConfig {
        providers: Some(vec!["github".to_owned(), "gitbub".to_owned()]),
        timeout: None,
    };
    let e = Verifier::new(&config).unwrap_err();
    assert!(e.to_string().contains("`gitbub`"), "{e}");
    assert!(e.to_string().contains("github"), "{e}");
}
