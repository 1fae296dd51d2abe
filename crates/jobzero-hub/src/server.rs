//! The hub's HTTP API (axum): JSON under `/api/v1/`, `/healthz`, `/metrics`, and the OpenAPI
//! document at `/api/v1/openapi.json`.
//!
//! Every route but the health, metrics and OpenAPI ones needs `Authorization: Bearer <token>`.
//! Refusals (401 and 403) are audit events. Errors are one JSON shape:
//! `{"error": {"status": 403, "message": "…"}}`.

use std::future::Future;
use std::sync::atomic::Ordering;

use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use sqlx::Row;

use crate::audit;
use crate::auth::{self, Principal};
use crate::error::HubError;
use crate::findings::{self, Acceptance, Filter, UploadRequest};
use crate::gate;
use crate::org;
pub use crate::state::AppState;

/// The OpenAPI 3.1 description of this API.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Default request body limit: a 100,000-finding report fits.
pub const DEFAULT_BODY_LIMIT: usize = 512 * 1024 * 1024;

/// An error as the API returns it.
#[derive(Debug)]
pub struct ApiError(HubError);

impl From<HubError> for ApiError {
    fn from(e: HubError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self.0 {
            HubError::BadRequest(_) => StatusCode::BAD_REQUEST,
            HubError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            HubError::Forbidden(_) => StatusCode::FORBIDDEN,
            HubError::NotFound(_) => StatusCode::NOT_FOUND,
            HubError::Open(_) | HubError::Database(_) | HubError::Corrupt(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let message = match &self.0 {
            // Database details stay in the server's log, not in responses.
            HubError::Database(_) => "internal database error".to_owned(),
            other => other.to_string(),
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            eprintln!("jobzero hub: {}", self.0);
        }
        (
            status,
            Json(json!({"error": {"status": status.as_u16(), "message": message}})),
        )
            .into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// The router, for `serve` and for in-process tests.
pub fn app(state: AppState) -> Router {
    app_with_limit(state, DEFAULT_BODY_LIMIT)
}

/// [`app`] with a request body limit in bytes.
pub fn app_with_limit(state: AppState, body_limit: usize) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/uploads", post(upload))
        .route("/api/v1/findings", get(list_findings))
        .route("/api/v1/findings/{id}", get(get_finding))
        .route("/api/v1/findings/{id}/accept", post(accept))
        .route("/api/v1/services", get(services))
        .route("/api/v1/services/{service}/gate", get(gate_decision))
        .route("/api/v1/teams", get(teams))
        .route("/api/v1/inventory", get(inventory))
        .route("/api/v1/review", get(review))
        .merge(crate::dashboard::routes())
        .route("/api/v1/audit/verify", get(verify))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}

/// Serves `app` on `listener` until `shutdown` completes, finishing requests in flight.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let escalation = options.escalation_every.map(|every| {
        crate::escalation::spawn_loop(
            state.store.clone(),
            options.process_name.clone(),
            options.webhook_secret.clone(),
            every,
        )
    });
    let served = axum::serve(listener, app_with_limit(state, options.body_limit))
        .with_graceful_shutdown(shutdown)
        .await;
    if let Some(task) = escalation {
        task.abort();
    }
    served
}

/// How [`serve`] runs besides the API: the body limit and the escalation loop it owns.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Largest request body, in bytes.
    pub body_limit: usize,
    /// How often the escalation pass runs; `None`: never in this process.
    pub escalation_every: Option<std::time::Duration>,
    /// How this process names itself in escalation claims (`host:pid`).
    pub process_name: String,
    /// The key that signs escalation webhooks (unsigned without one).
    pub webhook_secret: Option<Vec<u8>>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            body_limit: DEFAULT_BODY_LIMIT,
            escalation_every: None,
            process_name: "hub".to_owned(),
            webhook_secret: None,
        }
    }
}

/// The caller, or a 401 recorded in the audit log.
async fn principal(state: &AppState, headers: &HeaderMap, what: &str) -> ApiResult<Principal> {
    state.metrics.requests.fetch_add(1, Ordering::Relaxed);
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let result = match token {
        Some(t) => auth::authenticate(&state.store, t).await,
        None => Err(HubError::Unauthorized(
            "missing `Authorization: Bearer <token>`".to_owned(),
        )),
    };
    match result {
        Ok(p) => Ok(p),
        Err(e) => {
            if matches!(e, HubError::Unauthorized(_)) {
                deny(state, "anonymous", what, &e).await;
            }
            Err(e.into())
        }
    }
}

/// Records a refusal.
async fn deny(state: &AppState, actor: &str, what: &str, why: &HubError) {
    state.metrics.denied.fetch_add(1, Ordering::Relaxed);
    let event = json!({"request": what, "reason": why.to_string()});
    if let Err(e) = audit::record(&state.store, actor, "auth.denied", what, Some(&event)).await {
        eprintln!("jobzero hub: cannot record a denial: {e}");
    }
}

/// Passes a result through, recording a 403 as a denial.
async fn guarded<T>(
    state: &AppState,
    principal: &Principal,
    what: &str,
    result: Result<T, HubError>,
) -> ApiResult<T> {
    match result {
        Err(e @ HubError::Forbidden(_)) => {
            deny(state, &principal.actor(), what, &e).await;
            Err(e.into())
        }
        other => other.map_err(ApiError::from),
    }
}

async fn healthz(State(state): State<AppState>) -> Response {
    match sqlx::query("SELECT 1").execute(&state.store.pool).await {
        Ok(_) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("database unavailable: {e}\n"),
        )
            .into_response(),
    }
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn metrics(State(state): State<AppState>) -> ApiResult<Response> {
    let m = &state.metrics;
    let mut out = String::new();
    let counter = |out: &mut String, name: &str, help: &str, value: u64| {
        out.push_str(&format!(
            "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n"
        ));
    };
    counter(
        &mut out,
        "jobzero_hub_requests_total",
        "API requests that reached a handler (oversized bodies are refused before).",
        m.requests.load(Ordering::Relaxed),
    );
    counter(
        &mut out,
        "jobzero_hub_denied_total",
        "Requests refused (401 and 403).",
        m.denied.load(Ordering::Relaxed),
    );
    counter(
        &mut out,
        "jobzero_hub_uploads_total",
        "Uploads ingested.",
        m.uploads.load(Ordering::Relaxed),
    );
    out.push_str("# HELP jobzero_hub_gate_decisions_total Gate decisions by outcome.\n# TYPE jobzero_hub_gate_decisions_total counter\n");
    out.push_str(&format!(
        "jobzero_hub_gate_decisions_total{{decision=\"go\"}} {}\njobzero_hub_gate_decisions_total{{decision=\"no-go\"}} {}\n",
        m.gate_go.load(Ordering::Relaxed),
        m.gate_no_go.load(Ordering::Relaxed)
    ));
    let rows =
        sqlx::query("SELECT state, COUNT(*) AS n FROM findings GROUP BY state ORDER BY state")
            .fetch_all(&state.store.pool)
            .await
            .map_err(HubError::from)?;
    out.push_str("# HELP jobzero_hub_findings Findings stored, by state.\n# TYPE jobzero_hub_findings gauge\n");
    for r in rows {
        let s: String = r.try_get("state").map_err(HubError::from)?;
        let n: i64 = r.try_get("n").map_err(HubError::from)?;
        out.push_str(&format!("jobzero_hub_findings{{state=\"{s}\"}} {n}\n"));
    }
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response())
}

async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let p = principal(&state, &headers, "POST /api/v1/uploads").await?;
    let request: UploadRequest = serde_json::from_slice(&body).map_err(|e| {
        // serde quotes the offending value, which may be a secret of the report.
        let message = format!("the upload is not valid JSON of the expected shape: {e}");
        let redactor = jobzero_core::redact::Redactor::new([], Some(&jobzero_secrets::SPOTTER));
        HubError::BadRequest(redactor.text("", &message).into_owned())
    })?;
    let what = format!("upload:{}", request.service);
    let outcome = guarded(
        &state,
        &p,
        &what,
        findings::upload(&state.store, &p, &request).await,
    )
    .await?;
    state.metrics.uploads.fetch_add(1, Ordering::Relaxed);
    Ok((StatusCode::CREATED, Json(outcome)).into_response())
}

async fn list_findings(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(filter): Query<Filter>,
) -> ApiResult<Response> {
    let p = principal(&state, &headers, "GET /api/v1/findings").await?;
    let list = guarded(
        &state,
        &p,
        "findings",
        findings::list(&state.store, &p, &filter).await,
    )
    .await?;
    Ok(Json(json!({"findings": list})).into_response())
}

async fn get_finding(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let p = principal(&state, &headers, "GET /api/v1/findings/{id}").await?;
    let f = findings::get(&state.store, id).await?;
    if !p.may_use_team(&f.team) {
        let e = HubError::Forbidden(format!("finding {id} belongs to team {}", f.team));
        deny(&state, &p.actor(), &format!("finding:{id}"), &e).await;
        return Err(e.into());
    }
    Ok(Json(f).into_response())
}

async fn accept(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let p = principal(&state, &headers, "POST /api/v1/findings/{id}/accept").await?;
    let what = format!("finding:{id}");
    if !p.is_security() {
        let e = HubError::Forbidden("only the security role may accept a risk".to_owned());
        deny(&state, &p.actor(), &what, &e).await;
        return Err(e.into());
    }
    let acceptance: Acceptance = serde_json::from_slice(&body).map_err(|e| {
        HubError::BadRequest(format!(
            "expected {{\"reason\": \"…\", \"until\": UNIX_SECONDS}}: {e}"
        ))
    })?;
    let f = guarded(
        &state,
        &p,
        &what,
        findings::accept(&state.store, &p, id, &acceptance).await,
    )
    .await?;
    Ok(Json(f).into_response())
}

#[derive(Debug, Deserialize)]
struct GateQuery {
    release: Option<String>,
}

async fn gate_decision(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(service): Path<String>,
    Query(q): Query<GateQuery>,
) -> ApiResult<Response> {
    let p = principal(&state, &headers, "GET /api/v1/services/{service}/gate").await?;
    let what = format!("service:{service}");
    let d = guarded(
        &state,
        &p,
        &what,
        gate::decide(&state.store, &p, &service, q.release.as_deref()).await,
    )
    .await?;
    let counter = if d.go {
        &state.metrics.gate_go
    } else {
        &state.metrics.gate_no_go
    };
    counter.fetch_add(1, Ordering::Relaxed);
    Ok(Json(d).into_response())
}

async fn services(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let p = principal(&state, &headers, "GET /api/v1/services").await?;
    let list: Vec<_> = org::services(&state.store)
        .await?
        .into_iter()
        .filter(|s| p.may_use_team(&s.team))
        .collect();
    Ok(Json(json!({"services": list})).into_response())
}

async fn teams(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let p = principal(&state, &headers, "GET /api/v1/teams").await?;
    let list: Vec<_> = org::teams(&state.store)
        .await?
        .into_iter()
        .filter(|t| p.may_use_team(&t.name))
        .collect();
    Ok(Json(json!({"teams": list})).into_response())
}

async fn verify(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let p = principal(&state, &headers, "GET /api/v1/audit/verify").await?;
    if !p.is_security() {
        let e = HubError::Forbidden("only the security role may verify the audit log".to_owned());
        deny(&state, &p.actor(), "audit", &e).await;
        return Err(e.into());
    }
    let v = audit::verify(&state.store).await?;
    Ok(Json(v).into_response())
}

async fn inventory(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(lookup): Query<crate::inventory::Lookup>,
) -> ApiResult<Response> {
    let p = principal(&state, &headers, "GET /api/v1/inventory").await?;
    let holders = crate::inventory::lookup(&state.store, &p, &lookup).await?;
    Ok(Json(crate::api::Holders { holders }).into_response())
}

#[derive(Debug, Deserialize)]
struct ReviewQuery {
    week: Option<String>,
    format: Option<String>,
}

async fn review(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ReviewQuery>,
) -> ApiResult<Response> {
    let p = principal(&state, &headers, "GET /api/v1/review").await?;
    if !p.is_security() {
        let e = HubError::Forbidden("the weekly review is for the security role".to_owned());
        deny(&state, &p.actor(), "review", &e).await;
        return Err(e.into());
    }
    let week = match &q.week {
        Some(w) => crate::review::IsoWeek::parse(w)?,
        // The last complete week.
        None => crate::review::IsoWeek::containing(state.store.now()).previous(),
    };
    let r = crate::review::compute(&state.store, week).await?;
    Ok(match q.format.as_deref().unwrap_or("json") {
        "json" => Json(r).into_response(),
        "markdown" => (
            [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
            crate::review::markdown(&r),
        )
            .into_response(),
        "html" => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            crate::review::html(&r),
        )
            .into_response(),
        other => {
            return Err(HubError::BadRequest(format!(
                "unknown format `{other}`: json, markdown or html"
            ))
            .into());
        }
    })
}
