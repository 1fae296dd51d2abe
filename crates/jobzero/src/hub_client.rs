//! The HTTP client of the commands that talk to a hub (`upload`, `gate`, `scan --upload`).

use std::time::Duration;

use anyhow::{Context, bail};
use serde_json::Value;

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

    fn answer(
        &self,
        what: &str,
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> anyhow::Result<Value> {
        let mut response =
            response.with_context(|| format!("{what}: cannot reach the hub at {}", self.base))?;
        let status = response.status();
        let text = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .with_context(|| format!("{what}: reading the hub's answer"))?;
        let value: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        if !status.is_success() {
            let message = value
                .pointer("/error/message")
                .and_then(Value::as_str)
                .map_or_else(|| value.to_string(), str::to_owned);
            bail!("{what}: the hub answered {status}: {message}");
        }
        Ok(value)
    }

    /// `GET path`.
    pub fn get(&self, path: &str, what: &str) -> anyhow::Result<Value> {
        let r = self
            .agent
            .get(&format!("{}{path}", self.base))
            .header("Authorization", &format!("Bearer {}", self.token))
            .call();
        self.answer(what, r)
    }

    /// `POST path` with a JSON body.
    pub fn post(&self, path: &str, body: &Value, what: &str) -> anyhow::Result<Value> {
        let r = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Authorization", &format!("Bearer {}", self.token))
            .send_json(body);
        self.answer(what, r)
    }
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
