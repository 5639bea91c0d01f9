//! Bad input and a hostile environment: one clear message, the right exit code, no partial file.

use std::time::{Duration, Instant};

use hipaa_mocks::fault::{Fault, FaultPlan};

use crate::harness::{findings_of, isolated_cmd, json_report, Env};

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn no_credentials_stops_fast_with_one_line() {
    let port = hipaa_mocks::moto::free_port().expect("port");
    let started = Instant::now();
    let output = isolated_cmd()
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}"))
        .args(["scan"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert!(stderr.contains("no AWS credentials"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn unreachable_endpoint_stops_fast() {
    let port = hipaa_mocks::moto::free_port().expect("port");
    let started = Instant::now();
    let output = isolated_cmd()
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}"))
        .args(["scan"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("cannot reach STS") && stderr.contains(&port.to_string()),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[test]
fn access_denied_on_one_api_errors_that_check_only() {
    let env = Env::demo()
        .with_faults(FaultPlan::default().with("DescribeDBClusterSnapshots", Fault::AccessDenied));
    let (report, code) = json_report(env.cmd().args(["scan", "--format", "json"]));
    assert_eq!(code, 1, "other checks still fail");
    for check in ["rds-snapshot-encrypted", "rds-snapshot-not-public"] {
        let region_error = findings_of(&report, check)
            .into_iter()
            .find(|f| f["resource_type"] == "AWS::::Region")
            .unwrap_or_else(|| panic!("{check} reports the blind spot"));
        assert_eq!(region_error["status"], "error");
        assert!(region_error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("AccessDenied"));
        // Instance snapshots were still readable and graded.
        assert!(findings_of(&report, check)
            .iter()
            .any(|f| f["resource_id"] == "legacy-pg-final"));
    }
    let denied = report["collection_errors"]
        .as_array()
        .expect("array")
        .iter()
        .find(|e| e["operation"] == "DescribeDBClusterSnapshots")
        .expect("listed in collection_errors");
    assert_eq!(denied["error_code"], "AccessDenied");
    assert!(findings_of(&report, "rds-cluster-storage-encrypted")
        .iter()
        .any(|f| f["status"] == "pass"));
}

#[test]
fn throttling_beyond_retries_is_an_error_finding() {
    let env = Env::demo()
        .with_faults(FaultPlan::default().with("DescribeSecurityGroups", Fault::Throttle));
    let (report, code) = json_report(env.cmd().args(["scan", "--format", "json"]));
    assert_eq!(code, 1, "checks that need no security group still fail");
    for check in ["rds-cluster-sg-not-open", "ec2-sg-world-admin-ports"] {
        let findings = findings_of(&report, check);
        assert!(!findings.is_empty());
        assert!(
            findings.iter().all(|f| f["status"] == "error"),
            "{check}: {findings:#?}"
        );
        assert!(findings.iter().all(|f| f["message"]
            .as_str()
            .unwrap_or_default()
            .contains("RequestLimitExceeded")));
    }
    assert!(findings_of(&report, "rds-cluster-storage-encrypted")
        .iter()
        .any(|f| f["status"] == "pass"));
}

#[test]
fn a_501_service_is_reported_not_fatal() {
    let env = Env::demo()
        .with_faults(FaultPlan::default().with("DescribeDBInstances", Fault::Status(501)));
    let (report, code) = json_report(env.cmd().args(["scan", "--format", "json"]));
    assert_eq!(code, 1);
    let error = report["collection_errors"]
        .as_array()
        .expect("array")
        .iter()
        .find(|e| e["operation"] == "DescribeDBInstances")
        .expect("reported");
    assert_eq!(error["error_code"], "HttpStatus501");
}

#[test]
fn malformed_config_names_key_and_line() {
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("hipaa.toml");
    std::fs::write(&config, "min_tls = \"TLSv1.2\"\nmin_backup_days = 7\n").expect("write");
    let output = isolated_cmd()
        .args(["scan", "--config"])
        .arg(&config)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("min_backup_days") && stderr.contains("line 2"),
        "{stderr}"
    );
    assert!(stderr.contains("hipaa.toml"), "{stderr}");
}

#[test]
fn malformed_or_foreign_snapshot_is_rejected() {
    let dir = tempfile::tempdir().expect("dir");
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"schema_version\": 1, \"regions\": ").expect("write");
    let output = isolated_cmd()
        .arg("grade")
        .arg(&broken)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr_of(&output).contains("not valid JSON"),
        "{}",
        stderr_of(&output)
    );

    let future = dir.path().join("future.json");
    std::fs::write(&future, "{\"schema_version\": 99}").expect("write");
    let output = isolated_cmd()
        .arg("grade")
        .arg(&future)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr_of(&output).contains("schema_version 99"),
        "{}",
        stderr_of(&output)
    );

    let missing = isolated_cmd()
        .args(["grade", "/nonexistent/snapshot.json"])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr_of(&missing).contains("cannot read snapshot file"));
}

#[test]
fn unknown_check_id_suggests_and_exits_2() {
    let output = isolated_cmd()
        .args(["explain", "rds-force-ssl"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("unknown check id `rds-force-ssl`")
            && stderr.contains("rds-param-force-ssl"),
        "{stderr}"
    );
    // Rejected before any AWS call: no credentials needed.
    let output = isolated_cmd()
        .args(["scan", "--checks", "nope"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("unknown check id `nope` in --checks"));
}

#[test]
fn unknown_region_and_flag_are_usage_errors() {
    let output = isolated_cmd()
        .args(["scan", "--region", "mars-1"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("`mars-1` is not an AWS region name"));
    let output = isolated_cmd()
        .args(["scan", "--frobnicate"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn unwritable_output_leaves_no_file() {
    let env = Env::demo();
    let path = env.path("missing-dir/report.json");
    let output = env
        .cmd()
        .args(["scan", "--format", "json", "--output"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr_of(&output).contains("does not exist"),
        "{}",
        stderr_of(&output)
    );
    assert!(!path.exists());
}

#[test]
fn expired_credentials_say_refresh() {
    let env = Env::demo().with_faults(
        FaultPlan::default().with("GetCallerIdentity", Fault::Error(403, "ExpiredToken")),
    );
    let output = env.cmd().args(["scan"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("expired") && stderr.contains("refresh"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn nothing_collected_is_exit_2() {
    // Credentials work (STS answers) but every other call is denied.
    let plan = FaultPlan::default()
        .with("*", Fault::AccessDenied)
        .with("GetCallerIdentity", Fault::Pass);
    let env = Env::demo().with_faults(plan);
    let output = env.cmd().args(["scan"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("nothing could be collected") && stderr.contains("not authorized"),
        "{stderr}"
    );
}

#[test]
fn unknown_profile_is_named() {
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("config");
    std::fs::write(&config, "[profile dev]\nregion = us-east-1\n").expect("write");
    let output = isolated_cmd()
        .env("AWS_CONFIG_FILE", &config)
        .args(["scan", "--profile", "prod", "--region", "us-east-1"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("profile `prod`") && stderr.contains("--profile"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}
