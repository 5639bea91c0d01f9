//! The BAA rules end to end: PHI scoping by tag, a newer eligible-services list, the `services`
//! command, and Artifact's absence under moto.

use crate::harness::{findings_of, isolated_cmd, json_report, Env, DEMO_REGIONS};

/// The finding of `check` for `resource`.
fn finding<'r>(
    report: &'r serde_json::Value,
    check: &str,
    resource: &str,
) -> &'r serde_json::Value {
    findings_of(report, check)
        .into_iter()
        .find(|f| f["resource_id"] == resource)
        .unwrap_or_else(|| panic!("no {check} finding for {resource}"))
}

#[test]
fn phi_tag_scopes_the_eligible_services_check_and_a_newer_list_changes_the_verdict() {
    let env = Env::demo();
    let scan = |extra: &[&str]| {
        json_report(
            env.cmd()
                .args([
                    "scan",
                    "--format",
                    "json",
                    "--checks",
                    "phi-services-eligible",
                ])
                .args(DEMO_REGIONS)
                .args(extra),
        )
        .0
    };

    // Unscoped: VPC Lattice is not on the list; fine if it holds no PHI, so medium.
    let unscoped = scan(&[]);
    let lattice = finding(&unscoped, "phi-services-eligible", "vpc-lattice");
    assert_eq!(lattice["status"], "fail");
    assert_eq!(lattice["severity"], "medium");
    assert!(lattice["message"]
        .as_str()
        .unwrap_or_default()
        .contains("fine if it holds no PHI; tag PHI resources to scope"));
    assert_eq!(unscoped["scan"]["eligible_services_as_of"], "2025-04-16");

    // Scoped to DataClass=PHI: the partner mesh is tagged PHI, so it is a high failure; an
    // eligible service holding PHI (DynamoDB's patients-index) passes.
    let config = env.path("phi.toml");
    std::fs::write(
        &config,
        "phi_tag = { key = \"DataClass\", values = [\"PHI\", \"ePHI\"] }\n",
    )
    .expect("write config");
    let config_arg = config.to_string_lossy().into_owned();
    let scoped = scan(&["--config", &config_arg]);
    let lattice = finding(&scoped, "phi-services-eligible", "vpc-lattice");
    assert_eq!(lattice["status"], "fail");
    assert_eq!(lattice["severity"], "high");
    assert_eq!(
        finding(&scoped, "phi-services-eligible", "dynamodb")["status"],
        "pass"
    );

    // A newer list that names VPC Lattice: the same resource passes, and the report prints
    // the newer list's date.
    let shipped = hipaa_checks::reference::ELIGIBLE_SERVICES_TOML;
    let newer = shipped
        .replace("as_of = \"2025-04-16\"", "as_of = \"2026-10-01\"")
        .replace("eligible = [\n", "eligible = [\n  \"vpc-lattice\",\n")
        .replace("service_count = 166", "service_count = 167")
        + "\n[[service]]\nname = \"Amazon VPC Lattice\"\n";
    let list = env.path("newer-list.toml");
    std::fs::write(&list, newer).expect("write list");
    let list_arg = list.to_string_lossy().into_owned();
    let newer_report = scan(&["--config", &config_arg, "--eligible-services", &list_arg]);
    assert_eq!(
        newer_report["scan"]["eligible_services_as_of"],
        "2026-10-01"
    );
    let lattice = finding(&newer_report, "phi-services-eligible", "vpc-lattice");
    assert_eq!(lattice["status"], "pass", "{lattice}");
}

#[test]
fn a_bad_eligible_services_file_is_a_usage_error_naming_the_problem() {
    let dir = tempfile::tempdir().expect("temp dir");
    let list = dir.path().join("list.toml");
    std::fs::write(
        &list,
        "[meta]\nas_of = \"yesterday\"\n[prefixes]\neligible = [\"rds\"]\n[[service]]\nname = \"RDS\"\n",
    )
    .expect("write");
    let output = isolated_cmd()
        .args(["scan", "--eligible-services"])
        .arg(&list)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("as_of"), "{stderr}");
    assert!(stderr.contains("list.toml"), "{stderr}");
}

#[test]
fn services_lists_the_dated_list() {
    let output = isolated_cmd()
        .args(["services", "--format", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(list["as_of"], "2025-04-16");
    assert_eq!(list["services"].as_array().map(Vec::len), Some(166));
    assert!(list["eligible_prefixes"]
        .as_array()
        .expect("prefixes")
        .iter()
        .any(|p| p == "rds"));
    let table = isolated_cmd().arg("services").output().expect("runs");
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("Amazon Aurora"), "{text}");
    assert!(text.contains("2025-04-16"), "{text}");
}

#[test]
fn baa_acceptance_is_manual_when_artifact_cannot_be_read() {
    let env = Env::demo();
    let (report, _) = json_report(
        env.cmd()
            .args(["scan", "--format", "json", "--checks", "baa-accepted"])
            .args(DEMO_REGIONS),
    );
    let findings = findings_of(&report, "baa-accepted");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["status"], "manual");
    let message = findings[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("Artifact"), "{message}");
    assert!(
        message.contains("artifact:ListCustomerAgreements"),
        "{message}"
    );
}
