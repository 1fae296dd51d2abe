//! A simulated year: 52 weeks of uploads, fixes, recurrences, risk acceptances, gate decisions
//! and escalations for a small organisation, on both stores. Every week's review numbers are
//! checked against counts the test keeps itself, from its own model of what it did.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    reason = "test code"
)]

mod common;

use std::collections::BTreeMap;

use common::{TestDb, finding, security, team, upload};
use jobzero_hub::findings::{self, Acceptance, Filter};
use jobzero_hub::org::{self, OrgFile};
use jobzero_hub::review::{IsoWeek, compute};
use jobzero_hub::{escalation, gate};

on_both!(a_year_of_reviews);

const ORG: &str = r#"
[[teams]]
name = "alpha"
escalation = [{ role = "owner", contact = "alpha@example.com" }, { role = "secondary", contact = "alpha-lead@example.com" }]

[[teams]]
name = "beta"
escalation = [{ role = "owner", contact = "beta@example.com" }]

[[services]]
name = "a1"
team = "alpha"
exposure = "internal"
data_classification = "internal"

[[services]]
name = "b1"
team = "beta"
exposure = "internal"
data_classification = "internal"
"#;

/// A deterministic pseudo-random sequence (a linear congruential generator).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum St {
    Open,
    Resolved,
    Accepted(i64),
}

#[derive(Clone, Debug)]
struct Model {
    state: St,
    due: i64,
}

#[derive(Default, Debug, PartialEq)]
struct Week {
    new: i64,
    resolved: i64,
    reopened: i64,
    blocked: i64,
    open_at_end: i64,
    overdue_at_end: i64,
}

const SEVERITIES: [(&str, i64); 4] = [("critical", 7), ("high", 30), ("medium", 90), ("low", 180)];

async fn a_year_of_reviews(db: TestDb) {
    let store = db.store().await;
    org::apply(&store, &OrgFile::parse(ORG, "org.toml").unwrap(), "test")
        .await
        .unwrap();
    let mut rng = Lcg(42);
    // The model: fingerprint -> (service, severity, state, due).
    let mut model: BTreeMap<String, (String, usize, Model)> = BTreeMap::new();
    let mut weeks: Vec<(IsoWeek, Week)> = Vec::new();
    // Start on a Monday morning so each simulated week is one ISO week.
    let monday = IsoWeek::containing(db.now()).end() + 3_600;
    db.clock.store(monday, std::sync::atomic::Ordering::SeqCst);
    let mut next_fp = 0;
    for _ in 0..52 {
        let week = IsoWeek::containing(db.now());
        let mut w = Week::default();
        for service in ["a1", "b1"] {
            let principal = team(if service == "a1" { "alpha" } else { "beta" });
            // Keep, fix or bring back each known finding of the service; add new ones.
            let mut report = Vec::new();
            for (fp, (svc, sev, m)) in model.iter_mut() {
                if svc != service {
                    continue;
                }
                let keep = match m.state {
                    St::Resolved => rng.next(10) == 0,
                    _ => rng.next(4) != 0,
                };
                if keep {
                    if m.state == St::Resolved {
                        w.reopened += 1;
                        m.state = St::Open;
                        m.due = db.now() + SEVERITIES[*sev].1 * 86_400;
                    }
                    report.push(finding(fp, "iac", SEVERITIES[*sev].0, "JZ-MFA"));
                } else if m.state != St::Resolved {
                    w.resolved += 1;
                    m.state = St::Resolved;
                }
            }
            for _ in 0..rng.next(4) {
                let fp = format!("f{next_fp:04}");
                next_fp += 1;
                let sev = usize::try_from(rng.next(4)).unwrap();
                model.insert(
                    fp.clone(),
                    (
                        service.to_owned(),
                        sev,
                        Model {
                            state: St::Open,
                            due: db.now() + SEVERITIES[sev].1 * 86_400,
                        },
                    ),
                );
                report.push(finding(&fp, "iac", SEVERITIES[sev].0, "JZ-MFA"));
                w.new += 1;
            }
            findings::upload(&store, &principal, &upload(service, true, &["iac"], report))
                .await
                .unwrap();
        }
        db.advance_days(2);
        // Security accepts one open finding now and then, for three weeks.
        if rng.next(3) == 0 {
            let open = findings::list(
                &store,
                &security(),
                &Filter {
                    state: Some("open".into()),
                    ..Filter::default()
                },
            )
            .await
            .unwrap();
            if let Some(f) = open.first() {
                let until = db.now() + 21 * 86_400;
                findings::accept(
                    &store,
                    &security(),
                    f.id,
                    &Acceptance {
                        reason: "planned".into(),
                        until,
                    },
                )
                .await
                .unwrap();
                model.get_mut(&f.fingerprint).unwrap().2.state = St::Accepted(until);
            }
        }
        // Expired acceptances reopen at the next gate or upload: model it the same way.
        for (_, (_, _, m)) in model.iter_mut() {
            if let St::Accepted(until) = m.state
                && until <= db.now()
            {
                m.state = St::Open;
            }
        }
        // A launch of a1 is asked every week; the model says whether it is blocked.
        let blocked_expected = model.values().any(|(svc, sev, m)| {
            svc == "a1" && m.state == St::Open && (*sev <= 1 || m.due < db.now())
        });
        let d = gate::decide(&store, &team("alpha"), "a1", None)
            .await
            .unwrap();
        assert_eq!(!d.go, blocked_expected, "gate in {week}");
        w.blocked += i64::from(!d.go);
        escalation::tick(&store, "year", None).await.unwrap();
        db.advance_days(5);
        let end = week.end();
        for (_, (_, _, m)) in model.iter() {
            let open = match m.state {
                St::Open => true,
                St::Accepted(until) => until <= end,
                St::Resolved => false,
            };
            if open {
                w.open_at_end += 1;
                w.overdue_at_end += i64::from(m.due < end);
            }
        }
        weeks.push((week, w));
    }
    // Escalations sent per week, from the outbox (not the audit log the review reads).
    let mut sent: BTreeMap<IsoWeek, i64> = BTreeMap::new();
    for e in escalation::list(&store).await.unwrap() {
        if let Some(t) = e["sent_at"].as_i64() {
            *sent.entry(IsoWeek::containing(t)).or_default() += 1;
        }
    }
    assert!(sent.values().sum::<i64>() > 0, "the year had escalations");
    // The year exercised every flow, so the comparisons below mean something.
    let total = |f: fn(&Week) -> i64| weeks.iter().map(|(_, w)| f(w)).sum::<i64>();
    assert!(total(|w| w.reopened) > 5 && total(|w| w.resolved) > 20 && total(|w| w.new) > 50);
    assert!(total(|w| w.blocked) > 5 && total(|w| w.blocked) < 52);
    assert!(weeks.iter().any(|(_, w)| w.overdue_at_end > 0));
    // Every week, through the trends of four reviews spaced 12 weeks apart and the last one.
    let mut checked = 0;
    for at in [11usize, 23, 35, 47, 51] {
        let review = compute(&store, weeks[at].0).await.unwrap();
        for h in &review.trend {
            let Some((week, w)) = weeks.iter().find(|(wk, _)| wk.to_string() == h.week) else {
                continue;
            };
            let got = Week {
                new: h.new,
                resolved: h.resolved,
                reopened: h.reopened,
                blocked: h.launches_blocked,
                open_at_end: h.open,
                overdue_at_end: h.overdue,
            };
            assert_eq!(&got, w, "{week}");
            assert_eq!(
                h.escalations_sent,
                sent.get(week).copied().unwrap_or(0),
                "{week}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 52, "{checked}");
    store.close().await;
}
