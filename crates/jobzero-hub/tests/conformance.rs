//! The store's conformance suite: every test runs on SQLite and on PostgreSQL.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    reason = "test code"
)]

mod common;

use common::{TestDb, finding, security, team, upload, with_org};
use jobzero_hub::HubError;
use jobzero_hub::audit;
use jobzero_hub::findings::{self, Acceptance, Filter};
use jobzero_hub::gate;
use jobzero_hub::org::{self, OrgFile};

on_both!(
    org_apply_is_idempotent_and_reports_changes,
    lifecycle_opens_resolves_and_reopens,
    gate_acceptance_expiry_and_deadlines,
    scopes_and_denials,
    secrets_are_never_stored_whole,
    audit_chain_detects_tampering,
    effective_severity_and_deadlines_follow_the_service,
    inventory_answers_where_and_new_advisories_open_findings,
);

async fn org_apply_is_idempotent_and_reports_changes(db: TestDb) {
    let store = db.store().await;
    let org = OrgFile::parse(common::ORG, "org.toml").unwrap();
    let first = org::apply(&store, &org, "test").await.unwrap();
    assert_eq!(
        first,
        [
            "team payments: created",
            "team search: created",
            "service checkout: created",
            "service indexer: created"
        ]
    );
    assert!(org::apply(&store, &org, "test").await.unwrap().is_empty());
    let changed = common::ORG.replacen("exposure = \"internal\"", "exposure = \"internet\"", 1)
        + "\n[policy]\ngate-threshold = \"critical\"\n";
    let org = OrgFile::parse(&changed, "org.toml").unwrap();
    assert_eq!(
        org::apply(&store, &org, "test").await.unwrap(),
        [
            "service indexer: exposure internal → internet",
            "policy: updated"
        ]
    );
    assert_eq!(
        store.policy().await.unwrap().gate_threshold,
        jobzero_core::Severity::Critical
    );
    let services = org::services(&store).await.unwrap();
    assert_eq!(services.len(), 2);
    assert_eq!(services[0].repositories, ["github.com/example/checkout"]);
    let teams = org::teams(&store).await.unwrap();
    assert_eq!(teams[0].escalation[1].contact, "pay-lead@example.com");

    // Errors name the file and line.
    let e = OrgFile::parse("[[teams]]\nname = 1\n", "org.toml").unwrap_err();
    assert!(e.to_string().starts_with("org.toml:2:"), "{e}");
    let e = OrgFile::parse(
        "[[services]]\nname = \"a\"\nteam = \"nope\"\nexposure = \"internet\"\ndata_classification = \"public\"\n",
        "org.toml",
    )
    .unwrap_err();
    assert!(e.to_string().contains("team `nope`"), "{e}");
    store.close().await;
}

async fn lifecycle_opens_resolves_and_reopens(db: TestDb) {
    let store = with_org(&db).await;
    let ci = team("payments");
    let a = finding("aaaa", "deps", "high", "JZ-SUPPLY-VULN");
    let b = finding("bbbb", "deps", "low", "JZ-SUPPLY-VULN");
    let s = finding("cccc", "iac", "medium", "JZ-ENC-REST");

    let out = findings::upload(
        &store,
        &ci,
        &upload(
            "checkout",
            true,
            &["deps", "iac"],
            vec![a.clone(), b.clone(), s.clone(), a.clone()],
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        (out.opened, out.seen, out.reopened, out.resolved),
        (3, 0, 0, 0)
    );

    db.advance_days(1);
    let out = findings::upload(
        &store,
        &ci,
        &upload(
            "checkout",
            true,
            &["deps", "iac"],
            vec![a.clone(), b.clone(), s.clone()],
        ),
    )
    .await
    .unwrap();
    assert_eq!((out.opened, out.seen), (0, 3));

    // A complete deps-only scan without `b` resolves it and leaves the iac finding alone.
    db.advance_days(1);
    let out = findings::upload(
        &store,
        &ci,
        &upload("checkout", true, &["deps"], vec![a.clone()]),
    )
    .await
    .unwrap();
    assert_eq!(out.resolved, 1);
    // A partial upload resolves nothing.
    let out = findings::upload(
        &store,
        &ci,
        &upload("checkout", false, &["deps", "iac"], vec![]),
    )
    .await
    .unwrap();
    assert_eq!(out.resolved, 0);

    let all = findings::list(&store, &security(), &Filter::default())
        .await
        .unwrap();
    let state = |fp: &str| {
        all.iter()
            .find(|f| f.fingerprint == fp)
            .map(|f| (f.state.clone(), f.recurrences))
            .unwrap()
    };
    assert_eq!(state("aaaa"), ("open".into(), 0));
    assert_eq!(state("bbbb"), ("resolved".into(), 0));
    assert_eq!(state("cccc"), ("open".into(), 0));
    let a_row = all.iter().find(|f| f.fingerprint == "aaaa").unwrap();
    assert_eq!(a_row.first_seen, common::START);
    assert!(a_row.last_seen > a_row.first_seen);

    // It comes back: reopened, flagged as a recurrence.
    db.advance_days(1);
    let out = findings::upload(
        &store,
        &ci,
        &upload("checkout", true, &["deps"], vec![a, b]),
    )
    .await
    .unwrap();
    assert_eq!(out.reopened, 1);
    let b_row = findings::list(&store, &security(), &Filter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.fingerprint == "bbbb")
        .unwrap();
    assert_eq!((b_row.state.as_str(), b_row.recurrences), ("open", 1));
    assert_eq!(b_row.resolved_at, None);

    // Filters.
    let resolved = findings::list(
        &store,
        &security(),
        &Filter {
            state: Some("open".into()),
            severity: Some(jobzero_core::Severity::Critical),
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(resolved.len(), 1, "{resolved:?}");
    assert_eq!(resolved[0].fingerprint, "aaaa");

    // Every transition is an event and the chain holds.
    let events = audit::events(&store, 0, 10_000).await.unwrap();
    let count = |action: &str| events.iter().filter(|e| e.action == action).count();
    assert_eq!(count("finding.opened"), 3);
    assert_eq!(count("finding.resolved"), 1);
    assert_eq!(count("finding.reopened"), 1);
    assert_eq!(count("upload.received"), 5);
    let v = audit::verify(&store).await.unwrap();
    assert_eq!(v.broken, None);
    assert_eq!(v.events, i64::try_from(events.len()).unwrap());
    store.close().await;
}

async fn gate_acceptance_expiry_and_deadlines(db: TestDb) {
    let store = with_org(&db).await;
    let ci = team("payments");
    let high = finding("h1", "deps", "high", "JZ-SUPPLY-VULN");
    let medium = finding("m1", "iac", "medium", "JZ-MFA");
    findings::upload(
        &store,
        &ci,
        &upload("checkout", true, &["deps", "iac"], vec![high, medium]),
    )
    .await
    .unwrap();

    let d = gate::decide(&store, &ci, "checkout", Some("v1"))
        .await
        .unwrap();
    assert!(!d.go);
    assert_eq!(d.blocking.len(), 1);
    let blocking = &d.blocking[0];
    assert_eq!(
        blocking.effective_severity, "critical",
        "internet-facing raises a vulnerable dependency"
    );
    assert_eq!(blocking.owner, "payments");
    assert_eq!(
        blocking.owner_contact.as_deref(),
        Some("pay-oncall@example.com")
    );
    assert_eq!(blocking.due_at, Some(common::START + 7 * 86_400));

    // Only the security role accepts.
    let acceptance = Acceptance {
        reason: "compensating WAF rule".into(),
        until: db.now() + 10 * 86_400,
    };
    let e = findings::accept(&store, &ci, blocking.id, &acceptance)
        .await
        .unwrap_err();
    assert!(matches!(e, HubError::Forbidden(_)), "{e}");
    let accepted = findings::accept(&store, &security(), blocking.id, &acceptance)
        .await
        .unwrap();
    assert_eq!(accepted.state, "accepted");
    assert_eq!(
        accepted.accepted_reason.as_deref(),
        Some("compensating WAF rule")
    );
    assert!(
        gate::decide(&store, &ci, "checkout", Some("v1"))
            .await
            .unwrap()
            .go
    );

    // The acceptance expires: reopened, and by then past its 7-day deadline.
    db.advance_days(11);
    let d = gate::decide(&store, &ci, "checkout", Some("v2"))
        .await
        .unwrap();
    assert!(!d.go);
    assert_eq!(
        d.blocking[0].reasons.len(),
        2,
        "{:?}",
        d.blocking[0].reasons
    );
    let events = audit::events(&store, 0, 10_000).await.unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.action == "finding.acceptance_expired")
    );
    assert_eq!(
        events.iter().filter(|e| e.action == "gate.decided").count(),
        3
    );

    // A medium finding blocks once past its 90-day deadline.
    let mut security_fix = upload("checkout", true, &["deps"], vec![]);
    security_fix.commit = Some("fix".into());
    findings::upload(&store, &ci, &security_fix).await.unwrap();
    let d = gate::decide(&store, &ci, "checkout", None).await.unwrap();
    assert!(d.go, "{d:?}");
    db.advance_days(80);
    let d = gate::decide(&store, &ci, "checkout", None).await.unwrap();
    assert!(!d.go);
    assert_eq!(d.blocking[0].reasons, ["past its deadline"]);
    let overdue = findings::list(
        &store,
        &security(),
        &Filter {
            overdue: true,
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(overdue.len(), 1);
    assert!(overdue[0].overdue);
    store.close().await;
}

async fn scopes_and_denials(db: TestDb) {
    let store = with_org(&db).await;
    let token = jobzero_hub::auth::create_token(&store, Some("payments"), "ci")
        .await
        .unwrap();
    assert!(token.starts_with("jz_"));
    assert_eq!(token.len(), 3 + 12 + 1 + 64);
    let p = jobzero_hub::auth::authenticate(&store, &token)
        .await
        .unwrap();
    assert_eq!(
        p.role,
        jobzero_hub::auth::Role::Team {
            team: "payments".into()
        }
    );
    // One hex digit of the secret changed (never to itself).
    let last = if token.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &token[..token.len() - 1]);
    assert!(matches!(
        jobzero_hub::auth::authenticate(&store, &forged).await,
        Err(HubError::Unauthorized(_))
    ));
    assert!(
        jobzero_hub::auth::authenticate(&store, "nonsense")
            .await
            .is_err()
    );
    assert!(
        jobzero_hub::auth::create_token(&store, Some("nope"), "x")
            .await
            .is_err()
    );

    // A team token cannot write or read another team's service.
    let before = audit::events(&store, 0, 10_000).await.unwrap().len();
    let e = findings::upload(
        &store,
        &p,
        &upload(
            "indexer",
            true,
            &["deps"],
            vec![finding("x", "deps", "low", "JZ-SUPPLY-VULN")],
        ),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, HubError::Forbidden(_)), "{e}");
    assert!(matches!(
        gate::decide(&store, &p, "indexer", None).await,
        Err(HubError::Forbidden(_))
    ));
    assert!(matches!(
        findings::list(
            &store,
            &p,
            &Filter {
                team: Some("search".into()),
                ..Filter::default()
            }
        )
        .await,
        Err(HubError::Forbidden(_))
    ));
    // The refused upload changed nothing.
    assert_eq!(
        audit::events(&store, 0, 10_000).await.unwrap().len(),
        before
    );
    assert!(
        findings::list(&store, &security(), &Filter::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        findings::upload(&store, &p, &upload("unknown", true, &["deps"], vec![])).await,
        Err(HubError::NotFound(_))
    ));
    store.close().await;
}

const CANARY: &str = "AKIAJOBZEROCANARY7777";

async fn secrets_are_never_stored_whole(db: TestDb) {
    let store = with_org(&db).await;
    let mut f = finding("s1", "secrets", "critical", "JZ-SECRET-HARDCODED");
    // A careless or hostile client sends the secret whole.
    f["message"] = format!("AWS key {CANARY} found").into();
    f["location"]["snippet"] = format!("key = \"{CANARY}\"").into();
    findings::upload(
        &store,
        &team("payments"),
        &upload("checkout", true, &["secrets"], vec![f]),
    )
    .await
    .unwrap();
    let stored = findings::list(&store, &security(), &Filter::default())
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!format!("{stored:?}").contains(CANARY));
    let events = audit::events(&store, 0, 10_000).await.unwrap();
    assert!(!format!("{events:?}").contains(CANARY));
    store.close().await;
}

async fn audit_chain_detects_tampering(db: TestDb) {
    let store = with_org(&db).await;
    findings::upload(
        &store,
        &team("payments"),
        &upload(
            "checkout",
            true,
            &["deps"],
            vec![finding("t1", "deps", "low", "JZ-SUPPLY-VULN")],
        ),
    )
    .await
    .unwrap();
    let ok = audit::verify(&store).await.unwrap();
    assert_eq!(ok.broken, None);
    assert!(ok.events >= 6);

    // The triggers refuse edits; an administrator with direct access removes them first.
    let edit = "UPDATE audit_events SET actor = 'someone else' WHERE seq = 3";
    assert!(
        sqlx_exec(&db, edit).await.is_err(),
        "audit events are append-only"
    );
    match store.backend() {
        jobzero_hub::store::Backend::Sqlite => {
            sqlx_exec(&db, "DROP TRIGGER audit_events_no_update")
                .await
                .unwrap();
        }
        jobzero_hub::store::Backend::Postgres => {
            sqlx_exec(&db, "DROP TRIGGER audit_events_append_only ON audit_events")
                .await
                .unwrap();
        }
    }
    sqlx_exec(&db, edit).await.unwrap();
    let v = audit::verify(&store).await.unwrap();
    let (seq, why) = v.broken.unwrap();
    assert_eq!(seq, 3);
    assert!(why.contains("altered"), "{why}");
    assert_eq!(v.events, 2);
    store.close().await;
}

async fn sqlx_exec(db: &TestDb, sql: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let url = db.url.replacen("sqlite:", "sqlite://", 1);
    let mut c = sqlx::AnyConnection::connect(&url).await?;
    sqlx::query(sql).execute(&mut c).await.map(|_| ())
}

async fn effective_severity_and_deadlines_follow_the_service(db: TestDb) {
    let store = with_org(&db).await;
    // Internal service: a vulnerable dependency one step lower; its SLA follows.
    findings::upload(
        &store,
        &team("search"),
        &upload(
            "indexer",
            true,
            &["deps"],
            vec![finding("i1", "deps", "high", "JZ-SUPPLY-VULN")],
        ),
    )
    .await
    .unwrap();
    let f = &findings::list(&store, &security(), &Filter::default())
        .await
        .unwrap()[0];
    assert_eq!(
        (f.severity.as_str(), f.effective_severity.as_str()),
        ("high", "medium")
    );
    assert_eq!(f.severity_reason, "the service is internal only");
    assert_eq!(f.due_at, Some(common::START + 90 * 86_400));
    assert_eq!(f.team, "search");

    // The organisation's own matrix: MFA findings on internet-facing services two steps up.
    let org = format!(
        "{}\n[policy]\ngate-threshold = \"high\"\n\n[[policy.severity-matrix]]\nexposure = \"internet\"\nexpectations = [\"JZ-MFA\"]\nsteps = 2\nreason = \"console access from the internet\"\n",
        common::ORG
    );
    let org = OrgFile::parse(&org, "org.toml").unwrap();
    assert_eq!(
        org::apply(&store, &org, "test").await.unwrap(),
        ["policy: updated"]
    );
    findings::upload(
        &store,
        &team("payments"),
        &upload(
            "checkout",
            true,
            &["iac"],
            vec![
                finding("mfa", "iac", "medium", "JZ-MFA"),
                finding("vuln", "iac", "high", "JZ-SUPPLY-VULN"),
            ],
        ),
    )
    .await
    .unwrap();
    let listed = findings::list(
        &store,
        &security(),
        &Filter {
            service: Some("checkout".into()),
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    let mfa = listed.iter().find(|f| f.fingerprint == "mfa").unwrap();
    assert_eq!(mfa.effective_severity, "critical");
    assert_eq!(mfa.severity_reason, "console access from the internet");
    // The custom matrix replaces the default one.
    let vuln = listed.iter().find(|f| f.fingerprint == "vuln").unwrap();
    assert_eq!(vuln.effective_severity, "high");
    store.close().await;
}

fn log4j(service_lockfile: &str, version: &str) -> serde_json::Value {
    serde_json::json!({
        "ecosystem": "Maven", "name": "org.apache.logging.log4j:log4j-core", "version": version,
        "purl": format!("pkg:maven/org.apache.logging.log4j/log4j-core@{version}"),
        "direct": true, "scope": "runtime", "lockfile": service_lockfile, "line": 12,
    })
}

async fn inventory_answers_where_and_new_advisories_open_findings(db: TestDb) {
    use jobzero_hub::inventory::{Lookup, lookup};
    let store = with_org(&db).await;
    let with_inventory = |service: &str, items: Vec<serde_json::Value>| {
        let mut u = upload(service, true, &["deps"], vec![]);
        u.inventory = Some(serde_json::from_value(serde_json::Value::Array(items)).unwrap());
        u
    };
    findings::upload(
        &store,
        &team("payments"),
        &with_inventory(
            "checkout",
            vec![
                log4j("pom.xml", "2.14.1"),
                serde_json::json!({"ecosystem": "npm", "name": "lodash", "version": "4.17.21",
            "purl": "pkg:npm/lodash@4.17.21", "lockfile": "web/package-lock.json"}),
            ],
        ),
    )
    .await
    .unwrap();
    findings::upload(
        &store,
        &team("search"),
        &with_inventory("indexer", vec![log4j("build/gradle.lockfile", "2.17.1")]),
    )
    .await
    .unwrap();
    let by_name = |name: &str, version: Option<&str>| Lookup {
        name: Some(name.into()),
        version: version.map(Into::into),
        purl: None,
    };
    let all = lookup(&store, &security(), &by_name("LOG4J-core", None))
        .await
        .unwrap();
    let found: Vec<_> = all
        .iter()
        .map(|h| (h.service.as_str(), h.team.as_str(), h.version.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("checkout", "payments", "2.14.1"),
            ("indexer", "search", "2.17.1")
        ]
    );
    assert_eq!(all[0].last_commit.as_deref(), Some("abc123"));
    let exact = lookup(
        &store,
        &security(),
        &Lookup {
            purl: Some("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1".into()),
            ..Lookup::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(exact.len(), 1);
    assert_eq!(
        lookup(
            &store,
            &security(),
            &by_name("org.apache.logging.log4j:log4j-core", Some("2.17.1"))
        )
        .await
        .unwrap()
        .len(),
        1
    );
    // A team sees its own services only.
    assert_eq!(
        lookup(&store, &team("search"), &by_name("log4j-core", None))
            .await
            .unwrap()
            .len(),
        1
    );
    // A later complete scan without the package: no longer listed.
    findings::upload(&store, &team("search"), &with_inventory("indexer", vec![]))
        .await
        .unwrap();
    assert_eq!(
        lookup(&store, &security(), &by_name("log4j-core", None))
            .await
            .unwrap()
            .len(),
        1
    );

    // Log4Shell lands: the hub re-matches what it knows, no rescan.
    let advisory = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/deps/advisories/ghsa-sample/GHSA-jfh8-c2jp-5v3q.json");
    let out = jobzero_hub::advisories::import(&store, std::slice::from_ref(&advisory), "security")
        .await
        .unwrap();
    assert_eq!((out.stored, out.opened), (1, 1), "{out:?}");
    let opened = findings::list(&store, &security(), &Filter::default())
        .await
        .unwrap();
    assert_eq!(opened.len(), 1);
    let f = &opened[0];
    assert_eq!(
        (f.service.as_str(), f.rule.as_str()),
        ("checkout", "vuln/GHSA-jfh8-c2jp-5v3q")
    );
    assert_eq!(f.effective_severity, "critical");
    assert_eq!(f.path, "pom.xml");
    // Importing again changes nothing.
    let again = jobzero_hub::advisories::import(&store, &[advisory], "security")
        .await
        .unwrap();
    assert_eq!((again.stored, again.unchanged, again.opened), (0, 1, 0));
    store.close().await;
}
