//! Benchmark: scan wall time and API calls of the demo account, one region vs two, against a
//! seeded moto behind a loopback proxy that adds per-request latency (a stand-in for the
//! network round trip to AWS). Run: `cargo build && cargo run -p hipaa-mocks --bin bench`.
//! Options: `--latency-ms N` (default 30), `--runs N` (default 3).
//! IAM scale: `--iam-users N --iam-roles M` seeds N users and M roles instead of the demo account
//! and reports how many IAM calls one scan makes and how long it takes.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context as _, Result};
use hipaa_mocks::fault::{FaultPlan, FaultProxy};
use hipaa_mocks::seed::{TEST_ACCESS_KEY, TEST_SECRET_KEY};
use hipaa_mocks::{Account, MotoServer};

fn binary() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("HIPAA_AUDIT_BIN") {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe()?;
    let dir = exe
        .parent()
        .ok_or_else(|| anyhow!("no directory for {}", exe.display()))?;
    let candidate = dir.join("hipaa-audit");
    if candidate.exists() {
        Ok(candidate)
    } else {
        bail!(
            "{} not found: run `cargo build` first or set HIPAA_AUDIT_BIN",
            candidate.display()
        )
    }
}

fn flag(args: &[String], name: &str, default: u64) -> Result<u64> {
    match args.iter().position(|a| a == name) {
        Some(i) => args
            .get(i + 1)
            .ok_or_else(|| anyhow!("{name} needs a value"))?
            .parse()
            .with_context(|| format!("{name} takes a number")),
        None => Ok(default),
    }
}

/// One scan: wall time and the API call count the tool reports on stderr.
fn scan(bin: &PathBuf, endpoint: &str, regions: &[&str]) -> Result<(Duration, u64)> {
    let mut cmd = Command::new(bin);
    cmd.arg("scan").args(["--format", "json", "--no-progress"]);
    for region in regions {
        cmd.args(["--region", region]);
    }
    cmd.env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", TEST_ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", TEST_SECRET_KEY)
        .env("AWS_REGION", regions[0])
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_PROXY", "127.0.0.1,localhost");
    let started = Instant::now();
    let output = cmd.output().context("running hipaa-audit")?;
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let calls = stderr
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .find(|w| w[1] == "API")
        .and_then(|w| w[0].parse().ok())
        .ok_or_else(|| anyhow!("no API call count in stderr: {stderr}"))?;
    Ok((elapsed, calls))
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// Seeds `users` IAM users and `roles` roles, 32 calls in flight.
async fn seed_iam_scale(endpoint: &str, users: u64, roles: u64) -> Result<()> {
    use futures::stream::{self, StreamExt, TryStreamExt};
    let config = hipaa_mocks::seed::local_sdk_config(endpoint, "us-east-1").await;
    let iam = aws_sdk_iam::Client::new(&config);
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    stream::iter(0..users)
        .map(|i| {
            let iam = iam.clone();
            async move {
                iam.create_user()
                    .user_name(format!("user-{i:05}"))
                    .send()
                    .await
                    .map(|_| ())
            }
        })
        .buffer_unordered(32)
        .try_collect::<Vec<_>>()
        .await?;
    stream::iter(0..roles)
        .map(|i| {
            let iam = iam.clone();
            async move {
                iam.create_role()
                    .role_name(format!("role-{i:05}"))
                    .assume_role_policy_document(trust)
                    .send()
                    .await
                    .map(|_| ())
            }
        })
        .buffer_unordered(32)
        .try_collect::<Vec<_>>()
        .await?;
    Ok(())
}

fn iam_scale(bin: &PathBuf, users: u64, roles: u64) -> Result<()> {
    let moto = MotoServer::start()?;
    let seeding = Instant::now();
    tokio::runtime::Runtime::new()?.block_on(seed_iam_scale(&moto.endpoint(), users, roles))?;
    println!(
        "seeded {users} users and {roles} roles in {:.1}s",
        seeding.elapsed().as_secs_f64()
    );
    let proxy = FaultProxy::start(moto.port(), FaultPlan::default())?;
    let (wall, calls) = scan(bin, &proxy.endpoint(), &["us-east-1"])?;
    let iam_calls: Vec<(String, u64)> = proxy
        .counts()
        .into_iter()
        .filter(|(op, _)| {
            [
                "GetAccountAuthorizationDetails",
                "GenerateCredentialReport",
                "GetCredentialReport",
                "GetAccountPasswordPolicy",
                "GetAccountSummary",
                "ListSAMLProviders",
                "ListOpenIDConnectProviders",
            ]
            .contains(&op.as_str())
        })
        .collect();
    let total_iam: u64 = iam_calls.iter().map(|(_, n)| n).sum();
    println!(
        "scan wall {:.2}s, {calls} API calls in all, {total_iam} of them IAM: {iam_calls:?}",
        wall.as_secs_f64()
    );
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let users = flag(&args, "--iam-users", 0)?;
    let roles = flag(&args, "--iam-roles", 0)?;
    if users + roles > 0 {
        return iam_scale(&binary()?, users, roles);
    }
    let latency = Duration::from_millis(flag(&args, "--latency-ms", 30)?);
    let runs = flag(&args, "--runs", 3)?.max(1);
    let bin = binary()?;
    let moto = MotoServer::start()?;
    tokio::runtime::Runtime::new()?
        .block_on(hipaa_mocks::seed::seed(&moto.endpoint(), &Account::demo()))?;
    let proxy = FaultProxy::start(
        moto.port(),
        FaultPlan {
            latency,
            ..FaultPlan::default()
        },
    )?;
    println!(
        "demo account, {} ms added per request, median of {runs} runs",
        latency.as_millis()
    );
    let mut results = Vec::new();
    for regions in [&["us-east-1"][..], &["us-east-1", "eu-west-1"][..]] {
        let mut times = Vec::new();
        let mut calls = 0;
        for _ in 0..runs {
            let (elapsed, n) = scan(&bin, &proxy.endpoint(), regions)?;
            times.push(elapsed);
            calls = n;
        }
        let wall = median(times);
        println!(
            "{:<24} wall {:>6.2}s  API calls {calls}",
            regions.join("+"),
            wall.as_secs_f64()
        );
        results.push((wall, calls));
    }
    let (one, two) = (results[0], results[1]);
    println!(
        "second region: x{:.2} wall time for x{:.2} API calls",
        two.0.as_secs_f64() / one.0.as_secs_f64(),
        two.1 as f64 / one.1 as f64
    );
    Ok(())
}
