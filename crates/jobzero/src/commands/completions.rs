//! `jobzero completions SHELL`.

use clap::CommandFactory;

use crate::Outcome;
use crate::cli::Cli;

pub fn run(shell: clap_complete::Shell) -> anyhow::Result<Outcome> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "jobzero", &mut buf);
    crate::write::emit(&String::from_utf8_lossy(&buf), None)?;
    Ok(Outcome::Clean)
}
