//! Command-line definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jobzero_core::{FailOn, Family};

/// Security is job zero: scanners, findings hub, launch gate and weekly review in one binary.
#[derive(Debug, Parser)]
#[command(name = "jobzero", version, about, long_about = None, propagate_version = true)]
#[command(
    after_help = "Exit codes: 0 clean · 1 findings at or above --fail-on · 2 usage, configuration or input error.\nDocs: jobzero rules explain ID, docs/ in the repository."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories with every scanner family.
    #[command(
        after_help = "Examples:\n  jobzero scan\n  jobzero scan src/ infra/ --format sarif -o jobzero.sarif\n  jobzero scan --only sarif --sarif semgrep.json --fail-on medium\n  jobzero scan --write-baseline .jobzero-baseline.json   # accept what is there today\n  jobzero scan --baseline .jobzero-baseline.json          # report only what is new\n  jobzero scan --git-history --only secrets               # secrets ever committed"
    )]
    Scan(Box<ScanArgs>),
    /// Write a CycloneDX 1.6 SBOM of every lockfile found (Cargo.lock, package-lock.json,
    /// npm-shrinkwrap.json, requirements*.txt).
    #[command(
        after_help = "Examples:\n  jobzero sbom -o sbom.cdx.json\n  jobzero sbom services/api --name api"
    )]
    Sbom {
        /// Directory (or lockfile) to inventory.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Write the SBOM to FILE instead of stdout.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Name of the described application (default: the directory's name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Which SBOMs (and so which services) contain a package.
    #[command(
        after_help = "Examples:\n  jobzero where log4j-core --sbom sboms/\n  jobzero where log4j-core@2.14.1 --sbom sboms/\n  jobzero where pkg:maven/org.apache.logging.log4j/log4j-core --sbom sboms/"
    )]
    Where {
        /// NAME, NAME@VERSION or a purl (version optional).
        package: String,
        /// Directory of CycloneDX JSON SBOMs (the hub answers across the organisation later).
        #[arg(long, value_name = "DIR", required = true)]
        sbom: PathBuf,
    },
    /// The offline advisory database (OSV).
    #[command(subcommand)]
    Db(DbCommand),
    /// List rules and explain them.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Print a shell completion script.
    #[command(after_help = "Example:\n  jobzero completions bash > /etc/bash_completion.d/jobzero")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Output formats of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// Coloured text with code frames and a summary.
    Human,
    /// The versioned JSON report (docs/report.schema.json).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
}

/// `jobzero scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and directories to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Run only these families (secrets, deps, iac, iam, pipeline, sarif).
    #[arg(long, value_delimiter = ',', value_name = "FAMILY,...")]
    pub only: Vec<Family>,
    /// Do not run these families.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "FAMILY,...",
        conflicts_with = "only"
    )]
    pub skip: Vec<Family>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ScanFormat::Human)]
    pub format: ScanFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding's effective severity reaches this (critical, high, medium, low,
    /// info, never). Default: `[scan] fail-on` of jobzero.toml, else high.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Configuration file. Default: the nearest jobzero.toml in the first path or above it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Suppress findings whose fingerprints are in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the fingerprints of every finding of this scan to FILE (a new baseline).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Ingest this SARIF log whatever its name (repeatable).
    #[arg(long, value_name = "FILE")]
    pub sarif: Vec<PathBuf>,
    /// Service name stamped on every finding (overrides `[service] name`).
    #[arg(long, value_name = "NAME")]
    pub service: Option<String>,
    /// Advisory database for the deps family (default: $JOBZERO_ADVISORY_DB, else the user's
    /// data directory; fill it with `jobzero db import`).
    #[arg(long, value_name = "DIR")]
    pub advisory_db: Option<PathBuf>,
    /// Also scan every blob reachable from every ref of the git repository at the first path,
    /// for secrets (each blob once; findings say where each secret was introduced).
    #[arg(long)]
    pub git_history: bool,
    /// Exit 0 or 1 by findings alone, even when some files could not be read or parsed.
    #[arg(long)]
    pub allow_errors: bool,
    /// Skip files larger than this many bytes (default 10 MiB).
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,
}

/// `jobzero db ...`.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Load OSV advisories from JSON files, directories and per-ecosystem all.zip archives.
    #[command(
        after_help = "Examples:\n  jobzero db import PyPI.zip npm.zip\n  jobzero db import advisories/ --advisory-db /var/lib/jobzero/osv"
    )]
    Import {
        /// Files, directories or zip archives of OSV JSON records.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Database directory (default: $JOBZERO_ADVISORY_DB, else the user's data directory).
        #[arg(long, value_name = "DIR")]
        advisory_db: Option<PathBuf>,
    },
    /// Advisories per ecosystem and the newest modification date.
    #[command(after_help = "Example:\n  jobzero db status")]
    Status {
        /// Database directory (default: $JOBZERO_ADVISORY_DB, else the user's data directory).
        #[arg(long, value_name = "DIR")]
        advisory_db: Option<PathBuf>,
    },
}

/// `jobzero rules ...`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List every rule with its code, severity and expectation.
    #[command(
        after_help = "Examples:\n  jobzero rules list\n  jobzero rules list --format json | jq '.[].id'"
    )]
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        /// Only this family's rules.
        #[arg(long)]
        family: Option<Family>,
    },
    /// Print a rule's documentation (by id, code or name), or an expectation's (JZ-...).
    #[command(
        after_help = "Examples:\n  jobzero rules explain SARIF001\n  jobzero rules explain sarif/semgrep/python.lang.security.audit.eval\n  jobzero rules explain JZ-SECRET-HARDCODED"
    )]
    Explain {
        /// Rule id, code or name, or an expectation id.
        id: String,
    },
}

/// Output formats of `rules list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table.
    Human,
    /// A JSON array.
    Json,
}
