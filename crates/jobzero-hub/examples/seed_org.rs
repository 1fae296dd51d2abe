//! Seeds a hub database with a generated organisation and a history of WEEKS weeks, for
//! `bench/review.sh`: TEAMS teams, SERVICES services, about FINDINGS findings, inventories,
//! weekly complete uploads of a rotating tenth of the services (fixes and new findings),
//! gate decisions, acceptances and escalation passes, all on a simulated clock.
//!
//! Usage: cargo run --release -p jobzero-hub --example seed_org -- DATABASE TEAMS SERVICES FINDINGS WEEKS

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a bench tool"
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jobzero_hub::Store;
use jobzero_hub::auth::{Principal, Role};
use jobzero_hub::findings::{self, Acceptance, Filter, UploadRequest};
use jobzero_hub::org::OrgFile;
use serde_json::{Value, json};

const EXPECTATIONS: [&str; 4] = ["JZ-MFA", "JZ-ENC-REST", "JZ-TLS", "JZ-LOG-AUDIT"];

fn finding(fp: u64, sev: &str) -> Value {
    let expectation = EXPECTATIONS[usize::try_from(fp % 4).unwrap()];
    json!({"rule": "iac/bench", "code": "TST001", "family": "iac", "title": format!("finding {fp}"),
        "message": "generated", "severity": sev, "effective_severity": sev, "confidence": "high",
        "expectation": expectation,
        "location": {"path": format!("infra/{}.tf", fp % 97), "start_line": fp % 500 + 1},
        "fingerprint": format!("{fp:016x}"), "references": [], "remediation": ""})
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, teams, services, total, weeks] = args.as_slice() else {
        panic!("usage: seed_org DATABASE TEAMS SERVICES FINDINGS WEEKS");
    };
    let (teams, services, total, weeks): (u64, u64, u64, i64) = (
        teams.parse().unwrap(),
        services.parse().unwrap(),
        total.parse().unwrap(),
        weeks.parse().unwrap(),
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let clock = Arc::new(AtomicI64::new(
        i64::try_from(now).unwrap() - weeks * 7 * 86_400,
    ));
    let c = clock.clone();
    let store = Store::open_with_clock(url, Arc::new(move || c.load(Ordering::SeqCst)))
        .await
        .unwrap();
    let mut org = String::new();
    for t in 0..teams {
        org.push_str(&format!(
            "[[teams]]\nname = \"team{t}\"\nescalation = [{{ role = \"owner\", contact = \"t{t}@example.com\" }}, {{ role = \"secondary\", contact = \"t{t}-lead@example.com\" }}]\n"
        ));
    }
    for s in 0..services {
        org.push_str(&format!(
            "[[services]]\nname = \"svc{s}\"\nteam = \"team{}\"\nexposure = \"{}\"\ndata_classification = \"confidential\"\n",
            s % teams,
            if s % 3 == 0 { "internet" } else { "internal" }
        ));
    }
    jobzero_hub::org::apply(&store, &OrgFile::parse(&org, "org.toml").unwrap(), "seed")
        .await
        .unwrap();
    let security = Principal {
        token_id: "seed".into(),
        name: "seed".into(),
        role: Role::Security,
    };
    let per = total / services;
    let severities = ["low", "medium", "medium", "high", "critical"];
    // Each service's current findings: a window [from, to) of its fingerprint space.
    let mut windows: Vec<(u64, u64)> = (0..services)
        .map(|s| (s * 1_000_000, s * 1_000_000 + per))
        .collect();
    let inventory = |s: u64| -> Value {
        Value::Array(
            (0..50)
                .map(|i| {
                    let (name, version) = if i == 0 && s % 20 == 0 {
                        ("org.apache.logging.log4j:log4j-core".to_owned(), "2.14.1".to_owned())
                    } else {
                        (format!("com.example:lib{}", (s * 7 + i) % 400), format!("1.{}.0", i % 9))
                    };
                    let (g, a) = name.split_once(':').unwrap();
                    json!({"ecosystem": "Maven", "name": name, "version": version,
                        "purl": format!("pkg:maven/{g}/{a}@{version}"), "lockfile": "pom.xml", "line": i + 1})
                })
                .collect(),
        )
    };
    let upload = |s: u64, from: u64, to: u64| -> UploadRequest {
        let list: Vec<Value> = (from..to)
            .map(|fp| finding(fp, severities[usize::try_from(fp % 5).unwrap()]))
            .collect();
        serde_json::from_value(
            json!({"service": format!("svc{s}"), "commit": "seed", "complete": true,
            "report": {"findings": list, "summary": {"families": ["iac", "deps"]}},
            "inventory": inventory(s)}),
        )
        .unwrap()
    };
    let started = std::time::Instant::now();
    for s in 0..services {
        let (from, to) = windows[usize::try_from(s).unwrap()];
        findings::upload(&store, &security, &upload(s, from, to))
            .await
            .unwrap();
    }
    eprintln!(
        "seeded {} findings in {:.1} s",
        per * services,
        started.elapsed().as_secs_f64()
    );
    for week in 0..weeks {
        clock.fetch_add(7 * 86_400, Ordering::SeqCst);
        // A rotating tenth of the services: 3% fixed, 3% new.
        for s in (0..services).filter(|s| (s + u64::try_from(week).unwrap()) % 10 == 0) {
            let w = &mut windows[usize::try_from(s).unwrap()];
            let step = (per * 3 / 100).max(1);
            *w = (w.0 + step, w.1 + step);
            findings::upload(&store, &security, &upload(s, w.0, w.1))
                .await
                .unwrap();
            let d = jobzero_hub::gate::decide(&store, &security, &format!("svc{s}"), None).await;
            drop(d);
        }
        // One acceptance a week.
        let open = findings::list(
            &store,
            &security,
            &Filter {
                state: Some("open".into()),
                limit: Some(1),
                ..Filter::default()
            },
        )
        .await
        .unwrap();
        if let Some(f) = open.first() {
            let until = clock.load(Ordering::SeqCst) + 30 * 86_400;
            findings::accept(
                &store,
                &security,
                f.id,
                &Acceptance {
                    reason: "bench".into(),
                    until,
                },
            )
            .await
            .unwrap();
        }
        // Escalation passes in the last weeks only: a pass over a year of overdue findings
        // writes an outbox row and an event per step, which is not what this bench measures.
        if week + 2 >= weeks {
            jobzero_hub::escalation::tick(&store, "seed", None)
                .await
                .unwrap();
        }
        eprintln!("week {week}: {:.1} s", started.elapsed().as_secs_f64());
    }
    store.close().await;
}
