//! `hipaa-audit demo`: a real scan of a seeded local moto, no AWS account needed.

use anyhow::{anyhow, Context as _, Result};
use hipaa_mocks::seed::{TEST_ACCESS_KEY, TEST_SECRET_KEY};
use hipaa_mocks::{Account, MotoServer};

use crate::aws::AwsOptions;
use crate::cli::{AwsArgs, DemoArgs};
use crate::{Outcome, Prepared};

/// Starts moto, seeds the demo account, scans it through the real collectors, prints the report.
/// Exits 0 when the scan completed: the demo account fails checks on purpose.
pub fn run(plan: &Prepared, args: &DemoArgs) -> Result<Outcome> {
    let account = Account::demo();
    let quiet = args.report.quiet;
    if !quiet {
        eprintln!("hipaa-audit demo: starting moto_server on 127.0.0.1 ...");
    }
    let moto = MotoServer::start().map_err(|e| anyhow!("{e}"))?;
    // Same ids on every run, so two demo reports can be compared line by line.
    moto.deterministic_ids(42).map_err(|e| anyhow!("{e}"))?;
    // The demo only ever talks to loopback; keep any corporate proxy out of the way.
    std::env::set_var("NO_PROXY", "127.0.0.1,localhost");
    // moto answers operations it lacks with HTTP 500, which the SDK retries as transient;
    // two attempts show the retry path without waiting out five.
    if std::env::var_os("AWS_MAX_ATTEMPTS").is_none() {
        std::env::set_var("AWS_MAX_ATTEMPTS", "2");
    }
    let runtime = crate::runtime()?;
    runtime.block_on(async {
        let seeded = std::time::Instant::now();
        hipaa_mocks::seed::seed(&moto.endpoint(), &account)
            .await
            .context("seeding the demo account into moto")?;
        if !quiet {
            eprintln!(
                "hipaa-audit demo: seeded the demo account at {} in {:.1}s; scanning it with the real collectors",
                moto.endpoint(),
                seeded.elapsed().as_secs_f64()
            );
        }
        let options = AwsOptions {
            profile: None,
            endpoint: Some(moto.endpoint()),
            static_credentials: Some((TEST_ACCESS_KEY.to_owned(), TEST_SECRET_KEY.to_owned())),
            assumed: None,
            limiter: None,
        };
        let aws_args = AwsArgs {
            profile: None,
            regions: account.regions.keys().cloned().collect(),
            all_regions: false,
            role_arns: Vec::new(),
            external_id: None,
            concurrency: 16,
            no_progress: args.no_progress,
        };
        let snapshot = crate::collect_account(&options, &aws_args, quiet).await?;
        if let Some(path) = &args.snapshot {
            let mut text = serde_json::to_string_pretty(&snapshot)?;
            text.push('\n');
            crate::output::write_atomic(path, text.as_bytes())?;
        }
        plan.finish(&snapshot, &args.report)?;
        Ok(Outcome::Clean)
    })
}
