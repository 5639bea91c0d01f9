//! hipaa-audit: audits a live AWS account for HIPAA readiness.
//!
//! `collect` (async, I/O) -> `Snapshot` -> `hipaa_checks` (pure) -> findings -> `render`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context as _, Result};
use clap::Parser;
use hipaa_checks::eligible::EligibleServices;
use hipaa_checks::snapshot::SNAPSHOT_SCHEMA_VERSION;
use hipaa_checks::waiver::{self, Waiver};
use hipaa_checks::{registry, Check, Config, Context, Failure, Report, Severity, Snapshot, Status};

mod aws;
mod cli;
mod collect;
mod demo;
mod evidence;
mod output;
mod policy;
mod render;

use cli::{AwsArgs, CatalogFormat, Cli, Command, DiffFormat, Format, ReportArgs};

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
            let base = aws::AwsOptions {
                profile: args.aws.profile.clone(),
                ..Default::default()
            };
            runtime()?.block_on(async {
                if args.aws.role_arns.is_empty() {
                    let snapshot = collect_account(&base, &args.aws, args.report.quiet).await?;
                    return plan.finish(&snapshot, &args.report);
                }
                let (snapshots, unreachable) =
                    collect_accounts(&base, &args.aws, args.report.quiet).await?;
                plan.finish_accounts(&snapshots, &unreachable, &args.report)
            })
        }
        Command::Collect(args) if !args.aws.role_arns.is_empty() => bail!(
            "collect writes one account's snapshot: run it once per account with that account's \
             credentials (or use `scan --role-arn` for one report over several accounts)"
        ),
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
        Command::Verify(args) => {
            if args.dir.is_dir() && !args.dir.join(evidence::MANIFEST).is_file() {
                println!("missing: {}", evidence::MANIFEST);
                println!(
                    "{}: NOT intact (no manifest to check against)",
                    args.dir.display()
                );
                return Ok(Outcome::Failures);
            }
            let (manifest, check) = evidence::verify(&args.dir)?;
            for path in &check.changed {
                println!("changed: {path}");
            }
            for path in &check.missing {
                println!("missing: {path}");
            }
            for path in &check.added {
                println!("added: {path}");
            }
            if check.is_intact() {
                println!(
                    "{}: intact ({} files match manifest.json; account {}, written by hipaa-audit {})",
                    args.dir.display(),
                    check.intact,
                    manifest.accounts.join(","),
                    manifest.tool_version
                );
                Ok(Outcome::Clean)
            } else {
                println!(
                    "{}: NOT intact ({} changed, {} missing, {} added)",
                    args.dir.display(),
                    check.changed.len(),
                    check.missing.len(),
                    check.added.len()
                );
                Ok(Outcome::Failures)
            }
        }
        Command::Diff(args) => {
            let old = read_report(&args.old, "diff")?;
            let new = read_report(&args.new, "diff")?;
            let drift = hipaa_checks::drift::compare(&old, &new);
            match args.format {
                DiffFormat::Json => {
                    let mut text = serde_json::to_string_pretty(&drift)?;
                    text.push('\n');
                    print!("{text}");
                }
                DiffFormat::Table => {
                    let line = |f: &hipaa_checks::Finding| {
                        format!(
                            "  {} {} {} {}: {}",
                            f.severity, f.check_id, f.region, f.resource_id, f.message
                        )
                    };
                    for (title, list) in [
                        ("new failures", &drift.new_failures),
                        ("resolved", &drift.resolved),
                        ("still failing", &drift.still_failing),
                    ] {
                        println!("{title} ({}):", list.len());
                        for finding in list.iter() {
                            println!("{}", line(finding));
                        }
                    }
                    println!("{}", drift_line(&drift));
                }
            }
            let fail_on: Severity = args.fail_on.into();
            Ok(
                if drift
                    .new_failures
                    .iter()
                    .any(|f| f.severity.at_least(fail_on))
                {
                    Outcome::Failures
                } else {
                    Outcome::Clean
                },
            )
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
    waivers: Vec<Waiver>,
    baseline: Option<Report>,
}

/// Reads a JSON report written by hipaa-audit (`--baseline`, `diff`).
fn read_report(path: &Path, flag: &str) -> Result<Report> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {flag} {}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "{flag} {}: not a hipaa-audit JSON report ({e}); write one with `--format json --output FILE`",
            path.display()
        )
    })
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
        if args.format.len() > 1 && args.output.is_none() {
            unreachable_formats()?;
        }
        let eligible = load_eligible(args.eligible_services.as_deref())?;
        let waivers = match &args.waivers {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read waivers file {}", path.display()))?;
                waiver::parse(&text).map_err(|e| anyhow!("waivers file {}: {e}", path.display()))?
            }
            None => Vec::new(),
        };
        let baseline = match &args.baseline {
            Some(path) => Some(read_report(path, "--baseline")?),
            None => None,
        };
        if let Some(dir) = &args.evidence {
            let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
            if parent.is_some_and(|p| !p.is_dir()) {
                bail!(
                    "cannot write --evidence {}: its parent directory does not exist",
                    dir.display()
                );
            }
            evidence::check_target(dir)?;
        }
        Ok(Prepared {
            config,
            checks,
            eligible,
            waivers,
            baseline,
        })
    }

    /// Grades, renders, writes and decides the exit code.
    pub fn finish(&self, snapshot: &Snapshot, args: &ReportArgs) -> Result<Outcome> {
        self.finish_accounts(std::slice::from_ref(snapshot), &[], args)
    }

    /// Grades one account's snapshot; `None` when nothing of it could be collected.
    fn grade(&self, snapshot: &Snapshot) -> Option<Report> {
        let ctx = Context {
            snapshot,
            config: &self.config,
            now: jiff::Timestamp::now(),
            eligible: &self.eligible,
        };
        let findings = registry::grade(&ctx, &self.checks);
        // Entirely blind: every finding is an error. A report of nothing but errors would
        // look like a result. (A check that degrades to `manual` when its source fails, like
        // baa-accepted, does not make a blind scan look like a result either.)
        let all_errors = !findings.is_empty() && findings.iter().all(|f| f.status == Status::Error);
        if all_errors || nothing_collected(snapshot) {
            return None;
        }
        Some(Report::new(
            snapshot,
            findings,
            env!("CARGO_PKG_VERSION"),
            &self.eligible.as_of,
        ))
    }

    /// Grades every account, merges them into one report with the accounts that could not be
    /// reached, renders, writes and decides the exit code.
    pub fn finish_accounts(
        &self,
        snapshots: &[Snapshot],
        unreachable: &[Failure],
        args: &ReportArgs,
    ) -> Result<Outcome> {
        let mut parts = Vec::new();
        let mut blind = Vec::new();
        for snapshot in snapshots {
            match self.grade(snapshot) {
                Some(report) => parts.push(report),
                None => {
                    let first = snapshot.failures().into_iter().next();
                    blind.push(Failure::new(
                        "sts",
                        "collect",
                        "global",
                        "NothingCollected",
                        format!(
                            "account {}: nothing could be collected (first failed call: {})",
                            snapshot.account_id,
                            first.map(|f| f.describe()).unwrap_or_default()
                        ),
                    ));
                }
            }
        }
        let mut problems: Vec<Failure> = unreachable.to_vec();
        problems.extend(blind);
        let Some(merged) = Report::merge(parts, &problems) else {
            let reason = problems
                .first()
                .map(|f| f.message.clone())
                .unwrap_or_else(|| "no account was scanned".to_owned());
            bail!("nothing could be collected: every check lacks its evidence ({reason}); check credentials and permissions (`hipaa-audit explain ID` lists what each check reads)");
        };
        if !args.quiet {
            for problem in &problems {
                eprintln!("hipaa-audit: {}", problem.message);
            }
        }
        // Waivers apply before the severity filter (a filtered-out finding is still covered)
        // and as of the collection date, so grading a saved snapshot again gives the same result.
        let started = snapshots
            .iter()
            .map(|s| s.started_at)
            .min()
            .unwrap_or_else(jiff::Timestamp::now);
        let today = started.to_zoned(jiff::tz::TimeZone::UTC).date();
        let mut report = merged.apply_waivers(&self.waivers, today);
        for status in report.waivers.iter().filter(|_| !args.quiet) {
            match status.state {
                waiver::WaiverState::Expired => eprintln!(
                    "hipaa-audit: waiver for {} {} (owner {}) expired on {}: it no longer applies",
                    status.check, status.resource, status.owner, status.expires
                ),
                waiver::WaiverState::Stale => eprintln!(
                    "hipaa-audit: waiver for {} {} (owner {}) matches no failing finding (its resources pass or are gone): remove it or fix its resource",
                    status.check, status.resource, status.owner
                ),
                waiver::WaiverState::Applied => {}
            }
        }
        // Drift over what this run looked at: the baseline's findings of other checks, accounts
        // or regions are out of scope, not "resolved"; and before the severity filter.
        let drift = self.baseline.as_ref().map(|old| {
            let mut old = old.clone();
            old.findings.retain(|f| {
                self.checks.iter().any(|c| c.meta.id == f.check_id)
                    && report.scan.accounts.contains(&f.account)
                    && (f.region == "global" || report.scan.regions.contains(&f.region))
            });
            hipaa_checks::drift::compare(&old, &report)
        });
        if let Some(minimum) = args.severity {
            let minimum: Severity = minimum.into();
            report.findings.retain(|f| f.severity.at_least(minimum));
            report.summary = hipaa_checks::report::Summary::of(&report.findings);
        }
        let formats: Vec<Format> = if args.format.is_empty() {
            vec![Format::Table]
        } else {
            args.format.clone()
        };
        let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
        match (&args.output, formats.as_slice()) {
            (None, [format]) => {
                if !args.quiet {
                    print!(
                        "{}",
                        render_as(*format, &report, drift.as_ref(), to_terminal)?
                    );
                }
            }
            (Some(path), [format]) => output::write_atomic(
                path,
                render_as(*format, &report, drift.as_ref(), false)?.as_bytes(),
            )?,
            (Some(base), several) => {
                for format in several {
                    // Appended, not replaced: `--output reports/acme.prod` keeps its name.
                    let mut name = base.as_os_str().to_owned();
                    name.push(".");
                    name.push(format.extension());
                    let path = PathBuf::from(name);
                    output::write_atomic(
                        &path,
                        render_as(*format, &report, drift.as_ref(), false)?.as_bytes(),
                    )?;
                    if !args.quiet {
                        eprintln!("hipaa-audit: wrote {}", path.display());
                    }
                }
            }
            (None, _) => unreachable_formats()?,
        }
        // The table on stdout carries the drift line itself; otherwise say it on stderr.
        let table_on_stdout = args.output.is_none() && formats == [Format::Table];
        if let Some(drift) = drift.as_ref().filter(|_| !args.quiet && !table_on_stdout) {
            eprintln!("{}", drift_line(drift));
        }
        if let Some(dir) = &args.evidence {
            write_evidence(dir, snapshots, &report, drift.as_ref(), args.quiet)?;
        }
        if args.quiet || args.output.is_some() {
            println!("{}", render::summary_line(&report));
        }
        let fail_on: Severity = args.fail_on.into();
        Ok(match &drift {
            // Only failures new since the baseline count; the rest of the verdict is unchanged.
            Some(drift) if args.fail_on_new => outcome_of(
                drift
                    .new_failures
                    .iter()
                    .any(|f| f.severity.at_least(fail_on)),
                &report,
            ),
            _ => outcome(&report, fail_on),
        })
        .map(|verdict| match verdict {
            // An account that could not be scanned makes the run partly blind.
            Outcome::Clean if !problems.is_empty() => Outcome::PartlyBlind,
            other => other,
        })
    }
}

/// Several formats need somewhere to go; checked again here in case a caller skipped
/// [`Prepared::new`].
fn unreachable_formats() -> Result<()> {
    bail!("several --format values need --output BASE (each format is written to BASE.<ext>)")
}

/// Renders the report in one format.
fn render_as(
    format: Format,
    report: &Report,
    drift: Option<&hipaa_checks::drift::Drift>,
    to_terminal: bool,
) -> Result<String> {
    Ok(match format {
        Format::Table => {
            let mut text = render::table::render(
                report,
                if to_terminal && std::env::var_os("NO_COLOR").is_none() {
                    render::table::Style::Terminal
                } else {
                    render::table::Style::Plain
                },
            );
            if let Some(drift) = drift {
                text.push_str(&drift_line(drift));
                text.push('\n');
                for f in &drift.new_failures {
                    text.push_str(&format!(
                        "  new: {} {} {} {} {}: {}\n",
                        f.severity, f.check_id, f.account, f.region, f.resource_id, f.message
                    ));
                }
            }
            text
        }
        Format::Json => render::json::render(report)?,
        Format::Csv => render::csv::render(report)?,
        Format::Junit => render::junit::render(report)?,
        Format::Sarif => render::sarif::render(report)?,
        Format::Markdown => render::markdown::render(report),
        Format::Html => render::html::render(report, drift)?,
        Format::Ocsf => render::ocsf::render(report)?,
    })
}

/// One line: what changed since the baseline.
fn drift_line(drift: &hipaa_checks::drift::Drift) -> String {
    format!(
        "since the baseline: {} new failure(s), {} resolved, {} still failing",
        drift.counts.new_failures, drift.counts.resolved, drift.counts.still_failing
    )
}

/// The evidence bundle: the report in every auditor format, and the raw evidence it cites.
fn write_evidence(
    dir: &Path,
    snapshots: &[Snapshot],
    report: &Report,
    drift: Option<&hipaa_checks::drift::Drift>,
    quiet: bool,
) -> Result<()> {
    // One account: snapshot.json; several: snapshot-<account>.json each.
    let mut raw: Vec<(String, Vec<u8>)> = Vec::new();
    for snapshot in snapshots {
        let mut text = serde_json::to_string_pretty(snapshot)?;
        text.push('\n');
        let name = if snapshots.len() == 1 {
            "snapshot.json".to_owned()
        } else {
            format!("snapshot-{}.json", snapshot.account_id)
        };
        raw.push((name, text.into_bytes()));
    }
    let mut files = vec![
        ("report.json", render::json::render(report)?.into_bytes()),
        (
            "report.html",
            render::html::render(report, drift)?.into_bytes(),
        ),
        ("findings.csv", render::csv::render(report)?.into_bytes()),
    ];
    files.extend(
        raw.iter()
            .map(|(name, bytes)| (name.as_str(), bytes.clone())),
    );
    let provenance = evidence::Provenance {
        accounts: report.scan.accounts.clone(),
        regions: report.scan.regions.clone(),
        started_at: report.scan.started_at.clone(),
        finished_at: report.scan.finished_at.clone(),
    };
    evidence::write_bundle(dir, &files, &provenance)?;
    if quiet {
        return Ok(());
    }
    eprintln!(
        "hipaa-audit: evidence bundle written to {} (check it with `hipaa-audit verify {}`)",
        dir.display(),
        dir.display()
    );
    Ok(())
}

/// The spec's exit code for a report.
fn outcome(report: &Report, fail_on: Severity) -> Outcome {
    let failing = report
        .findings
        .iter()
        .any(|f| f.status == Status::Fail && f.severity.at_least(fail_on));
    outcome_of(failing, report)
}

/// Exit 1 when `failing`, else 3 when evidence is missing, else 0.
fn outcome_of(failing: bool, report: &Report) -> Outcome {
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
/// Assumes each `--role-arn` and collects its account, all concurrently. A role that cannot be
/// assumed (or an account where the scan cannot start) is a collection error, not a crash.
pub async fn collect_accounts(
    base: &aws::AwsOptions,
    args: &AwsArgs,
    quiet: bool,
) -> Result<(Vec<Snapshot>, Vec<Failure>)> {
    let region = match args.regions.first() {
        Some(region) => region.trim().to_owned(),
        None => match aws::sdk_config(base, None).await.region() {
            Some(region) => region.to_string(),
            None => bail!("no region configured: pass --region REGION (or --all-regions), set AWS_REGION, or set a region in the profile"),
        },
    };
    let mut roles: Vec<&String> = args.role_arns.iter().collect();
    roles.sort();
    roles.dedup();
    for role in &roles {
        if !role.starts_with("arn:") || !role.contains(":role/") {
            bail!("--role-arn {role} is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
        }
    }
    // Every account's calls count against one --concurrency bound.
    let shared = aws::AwsOptions {
        limiter: Some(aws::Limiter::new(usize::from(args.concurrency))),
        ..base.clone()
    };
    let base = &shared;
    let results = futures::future::join_all(roles.iter().map(|role| {
        let region = region.clone();
        async move {
            let options = aws::assume_role(base, role, args.external_id.as_deref(), &region).await;
            (role, collect_account(&options, args, quiet).await)
        }
    }))
    .await;
    let mut snapshots = Vec::new();
    let mut unreachable = Vec::new();
    for (role, result) in results {
        match result {
            Ok(snapshot) => snapshots.push(snapshot),
            Err(err) => unreachable.push(Failure::new(
                "sts",
                "AssumeRole",
                &region,
                "AssumeRoleFailed",
                format!("role {role} could not be used, its account was not scanned: {err:#}"),
            )),
        }
    }
    snapshots.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    // Two roles into the same account: scan it once.
    snapshots.dedup_by(|a, b| a.account_id == b.account_id);
    Ok((snapshots, unreachable))
}

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
