//! Scan orchestration: one task per region, collectors per service inside it, every API call
//! bounded by one shared [`Limiter`], all answers gathered into a [`Snapshot`].

use std::collections::BTreeMap;
use std::io::IsTerminal;

use aws_config::{Region, SdkConfig};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::future::join_all;
use hipaa_checks::snapshot::{RegionSnapshot, SNAPSHOT_SCHEMA_VERSION};
use hipaa_checks::{Snapshot, Source};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::Timestamp;

use crate::aws::{self, AwsOptions, CallCounter, Identity, Limiter};

pub mod cloudtrail;
pub mod cloudwatch;
pub mod config_service;
pub mod datastores;
pub mod ec2;
pub mod elb;
pub mod guardduty;
pub mod iam;
pub mod kms;
pub mod logs;
pub mod rds;
pub mod s3;
pub mod tagging;

/// The services collected per region, for the progress display.
pub const SERVICES: &[&str] = &[
    "rds",
    "ec2",
    "kms",
    "elb",
    "cloudtrail",
    "config",
    "logs",
    "cloudwatch",
    "guardduty",
    "tag",
    "dynamodb",
    "sqs",
    "sns",
];

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
    /// CloudTrail client.
    pub cloudtrail: aws_sdk_cloudtrail::Client,
    /// AWS Config client.
    pub config: aws_sdk_config::Client,
    /// CloudWatch Logs client.
    pub logs: aws_sdk_cloudwatchlogs::Client,
    /// CloudWatch client.
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    /// GuardDuty client.
    pub guardduty: aws_sdk_guardduty::Client,
    /// Resource Groups Tagging API client.
    pub tagging: aws_sdk_resourcegroupstagging::Client,
    /// DynamoDB client.
    pub dynamodb: aws_sdk_dynamodb::Client,
    /// SQS client.
    pub sqs: aws_sdk_sqs::Client,
    /// SNS client.
    pub sns: aws_sdk_sns::Client,
    /// Shared concurrency bound.
    pub limiter: Limiter,
    /// Every region of the scan (a trail homed in one of them is read there).
    pub scanned_regions: Vec<String>,
    /// The region's SDK config, to reach a trail's home region outside the scan.
    pub sdk_config: SdkConfig,
    /// The scan's call counter, for clients built later.
    pub counter: CallCounter,
}

impl RegionClients {
    /// A CloudTrail client for another region (a trail's home region, for GetEventSelectors).
    pub fn cloudtrail_in(&self, region: &str) -> aws_sdk_cloudtrail::Client {
        aws_sdk_cloudtrail::Client::from_conf(
            aws_sdk_cloudtrail::config::Builder::from(&self.sdk_config)
                .region(Region::new(region.to_owned()))
                .interceptor(self.counter.clone())
                .build(),
        )
    }
}

/// The SDK clients of the account-wide (global) services.
pub struct GlobalClients {
    /// Region the global calls are signed for.
    pub region: String,
    /// IAM.
    pub iam: aws_sdk_iam::Client,
    /// Organizations.
    pub organizations: aws_sdk_organizations::Client,
    /// IAM Identity Center admin API.
    pub sso_admin: aws_sdk_ssoadmin::Client,
    /// S3 in the home region (ListBuckets, GetBucketLocation).
    pub s3: aws_sdk_s3::Client,
    /// S3 Control (the account's Block Public Access).
    pub s3control: aws_sdk_s3control::Client,
    /// AWS Artifact (customer agreements).
    pub artifact: aws_sdk_artifact::Client,
    /// The account being scanned (S3 Control takes it as a parameter).
    pub account_id: String,
    /// Shared concurrency bound.
    pub limiter: Limiter,
    /// The home region's SDK config, to reach each bucket in its own region.
    pub sdk_config: SdkConfig,
    /// The scan's call counter, for clients built later.
    pub counter: CallCounter,
}

impl GlobalClients {
    /// An S3 client for a bucket's region (S3 answers PermanentRedirect elsewhere).
    pub fn s3_in(&self, region: &str) -> aws_sdk_s3::Client {
        if region == self.region {
            return self.s3.clone();
        }
        aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&self.sdk_config)
                .region(Region::new(region.to_owned()))
                .interceptor(self.counter.clone())
                .build(),
        )
    }
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

/// An endpoint resolver that sends every request to the configured endpoint URL as given.
#[derive(Debug)]
struct AsGiven(String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for AsGiven {
    fn resolve_endpoint<'a>(
        &'a self,
        _params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(
            aws_sdk_s3control::config::endpoint::Endpoint::builder()
                .url(self.0.clone())
                .build(),
        ))
    }
}

/// The S3 Control client. AWS's endpoint rules put the account id in the host name
/// (`<account>.s3-control.<region>.amazonaws.com`); with an endpoint override (`AWS_ENDPOINT_URL`:
/// a proxy, a VPC endpoint URL, a local test double) the URL is used as given instead, because
/// `<account>.<override host>` would not resolve.
fn s3control_client(config: &SdkConfig, counter: &CallCounter) -> aws_sdk_s3control::Client {
    let mut builder = aws_sdk_s3control::config::Builder::from(config).interceptor(counter.clone());
    if let Some(url) = config.endpoint_url() {
        builder = builder.endpoint_resolver(AsGiven(url.to_owned()));
    }
    aws_sdk_s3control::Client::from_conf(builder.build())
}

/// The AWS Artifact client, in the partition's Artifact region (the API is served from
/// us-east-1 in the commercial partition, us-gov-west-1 in GovCloud).
fn artifact_client(
    config: &SdkConfig,
    counter: &CallCounter,
    partition: &str,
) -> aws_sdk_artifact::Client {
    let region = if partition == "aws-us-gov" {
        "us-gov-west-1"
    } else {
        "us-east-1"
    };
    aws_sdk_artifact::Client::from_conf(
        aws_sdk_artifact::config::Builder::from(config)
            .region(Region::new(region))
            .interceptor(counter.clone())
            .build(),
    )
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

/// Like [`source`] for a setting that may be absent: the error codes in `absent` mean "not
/// configured" (`NoSuchBucketPolicy`) and become `Collected(None)`.
pub fn optional<T, U, E>(
    result: Result<T, SdkError<E, HttpResponse>>,
    service: &str,
    operation: &str,
    region: &str,
    absent: &[&str],
    convert: impl FnOnce(T) -> Option<U>,
) -> Source<Option<U>>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match result {
        Ok(value) => Source::Collected(convert(value)),
        Err(err) => {
            let failure = aws::failure(service, operation, region, &err);
            if absent.contains(&failure.code.as_str()) {
                return Source::Collected(None);
            }
            tracing::warn!(service, operation, region, code = %failure.code, "{}", failure.message);
            Source::Failed(failure)
        }
    }
}

/// Every item of a paginated listing, read under the scan's limiter and turned into a sorted
/// snapshot source by [`listing`]: `all_items!(c.limiter, request, service, operation, region,
/// convert, key)`.
macro_rules! all_items {
    ($limiter:expr, $request:expr, $($listing_args:tt)*) => {
        $limiter.run(async {
            let items = $request.into_paginator().items().send().try_collect().await;
            $crate::collect::listing(items, $($listing_args)*)
        })
    };
}
pub(crate) use all_items;

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
    let limiter = options
        .limiter
        .clone()
        .unwrap_or_else(|| Limiter::new(plan.concurrency));
    // Regional services in every region, plus the global services once.
    let progress = Progress::new(
        plan.progress,
        (plan.regions.len() * SERVICES.len() + 1) as u64,
    );
    let home = plan.regions.first().cloned().unwrap_or_default();
    let global = async {
        let config = aws::sdk_config(options, Some(&home)).await;
        let clients = GlobalClients {
            region: home.clone(),
            iam: client!(aws_sdk_iam, &config, &counter),
            organizations: client!(aws_sdk_organizations, &config, &counter),
            sso_admin: client!(aws_sdk_ssoadmin, &config, &counter),
            s3: client!(aws_sdk_s3, &config, &counter),
            s3control: s3control_client(&config, &counter),
            artifact: artifact_client(&config, &counter, &identity.partition),
            account_id: identity.account.clone(),
            limiter: limiter.clone(),
            sdk_config: config.clone(),
            counter: counter.clone(),
        };
        let global = iam::collect(&clients).await;
        progress.done("iam, organizations, sso, s3, artifact", "global");
        global
    };
    let regions =
        join_all(plan.regions.iter().map(|region| {
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
                    cloudtrail: client!(aws_sdk_cloudtrail, &config, &counter),
                    config: client!(aws_sdk_config, &config, &counter),
                    logs: client!(aws_sdk_cloudwatchlogs, &config, &counter),
                    cloudwatch: client!(aws_sdk_cloudwatch, &config, &counter),
                    guardduty: client!(aws_sdk_guardduty, &config, &counter),
                    tagging: client!(aws_sdk_resourcegroupstagging, &config, &counter),
                    dynamodb: client!(aws_sdk_dynamodb, &config, &counter),
                    sqs: client!(aws_sdk_sqs, &config, &counter),
                    sns: client!(aws_sdk_sns, &config, &counter),
                    limiter,
                    scanned_regions: plan.regions.clone(),
                    sdk_config: config.clone(),
                    counter: counter.clone(),
                };
                let (
                    rds,
                    ec2,
                    elb,
                    cloudtrail,
                    config_service,
                    logs,
                    cloudwatch,
                    guardduty,
                    stores,
                ) = tokio::join!(
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
                    async {
                        let trails = cloudtrail::collect(&clients).await;
                        progress.done("cloudtrail", region);
                        trails
                    },
                    async {
                        let config = config_service::collect(&clients).await;
                        progress.done("config", region);
                        config
                    },
                    async {
                        let logs = logs::collect(&clients).await;
                        progress.done("logs", region);
                        logs
                    },
                    async {
                        let alarms = cloudwatch::collect(&clients).await;
                        progress.done("cloudwatch", region);
                        alarms
                    },
                    async {
                        let detectors = guardduty::collect(&clients).await;
                        progress.done("guardduty", region);
                        detectors
                    },
                    // The inventory and the data stores do not depend on each other.
                    async {
                        tokio::join!(
                            async {
                                let tagged = tagging::collect(&clients).await;
                                progress.done("tag", region);
                                tagged
                            },
                            async {
                                let tables = datastores::dynamodb_tables(&clients).await;
                                progress.done("dynamodb", region);
                                tables
                            },
                            async {
                                let queues = datastores::sqs_queues(&clients).await;
                                progress.done("sqs", region);
                                queues
                            },
                            async {
                                let topics = datastores::sns_topics(&clients).await;
                                progress.done("sns", region);
                                topics
                            },
                        )
                    },
                );
                let (tagged_resources, dynamodb_tables, sqs_queues, sns_topics) = stores;
                // DescribeKey for the keys the databases and DynamoDB tables use: the checks tell
                // customer-managed from AWS-managed keys by KeyManager.
                let mut keys = rds::kms_keys_in_use(&rds);
                if let Source::Collected(tables) = &dynamodb_tables {
                    keys.extend(tables.iter().filter_map(|t| t.kms_key_arn.clone()));
                }
                let kms = kms::collect(&clients, keys).await;
                progress.done("kms", region);
                let snapshot = RegionSnapshot {
                    rds,
                    ec2,
                    kms,
                    elb,
                    cloudtrail,
                    config_service,
                    logs,
                    cloudwatch,
                    guardduty,
                    tagged_resources,
                    dynamodb_tables,
                    sqs_queues,
                    sns_topics,
                };
                (region.clone(), snapshot)
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
