//! The catalog commands and the README's check table.

use hipaa_checks::registry;

use crate::harness::isolated_cmd;

#[test]
fn checks_lists_every_check() {
    let output = isolated_cmd()
        .args(["checks", "--format", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(entries.len(), registry::ALL.len());
    assert!(entries
        .iter()
        .all(|e| e["hipaa"].as_array().is_some_and(|a| !a.is_empty())));
}

#[test]
fn explain_prints_citation_remediation_and_code_location() {
    let output = isolated_cmd()
        .args(["explain", "rds-param-force-ssl"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "164.312(e)(2)(ii)",
        "Encryption",
        "aws rds modify-db-cluster-parameter-group",
        "checks/src/rds/rds_param_force_ssl.rs",
        "encrypt-in-transit",
    ] {
        assert!(text.contains(needle), "missing {needle}:\n{text}");
    }
}

#[test]
fn readme_check_table_matches_the_catalog() {
    let output = isolated_cmd()
        .args(["checks", "--format", "markdown"])
        .output()
        .expect("runs");
    let table = String::from_utf8(output.stdout).expect("utf-8");
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme
        .find("<!-- checks:start -->")
        .expect("README has the checks:start marker");
    let end = readme
        .find("<!-- checks:end -->")
        .expect("README has the checks:end marker");
    let embedded = readme[start + "<!-- checks:start -->".len()..end].trim();
    assert_eq!(
        embedded,
        table.trim(),
        "README check table is stale: paste `hipaa-audit checks --format markdown`"
    );
}

fn policy_actions() -> Vec<String> {
    let output = isolated_cmd().arg("policy").output().expect("runs");
    assert!(output.status.success());
    let policy: serde_json::Value = serde_json::from_slice(&output.stdout).expect("policy is JSON");
    policy["Statement"][0]["Action"]
        .as_array()
        .expect("action list")
        .iter()
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect()
}

#[test]
fn the_policy_covers_every_call_a_scan_makes() {
    let env = crate::harness::Env::demo().with_faults(hipaa_mocks::fault::FaultPlan::default());
    let output = env
        .cmd()
        .args(["scan", "--all-regions", "--quiet"])
        .output()
        .expect("runs");
    assert!(
        matches!(output.status.code(), Some(0 | 1 | 3)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let called = env.proxy.as_ref().expect("proxy").actions();
    assert!(
        called.len() > 30,
        "the scan went through the proxy: {called:?}"
    );
    let allowed = policy_actions();
    let missing: Vec<&String> = called.iter().filter(|a| !allowed.contains(a)).collect();
    assert!(
        missing.is_empty(),
        "the scan called actions `hipaa-audit policy` does not grant: {missing:?}"
    );
}

#[test]
fn readme_policy_matches_the_policy_command() {
    let output = isolated_cmd().arg("policy").output().expect("runs");
    let policy = String::from_utf8(output.stdout).expect("utf-8");
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme
        .find("<!-- policy:start -->")
        .expect("README has the policy:start marker");
    let end = readme
        .find("<!-- policy:end -->")
        .expect("README has the policy:end marker");
    let embedded = readme[start + "<!-- policy:start -->".len()..end]
        .trim()
        .trim_start_matches("```json")
        .trim_end_matches("```")
        .trim();
    assert_eq!(
        embedded,
        policy.trim(),
        "README policy is stale: paste `hipaa-audit policy`"
    );
}

#[test]
fn demo_runs_the_real_scan_and_exits_0() {
    let output = isolated_cmd()
        .args(["demo", "--quiet"])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = String::from_utf8_lossy(&output.stdout);
    assert!(
        summary.contains(" pass, ") && summary.contains("2 region(s)"),
        "{summary}"
    );
}

#[test]
fn demo_without_moto_says_how_to_install_it() {
    let empty = tempfile::tempdir().expect("dir");
    let output = isolated_cmd()
        .env("PATH", empty.path())
        .args(["demo", "--quiet"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("python3 -m pip install 'moto[server]'"),
        "{stderr}"
    );
}
