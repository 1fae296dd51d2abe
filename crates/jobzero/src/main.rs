//! The `jobzero` binary: flags and glue. Every capability lives in a library crate.

mod cli;
mod commands;
mod hub_client;
mod write;

use std::process::ExitCode;

use clap::Parser;

/// The outcome of a command, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: nothing at or above the threshold.
    Clean,
    /// 1: findings at or above the threshold, or a no-go.
    Findings,
    /// 2: usage, configuration or input error.
    Error,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(match o {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::Error => 2,
        })
    }
}

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                Outcome::Error
            } else {
                Outcome::Clean
            };
            let _ = e.print();
            return code.into();
        }
    };
    match commands::run(cli) {
        Ok(outcome) => outcome.into(),
        Err(e) if write::is_broken_pipe(&e) => Outcome::Clean.into(),
        Err(e) => {
            write::error(&format!("{e:#}"));
            Outcome::Error.into()
        }
    }
}
