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
        after_help = "Examples:\n  jobzero scan\n  jobzero scan src/ infra/ --format sarif -o jobzero.sarif\n  jobzero scan --only sarif --sarif semgrep.json --fail-on medium\n  jobzero scan --write-baseline .jobzero-baseline.json   # accept what is there today\n  jobzero scan --baseline .jobzero-baseline.json          # report only what is new\n  jobzero scan --git-history --only secrets               # secrets ever committed\n  jobzero scan --diff origin/main --changed-only          # only what this branch adds\n  jobzero scan --only pipeline --fix --dry-run            # show safe workflow fixes"
    )]
    Scan(Box<ScanArgs>),
    /// Write a CycloneDX 1.6 SBOM of every lockfile and manifest found: Cargo.lock,
    /// package-lock.json (and npm-shrinkwrap.json), yarn.lock, pnpm-lock.yaml, bun.lock,
    /// requirements.txt (and requirements-*.txt), poetry.lock, Pipfile.lock, uv.lock,
    /// pdm.lock, go.mod, Gemfile.lock (and gems.locked), composer.lock, packages.lock.json
    /// (NuGet), Package.resolved (SwiftPM), gradle.lockfile, pom.xml, mix.lock, conan.lock,
    /// pubspec.lock, and CycloneDX SBOMs (bom.json, bom.xml, *.cdx.json, *.cdx.xml).
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
        after_help = "Examples:\n  jobzero where log4j-core                      # across the organisation, from the hub\n  jobzero where log4j-core@2.14.1 --hub https://hub.example.com\n  jobzero where log4j-core@2.14.1 --sbom sboms/  # local CycloneDX SBOMs instead\n  jobzero where pkg:maven/org.apache.logging.log4j/log4j-core --sbom sboms/\n\nExit 0 found, 1 not found, 2 error."
    )]
    Where {
        /// NAME, NAME@VERSION or a purl (version optional).
        package: String,
        /// Directory of CycloneDX JSON SBOMs to search instead of the hub.
        #[arg(long, value_name = "DIR")]
        sbom: Option<PathBuf>,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// The offline advisory database (OSV).
    #[command(subcommand)]
    Db(DbCommand),
    /// List rules and explain them.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// The findings hub: serve it, apply the organisation, create tokens, verify the audit log,
    /// send escalations, import advisories.
    #[command(subcommand)]
    Hub(HubCommand),
    /// Send a JSON scan report to the hub.
    #[command(
        after_help = "Examples:\n  jobzero scan --format json -o report.json\n  jobzero upload report.json --service checkout --commit $GITHUB_SHA --complete\n\n--complete: the report covers the whole service for its families, so open findings it no\nlonger reports are resolved. The hub URL and token come from --hub/--token,\nJOBZERO_HUB_URL/JOBZERO_TOKEN, or [hub] url in jobzero.toml."
    )]
    Upload {
        /// The report (`jobzero scan --format json`).
        report: PathBuf,
        /// The service it belongs to.
        #[arg(long)]
        service: String,
        /// The commit scanned.
        #[arg(long)]
        commit: Option<String>,
        /// The scan covered the whole service: resolve what it no longer reports.
        #[arg(long)]
        complete: bool,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// Go / no-go for a launch: exit 0 go, 1 no-go (each blocking finding listed), 2 error.
    #[command(
        after_help = "Examples:\n  jobzero gate --service checkout --release v2.3.0\n  jobzero gate --service checkout --format json"
    )]
    Gate {
        /// The service to launch.
        #[arg(long)]
        service: String,
        /// The release being launched (recorded with the decision).
        #[arg(long)]
        release: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// The weekly security review from the hub (security role).
    #[command(
        after_help = "Examples:\n  jobzero review                                 # the last complete week, Markdown\n  jobzero review --week 2026-W47 --format html -o review.html"
    )]
    Review {
        /// ISO week (default: the last complete week).
        #[arg(long, value_name = "YYYY-Www")]
        week: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReviewFormat::Markdown)]
        format: ReviewFormat,
        /// Write to FILE instead of stdout.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// IAM policies: simulate a request, and prove properties of policies (no public access,
    /// no new access against a reference, given actions never granted).
    #[command(subcommand)]
    Iam(IamCommand),
    /// Write a commented jobzero.toml fitted to the tree, and on request the CI workflow and
    /// pre-commit configuration that run jobzero. Never overwrites without --force.
    #[command(
        after_help = "Examples:\n  jobzero init\n  jobzero init --ci github --pre-commit\n  jobzero init services/api --ci gitlab"
    )]
    Init {
        /// The repository or service directory.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Also write a CI definition: github (.github/workflows/jobzero.yml) or gitlab
        /// (.gitlab/jobzero-ci.yml, included from .gitlab-ci.yml).
        #[arg(long, value_enum)]
        ci: Option<CiKind>,
        /// Also write .pre-commit-config.yaml with jobzero's hooks.
        #[arg(long)]
        pre_commit: bool,
        /// Replace files that exist.
        #[arg(long)]
        force: bool,
    },
    /// Serve the Language Server Protocol on stdin/stdout: diagnostics in the editor as you
    /// type, with hover and quick fixes (see docs/editors.md).
    #[command(
        after_help = "Editors start it themselves; see docs/editors.md for Neovim, VS Code and Helix.\nThe workspace's jobzero.toml applies; saving it reloads it."
    )]
    Lsp,
    /// Print a shell completion script.
    #[command(after_help = "Example:\n  jobzero completions bash > /etc/bash_completion.d/jobzero")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// The CI systems `init --ci` writes a definition for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiKind {
    /// GitHub Actions.
    Github,
    /// GitLab CI.
    Gitlab,
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
    /// GitLab's security report, for `artifacts: reports: sast:`.
    GitlabSast,
}

/// `jobzero scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and directories to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Run only these families (secrets, deps, iac, iam, pipeline, code, sarif).
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
    /// Apply the pipeline family's safe fixes to workflow files before scanning:
    /// `persist-credentials: false` on checkouts, a minimal top-level `permissions:`, and
    /// `${{ }}` expansions moved out of `run:` into `env:`. Edits keep comments, order and
    /// formatting.
    #[arg(long)]
    pub fix: bool,
    /// With --fix: print the changes as a unified diff instead of writing them.
    #[arg(long, requires = "fix")]
    pub dry_run: bool,
    /// Skip files larger than this many bytes (default 10 MiB).
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,
    /// Ask each secret's issuer, with one harmless read-only request over TLS to its own
    /// documented endpoint, whether the secret is live: recorded on the finding (`verified`),
    /// a live one one severity higher. Sends secrets over the network: never by default;
    /// `[secrets.verify] providers` limits to whom.
    #[arg(long)]
    pub verify: bool,
    /// Report only the findings that are not in the git revision REV (a branch, tag, commit
    /// or `HEAD~1`): what a change introduces. REV's files are read from the repository into
    /// a temporary directory; the work tree is not touched.
    #[arg(long, value_name = "REV", conflicts_with = "git_history")]
    pub diff: Option<String>,
    /// With --diff: scan only the files that differ from REV (faster; a finding that a
    /// changed file causes in an unchanged one is not seen).
    #[arg(long, requires = "diff")]
    pub changed_only: bool,
    /// Upload the report to the hub as a complete scan of the service (needs a service name:
    /// --service or `[service] name`).
    #[arg(long, conflicts_with = "diff")]
    pub upload: bool,
    /// The commit scanned, recorded by --upload (default: $GITHUB_SHA or $CI_COMMIT_SHA).
    #[arg(long, requires = "upload")]
    pub commit: Option<String>,
    #[command(flatten)]
    pub hub: HubArgs,
}

/// Where the hub is and how to authenticate.
#[derive(Debug, Clone, Args)]
pub struct HubArgs {
    /// Hub base URL (default: $JOBZERO_HUB_URL, else `[hub] url` of jobzero.toml).
    #[arg(long, env = "JOBZERO_HUB_URL", value_name = "URL")]
    pub hub: Option<String>,
    /// API token (`jobzero hub token create`).
    #[arg(
        long,
        env = "JOBZERO_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
}

/// `jobzero hub ...`.
#[derive(Debug, Subcommand)]
pub enum HubCommand {
    /// Run the hub's HTTP API.
    #[command(
        after_help = "Examples:\n  jobzero hub serve --database sqlite:/var/lib/jobzero/hub.db --listen 0.0.0.0:8080\n  jobzero hub serve --database postgres://jobzero@db.internal/jobzero"
    )]
    Serve {
        #[command(flatten)]
        database: DatabaseArg,
        /// Address to listen on (`127.0.0.1:0` picks a free port, printed on start).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Largest request body accepted, in MiB.
        #[arg(long, default_value_t = 512)]
        max_body_mb: usize,
        /// Seconds between escalation passes (queue due steps, deliver webhooks); 0 turns the
        /// scheduler off. Webhook bodies are signed with $JOBZERO_WEBHOOK_SECRET when set.
        #[arg(long, default_value_t = 60)]
        escalation_interval: u64,
    },
    /// Run one escalation pass now (for cron, or a hub run with --escalation-interval 0).
    #[command(
        after_help = "Example:\n  JOBZERO_WEBHOOK_SECRET=... jobzero hub escalate --database sqlite:hub.db"
    )]
    Escalate {
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Teams, services and policy from an organisation file.
    #[command(subcommand)]
    Org(OrgCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// OSV advisories kept by the hub; importing re-matches every stored inventory.
    #[command(subcommand)]
    Advisories(HubAdvisoriesCommand),
    /// Check the whole audit chain; names the first broken link.
    #[command(after_help = "Example:\n  jobzero hub verify --database sqlite:hub.db")]
    Verify {
        #[command(flatten)]
        database: DatabaseArg,
    },
}

/// `jobzero hub advisories ...`.
#[derive(Debug, Subcommand)]
pub enum HubAdvisoriesCommand {
    /// Load OSV records (files, directories, all.zip) and open findings for every service whose
    /// stored inventory is affected, without rescanning.
    #[command(
        after_help = "Example:\n  jobzero hub advisories import Maven.zip npm.zip --database postgres://jobzero@db/jobzero"
    )]
    Import {
        /// Files, directories or zip archives of OSV JSON records.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        database: DatabaseArg,
    },
}

/// The hub database.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArg {
    /// `sqlite:PATH` (created on first use) or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        env = "JOBZERO_HUB_DATABASE",
        default_value = "sqlite:jobzero-hub.db"
    )]
    pub database: String,
}

/// `jobzero hub org ...`.
#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Create or update teams, services and policy (idempotent; prints what changed).
    #[command(after_help = "Example:\n  jobzero hub org apply org.toml --database sqlite:hub.db")]
    Apply {
        /// The organisation file (format in docs/hub.md).
        file: PathBuf,
        #[command(flatten)]
        database: DatabaseArg,
    },
}

/// `jobzero hub token ...`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it (the only time it is shown).
    #[command(
        after_help = "Examples:\n  jobzero hub token create --team payments --name checkout-ci\n  jobzero hub token create --security --name alice"
    )]
    Create {
        #[command(flatten)]
        database: DatabaseArg,
        /// Scope the token to this team's services.
        #[arg(
            long,
            conflicts_with = "security",
            required_unless_present = "security"
        )]
        team: Option<String>,
        /// The security role: every service, and risk acceptance.
        #[arg(long)]
        security: bool,
        /// Who or what holds it (shown in the audit log).
        #[arg(long, default_value = "unnamed")]
        name: String,
    },
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
        /// Only this family's rules: secrets, deps, iac, iam, pipeline, code or sarif.
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

/// `jobzero iam ...`.
#[derive(Debug, Subcommand)]
pub enum IamCommand {
    /// Evaluate one request against policies with the IAM evaluation logic: explicit deny
    /// over allow over implicit deny, wildcards, policy variables and every condition
    /// operator. Exit 0 allowed, 1 denied, 2 error.
    #[command(after_help = "Examples:
  jobzero iam simulate bucket-policy.json --principal 444455556666 --action s3:GetObject --resource arn:aws:s3:::logs/a.txt
  jobzero iam simulate role.json boundary.json --principal arn:aws:iam::111122223333:role/app \
      --action s3:PutObject --resource 'arn:aws:s3:::data/*' --context aws:SourceIp=203.0.113.9 --context aws:SecureTransport=true
  jobzero iam simulate policy.json --principal lambda.amazonaws.com --action sqs:SendMessage --resource '*' --format json

--principal: an IAM ARN, a 12-digit account (its root), a service (`lambda.amazonaws.com`) or `anonymous`.
--context KEY=VALUE may repeat; repeating a key gives it several values (a multi-valued key such as aws:TagKeys).")]
    Simulate {
        /// Policy documents (JSON), evaluated together as one set.
        #[arg(required = true)]
        policies: Vec<PathBuf>,
        /// Who makes the request.
        #[arg(long)]
        principal: String,
        /// The action, `service:Action`.
        #[arg(long)]
        action: String,
        /// The resource ARN.
        #[arg(long, default_value = "*")]
        resource: String,
        /// A condition key's value, `KEY=VALUE`.
        #[arg(long, value_name = "KEY=VALUE")]
        context: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Prove that no principal outside the policy's zone of trust (the accounts,
    /// organisations, VPCs and address ranges it names) is allowed anything, or show one who
    /// is. Exit 0 pass, 1 fail (with a witness request), 2 unknown or error.
    #[command(
        name = "check-no-public-access",
        after_help = "Examples:
  jobzero iam check-no-public-access bucket-policy.json
  jobzero iam check-no-public-access queue-policy.json --format json
  jobzero iam check-no-public-access main.tf#aws_s3_bucket_policy.site.policy \\
      --account 111122223333 --org o-a1b2c3d4e5"
    )]
    CheckNoPublicAccess {
        /// The resource policy: a policy file, or FILE#LABEL for one policy of a Terraform
        /// file, template or wrapped document.
        policy: PathBuf,
        /// An account of the zone of trust (repeatable): with it, a grant to any other account
        /// counts as outside, however the policy names it (IAM Access Analyzer's external
        /// access). Default: the accounts the policy names.
        #[arg(long = "account", value_name = "ID")]
        accounts: Vec<String>,
        /// An organisation id or path of the zone of trust (repeatable). Default: the
        /// organisations the policy names.
        #[arg(long = "org", value_name = "ORG")]
        orgs: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Prove that NEW allows nothing that the reference policy does not, or show a request it
    /// newly allows. Exit 0 pass, 1 fail, 2 unknown or error.
    #[command(
        name = "check-no-new-access",
        after_help = "Example:
  jobzero iam check-no-new-access --reference main/policy.json policy.json"
    )]
    CheckNoNewAccess {
        /// The policy as it was.
        #[arg(long, value_name = "OLD")]
        reference: PathBuf,
        /// The policy as it is now.
        policy: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Prove that the policy grants none of the actions (wildcards allowed) on the resources
    /// (any when none is given), or show a request it allows. Exit 0 pass, 1 fail, 2 unknown or
    /// error.
    #[command(
        name = "check-access-not-granted",
        after_help = "Examples:
  jobzero iam check-access-not-granted role-policy.json --action iam:PassRole --action 'iam:Create*'
  jobzero iam check-access-not-granted policy.json --action s3:DeleteObject --resource 'arn:aws:s3:::backups/*'"
    )]
    CheckAccessNotGranted {
        /// The policy (JSON).
        policy: PathBuf,
        /// Actions that must not be granted.
        #[arg(long, required = true)]
        action: Vec<String>,
        /// Resources they must not be granted on.
        #[arg(long)]
        resource: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
}

/// Output formats of `review`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    /// Markdown, for a wiki or an email.
    Markdown,
    /// One self-contained HTML page (inline SVG charts), that prints well.
    Html,
    /// The numbers as JSON.
    Json,
}

/// Output formats of `rules list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table.
    Human,
    /// JSON: an array of rules for `rules list`, an object for `gate` and the `iam` commands.
    Json,
}
