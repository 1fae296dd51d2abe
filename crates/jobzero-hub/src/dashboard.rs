//! The dashboard: server-rendered pages of the hub, no script at all.
//!
//! A browser logs in with an API token and gets a session cookie (`HttpOnly`,
//! `SameSite=Strict`, `Secure` behind TLS, as `X-Forwarded-Proto: https` says); the session
//! stands for the token and sees what it may see (a team token: its team). Every value is
//! HTML-escaped; every page carries a Content-Security-Policy that allows nothing but the
//! hub's own stylesheet and forms posting back to it. The overview's 12-week trend is the
//! current week's review, cached for five minutes.

use std::fmt::Write as _;

use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use sqlx::Row;

use crate::auth::{self, Principal};
use crate::calendar::{IsoWeek, date};
use crate::error::HubError;
use crate::findings::{self, Filter};
use crate::html::{escape, sparkline};
use crate::review;
use crate::state::AppState;

const COOKIE: &str = "jz_session";
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The dashboard's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(overview))
        .route("/static/app.css", get(stylesheet))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/teams/{team}", get(team_page))
        .route("/services/{service}", get(service_page))
        .route("/findings/{id}", get(finding_page))
        .route("/inventory", get(inventory_page))
        .route("/review", get(review_page))
}

fn page(title: &str, principal: Option<&Principal>, body: &str) -> Response {
    let nav = match principal {
        Some(p) => format!(
            "<nav><a href=\"/\">Overview</a><a href=\"/inventory\">Inventory</a>{}<form method=\"post\" action=\"/logout\" class=\"inline\"><button>Log out {}</button></form></nav>",
            if p.is_security() {
                "<a href=\"/review\">Weekly review</a>"
            } else {
                ""
            },
            escape(&p.name)
        ),
        None => String::new(),
    };
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{} · jobzero hub</title>\
         <link rel=\"stylesheet\" href=\"/static/app.css\"></head><body>{nav}<h1>{}</h1>{body}</body></html>\n",
        escape(title),
        escape(title)
    );
    let mut r = (StatusCode::OK, html).into_response();
    secure_headers(r.headers_mut());
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

fn secure_headers(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
}

/// The logged-in caller, or a redirect to the login page.
async fn who(state: &AppState, headers: &HeaderMap) -> Result<Principal, Response> {
    let principal = match session_id(headers) {
        Some(id) => auth::session(&state.store, &id).await.ok().flatten(),
        None => None,
    };
    principal.ok_or_else(|| Redirect::to("/login").into_response())
}

fn error_page(principal: Option<&Principal>, e: &HubError) -> Response {
    let status = match e {
        HubError::NotFound(_) => StatusCode::NOT_FOUND,
        HubError::Forbidden(_) => StatusCode::FORBIDDEN,
        HubError::BadRequest(_) => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let message = match e {
        HubError::Database(_) => "internal database error".to_owned(),
        other => other.to_string(),
    };
    let mut r = page("Error", principal, &format!("<p>{}</p>", escape(&message)));
    *r.status_mut() = status;
    r
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        format!(
            "{}\nform.inline{{display:inline}}input{{width:28rem}}",
            review::STYLE
        ),
    )
        .into_response()
}

async fn login_form() -> Response {
    page(
        "Log in",
        None,
        "<form method=\"post\" action=\"/login\"><p><label>API token <input type=\"password\" name=\"token\" autocomplete=\"off\"></label></p><p><button>Log in</button></p></form>\
         <p>Tokens come from <code>jobzero hub token create</code>.</p>",
    )
}

#[derive(Deserialize)]
struct LoginForm {
    token: String,
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    match auth::create_session(&state.store, &form.token).await {
        Ok((id, _)) => {
            let secure = headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.eq_ignore_ascii_case("https"));
            let cookie = format!(
                "{COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
                auth::SESSION_SECONDS,
                if secure { "; Secure" } else { "" }
            );
            let mut r = Redirect::to("/").into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            r
        }
        Err(e) => {
            let event = serde_json::json!({"request": "POST /login", "reason": e.to_string()});
            let _ = crate::audit::record(
                &state.store,
                "anonymous",
                "auth.denied",
                "dashboard",
                Some(&event),
            )
            .await;
            let mut r = page(
                "Log in",
                None,
                "<p>That token is not valid.</p><p><a href=\"/login\">Try again</a></p>",
            );
            *r.status_mut() = StatusCode::UNAUTHORIZED;
            r
        }
    }
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(id) = session_id(&headers) {
        let _ = auth::end_session(&state.store, &id).await;
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("jz_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    r
}

fn findings_table(list: &[findings::StoredFinding]) -> String {
    if list.is_empty() {
        return "<p>None.</p>".to_owned();
    }
    let mut out = String::from(
        "<table><tr><th>#</th><th>severity</th><th>rule</th><th>title</th><th>service</th><th>where</th><th>state</th><th>due</th></tr>",
    );
    for f in list {
        let due = f.due_at.map_or_else(|| "–".to_owned(), date);
        let _ = write!(
            out,
            "<tr><td><a href=\"/findings/{id}\">{id}</a></td><td>{}</td><td>{}</td><td>{}</td><td><a href=\"/services/{}\">{}</a></td><td>{}{}</td><td>{}</td><td>{}{}</td></tr>",
            escape(&f.effective_severity),
            escape(&f.rule),
            escape(&f.title),
            escape(&urlencode(&f.service)),
            escape(&f.service),
            escape(&f.path),
            f.line.map(|l| format!(":{l}")).unwrap_or_default(),
            escape(&f.state),
            due,
            if f.overdue {
                " <strong>overdue</strong>"
            } else {
                ""
            },
            id = f.id,
        );
    }
    out.push_str("</table>");
    out
}

fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

async fn overview(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let p = match who(&state, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    match overview_body(&state, &p).await {
        Ok(body) => page("Overview", Some(&p), &body),
        Err(e) => error_page(Some(&p), &e),
    }
}

async fn overview_body(state: &AppState, p: &Principal) -> Result<String, HubError> {
    // Counted by the database: every open finding, however many.
    let team = match &p.role {
        auth::Role::Security => None,
        auth::Role::Team { team } => Some(team.clone()),
    };
    let rows = sqlx::query(
        "SELECT s.team, f.effective_severity, COUNT(*) AS n, \
         SUM(CASE WHEN f.due_at IS NOT NULL AND f.due_at < $1 THEN 1 ELSE 0 END) AS overdue \
         FROM findings f JOIN services s ON s.name = f.service \
         WHERE f.state = 'open' AND ($2 IS NULL OR s.team = $2) GROUP BY s.team, f.effective_severity",
    )
    .bind(state.store.now())
    .bind(team.as_deref())
    .fetch_all(&state.store.pool)
    .await?;
    let mut by_team: std::collections::BTreeMap<String, [i64; 5]> =
        std::collections::BTreeMap::new();
    let (mut total, mut overdue) = (0i64, 0i64);
    for r in &rows {
        let severity: String = r.try_get("effective_severity")?;
        let n: i64 = r.try_get("n")?;
        let late: Option<i64> = r.try_get("overdue")?;
        let i = ["critical", "high", "medium", "low", "info"]
            .iter()
            .position(|s| *s == severity)
            .unwrap_or(4);
        if let Some(slot) = by_team.entry(r.try_get("team")?).or_default().get_mut(i) {
            *slot += n;
        }
        total += n;
        overdue += late.unwrap_or(0);
    }
    let mut out = format!(
        "<p>{total} open findings, <strong>{overdue}</strong> past their deadline.</p><h2>Open by team</h2><table><tr><th>team</th><th>critical</th><th>high</th><th>medium</th><th>low</th><th>info</th></tr>"
    );
    for (team, c) in &by_team {
        let _ = write!(
            out,
            "<tr><td><a href=\"/teams/{}\">{}</a></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&urlencode(team)),
            escape(team),
            c[0],
            c[1],
            c[2],
            c[3],
            c[4]
        );
    }
    out.push_str("</table>");
    if p.is_security() {
        let now = state.store.now();
        let week = IsoWeek::containing(now);
        // One computation at a time; a fresh one at most every five minutes.
        let mut cached = state.trend.lock().await;
        let r = match cached.as_ref() {
            Some((at, r)) if now - at < 300 && r.week == week.to_string() => r.clone(),
            _ => {
                let r = review::compute(&state.store, week).await?;
                *cached = Some((now, r.clone()));
                r
            }
        };
        drop(cached);
        #[allow(clippy::cast_precision_loss, reason = "chart values")]
        let open_trend: Vec<f64> = r.trend.iter().map(|h| h.open as f64).collect();
        #[allow(clippy::cast_precision_loss, reason = "chart values")]
        let overdue_trend: Vec<f64> = r.trend.iter().map(|h| h.overdue as f64).collect();
        let _ = write!(
            out,
            "<h2>Trend (12 weeks)</h2><table><tr><td>Open</td><td>{}</td></tr><tr><td>Overdue</td><td>{}</td></tr></table>",
            sparkline(&open_trend),
            sparkline(&overdue_trend)
        );
    }
    Ok(out)
}

async fn team_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(team): Path<String>,
) -> Response {
    let p = match who(&state, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if !p.may_use_team(&team) {
        return error_page(
            Some(&p),
            &HubError::Forbidden(format!("team {team} is not yours")),
        );
    }
    let result: Result<String, HubError> = async {
        let services: Vec<_> = crate::org::services(&state.store)
            .await?
            .into_iter()
            .filter(|s| s.team == team)
            .collect();
        let mut out = String::from("<h2>Services</h2><table><tr><th>service</th><th>exposure</th><th>data</th></tr>");
        for s in &services {
            let _ = write!(
                out,
                "<tr><td><a href=\"/services/{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
                escape(&urlencode(&s.name)),
                escape(&s.name),
                escape(&s.exposure),
                escape(&s.data_classification)
            );
        }
        out.push_str("</table><h2>Open findings and deadlines</h2>");
        let open = findings::list(
            &state.store,
            &p,
            &Filter {
                team: Some(team.clone()),
                state: Some("open".into()),
                limit: Some(500),
                ..Filter::default()
            },
        )
        .await?;
        out.push_str(&findings_table(&open));
        out.push_str("<h2>Escalations</h2>");
        let rows = sqlx::query(
            "SELECT e.finding_id, e.step, e.contact, e.state, e.created_at FROM escalations e \
             JOIN findings f ON f.id = e.finding_id JOIN services s ON s.name = f.service \
             WHERE s.team = $1 ORDER BY e.id DESC LIMIT 50",
        )
        .bind(&team)
        .fetch_all(&state.store.pool)
        .await?;
        if rows.is_empty() {
            out.push_str("<p>None.</p>");
        } else {
            out.push_str("<table><tr><th>finding</th><th>step</th><th>to</th><th>state</th><th>when</th></tr>");
            for r in &rows {
                let id: i64 = r.try_get("finding_id")?;
                let _ = write!(
                    out,
                    "<tr><td><a href=\"/findings/{id}\">{id}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&r.try_get::<String, _>("step")?),
                    escape(&r.try_get::<String, _>("contact")?),
                    escape(&r.try_get::<String, _>("state")?),
                    date(r.try_get("created_at")?)
                );
            }
            out.push_str("</table>");
        }
        Ok(out)
    }
    .await;
    match result {
        Ok(body) => page(&format!("Team {team}"), Some(&p), &body),
        Err(e) => error_page(Some(&p), &e),
    }
}

async fn service_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(service): Path<String>,
) -> Response {
    let p = match who(&state, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let result: Result<String, HubError> = async {
        let team = findings::team_of(&state.store, &service).await?;
        if !p.may_use_team(&team) {
            return Err(HubError::Forbidden(format!("service {service} is not your team's")));
        }
        let d = crate::gate::preview(&state.store, &service).await?;
        let mut out = format!(
            "<p>Team <a href=\"/teams/{}\">{}</a>. Gate: {}</p>",
            escape(&urlencode(&team)),
            escape(&team),
            if d.go {
                "<span class=\"go\">GO</span>".to_owned()
            } else {
                format!("<span class=\"nogo\">NO-GO</span> ({} blocking)", d.blocking.len())
            }
        );
        if !d.go {
            out.push_str("<ul>");
            for b in &d.blocking {
                let _ = write!(
                    out,
                    "<li><a href=\"/findings/{}\">#{}</a> {} {}: {}</li>",
                    b.id,
                    b.id,
                    escape(&b.effective_severity),
                    escape(&b.title),
                    escape(&b.reasons.join(", "))
                );
            }
            out.push_str("</ul>");
        }
        out.push_str("<h2>Open findings</h2>");
        let open = findings::list(
            &state.store,
            &p,
            &Filter {
                service: Some(service.clone()),
                state: Some("open".into()),
                limit: Some(500),
                ..Filter::default()
            },
        )
        .await?;
        out.push_str(&findings_table(&open));
        out.push_str("<h2>SBOM (latest complete deps scan)</h2>");
        let rows = sqlx::query(
            "SELECT ecosystem, name, version, lockfile, direct FROM inventory WHERE service = $1 AND present = 1 \
             ORDER BY ecosystem, name, version LIMIT 5000",
        )
        .bind(&service)
        .fetch_all(&state.store.pool)
        .await?;
        if rows.is_empty() {
            out.push_str("<p>No inventory uploaded.</p>");
        } else {
            out.push_str("<table><tr><th>ecosystem</th><th>package</th><th>version</th><th>lockfile</th></tr>");
            for r in &rows {
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&r.try_get::<String, _>("ecosystem")?),
                    escape(&r.try_get::<String, _>("name")?),
                    escape(&r.try_get::<String, _>("version")?),
                    escape(&r.try_get::<String, _>("lockfile")?)
                );
            }
            out.push_str("</table>");
        }
        Ok(out)
    }
    .await;
    match result {
        Ok(body) => page(&format!("Service {service}"), Some(&p), &body),
        Err(e) => error_page(Some(&p), &e),
    }
}

async fn finding_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let p = match who(&state, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let result: Result<(String, String), HubError> = async {
        let f = findings::get(&state.store, id).await?;
        if !p.may_use_team(&f.team) {
            return Err(HubError::Forbidden(format!("finding {id} is not your team's")));
        }
        let mut out = String::from("<table>");
        for (k, v) in [
            ("service", f.service.clone()),
            ("team", f.team.clone()),
            ("rule", f.rule.clone()),
            ("message", f.message.clone()),
            ("severity", format!("{} (base {})", f.effective_severity, f.severity)),
            ("why", f.severity_reason.clone()),
            ("where", format!("{}{}", f.path, f.line.map(|l| format!(":{l}")).unwrap_or_default())),
            ("state", format!("{} (recurrences: {})", f.state, f.recurrences)),
            ("due", f.due_at.map_or_else(|| "–".to_owned(), date)),
            ("accepted", f.accepted_reason.clone().map_or_else(String::new, |r| {
                format!("{r} — by {} until {}", f.accepted_by.clone().unwrap_or_default(), f.accepted_until.map_or_else(String::new, date))
            })),
        ] {
            let _ = write!(out, "<tr><th>{k}</th><td>{}</td></tr>", escape(&v));
        }
        out.push_str("</table><h2>History</h2><table><tr><th>when</th><th>who</th><th>what</th><th>after</th></tr>");
        let rows = sqlx::query(
            "SELECT at, actor, action, after_state FROM audit_events WHERE subject = $1 ORDER BY seq",
        )
        .bind(format!("finding:{id}"))
        .fetch_all(&state.store.pool)
        .await?;
        for r in &rows {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                date(r.try_get("at")?),
                escape(&r.try_get::<String, _>("actor")?),
                escape(&r.try_get::<String, _>("action")?),
                escape(&r.try_get::<Option<String>, _>("after_state")?.unwrap_or_default())
            );
        }
        out.push_str("</table>");
        Ok((f.title, out))
    }
    .await;
    match result {
        Ok((title, body)) => page(&format!("#{id} {title}"), Some(&p), &body),
        Err(e) => error_page(Some(&p), &e),
    }
}

#[derive(Deserialize)]
struct Search {
    q: Option<String>,
}

async fn inventory_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(s): Query<Search>,
) -> Response {
    let p = match who(&state, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let q = s.q.unwrap_or_default();
    let mut out = format!(
        "<form method=\"get\" action=\"/inventory\"><input name=\"q\" value=\"{}\" placeholder=\"log4j-core, log4j-core@2.14.1 or a purl\"> <button>Search</button></form>",
        escape(&q)
    );
    if !q.trim().is_empty() {
        let lookup = crate::inventory::Lookup::parse(&q);
        match crate::inventory::lookup(&state.store, &p, &lookup).await {
            Ok(holders) if holders.is_empty() => {
                let _ = write!(out, "<p>No service ships <code>{}</code>.</p>", escape(&q));
            }
            Ok(holders) => {
                out.push_str("<table><tr><th>service</th><th>team</th><th>version</th><th>purl</th><th>lockfile</th><th>last seen</th></tr>");
                for h in &holders {
                    let _ = write!(
                        out,
                        "<tr><td><a href=\"/services/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td></tr>",
                        escape(&urlencode(&h.service)),
                        escape(&h.service),
                        escape(&h.team),
                        escape(&h.version),
                        escape(&h.purl),
                        escape(&h.lockfile),
                        date(h.last_seen),
                        escape(h.last_commit.as_deref().unwrap_or(""))
                    );
                }
                out.push_str("</table>");
            }
            Err(e) => return error_page(Some(&p), &e),
        }
    }
    page("Inventory", Some(&p), &out)
}

#[derive(Deserialize)]
struct WeekQuery {
    week: Option<String>,
}

async fn review_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(w): Query<WeekQuery>,
) -> Response {
    let p = match who(&state, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if !p.is_security() {
        return error_page(
            Some(&p),
            &HubError::Forbidden("the weekly review is for the security role".to_owned()),
        );
    }
    let week = match w.week.as_deref().map(IsoWeek::parse).transpose() {
        Ok(Some(w)) => w,
        Ok(None) => IsoWeek::containing(state.store.now()).previous(),
        Err(e) => return error_page(Some(&p), &e),
    };
    match review::compute(&state.store, week).await {
        Ok(r) => page(
            &format!("Weekly review {week}"),
            Some(&p),
            &review::html_body(&r),
        ),
        Err(e) => error_page(Some(&p), &e),
    }
}
