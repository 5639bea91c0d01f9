//! Command-line interface (clap derive), as ../shared/spec/cli-and-report.md defines it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use hipaa_checks::Severity;

/// hipaa-audit: audits a live AWS account for HIPAA readiness.
#[derive(Debug, Parser)]
#[command(name = "hipaa-audit", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Log collector activity to stderr (RUST_LOG overrides the level).
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Collect evidence from AWS, grade it and print the report.
    Scan(ScanArgs),
    /// Collect only: write the raw evidence snapshot (JSON) for grading later.
    Collect(CollectArgs),
    /// Grade a saved snapshot offline (no AWS calls).
    Grade(GradeArgs),
    /// List the check catalog.
    Checks(ChecksArgs),
    /// Explain one check in full: why, evidence, remediation.
    Explain(ExplainArgs),
    /// Start a local moto, seed the demo account and scan it with the real collectors.
    Demo(DemoArgs),
    /// Print (or write) the commented default config file.
    Config(ConfigArgs),
    /// Print the minimal read-only IAM policy the scan needs.
    Policy,
    /// List the HIPAA-eligible services the grade uses, with the list's date.
    Services(ServicesArgs),
    /// Check an evidence bundle against its manifest: names every changed, missing or added file.
    Verify(VerifyArgs),
    /// New, resolved and still-failing findings between two JSON reports.
    Diff(DiffArgs),
}

/// `diff` flags.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier report (JSON).
    pub old: PathBuf,
    /// The later report (JSON).
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Exit 1 when a new failure has this severity or higher.
    #[arg(long, value_enum, default_value_t = SeverityArg::High)]
    pub fail_on: SeverityArg,
}

/// `diff` output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Three lists, one line per finding.
    Table,
    /// Counts and the three lists as JSON.
    Json,
}

/// `verify` flags.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The bundle directory (written by `--evidence DIR`).
    pub dir: PathBuf,
}

/// `services`: which list, in which format.
#[derive(Debug, Args)]
pub struct ServicesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CatalogFormat::Table)]
    pub format: CatalogFormat,
    /// Use this eligible-services list (same TOML format as the embedded one) instead.
    #[arg(long, value_name = "FILE")]
    pub eligible_services: Option<PathBuf>,
}

/// How to reach AWS and how hard to push it.
#[derive(Debug, Args)]
pub struct AwsArgs {
    /// Named profile from ~/.aws/config (default: the standard chain).
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// Region to scan; repeat for several (default: the configured region).
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Scan every region enabled for the account (EC2 DescribeRegions).
    #[arg(long, conflicts_with = "regions")]
    pub all_regions: bool,
    /// Assume this role (session name `hipaa-audit`) and scan its account; repeat for several
    /// accounts, scanned concurrently into one report.
    #[arg(long = "role-arn", value_name = "ARN")]
    pub role_arns: Vec<String>,
    /// External id for --role-arn, when the roles' trust policies require one.
    #[arg(long, value_name = "ID", requires = "role_arns")]
    pub external_id: Option<String>,
    /// Maximum concurrent API calls across the scan.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// No progress display.
    #[arg(long)]
    pub no_progress: bool,
}

/// Report formats available now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Human-readable table grouped by check.
    #[default]
    Table,
    /// The JSON report (schema_version 1).
    Json,
    /// One row per finding.
    Csv,
    /// JUnit XML: one test case per check and resource.
    Junit,
    /// SARIF 2.1.0: the catalog as rules, failures as results.
    Sarif,
    /// Markdown, for tickets and pull requests.
    Markdown,
    /// One self-contained HTML page for people and printers.
    Html,
    /// OCSF 1.1 Compliance Finding events (Security Hub, SIEM pipelines).
    Ocsf,
}

impl Format {
    /// The file extension a format is written with when several go to one `--output` base.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Table => "txt",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Junit => "junit.xml",
            Format::Sarif => "sarif",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Ocsf => "ocsf.json",
        }
    }
}

/// Which checks, which findings, which output.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format.
    ///
    /// Repeat it to write several formats at once; then `--output BASE` writes `BASE.json`,
    /// `BASE.sarif`, ... (table: `.txt`, junit: `.junit.xml`, ocsf: `.ocsf.json`).
    #[arg(long, value_enum)]
    pub format: Vec<Format>,
    /// Write the report to PATH (atomically) instead of stdout.
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Config file with thresholds (TOML).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A newer HIPAA-eligible services list (TOML, the embedded list's format) to grade with.
    #[arg(long, value_name = "FILE")]
    pub eligible_services: Option<PathBuf>,
    /// Also write the auditor's evidence bundle to DIR (report, findings, raw evidence, manifest).
    #[arg(long, value_name = "DIR")]
    pub evidence: Option<PathBuf>,
    /// Waivers file (TOML): accepted failures with reason, owner and expiry.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// An earlier JSON report: show new, resolved and still-failing findings since then.
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,
    /// With --baseline, only failures that are new since the baseline decide exit code 1.
    #[arg(long, requires = "baseline")]
    pub fail_on_new: bool,
    /// Only run these checks (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub checks: Vec<String>,
    /// Skip these checks (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub skip_checks: Vec<String>,
    /// Only report findings of this severity or higher.
    #[arg(long, value_enum)]
    pub severity: Option<SeverityArg>,
    /// Exit 1 when a failure of this severity or higher is found.
    #[arg(long, value_enum, default_value_t = SeverityArg::High)]
    pub fail_on: SeverityArg,
    /// Print only the summary line (the report still goes to --output).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Severity as a flag value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// critical
    Critical,
    /// high
    High,
    /// medium
    Medium,
    /// low
    Low,
    /// info
    Info,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Critical => Severity::Critical,
            SeverityArg::High => Severity::High,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Info => Severity::Info,
        }
    }
}

/// `scan` flags.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// AWS access.
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Report.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `collect` flags.
#[derive(Debug, Args)]
pub struct CollectArgs {
    /// AWS access.
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Where to write the snapshot (JSON).
    #[arg(long, value_name = "FILE")]
    pub snapshot: PathBuf,
    /// No summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `grade` flags.
#[derive(Debug, Args)]
pub struct GradeArgs {
    /// Snapshot file written by `collect`.
    pub file: PathBuf,
    /// Report.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Catalog listing formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    /// Terminal table.
    Table,
    /// JSON array of catalog entries.
    Json,
    /// Markdown table (as in the README).
    Markdown,
}

/// `checks` flags.
#[derive(Debug, Args)]
pub struct ChecksArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CatalogFormat::Table)]
    pub format: CatalogFormat,
}

/// `explain` arguments.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Check id, e.g. rds-param-force-ssl.
    pub id: String,
}

/// `demo` flags.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Report.
    #[command(flatten)]
    pub report: ReportArgs,
    /// Also write the collected evidence snapshot (JSON) to FILE, to see what the checks read.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// No progress display.
    #[arg(long)]
    pub no_progress: bool,
}

/// `config` flags.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Write the default config to PATH instead of printing it (refuses to overwrite).
    #[arg(long, value_name = "PATH")]
    pub init: Option<PathBuf>,
}
