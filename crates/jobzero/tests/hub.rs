//! The hub through the CLI, against real `jobzero hub serve` processes on 127.0.0.1: the
//! scan → upload → gate → accept → resolve → recurrence flow on SQLite, and two hub processes
//! sharing one PostgreSQL database under concurrent uploads.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    reason = "test code"
)]

mod common;

use std::collections::BTreeSet;

use common::{Server, admin, jobzero, write_files};
use serde_json::{Value, json};

const ORG: &str = r#"
[[teams]]
name = "payments"
escalation = [{ role = "owner", contact = "pay-oncall@example.com" }]

[[teams]]
name = "search"

[[services]]
name = "checkout"
team = "payments"
exposure = "internet"
data_classification = "confidential"

[[services]]
name = "indexer"
team = "search"
exposure = "internal"
data_classification = "internal"
"#;

const AWS_KEY: &str = "AKIAR5TN2ZQ7XW3LB6KD";

fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build(),
    )
}

fn call(method: &str, url: &str, token: &str, body: Option<&Value>) -> (u16, Value) {
    let a = agent();
    let auth = format!("Bearer {token}");
    let mut r = match (method, body) {
        ("GET", _) => a.get(url).header("Authorization", &auth).call().unwrap(),
        (_, Some(b)) => a
            .post(url)
            .header("Authorization", &auth)
            .send_json(b)
            .unwrap(),
        _ => a
            .post(url)
            .header("Authorization", &auth)
            .send_empty()
            .unwrap(),
    };
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[test]
fn scan_upload_gate_accept_resolve_and_recur() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let db = format!("sqlite:{}", dir.join("hub.db").display());
    write_files(dir, &[("org.toml", ORG)]);
    let applied = admin(dir, &db, &["org", "apply", "org.toml"]);
    assert!(applied.contains("service checkout: created"), "{applied}");
    assert!(admin(dir, &db, &["org", "apply", "org.toml"]).starts_with("no change"));
    let ci = admin(
        dir,
        &db,
        &[
            "token",
            "create",
            "--team",
            "payments",
            "--name",
            "checkout-ci",
        ],
    )
    .trim()
    .to_owned();
    let security = admin(
        dir,
        &db,
        &["token", "create", "--security", "--name", "alice"],
    )
    .trim()
    .to_owned();
    let server = Server::start(&db);

    let project = dir.join("checkout");
    write_files(
        &project,
        &[(
            "app/settings.py",
            &format!("AWS_ACCESS_KEY_ID = \"{AWS_KEY}\"\n"),
        )],
    );
    let scan = |expect: i32| {
        let out = jobzero(&project)
            .args([
                "scan",
                "--config",
                "/dev/null",
                "--service",
                "checkout",
                "--upload",
                "--commit",
                "c1",
                "--format",
                "json",
                "-o",
                "report.json",
            ])
            .env("JOBZERO_HUB_URL", &server.url)
            .env("JOBZERO_TOKEN", &ci)
            .env("JOBZERO_ADVISORY_DB", dir.join("empty-advisory-db"))
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(expect),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    };
    let gate = |expect: i32| {
        let out = jobzero(dir)
            .args([
                "gate",
                "--service",
                "checkout",
                "--release",
                "2.0",
                "--hub",
                &server.url,
                "--token",
                &ci,
            ])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(expect),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };

    // A scan with a hard-coded key: uploaded, and the gate says no.
    let uploaded = scan(1);
    assert!(uploaded.contains("1 new"), "{uploaded}");
    let no_go = gate(1);
    assert!(
        no_go.starts_with("NO-GO: checkout 2.0 is blocked by 1 finding(s)"),
        "{no_go}"
    );
    assert!(no_go.contains("secret/aws-access-key-id"), "{no_go}");
    assert!(
        no_go.contains("owner payments (pay-oncall@example.com); due "),
        "{no_go}"
    );
    let (_, listed) = call(
        "GET",
        &format!("{}/api/v1/findings?service=checkout", server.url),
        &ci,
        None,
    );
    let id = listed["findings"][0]["id"].as_i64().unwrap();
    // The key itself never reached the hub.
    assert!(!listed.to_string().contains(AWS_KEY));

    // The team's token cannot accept the risk: 403, and an audit event says so.
    let accept = format!("{}/api/v1/findings/{id}/accept", server.url);
    let body = json!({"reason": "rotating the key this week", "until": 4_102_444_800_i64});
    let (status, err) = call("POST", &accept, &ci, Some(&body));
    assert_eq!(status, 403, "{err}");
    assert_eq!(err["error"]["status"], 403);
    let (status, _) = call("POST", &accept, "jz_0000_nope", Some(&body));
    assert_eq!(status, 401);
    // The security role can; the gate opens.
    let (status, accepted) = call("POST", &accept, &security, Some(&body));
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(accepted["state"], "accepted");
    assert!(gate(0).starts_with("GO: checkout 2.0 may launch"));

    // The key is removed: a complete scan resolves the finding.
    write_files(
        &project,
        &[(
            "app/settings.py",
            "AWS_ACCESS_KEY_ID = os.environ[\"AWS_KEY\"]\n",
        )],
    );
    assert!(scan(0).contains("1 resolved"));
    // It comes back: reopened as a recurrence, and the gate closes again.
    write_files(
        &project,
        &[(
            "app/settings.py",
            &format!("AWS_ACCESS_KEY_ID = \"{AWS_KEY}\"\n"),
        )],
    );
    assert!(scan(1).contains("1 reopened"));
    assert_eq!(gate(1).lines().count(), 3);
    let (_, f) = call(
        "GET",
        &format!("{}/api/v1/findings/{id}", server.url),
        &ci,
        None,
    );
    assert_eq!(
        (f["state"].as_str(), f["recurrences"].as_i64()),
        (Some("open"), Some(1))
    );

    // The service ships log4j-core: the complete scan sends its inventory, and `where` finds it
    // across the organisation.
    write_files(
        &project,
        &[(
            "pom.xml",
            "<project><groupId>com.example</groupId><artifactId>checkout</artifactId><version>1</version>\n<dependencies>\n<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.14.1</version></dependency>\n</dependencies></project>\n",
        )],
    );
    scan(1);
    let out = jobzero(dir)
        .args([
            "where",
            "log4j-core@2.14.1",
            "--hub",
            &server.url,
            "--token",
            &security,
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = String::from_utf8(out.stdout).unwrap();
    assert!(
        found.starts_with("checkout\tpayments\t2.14.1\tpkg:maven/org.apache.logging.log4j/log4j-core@2.14.1\tpom.xml\tc1 ("),
        "{found}"
    );
    let out = jobzero(dir)
        .args([
            "where",
            "left-pad",
            "--hub",
            &server.url,
            "--token",
            &security,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // Log4Shell is published: imported into the hub, it opens a finding without a rescan.
    let advisory = common::corpus().join("deps/advisories/ghsa-sample/GHSA-jfh8-c2jp-5v3q.json");
    let imported = admin(
        dir,
        &db,
        &["advisories", "import", advisory.to_str().unwrap()],
    );
    assert!(
        imported.contains("1 stored") && imported.contains("1 findings opened"),
        "{imported}"
    );
    let (_, vulnerable) = call(
        "GET",
        &format!("{}/api/v1/findings?service=checkout&state=open", server.url),
        &ci,
        None,
    );
    assert!(
        vulnerable["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "vuln/GHSA-jfh8-c2jp-5v3q" && f["path"] == "pom.xml"),
        "{vulnerable}"
    );

    // A team token sees only its team; the audit log is intact and records the refusals.
    let (status, _) = call(
        "GET",
        &format!("{}/api/v1/services/indexer/gate", server.url),
        &ci,
        None,
    );
    assert_eq!(status, 403);
    let (_, services) = call("GET", &format!("{}/api/v1/services", server.url), &ci, None);
    assert_eq!(services["services"].as_array().unwrap().len(), 1);
    let (status, verified) = call(
        "GET",
        &format!("{}/api/v1/audit/verify", server.url),
        &security,
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(verified["broken"], Value::Null);

    // The weekly review of this week, as leadership reads it.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let week = jobzero_hub::review::IsoWeek::containing(i64::try_from(now).unwrap()).to_string();
    let review = |args: &[&str], token: &str| {
        jobzero(dir)
            .arg("review")
            .args(args)
            .args(["--hub", &server.url, "--token", token])
            .output()
            .unwrap()
    };
    let out = review(
        &["--week", &week, "--format", "html", "-o", "review.html"],
        &security,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(dir.join("review.html")).unwrap();
    assert!(
        page.contains(&format!("Weekly security review — {week}")),
        "{page}"
    );
    let out = review(&["--week", &week, "--format", "json"], &security);
    let numbers: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(numbers["headline"]["reopened"], 1, "{numbers}");
    assert_eq!(numbers["headline"]["resolved"], 1);
    let out = review(&[], &ci);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a team token may not read the review"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("403"));
    drop(server);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let events = rt.block_on(async {
        let store = jobzero_hub::Store::open(&db).await.unwrap();
        jobzero_hub::audit::events(&store, 0, 100_000)
            .await
            .unwrap()
    });
    let denied: Vec<_> = events
        .iter()
        .filter(|e| e.action == "auth.denied")
        .collect();
    assert_eq!(denied.len(), 4, "{denied:?}");
    assert!(denied[0].actor.contains("checkout-ci"));
    assert_eq!(denied[0].subject, format!("finding:{id}"));
    assert!(!format!("{events:?}").contains(AWS_KEY));
    let verify = admin(dir, &db, &["verify"]);
    assert!(verify.starts_with("audit chain intact"), "{verify}");
}

fn report(fingerprints: impl Iterator<Item = usize>) -> Value {
    let findings: Vec<Value> = fingerprints
        .map(|i| {
            json!({"rule": "deps/test", "code": "TST001", "family": "deps", "title": format!("t{i}"),
                "message": "m", "severity": "low", "effective_severity": "low", "confidence": "high",
                "expectation": "JZ-SUPPLY-VULN", "location": {"path": "Cargo.lock", "start_line": i},
                "fingerprint": format!("{i:08x}"), "references": [], "remediation": ""})
        })
        .collect();
    json!({"schema_version": "1.1.0", "findings": findings, "summary": {"families": ["deps"]}})
}

#[test]
fn two_hub_processes_share_postgres_under_concurrent_uploads() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let db = common::PgDb::create();
    write_files(dir, &[("org.toml", ORG)]);
    admin(dir, &db.url, &["org", "apply", "org.toml"]);
    let token = admin(
        dir,
        &db.url,
        &["token", "create", "--security", "--name", "load"],
    )
    .trim()
    .to_owned();
    let servers = [Server::start(&db.url), Server::start(&db.url)];

    // Eight overlapping partial uploads through both processes at once: fingerprints
    // 0..300 in windows, every one of them sent by several uploads.
    let uploads = 8;
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..uploads)
            .map(|n| {
                let url = format!("{}/api/v1/uploads", servers[n % 2].url);
                let token = token.clone();
                s.spawn(move || {
                    let body = json!({"service": "checkout", "commit": format!("c{n}"), "complete": false,
                        "report": report((n * 25)..(n * 25 + 125))});
                    call("POST", &url, &token, Some(&body))
                })
            })
            .collect();
        for h in handles {
            let (status, out) = h.join().unwrap();
            assert_eq!(status, 201, "{out}");
        }
    });
    let distinct = 7 * 25 + 125;
    let (_, listed) = call(
        "GET",
        &format!("{}/api/v1/findings?limit=10000", servers[0].url),
        &token,
        None,
    );
    let findings = listed["findings"].as_array().unwrap();
    assert_eq!(findings.len(), distinct, "none lost, none duplicated");
    assert!(
        findings
            .iter()
            .all(|f| f["state"] == "open" && f["recurrences"] == 0)
    );

    // Then a complete upload through one and a gate through the other.
    let body = json!({"service": "checkout", "complete": true, "report": report(0..10)});
    let (status, out) = call(
        "POST",
        &format!("{}/api/v1/uploads", servers[1].url),
        &token,
        Some(&body),
    );
    assert_eq!(status, 201, "{out}");
    assert_eq!(
        out["resolved"].as_u64(),
        Some(u64::try_from(distinct - 10).unwrap())
    );
    let (_, open) = call(
        "GET",
        &format!("{}/api/v1/findings?state=open", servers[0].url),
        &token,
        None,
    );
    assert_eq!(open["findings"].as_array().unwrap().len(), 10);

    drop(servers);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let events = rt.block_on(async {
        let store = jobzero_hub::Store::open(&db.url).await.unwrap();
        let events = jobzero_hub::audit::events(&store, 0, 1_000_000)
            .await
            .unwrap();
        let v = jobzero_hub::audit::verify(&store).await.unwrap();
        assert_eq!(v.broken, None);
        store.close().await;
        events
    });
    let count = |a: &str| events.iter().filter(|e| e.action == a).count();
    assert_eq!(
        count("finding.opened"),
        distinct,
        "each finding opened exactly once"
    );
    assert_eq!(count("upload.received"), uploads + 1);
    assert_eq!(count("finding.resolved"), distinct - 10);
}

/// A webhook receiver on 127.0.0.1: records the `X-Jobzero-Delivery` of every POST.
struct Receiver {
    url: String,
    deliveries: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Receiver {
    fn start() -> Receiver {
        use std::io::{BufRead, BufReader, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let deliveries = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = deliveries.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let (mut length, mut delivery) = (0usize, None);
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    let lower = line.to_ascii_lowercase();
                    if let Some(v) = lower.strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    if let Some(v) = lower.strip_prefix("x-jobzero-delivery:") {
                        delivery = Some(v.trim().to_owned());
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                if let Some(d) = delivery {
                    seen.lock().unwrap().push(d);
                }
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        });
        Receiver { url, deliveries }
    }

    fn received(&self) -> Vec<String> {
        self.deliveries.lock().unwrap().clone()
    }
}

#[test]
fn escalations_survive_a_killed_hub_and_two_processes_send_each_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let db = common::PgDb::create();
    let receiver = Receiver::start();
    let hook = &receiver.url;
    // Every deadline is now, so every step of the chain is due at once.
    let org = format!(
        r#"
[[teams]]
name = "payments"
escalation = [
  {{ role = "owner", contact = "pay-oncall@example.com", webhook = "{hook}" }},
  {{ role = "secondary", contact = "pay-lead@example.com", webhook = "{hook}" }},
  {{ role = "security-lead", contact = "appsec@example.com", webhook = "{hook}" }},
  {{ role = "ciso", contact = "ciso@example.com", webhook = "{hook}" }},
]

[[services]]
name = "checkout"
team = "payments"
exposure = "internal"
data_classification = "internal"

[policy]
sla-days = {{ critical = 0, high = 0, medium = 0, low = 0 }}
escalation = {{ reminder-before = 0, secondary-after = 0, security-lead-after = 0, ciso-after = 0 }}
"#
    );
    write_files(dir, &[("org.toml", &org)]);
    admin(dir, &db.url, &["org", "apply", "org.toml"]);
    let token = admin(
        dir,
        &db.url,
        &["token", "create", "--security", "--name", "ci"],
    )
    .trim()
    .to_owned();
    {
        let quiet = Server::start_with(&db.url, &["--escalation-interval", "0"], &[]);
        let body = json!({"service": "checkout", "commit": "c1", "complete": false, "report": report(0..3)});
        let (status, out) = call(
            "POST",
            &format!("{}/api/v1/uploads", quiet.url),
            &token,
            Some(&body),
        );
        assert_eq!(status, 201, "{out}");
    }

    // A hub that dies right after writing the outbox, before delivering anything.
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_jobzero"))
        .args([
            "hub",
            "serve",
            "--database",
            &db.url,
            "--listen",
            "127.0.0.1:0",
        ])
        .args(["--escalation-interval", "1"])
        .env("JOBZERO_FAILPOINT", "escalation-after-queue")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(86), "the failpoint ends the process");
    assert!(
        receiver.received().is_empty(),
        "nothing delivered before the crash"
    );

    // Two hubs restart on the same database: every step is delivered, and exactly once.
    let expected = 3 * 4;
    let servers = [
        Server::start_with(&db.url, &["--escalation-interval", "1"], &[]),
        Server::start_with(&db.url, &["--escalation-interval", "1"], &[]),
    ];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while receiver.received().len() < expected && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // A few more ticks of both processes, to see nothing is sent again.
    std::thread::sleep(std::time::Duration::from_secs(3));
    drop(servers);
    let received = receiver.received();
    let distinct: BTreeSet<&String> = received.iter().collect();
    assert_eq!(received.len(), expected, "{received:?}");
    assert_eq!(distinct.len(), expected, "no delivery twice: {received:?}");

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = jobzero_hub::Store::open(&db.url).await.unwrap();
        let events = jobzero_hub::audit::events(&store, 0, 1_000_000)
            .await
            .unwrap();
        let count = |a: &str| events.iter().filter(|e| e.action == a).count();
        assert_eq!(
            count("escalation.queued"),
            expected,
            "queued once, before the crash"
        );
        assert_eq!(count("escalation.sent"), expected);
        assert_eq!(
            jobzero_hub::audit::verify(&store).await.unwrap().broken,
            None
        );
        store.close().await;
    });
}
