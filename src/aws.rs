//! AWS plumbing shared by every collector: SDK config from the standard chain, the call counter,
//! the concurrency limit, the preflight identity check, and the one place SDK errors become
//! [`Failure`]s.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::Credentials;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use hipaa_checks::Failure;
use tokio::sync::Semaphore;

/// How the tool reaches AWS: the standard chain, optionally overridden (demo, tests).
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    /// `--profile`.
    pub profile: Option<String>,
    /// Endpoint override (the demo's moto); normally `AWS_ENDPOINT_URL` does this.
    pub endpoint: Option<String>,
    /// Static credentials override (the demo's dummy keys).
    pub static_credentials: Option<(String, String)>,
    /// Credentials of an assumed role (`--role-arn`), shared by every client of that account.
    pub assumed: Option<aws_sdk_sts::config::SharedCredentialsProvider>,
    /// One `--concurrency` bound shared by every account of a multi-account scan.
    pub limiter: Option<Limiter>,
}

/// Options for scanning the account behind `role_arn`: the base chain's credentials assume the
/// role (session name `hipaa-audit`, optional external id) once, and every client shares them.
pub async fn assume_role(
    base: &AwsOptions,
    role_arn: &str,
    external_id: Option<&str>,
    region: &str,
) -> AwsOptions {
    let config = sdk_config(base, Some(region)).await;
    let mut builder = aws_config::sts::AssumeRoleProvider::builder(role_arn)
        .session_name("hipaa-audit")
        .configure(&config);
    if let Some(id) = external_id {
        builder = builder.external_id(id);
    }
    let provider = builder.build().await;
    AwsOptions {
        assumed: Some(aws_sdk_sts::config::SharedCredentialsProvider::new(
            provider,
        )),
        ..base.clone()
    }
}

/// Counts HTTP requests (attempts included) across every client of a scan.
#[derive(Debug, Clone, Default)]
pub struct CallCounter(Arc<AtomicU64>);

impl CallCounter {
    /// Requests sent so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "hipaa-audit-call-counter"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Bounds how many API calls run at once across the whole scan (`--concurrency`).
#[derive(Debug, Clone)]
pub struct Limiter(Arc<Semaphore>);

impl Limiter {
    /// A limit of `n` concurrent calls (at least 1).
    pub fn new(n: usize) -> Self {
        Limiter(Arc::new(Semaphore::new(n.max(1))))
    }

    /// Runs `call` once a slot is free.
    pub async fn run<T>(&self, call: impl std::future::Future<Output = T>) -> T {
        // The semaphore is never closed, so acquire cannot fail; if it ever did, run unbounded.
        let _permit = self.0.acquire().await.ok();
        call.await
    }
}

/// Retry attempts: `AWS_MAX_ATTEMPTS` when set (tests use 1), else 5 with adaptive backoff.
fn retry_config() -> RetryConfig {
    let attempts = std::env::var("AWS_MAX_ATTEMPTS")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(5);
    RetryConfig::adaptive().with_max_attempts(attempts)
}

/// Loads the SDK config for one region from the standard chain plus `options`.
pub async fn sdk_config(options: &AwsOptions, region: Option<&str>) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry_config())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(Duration::from_secs(60))
                .build(),
        );
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = region {
        loader = loader.region(Region::new(region.to_owned()));
    }
    if let Some(endpoint) = &options.endpoint {
        loader = loader.endpoint_url(endpoint);
    }
    if let Some((key, secret)) = &options.static_credentials {
        loader =
            loader.credentials_provider(Credentials::new(key, secret, None, None, "hipaa-audit"));
    }
    if let Some(assumed) = &options.assumed {
        loader = loader.credentials_provider(assumed.clone());
    }
    loader.load().await
}

/// Who the credentials belong to.
#[derive(Debug, Clone)]
pub struct Identity {
    /// Account id.
    pub account: String,
    /// Caller ARN.
    pub arn: String,
    /// Partition from the ARN (`aws`).
    pub partition: String,
}

/// Calls STS GetCallerIdentity once, failing fast with one line that says what to fix.
pub async fn preflight_identity(config: &SdkConfig) -> Result<Identity, String> {
    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(config)
            .retry_config(RetryConfig::standard().with_max_attempts(2))
            .build(),
    );
    let endpoint_hint = config
        .endpoint_url()
        .map(|e| format!(" at {e}"))
        .unwrap_or_default();
    let call = tokio::time::timeout(Duration::from_secs(20), sts.get_caller_identity().send());
    let answer = match call.await {
        Ok(answer) => answer,
        Err(_) => {
            return Err(format!(
                "STS did not answer within 20s{endpoint_hint}: check network access, proxy \
                 settings (HTTPS_PROXY/NO_PROXY) and AWS_ENDPOINT_URL"
            ))
        }
    };
    match answer {
        Ok(out) => {
            let arn = out.arn().unwrap_or_default().to_owned();
            let partition = arn
                .split(':')
                .nth(1)
                .filter(|p| !p.is_empty())
                .unwrap_or("aws")
                .to_owned();
            Ok(Identity {
                account: out.account().unwrap_or_default().to_owned(),
                arn,
                partition,
            })
        }
        Err(err) => Err(explain_identity_error(&err, &endpoint_hint)),
    }
}

fn explain_identity_error<E>(err: &SdkError<E, HttpResponse>, endpoint_hint: &str) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let detail = DisplayErrorContext(err).to_string();
    match err {
        SdkError::DispatchFailure(dispatch) => {
            // The chain explains a bad profile on its own line: "profile `x` was not defined: ...".
            let profile_problem = detail.lines().find_map(|line| {
                line.find("profile `")
                    .map(|at| line[at..].trim().to_owned())
            });
            if let Some(problem) = profile_problem {
                format!(
                    "the AWS profile cannot be used ({problem}): check --profile / AWS_PROFILE \
                     against ~/.aws/config"
                )
            } else if detail.contains("AssumeRole") || detail.contains("assume role") {
                // An assumed role's provider failed: its own cause (denied, bad external id)
                // is the news, not a missing credential chain.
                format!("the role could not be assumed: {}", last_cause(&detail))
            } else if detail.contains("credentials") || detail.contains("Credentials") {
                "no AWS credentials found: run `aws configure` or `aws sso login`, pass \
                 --profile NAME, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                    .to_owned()
            } else if dispatch.is_timeout() {
                format!("timed out connecting to STS{endpoint_hint}: check network access and AWS_ENDPOINT_URL")
            } else {
                format!(
                    "cannot reach STS{endpoint_hint} ({}): check network access, proxy settings \
                     and AWS_ENDPOINT_URL",
                    last_cause(&detail)
                )
            }
        }
        SdkError::TimeoutError(_) => {
            format!(
                "timed out calling STS{endpoint_hint}: check network access and AWS_ENDPOINT_URL"
            )
        }
        SdkError::ServiceError(service) => {
            let code = service.err().code().unwrap_or("unknown");
            let message = service.err().message().unwrap_or("");
            match code {
                "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" => format!(
                    "the AWS credentials have expired ({code}): refresh them (`aws sso login`, new \
                     session token) and run again"
                ),
                "InvalidClientTokenId" | "SignatureDoesNotMatch" | "UnrecognizedClientException" => format!(
                    "AWS rejected the credentials ({code}: {message}): check the access key, secret \
                     and profile in use"
                ),
                _ => format!("STS GetCallerIdentity failed ({code}: {message})"),
            }
        }
        _ => format!("STS GetCallerIdentity failed: {}", last_cause(&detail)),
    }
}

/// The innermost cause of an SDK error's display chain (`Connection refused (os error 111)`).
fn last_cause(detail: &str) -> String {
    detail
        .rsplit(": ")
        .next()
        .unwrap_or(detail)
        .trim_end_matches(')')
        .trim()
        .to_owned()
}

/// The regions enabled for the account (opted-in or not requiring opt-in), sorted.
pub async fn enabled_regions(config: &SdkConfig) -> Result<Vec<String>, String> {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let answer = ec2.describe_regions().all_regions(false).send().await.map_err(|err| {
        let f = failure("ec2", "DescribeRegions", config.region().map(|r| r.as_ref()).unwrap_or("?"), &err);
        format!("--all-regions needs ec2:DescribeRegions, which failed ({}: {}); pass --region instead", f.code, f.message)
    })?;
    let mut regions: Vec<String> = answer
        .regions()
        .iter()
        .filter(|r| r.opt_in_status() != Some("not-opted-in"))
        .filter_map(|r| r.region_name().map(str::to_owned))
        .collect();
    regions.sort();
    Ok(regions)
}

/// Maps any SDK error to the snapshot's [`Failure`]. The one place this happens.
pub fn failure<E>(
    service: &str,
    operation: &str,
    region: &str,
    err: &SdkError<E, HttpResponse>,
) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let (code, message) = match err {
        SdkError::ServiceError(ctx) => {
            let status = ctx.raw().status().as_u16();
            match (ctx.err().code(), ctx.err().message()) {
                (Some(code), message) => (code.to_owned(), message.unwrap_or("").to_owned()),
                (None, _) if (200..300).contains(&status) => (
                    "UnparseableResponse".to_owned(),
                    format!("HTTP {status} but the body could not be parsed as a {operation} response"),
                ),
                (None, _) => (
                    format!("HttpStatus{status}"),
                    format!("HTTP {status} without an AWS error body: the endpoint may not implement {operation}"),
                ),
            }
        }
        SdkError::ResponseError(ctx) => {
            let status = ctx.raw().status().as_u16();
            (
                format!("HttpStatus{status}"),
                format!("HTTP {status} with a response that could not be parsed: the endpoint may not implement {operation}"),
            )
        }
        SdkError::TimeoutError(_) => ("Timeout".to_owned(), "the call timed out".to_owned()),
        SdkError::DispatchFailure(_) => (
            "ConnectionFailed".to_owned(),
            last_cause(&DisplayErrorContext(err).to_string()),
        ),
        SdkError::ConstructionFailure(_) => (
            "RequestConstruction".to_owned(),
            DisplayErrorContext(err).to_string(),
        ),
        _ => ("Unknown".to_owned(), DisplayErrorContext(err).to_string()),
    };
    Failure::new(service, operation, region, code, message)
}
