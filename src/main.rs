//! hipaa-audit: audits a live AWS account for HIPAA readiness.
//!
//! `collect` (async, I/O) -> `Snapshot` -> `hipaa_checks` (pure) -> findings -> `render`.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context as _, Result};
use clap::Parser;
use hipaa_checks::eligible::EligibleServices;
use hipaa_checks::snapshot::SNAPSHOT_SCHEMA_VERSION;
use hipaa_checks::{registry, Check, Config, Context, Report, Severity, Snapshot, Status};

mod aws;
mod cli;
mod collect;
mod demo;
mod output;
mod policy;
mod render;

use cli::{AwsArgs, CatalogFormat, Cli, Command, Format, ReportArgs};

/// Exit codes of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No failure at or above --fail-on.
    Clean = 0,
    /// Failures at or above --fail-on.
    Failures = 1,
    /// Usage or config error, or nothing could be collected.
    Unusable = 2,
    /// Completed, no failures, but some evidence could not be collected.
    PartlyBlind = 3,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.verbose);
    match run(cli) {
        Ok(outcome) => ExitCode::from(outcome as u8),
        Err(err) => {
            eprintln!("hipaa-audit: {err:#}");
            ExitCode::from(Outcome::Unusable as u8)
        }
    }
}

fn init_tracing(verbose: bool) {
    // Only our own crate logs by default: SDK internals at debug level can echo request
    // headers, which must never reach a log. RUST_LOG is the user's explicit override.
    let default = if verbose { "hipaa_audit=debug" } else { "off" };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Scan(args) => {
            let plan = Prepared::new(&args.report)?;
            runtime()?.block_on(async {
                let snapshot = collect_account(
                    &aws::AwsOptions {
                        profile: args.aws.profile.clone(),
                        ..Default::default()
                    },
                    &args.aws,
                    args.report.quiet,
                )
                .await?;
                plan.finish(&snapshot, &args.report)
            })
        }
        Command::Collect(args) => runtime()?.block_on(async {
            let options = aws::AwsOptions {
                profile: args.aws.profile.clone(),
                ..Default::default()
            };
            let snapshot = collect_account(&options, &args.aws, args.quiet).await?;
            let mut text = serde_json::to_string_pretty(&snapshot)?;
            text.push('\n');
            output::write_atomic(&args.snapshot, text.as_bytes())?;
            if !args.quiet {
                eprintln!(
                    "hipaa-audit: snapshot written to {}",
                    args.snapshot.display()
                );
            }
            Ok(if nothing_collected(&snapshot) {
                Outcome::Unusable
            } else {
                Outcome::Clean
            })
        }),
        Command::Grade(args) => {
            let plan = Prepared::new(&args.report)?;
            let snapshot = read_snapshot(&args.file)?;
            plan.finish(&snapshot, &args.report)
        }
        Command::Checks(args) => {
            let text = match args.format {
                CatalogFormat::Table => render::catalog::table(),
                CatalogFormat::Json => render::catalog::json()?,
                CatalogFormat::Markdown => render::catalog::markdown(),
            };
            print!("{text}");
            Ok(Outcome::Clean)
        }
        Command::Explain(args) => {
            let check = find_check(&args.id, "explain")?;
            print!("{}", render::catalog::explain(&check.meta));
            Ok(Outcome::Clean)
        }
        Command::Demo(args) => {
            let plan = Prepared::new(&args.report)?;
            demo::run(&plan, &args)
        }
        Command::Services(args) => {
            let list = load_eligible(args.eligible_services.as_deref())?;
            let text = match args.format {
                CatalogFormat::Table => render::catalog::services_table(&list),
                CatalogFormat::Json => render::catalog::services_json(&list)?,
                CatalogFormat::Markdown => render::catalog::services_markdown(&list),
            };
            print!("{text}");
            Ok(Outcome::Clean)
        }
        Command::Policy => {
            print!("{}", policy::document());
            for (action, why) in policy::NON_READ_EXCEPTIONS {
                eprintln!("note: {action} is not a Describe/Get/List call: it {why}");
            }
            Ok(Outcome::Clean)
        }
        Command::Config(args) => {
            match args.init {
                Some(path) => {
                    if path.exists() {
                        bail!(
                            "{} already exists; remove it or choose another path",
                            path.display()
                        );
                    }
                    output::write_atomic(&path, Config::default_toml().as_bytes())?;
                    eprintln!("hipaa-audit: wrote {}", path.display());
                }
                None => print!("{}", Config::default_toml()),
            }
            Ok(Outcome::Clean)
        }
    }
}

/// Looks up a check id; unknown ids are a usage error that suggests near ids.
fn find_check(id: &str, flag: &str) -> Result<&'static Check> {
    registry::find(id).ok_or_else(|| {
        let near = registry::suggestions(id);
        let hint = if near.is_empty() {
            String::new()
        } else {
            format!(" (did you mean {}?)", near.join(", "))
        };
        anyhow!("unknown check id `{id}` in {flag}{hint}; `hipaa-audit checks` lists every id")
    })
}

/// The eligible-services list: the embedded one, or a validated `--eligible-services FILE`.
fn load_eligible(path: Option<&Path>) -> Result<EligibleServices> {
    let Some(path) = path else {
        return Ok(EligibleServices::embedded().clone());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read --eligible-services file {}", path.display()))?;
    EligibleServices::from_toml(&text, &path.display().to_string()).map_err(|e| {
        anyhow!(
            "--eligible-services file {}: {e}; it must have the embedded list's format \
             ([meta] as_of, [prefixes] eligible, [[service]] name): see `hipaa-audit services --format json`",
            path.display()
        )
    })
}

/// Everything decided from the flags before any AWS call: config, checks, thresholds.
pub struct Prepared {
    config: Config,
    checks: Vec<&'static Check>,
    eligible: EligibleServices,
}

impl Prepared {
    /// Validates config file and check selection (usage errors surface before collection).
    pub fn new(args: &ReportArgs) -> Result<Prepared> {
        let config = match &args.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read config file {}", path.display()))?;
                Config::from_toml(&text)
                    .map_err(|e| anyhow!("config file {}: {e}", path.display()))?
            }
            None => Config::default(),
        };
        let mut checks: Vec<&'static Check> = if args.checks.is_empty() {
            registry::ALL.iter().collect()
        } else {
            args.checks
                .iter()
                .map(|id| find_check(id.trim(), "--checks"))
                .collect::<Result<_>>()?
        };
        for id in &args.skip_checks {
            find_check(id.trim(), "--skip-checks")?;
        }
        checks.retain(|c| !args.skip_checks.iter().any(|s| s.trim() == c.meta.id));
        checks.dedup_by_key(|c| c.meta.id);
        if let Some(dir) = args.output.as_deref().and_then(Path::parent) {
            if !dir.as_os_str().is_empty() && !dir.is_dir() {
                bail!(
                    "cannot write --output {}: directory {} does not exist",
                    args.output.as_deref().unwrap_or(dir).display(),
                    dir.display()
                );
            }
        }
        if checks.is_empty() {
            bail!("--checks/--skip-checks leave no check to run");
        }
        let eligible = load_eligible(args.eligible_services.as_deref())?;
        Ok(Prepared {
            config,
            checks,
            eligible,
        })
    }

    /// Grades, renders, writes and decides the exit code.
    pub fn finish(&self, snapshot: &Snapshot, args: &ReportArgs) -> Result<Outcome> {
        let ctx = Context {
            snapshot,
            config: &self.config,
            now: jiff::Timestamp::now(),
            eligible: &self.eligible,
        };
        let mut findings = registry::grade(&ctx, &self.checks);
        // Entirely blind: every finding is an error. A report of nothing but errors would
        // look like a result; stop and say why instead.
        // (A check that degrades to `manual` when its source fails, like baa-accepted, does not
        // make a blind scan look like a result either.)
        let all_errors = !findings.is_empty() && findings.iter().all(|f| f.status == Status::Error);
        if all_errors || nothing_collected(snapshot) {
            let first = snapshot.failures().into_iter().next();
            let reason = first.map(|f| f.describe()).unwrap_or_default();
            bail!("nothing could be collected: every check lacks its evidence (first failed call: {reason}); check credentials and permissions (`hipaa-audit explain ID` lists what each check reads)");
        }
        if let Some(minimum) = args.severity {
            let minimum: Severity = minimum.into();
            findings.retain(|f| f.severity.at_least(minimum));
        }
        let report = Report::new(
            snapshot,
            findings,
            env!("CARGO_PKG_VERSION"),
            &self.eligible.as_of,
        );
        let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
        let text = match args.format {
            Format::Table => render::table::render(
                &report,
                if to_terminal && std::env::var_os("NO_COLOR").is_none() {
                    render::table::Style::Terminal
                } else {
                    render::table::Style::Plain
                },
            ),
            Format::Json => render::json::render(&report)?,
        };
        match &args.output {
            Some(path) => output::write_atomic(path, text.as_bytes())?,
            None if !args.quiet => print!("{text}"),
            None => {}
        }
        if args.quiet || args.output.is_some() {
            println!("{}", render::summary_line(&report));
        }
        Ok(outcome(&report, args.fail_on.into()))
    }
}

/// The spec's exit code for a report.
fn outcome(report: &Report, fail_on: Severity) -> Outcome {
    let failing = report
        .findings
        .iter()
        .any(|f| f.status == Status::Fail && f.severity.at_least(fail_on));
    if failing {
        Outcome::Failures
    } else if report.findings.iter().any(|f| f.status == Status::Error) {
        // Only error *findings* make a run partly blind: a failed call that no selected check
        // needed is still listed in collection_errors but does not change the verdict.
        Outcome::PartlyBlind
    } else {
        Outcome::Clean
    }
}

fn nothing_collected(snapshot: &Snapshot) -> bool {
    let (collected, failed) = snapshot.source_counts();
    collected == 0 && failed > 0
}

/// True for names shaped like AWS regions (`us-east-1`, `us-gov-west-1`, `ap-southeast-5`).
fn is_region_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].parse::<u8>().is_ok()
}

/// Resolves regions (flags, else the configured one), checks identity, collects the account.
pub async fn collect_account(
    options: &aws::AwsOptions,
    args: &AwsArgs,
    quiet: bool,
) -> Result<Snapshot> {
    let mut regions: Vec<String> = args.regions.iter().map(|r| r.trim().to_owned()).collect();
    for region in &regions {
        if !is_region_name(region) {
            bail!("`{region}` is not an AWS region name (expected e.g. us-east-1); `aws ec2 describe-regions` lists them");
        }
    }
    // The home region: the first requested one, else the configured one.
    let home = match regions.first() {
        Some(region) => region.clone(),
        None => match aws::sdk_config(options, None).await.region() {
            Some(region) => region.to_string(),
            None => bail!("no region configured: pass --region REGION (or --all-regions), set AWS_REGION, or set a region in the profile"),
        },
    };
    let base = aws::sdk_config(options, Some(&home)).await;
    let identity = aws::preflight_identity(&base)
        .await
        .map_err(|message| anyhow!(message))?;
    tracing::info!(account = %identity.account, caller = %identity.arn, "identity confirmed");
    if args.all_regions {
        regions = aws::enabled_regions(&base)
            .await
            .map_err(|message| anyhow!(message))?;
    } else if regions.is_empty() {
        regions.push(home);
    }
    regions.sort();
    regions.dedup();
    let plan = collect::ScanPlan {
        regions,
        concurrency: usize::from(args.concurrency),
        progress: !args.no_progress && !quiet,
    };
    let started = std::time::Instant::now();
    let snapshot = collect::collect(options, &identity, &plan).await;
    if !quiet {
        eprintln!(
            "hipaa-audit: collected account {} in {} region(s) in {:.1}s with {} API calls",
            identity.account,
            plan.regions.len(),
            started.elapsed().as_secs_f64(),
            snapshot.api_calls
        );
    }
    Ok(snapshot)
}

/// Reads and validates a snapshot file written by `collect`.
fn read_snapshot(path: &Path) -> Result<Snapshot> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read snapshot file {}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| anyhow!("snapshot file {} is not valid JSON: {e}", path.display()))?;
    match value.get("schema_version").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(SNAPSHOT_SCHEMA_VERSION) => {}
        Some(v) => bail!("snapshot file {} has schema_version {v}; this hipaa-audit reads version {SNAPSHOT_SCHEMA_VERSION}: collect it again with this version", path.display()),
        None => bail!("{} is not a hipaa-audit snapshot (no schema_version); write one with `hipaa-audit collect --snapshot FILE`", path.display()),
    }
    serde_json::from_str(&text)
        .map_err(|e| anyhow!("snapshot file {} is malformed: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names() {
        for ok in [
            "us-east-1",
            "us-gov-west-1",
            "ap-southeast-5",
            "eu-central-2",
            "cn-north-1",
        ] {
            assert!(is_region_name(ok), "{ok}");
        }
        for bad in [
            "us-east",
            "mars-1",
            "US-EAST-1",
            "us-east-1a",
            "",
            "useast1",
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
    }
}
