//! One module per subcommand.

mod completions;
pub(crate) mod db;
mod gate;
mod hub;
mod iam;
mod init;
mod review;
mod rules;
mod sbom;
mod scan;
pub(crate) mod upload;
mod where_;

use crate::Outcome;
use crate::cli::{Cli, Command};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Scan(args) => scan::run(*args),
        Command::Rules(cmd) => rules::run(cmd),
        Command::Db(cmd) => db::run(cmd),
        Command::Where { package, sbom, hub } => match sbom {
            Some(dir) => where_::run(&package, &dir),
            None => where_::run_hub(&package, &hub),
        },
        Command::Sbom { path, output, name } => sbom::run(&path, output.as_deref(), name),
        Command::Completions { shell } => completions::run(shell),
        Command::Init {
            dir,
            ci,
            pre_commit,
            force,
        } => init::run(&dir, ci, pre_commit, force),
        Command::Lsp => {
            jobzero::lsp::run()?;
            Ok(Outcome::Clean)
        }
        Command::Hub(cmd) => hub::run(cmd),
        Command::Iam(cmd) => iam::run(cmd),
        Command::Review {
            week,
            format,
            output,
            hub,
        } => review::run(week.as_deref(), format, output.as_deref(), &hub),
        Command::Upload {
            report,
            service,
            commit,
            complete,
            hub,
        } => upload::run(&report, &service, commit.as_deref(), complete, &hub),
        Command::Gate {
            service,
            release,
            format,
            hub,
        } => gate::run(&service, release.as_deref(), format, &hub),
    }
}
