//! Scan orchestration: one task per region, collectors per service inside it, every API call
//! bounded by one shared [`Limiter`], all answers gathered into a [`Snapshot`].

use std::collections::BTreeMap;
use std::io::IsTerminal;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::future::join_all;
use hipaa_checks::snapshot::{RegionSnapshot, SNAPSHOT_SCHEMA_VERSION};
use hipaa_checks::{Snapshot, Source};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::Timestamp;

use crate::aws::{self, AwsOptions, CallCounter, Identity, Limiter};

pub mod ec2;
pub mod elb;
pub mod iam;
pub mod kms;
pub mod rds;

/// The services collected per region, for the progress display.
pub const SERVICES: &[&str] = &["rds", "ec2", "kms", "elb"];

/// The SDK clients of one region, sharing the scan's limiter and call counter.
pub struct RegionClients {
    /// Region name.
    pub region: String,
    /// RDS client.
    pub rds: aws_sdk_rds::Client,
    /// EC2 client.
    pub ec2: aws_sdk_ec2::Client,
    /// KMS client.
    pub kms: aws_sdk_kms::Client,
    /// ELBv2 (application/network/gateway load balancers) client.
    pub elbv2: aws_sdk_elasticloadbalancingv2::Client,
    /// Classic ELB client.
    pub elb: aws_sdk_elasticloadbalancing::Client,
    /// Shared concurrency bound.
    pub limiter: Limiter,
}

/// Builds an SDK client from a config, with the scan's call counter attached (every client of a
/// scan counts into the same counter).
macro_rules! client {
    ($sdk:ident, $config:expr, $counter:expr) => {
        $sdk::Client::from_conf(
            $sdk::config::Builder::from($config)
                .interceptor($counter.clone())
                .build(),
        )
    };
}

/// Turns an SDK answer into a snapshot source, mapping errors through [`aws::failure`].
pub fn source<T, U, E>(
    result: Result<T, SdkError<E, HttpResponse>>,
    service: &str,
    operation: &str,
    region: &str,
    convert: impl FnOnce(T) -> U,
) -> Source<U>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match result {
        Ok(value) => Source::Collected(convert(value)),
        Err(err) => {
            let failure = aws::failure(service, operation, region, &err);
            tracing::warn!(service, operation, region, code = %failure.code, "{}", failure.message);
            Source::Failed(failure)
        }
    }
}

/// A paginated listing: every item converted, sorted by `key` (stable output), or the failure.
pub fn listing<T, U, E>(
    result: Result<Vec<T>, SdkError<E, HttpResponse>>,
    service: &str,
    operation: &str,
    region: &str,
    convert: impl Fn(&T) -> U,
    key: impl Fn(&U) -> &str,
) -> Source<Vec<U>>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    source(result, service, operation, region, |items| {
        let mut converted: Vec<U> = items.iter().map(convert).collect();
        converted.sort_by(|a, b| key(a).cmp(key(b)));
        converted
    })
}

/// What to collect and how.
#[derive(Debug, Clone)]
pub struct ScanPlan {
    /// Regions to scan (validated, non-empty).
    pub regions: Vec<String>,
    /// Maximum concurrent API calls.
    pub concurrency: usize,
    /// Show a progress bar on stderr (only honoured on a TTY).
    pub progress: bool,
}

/// Progress over services x regions, on stderr, only when it is a terminal.
struct Progress(Option<ProgressBar>);

impl Progress {
    fn new(enabled: bool, total: u64) -> Progress {
        if !enabled || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} collecting {pos}/{len} service x region [{elapsed}] {msg}",
        ) {
            bar.set_style(style);
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Progress(Some(bar))
    }

    fn done(&self, service: &str, region: &str) {
        if let Some(bar) = &self.0 {
            bar.set_message(format!("{service} {region}"));
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// Collects every region of the plan into a snapshot for `identity`.
pub async fn collect(options: &AwsOptions, identity: &Identity, plan: &ScanPlan) -> Snapshot {
    let started_at = Timestamp::now();
    let counter = CallCounter::default();
    let limiter = Limiter::new(plan.concurrency);
    // Regional services in every region, plus the global services once.
    let progress = Progress::new(
        plan.progress,
        (plan.regions.len() * SERVICES.len() + 1) as u64,
    );
    let home = plan.regions.first().cloned().unwrap_or_default();
    let global = async {
        let config = aws::sdk_config(options, Some(&home)).await;
        let clients = iam::GlobalClients {
            region: home.clone(),
            iam: client!(aws_sdk_iam, &config, &counter),
            organizations: client!(aws_sdk_organizations, &config, &counter),
            sso_admin: client!(aws_sdk_ssoadmin, &config, &counter),
            limiter: limiter.clone(),
        };
        let global = iam::collect(&clients).await;
        progress.done("iam, organizations, sso", "global");
        global
    };
    let regions = join_all(plan.regions.iter().map(|region| {
        let (counter, limiter, progress) = (counter.clone(), limiter.clone(), &progress);
        async move {
            let config = aws::sdk_config(options, Some(region)).await;
            let clients = RegionClients {
                region: region.clone(),
                rds: client!(aws_sdk_rds, &config, &counter),
                ec2: client!(aws_sdk_ec2, &config, &counter),
                kms: client!(aws_sdk_kms, &config, &counter),
                elbv2: client!(aws_sdk_elasticloadbalancingv2, &config, &counter),
                elb: client!(aws_sdk_elasticloadbalancing, &config, &counter),
                limiter,
            };
            let (rds, ec2, elb) = tokio::join!(
                async {
                    let rds = rds::collect(&clients).await;
                    progress.done("rds", region);
                    rds
                },
                async {
                    let ec2 = ec2::collect(&clients).await;
                    progress.done("ec2", region);
                    ec2
                },
                async {
                    let elb = elb::collect(&clients).await;
                    progress.done("elb", region);
                    elb
                },
            );
            let kms = kms::collect(&clients, rds::kms_keys_in_use(&rds)).await;
            progress.done("kms", region);
            (region.clone(), RegionSnapshot { rds, ec2, kms, elb })
        }
    }));
    let (regions, global) = tokio::join!(regions, global);
    progress.finish();
    Snapshot {
        schema_version: SNAPSHOT_SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        account_id: identity.account.clone(),
        partition: identity.partition.clone(),
        started_at,
        finished_at: Timestamp::now(),
        api_calls: counter.get(),
        regions: regions.into_iter().collect::<BTreeMap<_, _>>(),
        global,
    }
}
