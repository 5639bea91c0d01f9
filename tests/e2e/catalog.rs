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
