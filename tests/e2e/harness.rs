//! Test harness: a private moto per test, seeded through the real SDK, and the binary under test
//! pointed at it with dummy credentials. Only 127.0.0.1 is contacted.

use std::path::PathBuf;

use assert_cmd::Command;
use hipaa_mocks::fault::{FaultPlan, FaultProxy};
use hipaa_mocks::seed::{TEST_ACCESS_KEY, TEST_SECRET_KEY};
use hipaa_mocks::{Account, MotoServer};

/// The demo account's regions, as scan flags.
pub const DEMO_REGIONS: [&str; 4] = ["--region", "us-east-1", "--region", "eu-west-1"];

/// A running, seeded moto (and optionally a fault proxy in front of it).
pub struct Env {
    pub moto: MotoServer,
    pub proxy: Option<FaultProxy>,
    pub dir: tempfile::TempDir,
}

impl Env {
    /// moto seeded with the demo account.
    pub fn demo() -> Env {
        Env::with_account(&Account::demo())
    }

    /// moto seeded with `account`.
    pub fn with_account(account: &Account) -> Env {
        let moto = MotoServer::start()
            .unwrap_or_else(|e| panic!("moto must be installed for e2e tests: {e}"));
        moto.deterministic_ids(42)
            .expect("moto accepts a random seed");
        let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
        runtime
            .block_on(hipaa_mocks::seed::seed(&moto.endpoint(), account))
            .expect("seeding moto");
        Env {
            moto,
            proxy: None,
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Puts a fault-injecting proxy between the binary and moto.
    pub fn with_faults(mut self, plan: FaultPlan) -> Env {
        self.proxy = Some(FaultProxy::start(self.moto.port(), plan).expect("fault proxy"));
        self
    }

    /// The endpoint the binary talks to.
    pub fn endpoint(&self) -> String {
        self.proxy
            .as_ref()
            .map_or_else(|| self.moto.endpoint(), FaultProxy::endpoint)
    }

    /// The binary with AWS pointed at this environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = isolated_cmd();
        cmd.env("AWS_ENDPOINT_URL", self.endpoint())
            .env("AWS_ACCESS_KEY_ID", TEST_ACCESS_KEY)
            .env("AWS_SECRET_ACCESS_KEY", TEST_SECRET_KEY)
            .env("AWS_REGION", "us-east-1");
        cmd
    }

    /// Runs an async mutation of the mocked account (`hipaa_mocks::seed_logging::...`) against
    /// moto directly, panicking (failing the test) when it fails.
    pub fn mutate<F, Fut>(&self, change: F)
    where
        F: FnOnce(String) -> Fut,
        Fut: std::future::Future<Output = anyhow::Result<()>>,
    {
        let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
        runtime
            .block_on(change(self.moto.endpoint()))
            .expect("changing the mocked account");
    }

    /// A path inside this test's temp dir.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// The binary with no AWS settings from the developer's machine leaking in.
pub fn isolated_cmd() -> Command {
    let mut cmd = Command::cargo_bin("hipaa-audit").expect("binary built");
    for var in [
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "RUST_LOG",
        "NO_COLOR",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("AWS_CONFIG_FILE", "/nonexistent/hipaa-audit-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/hipaa-audit-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .timeout(std::time::Duration::from_secs(120));
    cmd
}

/// Runs the binary and parses its JSON report from stdout.
pub fn json_report(cmd: &mut Command) -> (serde_json::Value, i32) {
    let output = cmd.output().expect("binary runs");
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (report, output.status.code().unwrap_or(-1))
}

/// The findings of one check.
pub fn findings_of<'r>(report: &'r serde_json::Value, check: &str) -> Vec<&'r serde_json::Value> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .filter(|f| f["check_id"] == check)
        .collect()
}

/// Masks what moto generates at random (ids, keys) and what time changes (timestamps).
pub fn redactions() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"sg-[0-9a-f]{8,17}", "sg-[id]"),
        (
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "[key-id]",
        ),
        (
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z",
            "[timestamp]",
        ),
        (r"123456789012-\d{8}T\d{6}Z", "[scan-id]"),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
        // moto creates the IAM Identity Center instance lazily, during the (concurrent) scan.
        (r"ssoins-[0-9a-z]+", "ssoins-[id]"),
        // moto's VPC Lattice ids ignore the deterministic-id seed.
        (r"sn-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{3}", "sn-[id]"),
    ]
}
