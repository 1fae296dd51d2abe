//! The weekly review replayed from the audit log, on both stores: a month of uploads, fixes, an
//! acceptance, a gate decision and a recurrence, each number checked against the scenario.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    reason = "test code"
)]

mod common;

use common::{TestDb, finding, security, team, upload, with_org};
use jobzero_hub::findings::{self, Acceptance, Filter};
use jobzero_hub::gate;
use jobzero_hub::review::{IsoWeek, compute, html, markdown};

on_both!(a_month_replayed);

async fn a_month_replayed(db: TestDb) {
    let store = with_org(&db).await;
    let pay = team("payments");
    let week0 = IsoWeek::containing(db.now());
    // Week 0: checkout (internet, confidential) gets a critical and a low finding; the indexer
    // (internal) a medium one.
    let a = finding("a", "iac", "critical", "JZ-MFA");
    let c = finding("c", "iac", "low", "JZ-MFA");
    findings::upload(
        &store,
        &pay,
        &upload("checkout", true, &["iac"], vec![a.clone(), c.clone()]),
    )
    .await
    .unwrap();
    findings::upload(
        &store,
        &team("search"),
        &upload(
            "indexer",
            true,
            &["iac"],
            vec![finding("d", "iac", "medium", "JZ-LOG-AUDIT")],
        ),
    )
    .await
    .unwrap();
    // Week 1: `a` fixed six days after it opened (inside its 7-day deadline).
    db.advance_days(6);
    findings::upload(
        &store,
        &pay,
        &upload("checkout", true, &["iac"], vec![c.clone()]),
    )
    .await
    .unwrap();
    // Week 2: a new high finding blocks a launch, then security accepts it for ten days.
    db.advance_days(7);
    let e = finding("e", "iac", "high", "JZ-ENC-REST");
    findings::upload(
        &store,
        &pay,
        &upload("checkout", true, &["iac"], vec![c.clone(), e.clone()]),
    )
    .await
    .unwrap();
    assert!(
        !gate::decide(&store, &pay, "checkout", Some("1.0"))
            .await
            .unwrap()
            .go
    );
    let e_id = findings::list(&store, &security(), &Filter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.fingerprint == "e")
        .unwrap()
        .id;
    findings::accept(
        &store,
        &security(),
        e_id,
        &Acceptance {
            reason: "compensating control".into(),
            until: db.now() + 10 * 86_400,
        },
    )
    .await
    .unwrap();
    // Week 3: `a` comes back.
    db.advance_days(7);
    findings::upload(
        &store,
        &pay,
        &upload("checkout", true, &["iac"], vec![a, c, e]),
    )
    .await
    .unwrap();

    let week3 = IsoWeek::containing(db.now());
    let r = compute(&store, week3).await.unwrap();
    assert_eq!(r.trend.len(), 12);
    let by_week = |w: IsoWeek| {
        r.trend
            .iter()
            .find(|h| h.week == w.to_string())
            .unwrap()
            .clone()
    };
    let w0 = by_week(week0);
    // Independent counts from the scenario: three openings in the first upload week.
    assert_eq!((w0.new, w0.resolved, w0.open), (3, 0, 3));
    let fix_week = IsoWeek::containing(common::START + 6 * 86_400);
    let fixed = by_week(fix_week);
    assert_eq!(fixed.resolved, 1);
    assert_eq!(fixed.sla_compliance, 100.0);
    assert_eq!(fixed.median_days_to_fix, Some(6.0));
    let block_week = IsoWeek::containing(common::START + 13 * 86_400);
    assert_eq!(by_week(block_week).launches_blocked, 1);
    // The end of week 3: c and d open, e accepted (until day 23, after the week's end or not),
    // a reopened.
    let e_until = common::START + 13 * 86_400 + 10 * 86_400;
    let e_open = i64::from(e_until <= week3.end());
    assert_eq!(r.headline.reopened, 1);
    assert_eq!(r.headline.new, 0);
    assert_eq!(r.headline.recurrence_rate, 100.0);
    assert_eq!(r.headline.open, 3 + e_open);
    // 12 weeks of history: the weeks before the first upload are empty.
    assert_eq!(r.trend[0].open, 0);
    // Critical on checkout (payments): a, and e (high, raised by confidential data) once its
    // acceptance has lapsed; d is medium (internal service, not raised).
    assert_eq!(r.open_by_team["payments"]["critical"], 1 + e_open);
    assert_eq!(r.open_by_team["search"]["medium"], 1);
    assert_eq!(r.riskiest_services[0].service, "checkout");
    assert_eq!(r.expectations_by_team["search"]["JZ-LOG-AUDIT"], 1);
    if e_open == 0 {
        assert_eq!(r.expiring_acceptances.len(), 1);
        assert_eq!(r.expiring_acceptances[0].finding, e_id);
    }

    // Reproducible: the same week computed again after more activity gives the same numbers.
    db.advance_days(14);
    findings::upload(&store, &pay, &upload("checkout", true, &["iac"], vec![]))
        .await
        .unwrap();
    assert_eq!(compute(&store, week3).await.unwrap(), r);

    let md = markdown(&r);
    assert!(md.starts_with(&format!("# Weekly security review — {week3}")));
    assert!(
        md.contains(&format!("| payments | {} |", 1 + e_open)),
        "{md}"
    );
    let page = html(&r);
    assert!(page.starts_with("<!doctype html>") && page.contains("<svg"));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "self-contained"
    );
    store.close().await;
}
