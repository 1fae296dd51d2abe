//! The HTTP client of the commands that talk to a hub (`upload`, `gate`, `scan --upload`).

use std::time::Duration;

use anyhow::{Context, bail};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::cli::HubArgs;

/// A hub to talk to.
pub struct Hub {
    base: String,
    token: String,
    agent: ureq::Agent,
}

impl Hub {
    /// The hub named by the flags, the environment or `[hub] url` of jobzero.toml.
    pub fn from_args(args: &HubArgs) -> anyhow::Result<Hub> {
        let base = match &args.hub {
            Some(url) => url.clone(),
            None => configured_url()?.context(
                "no hub: pass --hub URL, set JOBZERO_HUB_URL, or set `[hub] url` in jobzero.toml",
            )?,
        };
        let token = args
            .token
            .clone()
            .context("no token: pass --token or set JOBZERO_TOKEN (`jobzero hub token create`)")?;
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(600)))
            .build();
        Ok(Hub {
            base: base.trim_end_matches('/').to_owned(),
            token,
            agent: ureq::Agent::new_with_config(config),
        })
    }

    /// The base URL.
    pub fn url(&self) -> &str {
        &self.base
    }

    /// The text of a successful answer, or the hub's error message.
    fn answer_text(
        &self,
        what: &str,
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> anyhow::Result<String> {
        let mut response =
            response.with_context(|| format!("{what}: cannot reach the hub at {}", self.base))?;
        let status = response.status();
        let text = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .with_context(|| format!("{what}: reading the hub's answer"))?;
        if !status.is_success() {
            let message = serde_json::from_str::<ApiError>(&text)
                .map_or_else(|_| text.clone(), |e| e.error.message);
            bail!("{what}: the hub answered {status}: {message}");
        }
        Ok(text)
    }

    fn answer<T: DeserializeOwned>(
        &self,
        what: &str,
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> anyhow::Result<T> {
        let text = self.answer_text(what, response)?;
        serde_json::from_str(&text).with_context(|| {
            format!("{what}: the hub's answer is not what this client expects (a hub of another version?)")
        })
    }

    fn call_get(&self, path: &str) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        self.agent
            .get(&format!("{}{path}", self.base))
            .header("Authorization", &format!("Bearer {}", self.token))
            .call()
    }

    /// `GET path`, its answer read as `T`.
    pub fn get<T: DeserializeOwned>(&self, path: &str, what: &str) -> anyhow::Result<T> {
        let r = self.call_get(path);
        self.answer(what, r)
    }

    /// `GET path`, its answer as text (a page or a document, not an API object).
    pub fn get_text(&self, path: &str, what: &str) -> anyhow::Result<String> {
        let r = self.call_get(path);
        self.answer_text(what, r)
    }

    /// `POST path` with a JSON body, its answer read as `T`.
    pub fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        what: &str,
    ) -> anyhow::Result<T> {
        let r = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Authorization", &format!("Bearer {}", self.token))
            .send_json(body);
        self.answer(what, r)
    }
}

/// The body of every error answer (`{"error": {"status": 404, "message": "..."}}`).
#[derive(Deserialize)]
struct ApiError {
    error: ApiErrorBody,
}

#[derive(Deserialize)]
struct ApiErrorBody {
    message: String,
}

fn configured_url() -> anyhow::Result<Option<String>> {
    let cwd = std::env::current_dir()?;
    let Some(path) = jobzero_core::config::Config::discover(&cwd) else {
        return Ok(None);
    };
    let loaded = jobzero_core::config::Config::load(&path)?;
    Ok(loaded.config.hub.url)
}

pub use jobzero_hub::review::date;

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(super::date(0), "1970-01-01");
        assert_eq!(super::date(951_782_400), "2000-02-29");
        assert_eq!(super::date(1_780_000_000), "2026-05-28");
    }
}
