//! `scan --verify`: one harmless read-only request to a secret's own issuer decides whether
//! it is live, revoked or unknown. Never by default; each detector's `[verify]` table says
//! what to ask, and the request goes only to the issuer's documented host, over TLS.
//!
//! Secrets are collected during the scan (cheap) and asked about after it, each distinct
//! secret once, one provider's requests one at a time and at most [`PER_SECOND`] a second,
//! several providers at once, within one deadline: what is not decided by then is unknown.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use jobzero_core::Verified;
use jobzero_core::config::VerifyConfig;

use crate::engine::ENGINE;

pub use crate::verify_spec::VerifySpec;

/// One request at a time per provider, and this many a second at most.
pub const PER_SECOND: u32 = 5;
/// How long one request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// Providers asked at once.
const WORKERS: usize = 8;
/// The most of an answer's body read.
const BODY_LIMIT: u64 = 64 * 1024;

/// Where a finding is, to put the answer back on it after the scan.
pub type Key = (String, String, u32, u32);

/// What `--verify` asks about for the candidate `at` of `detector`: the secret itself, or for
/// a signing detector `KEY_ID:SECRET_KEY` with the nearest long-term AWS key id of `ids` (the
/// file's `(start, id)` candidates); none when a signing detector has no key id beside it.
pub fn subject(
    detector: usize,
    at: usize,
    secret: &str,
    ids: &[(usize, String)],
) -> Option<String> {
    let spec = ENGINE.detectors.get(detector)?.def.verify.as_ref()?;
    if spec.sign.as_deref() != Some("aws-sigv4") {
        return Some(secret.to_owned());
    }
    // Temporary (`ASIA`) keys need their session token too: only long-term ones are asked.
    ids.iter()
        .filter(|(_, id)| id.starts_with("AKIA"))
        .min_by_key(|(start, _)| start.abs_diff(at))
        .map(|(_, id)| format!("{id}:{secret}"))
}

/// The key of a finding: its rule and where it starts (what the scan's later stages keep).
pub fn key_of(f: &jobzero_core::Finding) -> Key {
    let loc = &f.location;
    (
        f.rule.clone(),
        loc.path.clone(),
        loc.start_line,
        loc.start_column,
    )
}

/// One provider's distinct secrets (by detector and value), with the findings of each.
type ProviderQueue = (String, BTreeMap<(usize, String), Vec<Key>>);

/// A decision and what it rests on (`api.github.com answered 401`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Live, revoked or unknown.
    pub verified: Verified,
    /// The provider.
    pub provider: String,
    /// Why.
    pub detail: String,
}

#[derive(Debug)]
struct Job {
    key: Key,
    detector: usize,
    secret: String,
}

/// Collects the secrets of a scan and asks their issuers after it.
#[derive(Debug)]
pub struct Verifier {
    providers: Option<BTreeSet<String>>,
    timeout: Duration,
    jobs: Mutex<Vec<Job>>,
    /// Debug builds only: every request goes to this base URL instead, with the issuer's
    /// host as the first path segment (the tests' stand-in issuers).
    test_base: Option<String>,
}

/// Why `[secrets.verify]` cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("`[secrets.verify] providers`: unknown provider `{0}` (providers: {1})")]
pub struct UnknownProvider(pub String, pub String);

/// Every provider some detector can verify, sorted.
pub fn providers() -> Vec<&'static str> {
    let mut out: Vec<&str> = crate::definition::LOADED
        .0
        .iter()
        .filter_map(|(d, _)| d.verify.as_ref().map(|v| v.provider.as_str()))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl Verifier {
    /// A verifier with `[secrets.verify]`.
    pub fn new(config: &VerifyConfig) -> Result<Verifier, UnknownProvider> {
        let known = providers();
        if let Some(list) = &config.providers {
            if let Some(bad) = list.iter().find(|p| !known.contains(&p.as_str())) {
                return Err(UnknownProvider(bad.clone(), known.join(", ")));
            }
        }
        Ok(Verifier {
            providers: config
                .providers
                .as_ref()
                .map(|l| l.iter().cloned().collect()),
            timeout: Duration::from_secs(config.timeout.unwrap_or(20)),
            jobs: Mutex::new(Vec::new()),
            test_base: test_base(),
        })
    }

    /// Queues the secret a finding at `key` reported, when its detector can verify and its
    /// provider is allowed.
    pub fn submit(&self, key: Key, detector: usize, secret: &str) {
        let Some(spec) = ENGINE
            .detectors
            .get(detector)
            .and_then(|d| d.def.verify.as_ref())
        else {
            return;
        };
        if self
            .providers
            .as_ref()
            .is_some_and(|p| !p.contains(&spec.provider))
        {
            return;
        }
        let mut jobs = match self.jobs.lock() {
            Ok(j) => j,
            Err(poisoned) => poisoned.into_inner(),
        };
        jobs.push(Job {
            key,
            detector,
            secret: secret.to_owned(),
        });
    }

    /// Sends every request to `base` instead of the issuer, with the issuer's host as the
    /// first path segment: for tests, against local stand-ins. Debug builds only.
    #[cfg(debug_assertions)]
    #[must_use]
    pub fn with_test_base(mut self, base: &str) -> Verifier {
        self.test_base = Some(base.to_owned());
        self
    }

    /// Asks the issuer about one secret of `detector` now.
    pub fn check(&self, detector: usize, secret: &str) -> Answer {
        let agent = agent();
        self.ask(&agent, detector, secret)
    }

    /// Forgets the queued secrets (those of a scan whose findings are not reported).
    pub fn clear(&self) {
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.clear();
        }
    }

    /// Asks the issuers about every queued secret; the answers by finding.
    pub fn run(&self) -> BTreeMap<Key, Answer> {
        let jobs = std::mem::take(match &mut self.jobs.lock() {
            Ok(j) => &mut **j,
            Err(_) => return BTreeMap::new(),
        });
        // Each distinct secret once, grouped by provider.
        let mut by_provider: BTreeMap<String, BTreeMap<(usize, String), Vec<Key>>> =
            BTreeMap::new();
        for job in jobs {
            let Some(spec) = ENGINE.detectors[job.detector].def.verify.as_ref() else {
                continue;
            };
            by_provider
                .entry(spec.provider.clone())
                .or_default()
                .entry((job.detector, job.secret))
                .or_default()
                .push(job.key);
        }
        let deadline = Instant::now() + self.timeout;
        let agent = agent();
        let groups: Mutex<Vec<ProviderQueue>> = Mutex::new(by_provider.into_iter().rev().collect());
        let answers: Mutex<BTreeMap<Key, Answer>> = Mutex::new(BTreeMap::new());
        std::thread::scope(|scope| {
            for _ in 0..WORKERS {
                scope.spawn(|| {
                    loop {
                        let next = groups.lock().ok().and_then(|mut g| g.pop());
                        let Some((provider, secrets)) = next else {
                            break;
                        };
                        let mut last: Option<Instant> = None;
                        for ((detector, secret), keys) in secrets {
                            let answer = if Instant::now() >= deadline {
                                unknown(&provider, "not asked: the verification time ran out")
                            } else {
                                if let Some(t) = last {
                                    let gap = Duration::from_secs(1) / PER_SECOND;
                                    let wait = gap.saturating_sub(t.elapsed());
                                    std::thread::sleep(wait);
                                }
                                last = Some(Instant::now());
                                self.ask(&agent, detector, &secret)
                            };
                            if let Ok(mut a) = answers.lock() {
                                for k in keys {
                                    a.insert(k, answer.clone());
                                }
                            }
                        }
                    }
                });
            }
        });
        answers.into_inner().unwrap_or_default()
    }

    fn ask(&self, agent: &ureq::Agent, detector: usize, secret: &str) -> Answer {
        let Some(spec) = ENGINE.detectors[detector].def.verify.as_ref() else {
            return unknown("", "no verification for this detector");
        };
        let request = match prepare(spec, secret, self.test_base.as_deref()) {
            Ok(r) => r,
            Err(why) => return unknown(&spec.provider, &why),
        };
        let response = if spec.method == "POST" {
            let mut call = agent.post(&request.url);
            for (name, value) in &request.headers {
                call = call.header(name.as_str(), value.as_str());
            }
            call.send(request.body.as_deref().unwrap_or_default())
        } else {
            let mut call = agent.get(&request.url);
            for (name, value) in &request.headers {
                call = call.header(name.as_str(), value.as_str());
            }
            call.call()
        };
        let mut response = match response {
            Ok(r) => r,
            Err(e) => {
                return unknown(
                    &spec.provider,
                    &format!("{} did not answer: {e}", request.host),
                );
            }
        };
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(BODY_LIMIT)
            .read_to_string()
            .unwrap_or_default();
        decide(spec, &request.host, status, &body)
    }
}

/// The HTTP client: answers of every status are answers, redirects are not followed (a
/// secret never goes to a host the issuer redirects to), every request is bounded in time.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(REQUEST_TIMEOUT))
        .max_redirects(0)
        .user_agent(concat!(
            "jobzero/",
            env!("CARGO_PKG_VERSION"),
            " (secret verification)"
        ))
        .build()
        .into()
}

fn unknown(provider: &str, detail: &str) -> Answer {
    Answer {
        verified: Verified::Unknown,
        provider: provider.to_owned(),
        detail: detail.to_owned(),
    }
}

/// The answer an issuer's status and body mean under `spec`.
pub fn decide(spec: &VerifySpec, host: &str, status: u16, body: &str) -> Answer {
    let answer = |verified: Verified, what: &str| Answer {
        verified,
        provider: spec.provider.clone(),
        detail: format!("{host} answered {status}{what}"),
    };
    if spec.revoked_body.iter().any(|t| body.contains(t.as_str())) {
        return answer(Verified::Revoked, ": refused");
    }
    if spec.live.contains(&status) && spec.live_body.as_deref().is_none_or(|t| body.contains(t)) {
        return answer(Verified::Live, ": accepted");
    }
    if spec.revoked.contains(&status) {
        return answer(Verified::Revoked, ": refused");
    }
    if status == 429 {
        return answer(Verified::Unknown, ": rate limited");
    }
    answer(Verified::Unknown, "")
}

/// What a secret may not carry into a URL unencoded: whatever would end or restructure the
/// path or query (`/`, `?`, `#`, `@`, `&`, `=`, `%`, `+`, spaces, quotes).
const URL_UNSAFE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'/')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'@')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A request ready to send.
#[derive(Debug, PartialEq, Eq)]
pub struct Prepared {
    /// Where it goes.
    pub url: String,
    /// The issuer's host (before any test redirection).
    pub host: String,
    /// Its headers, the secret filled in.
    pub headers: Vec<(String, String)>,
    /// Its body.
    pub body: Option<String>,
}

/// Fills the secret into `spec` and checks where the request goes: `https` only, to the
/// issuer's own host. `test_base` (debug builds' tests) redirects the request to a stand-in.
pub fn prepare(
    spec: &VerifySpec,
    secret: &str,
    test_base: Option<&str>,
) -> Result<Prepared, String> {
    let encoded: String = percent_encoding::utf8_percent_encode(secret, URL_UNSAFE).to_string();
    let url = if spec.url == "{secret}" {
        secret.to_owned()
    } else {
        spec.url.replace("{secret}", &encoded)
    };
    let rest = url
        .strip_prefix("https://")
        .ok_or_else(|| "not asked: the issuer's URL is not https".to_owned())?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    if authority.contains('@') {
        return Err("not asked: a URL with user information".to_owned());
    }
    let host = authority
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let allowed: Vec<String> = if spec.hosts.is_empty() {
        let template = spec.url.strip_prefix("https://").unwrap_or_default();
        let end = template
            .find(['/', '?', '#', ':'])
            .unwrap_or(template.len());
        vec![template[..end].to_ascii_lowercase()]
    } else {
        spec.hosts.iter().map(|h| h.to_ascii_lowercase()).collect()
    };
    if !allowed.contains(&host) {
        return Err(format!("not asked: `{host}` is not the issuer's host"));
    }
    let fill = |t: &str| t.replace("{secret}", secret);
    let mut headers: Vec<(String, String)> = spec
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), fill(v)))
        .collect();
    if spec.sign.as_deref() == Some("aws-sigv4") {
        // The key pair signs the request; the secret key itself is not sent.
        let (key_id, key) = secret
            .split_once(':')
            .ok_or_else(|| "not asked: no access key id beside the secret key".to_owned())?;
        let amz_date = crate::sigv4::amz_date_now();
        let body = spec.body.as_deref().unwrap_or_default();
        let path = &rest[end..];
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let request = crate::sigv4::Request {
            method: &spec.method,
            host: &host,
            path: if path.is_empty() { "/" } else { path },
            query,
            headers: &[],
            body,
            amz_date: &amz_date,
            region: "us-east-1",
            service: host.split('.').next().unwrap_or_default(),
        };
        headers.push(("X-Amz-Date".to_owned(), amz_date.clone()));
        headers.push((
            "Authorization".to_owned(),
            crate::sigv4::authorization(&request, key_id, key),
        ));
        let url = match test_base {
            Some(base) => format!("{}/{host}{}", base.trim_end_matches('/'), &rest[end..]),
            None => url,
        };
        return Ok(Prepared {
            url,
            host,
            headers,
            body: Some(body.to_owned()),
        });
    }
    if let Some([user, password]) = &spec.basic {
        let pair = format!("{}:{}", fill(user), fill(password));
        headers.push((
            "Authorization".to_owned(),
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            ),
        ));
    }
    let url = match test_base {
        Some(base) => format!("{}/{host}{}", base.trim_end_matches('/'), &rest[end..]),
        None => url,
    };
    Ok(Prepared {
        url,
        host,
        headers,
        body: spec.body.as_deref().map(fill),
    })
}

/// The stand-in issuers' base URL: debug builds only, so that a release binary can never be
/// told to send secrets elsewhere.
fn test_base() -> Option<String> {
    if cfg!(debug_assertions) {
        std::env::var("JOBZERO_VERIFY_TEST_BASE").ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(url: &str) -> VerifySpec {
        VerifySpec {
            provider: "acme".to_owned(),
            url: url.to_owned(),
            method: "GET".to_owned(),
            headers: BTreeMap::from([("Authorization".to_owned(), "Bearer {secret}".to_owned())]),
            basic: None,
            body: None,
            hosts: Vec::new(),
            live: vec![200],
            revoked: vec![401, 403],
            live_body: None,
            revoked_body: Vec::new(),
            sign: None,
        }
    }

    #[test]
    fn requests_go_only_to_the_issuer_over_tls() {
        let p = prepare(&spec("https://api.acme.io/v1/me"), "tok", None).unwrap();
        assert_eq!(p.url, "https://api.acme.io/v1/me");
        assert_eq!(
            p.headers,
            vec![("Authorization".to_owned(), "Bearer tok".to_owned())]
        );
        assert!(prepare(&spec("http://api.acme.io/v1/me"), "tok", None).is_err());
        // A webhook whose URL is the secret: only to the listed hosts.
        let mut hook = spec("{secret}");
        hook.hosts = vec!["hooks.acme.io".to_owned()];
        assert!(prepare(&hook, "https://hooks.acme.io/T1/B2/x", None).is_ok());
        assert!(prepare(&hook, "https://evil.example/hooks.acme.io", None).is_err());
        assert!(prepare(&hook, "https://hooks.acme.io@evil.example/", None).is_err());
        // Secrets in a URL are encoded: they cannot change its host or path.
        let p = prepare(&spec("https://api.acme.io/bot{secret}/me"), "1:a/b?c", None).unwrap();
        assert_eq!(p.url, "https://api.acme.io/bot1:a%2Fb%3Fc/me");
        let t = prepare(
            &spec("https://api.acme.io/v1/me?x=1"),
            "tok",
            Some("http://127.0.0.1:9/"),
        )
        .unwrap();
        assert_eq!(t.url, "http://127.0.0.1:9/api.acme.io/v1/me?x=1");
    }

    #[test]
    fn answers_decide() {
        let mut s = spec("https://api.acme.io/v1/me");
        assert_eq!(decide(&s, "h", 200, "").verified, Verified::Live);
        assert_eq!(decide(&s, "h", 401, "").verified, Verified::Revoked);
        assert_eq!(decide(&s, "h", 429, "").verified, Verified::Unknown);
        assert_eq!(decide(&s, "h", 500, "").verified, Verified::Unknown);
        s.live_body = Some("\"ok\":true".to_owned());
        s.revoked_body = vec!["invalid_auth".to_owned()];
        assert_eq!(
            decide(&s, "h", 200, "{\"ok\":true}").verified,
            Verified::Live
        );
        assert_eq!(
            decide(&s, "h", 200, "{\"ok\":false,\"error\":\"invalid_auth\"}").verified,
            Verified::Revoked
        );
        assert_eq!(
            decide(&s, "h", 200, "{\"ok\":false}").verified,
            Verified::Unknown
        );
    }
}
