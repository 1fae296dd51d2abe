//! The HTTP server in process, on 127.0.0.1: every route of the OpenAPI document exists (and
//! none is missing from it), protected routes refuse anonymous callers, bodies are limited,
//! and the metrics are Prometheus text.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    reason = "test code"
)]

mod common;

use jobzero_hub::server::{AppState, OPENAPI, app_with_limit};
use serde_json::Value;

async fn start(db: &common::TestDb, limit: usize) -> String {
    let store = common::with_org(db).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app_with_limit(AppState::new(store), limit))
            .await
            .unwrap();
    });
    format!("http://{addr}")
}

fn request(method: &str, url: &str, token: Option<&str>, body: Option<String>) -> (u16, String) {
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build(),
    );
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut r = if method == "get" {
        let mut req = agent.get(url);
        if let Some(a) = &auth {
            req = req.header("Authorization", a);
        }
        req.call().unwrap()
    } else {
        let mut req = agent.post(url).header("Content-Type", "application/json");
        if let Some(a) = &auth {
            req = req.header("Authorization", a);
        }
        req.send(body.unwrap_or_else(|| "{}".to_owned())).unwrap()
    };
    let status = r.status().as_u16();
    (status, r.body_mut().read_to_string().unwrap_or_default())
}

/// The routes the router serves, as the OpenAPI document must list them.
const ROUTES: [(&str, &str); 13] = [
    ("get", "/healthz"),
    ("get", "/metrics"),
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/uploads"),
    ("get", "/api/v1/findings"),
    ("get", "/api/v1/findings/{id}"),
    ("post", "/api/v1/findings/{id}/accept"),
    ("get", "/api/v1/services"),
    ("get", "/api/v1/services/{service}/gate"),
    ("get", "/api/v1/teams"),
    ("get", "/api/v1/inventory"),
    ("get", "/api/v1/review"),
    ("get", "/api/v1/audit/verify"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_matches_the_router() {
    let db = common::sqlite().await;
    let base = start(&db, 1 << 20).await;
    let doc: Value = serde_json::from_str(OPENAPI).unwrap();
    let mut documented: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    documented.sort();
    let mut served: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    served.sort();
    assert_eq!(documented, served);

    let checks = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        for (method, path) in ROUTES {
            let url = format!(
                "{base}{}",
                path.replace("{id}", "1").replace("{service}", "checkout")
            );
            let (status, body) = request(method, &url, None, None);
            out.push((method, path, status, body));
        }
        // A route that does not exist is a 404, so the statuses above mean something.
        out.push((
            "get",
            "/nope",
            request("get", &format!("{base}/api/v1/nope"), None, None).0,
            String::new(),
        ));
        out
    })
    .await
    .unwrap();
    for (method, path, status, body) in checks {
        if path == "/nope" {
            assert_eq!(status, 404);
            continue;
        }
        let public = ["/healthz", "/metrics", "/api/v1/openapi.json"].contains(&path);
        let expected = if public { 200 } else { 401 };
        assert_eq!(status, expected, "{method} {path}: {body}");
        if !public {
            let e: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(e["error"]["status"], 401, "{body}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_are_limited_and_metrics_are_prometheus_text() {
    let db = common::sqlite().await;
    let store = db.store().await;
    let base = start(&db, 2048).await;
    let token = jobzero_hub::auth::create_token(&store, None, "t")
        .await
        .unwrap();
    let (big, bad, metrics) = tokio::task::spawn_blocking(move || {
        let big = request(
            "post",
            &format!("{base}/api/v1/uploads"),
            Some(&token),
            Some(format!("{{\"service\": \"{}\"}}", "x".repeat(4096))),
        );
        let bad = request(
            "post",
            &format!("{base}/api/v1/uploads"),
            Some(&token),
            Some("{\"service\": 1}".into()),
        );
        let metrics = request("get", &format!("{base}/metrics"), None, None);
        (big, bad, metrics)
    })
    .await
    .unwrap();
    assert_eq!(big.0, 413);
    assert_eq!(bad.0, 400, "{}", bad.1);
    assert!(bad.1.contains("\"status\":400"), "{}", bad.1);
    assert_eq!(metrics.0, 200);
    for line in metrics.1.lines().filter(|l| !l.starts_with('#')) {
        let (name, value) = line.rsplit_once(' ').unwrap();
        assert!(name.starts_with("jobzero_hub_"), "{line}");
        assert!(value.parse::<f64>().is_ok(), "{line}");
    }
    assert!(
        metrics.1.contains("jobzero_hub_requests_total 1"),
        "{}",
        metrics.1
    );
}

fn browser() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build(),
    )
}

/// GET with a session cookie: status, headers of interest, body.
fn page(
    base: &str,
    path: &str,
    cookie: Option<&str>,
) -> (u16, Option<String>, Option<String>, String) {
    let mut req = browser().get(&format!("{base}{path}"));
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    let mut r = req.call().unwrap();
    let csp = r
        .headers()
        .get("content-security-policy")
        .map(|v| v.to_str().unwrap().to_owned());
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    (
        r.status().as_u16(),
        csp,
        location,
        r.body_mut().read_to_string().unwrap_or_default(),
    )
}

on_both!(dashboard_login_pages_escaping_and_scopes);

async fn dashboard_login_pages_escaping_and_scopes(db: common::TestDb) {
    let store = db.store().await;
    let base = start(&db, 1 << 20).await;
    let security = jobzero_hub::auth::create_token(&store, None, "alice")
        .await
        .unwrap();
    let search = jobzero_hub::auth::create_token(&store, Some("search"), "bob")
        .await
        .unwrap();
    // A hostile finding: markup in its title and message.
    let mut f = common::finding("x1", "iac", "high", "JZ-MFA");
    f["title"] = "<script>alert(1)</script>".into();
    f["message"] = "\"><img src=x onerror=alert(2)>".into();
    jobzero_hub::findings::upload(
        &store,
        &common::team("payments"),
        &common::upload("checkout", true, &["iac"], vec![f]),
    )
    .await
    .unwrap();

    let checks = tokio::task::spawn_blocking(move || {
        // Not logged in: to the login page.
        let (status, _, location, _) = page(&base, "/", None);
        assert_eq!((status, location.as_deref()), (303, Some("/login")));
        // A wrong token is refused.
        let bad = browser()
            .post(&format!("{base}/login"))
            .send_form([("token", "jz_00_nope")])
            .unwrap();
        assert_eq!(bad.status().as_u16(), 401);
        // Logging in sets a strict session cookie.
        let ok = browser()
            .post(&format!("{base}/login"))
            .send_form([("token", security.as_str())])
            .unwrap();
        assert_eq!(ok.status().as_u16(), 303);
        let cookie = ok
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        assert!(
            !cookie.contains(&security),
            "the cookie is a session id, not the token"
        );
        let session = cookie.split(';').next().unwrap().to_owned();

        let mut bodies = Vec::new();
        for path in [
            "/",
            "/teams/payments",
            "/services/checkout",
            "/findings/1",
            "/inventory?q=log4j-core",
            "/review",
        ] {
            let (status, csp, _, body) = page(&base, path, Some(&session));
            assert_eq!(status, 200, "{path}: {body}");
            let csp = csp.unwrap();
            assert!(
                csp.contains("default-src 'none'") && !csp.contains("script-src"),
                "{csp}"
            );
            assert!(!body.contains("<script"), "{path} has a script");
            bodies.push((path, body));
        }
        let finding = &bodies[3].1;
        assert!(
            finding.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{finding}"
        );
        assert!(finding.contains("&quot;&gt;&lt;img"), "{finding}");
        assert!(bodies[2].1.contains("NO-GO"), "{}", bodies[2].1);
        let (status, _, _, css) = page(&base, "/static/app.css", None);
        assert_eq!(status, 200);
        assert!(css.contains("body{"));

        // A team session sees its own team only.
        let ok = browser()
            .post(&format!("{base}/login"))
            .send_form([("token", search.as_str())])
            .unwrap();
        let cookie = ok
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let session = cookie.split(';').next().unwrap().to_owned();
        assert_eq!(page(&base, "/services/checkout", Some(&session)).0, 403);
        assert_eq!(page(&base, "/findings/1", Some(&session)).0, 403);
        assert_eq!(page(&base, "/review", Some(&session)).0, 403);
        assert_eq!(page(&base, "/services/indexer", Some(&session)).0, 200);
        // Logging out ends the session.
        browser()
            .post(&format!("{base}/logout"))
            .header("Cookie", &session)
            .send_empty()
            .unwrap();
        assert_eq!(page(&base, "/", Some(&session)).0, 303);
    })
    .await;
    checks.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_upload_is_refused_without_echoing_its_secrets() {
    let db = common::sqlite().await;
    let store = db.store().await;
    let base = start(&db, 64 * 1024).await;
    let token = jobzero_hub::auth::create_token(&store, None, "t")
        .await
        .unwrap();
    let secret = "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";
    let answer = tokio::task::spawn_blocking(move || {
        request(
            "post",
            &format!("{base}/api/v1/uploads"),
            Some(&token),
            Some(format!(
                "{{\"service\": \"s\", \"report\": {{\"findings\": [], \"summary\": {{\"families\": [\"{secret}\"]}}}}}}"
            )),
        )
    })
    .await
    .unwrap();
    assert_eq!(answer.0, 400, "{}", answer.1);
    assert!(answer.1.contains("unknown variant"), "{}", answer.1);
    assert!(!answer.1.contains(secret), "{}", answer.1);
}
