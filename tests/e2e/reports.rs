//! Reports for auditors and schedulers: the evidence bundle and `verify`, waivers, drift against
//! a baseline and `diff` over two states of the demo account.

use crate::harness::{findings_of, isolated_cmd, json_report, Env, DEMO_REGIONS};

#[test]
fn the_evidence_bundle_verifies_and_a_one_byte_change_is_caught() {
    let env = Env::demo();
    let bundle = env.path("evidence");
    let output = env
        .cmd()
        .args(["scan", "--quiet", "--evidence"])
        .arg(&bundle)
        .args(DEMO_REGIONS)
        .output()
        .expect("runs");
    assert!(
        matches!(output.status.code(), Some(0 | 1 | 3)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for file in [
        "report.json",
        "report.html",
        "snapshot.json",
        "manifest.json",
    ] {
        assert!(bundle.join(file).is_file(), "{file} in the bundle");
    }
    let verified = isolated_cmd()
        .arg("verify")
        .arg(&bundle)
        .output()
        .expect("runs");
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
    assert!(String::from_utf8_lossy(&verified.stdout).contains("intact"));

    // Flip one byte of the report.
    let path = bundle.join("report.json");
    let mut bytes = std::fs::read(&path).expect("read");
    let last = bytes.len() - 2;
    bytes[last] = if bytes[last] == b'}' { b']' } else { b'}' };
    std::fs::write(&path, bytes).expect("write");
    std::fs::remove_file(bundle.join("snapshot.json")).expect("remove");
    let tampered = isolated_cmd()
        .arg("verify")
        .arg(&bundle)
        .output()
        .expect("runs");
    assert_eq!(tampered.status.code(), Some(1));
    let text = String::from_utf8_lossy(&tampered.stdout);
    assert!(text.contains("changed: report.json"), "{text}");
    assert!(text.contains("missing: snapshot.json"), "{text}");

    // Deleting the manifest is tampering too, not a usage error.
    std::fs::remove_file(bundle.join("manifest.json")).expect("remove manifest");
    let no_manifest = isolated_cmd()
        .arg("verify")
        .arg(&bundle)
        .output()
        .expect("runs");
    assert_eq!(no_manifest.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_manifest.stdout).contains("missing: manifest.json"));

    // The raw evidence never carries the dummy credentials the scan used.
    let report = std::fs::read_to_string(bundle.join("report.json")).unwrap_or_default();
    assert!(!report.contains(hipaa_mocks::seed::TEST_SECRET_KEY));
}

#[test]
fn waivers_apply_expire_and_go_stale() {
    let env = Env::demo();
    let waivers = env.path("waivers.toml");
    std::fs::write(
        &waivers,
        r#"
[[waiver]]
check = "rds-cluster-backup-retention"
resource = "arn:aws:rds:us-east-1:*:cluster:analytics-*"
reason = "Analytics copy holds no PHI"
owner = "secops@example.com"
expires = "2099-12-31"

[[waiver]]
check = "rds-cluster-deletion-protection"
resource = "billing-db"
reason = "Migration window"
owner = "dba@example.com"
expires = "2020-01-31"

[[waiver]]
check = "rds-cluster-iam-auth"
resource = "no-such-cluster"
reason = "Decommissioned"
owner = "dba@example.com"
expires = "2099-01-01"
"#,
    )
    .expect("write waivers");
    let output = env
        .cmd()
        .args(["scan", "--format", "json", "--waivers"])
        .arg(&waivers)
        .args(DEMO_REGIONS)
        .output()
        .expect("runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let of = |check: &str, id: &str| {
        findings_of(&report, check)
            .into_iter()
            .find(|f| f["resource_id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{check} {id}"))
    };
    let waived = of("rds-cluster-backup-retention", "analytics-db");
    assert_eq!(waived["status"], "waived");
    assert_eq!(waived["waiver"]["owner"], "secops@example.com");
    assert!(waived["evidence"].is_object(), "evidence kept");
    // Expired: the failure is back, and said so.
    assert_eq!(
        of("rds-cluster-deletion-protection", "billing-db")["status"],
        "fail"
    );
    assert!(stderr.contains("expired"), "{stderr}");
    let states: Vec<&str> = report["waivers"]
        .as_array()
        .expect("waivers")
        .iter()
        .filter_map(|w| w["state"].as_str())
        .collect();
    assert_eq!(states, vec!["applied", "expired", "stale"]);
    assert!(stderr.contains("matches no failing finding"), "{stderr}");
    assert!(report["summary"]["waived"].as_u64().unwrap_or(0) >= 1);

    // The table shows the waiver beside the finding.
    let table = env
        .cmd()
        .args([
            "scan",
            "--checks",
            "rds-cluster-backup-retention",
            "--waivers",
        ])
        .arg(&waivers)
        .args(DEMO_REGIONS)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("waived by secops@example.com until 2099-12-31"),
        "{text}"
    );

    // A malformed file is a usage error naming the key and line.
    std::fs::write(
        &waivers,
        "[[waiver]]\ncheck = \"rds-cluster-iam-auth\"\nresource = \"x\"\nreason = \"r\"\nexpires = \"2099-01-01\"\n",
    )
    .expect("write");
    let bad = env
        .cmd()
        .args(["scan", "--waivers"])
        .arg(&waivers)
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("owner") && stderr.contains("line"),
        "{stderr}"
    );
}

#[test]
fn drift_over_two_states_of_the_demo_account() {
    let env = Env::demo();
    let yesterday = env.path("yesterday.json");
    let scan = |out: &std::path::Path, extra: &[&str]| {
        env.cmd()
            .args(["scan", "--format", "json", "--output"])
            .arg(out)
            .args(DEMO_REGIONS)
            .args(extra)
            .output()
            .expect("runs")
    };
    scan(&yesterday, &[]);
    env.mutate(|endpoint| async move { hipaa_mocks::seed_logging::demo_next_day(&endpoint).await });
    let today = env.path("today.json");
    let baseline = yesterday.to_string_lossy().into_owned();
    let with_baseline = scan(&today, &["--baseline", &baseline]);
    assert!(String::from_utf8_lossy(&with_baseline.stderr).contains("since the baseline"));
    // The table and the HTML list what is new.
    let table = env
        .cmd()
        .args(["scan", "--baseline", &baseline])
        .args(DEMO_REGIONS)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("new: medium cw-alarm-unauthorized-api"),
        "{text}"
    );
    let html = env.path("today.html");
    env.cmd()
        .args(["scan", "--quiet", "--format", "html", "--output"])
        .arg(&html)
        .args(["--baseline", &baseline])
        .args(DEMO_REGIONS)
        .output()
        .expect("runs");
    let page = std::fs::read_to_string(&html).expect("html");
    assert!(page.contains("New failures since the baseline"));
    assert!(page.contains("Resolved since the baseline"));

    let diff = isolated_cmd()
        .args(["diff", "--format", "json"])
        .arg(&yesterday)
        .arg(&today)
        .output()
        .expect("runs");
    assert_eq!(
        diff.status.code(),
        Some(1),
        "new high failures exist (root usage alarm)"
    );
    let critical_only = isolated_cmd()
        .args(["diff", "--fail-on", "critical"])
        .arg(&yesterday)
        .arg(&today)
        .output()
        .expect("runs");
    assert_eq!(
        critical_only.status.code(),
        Some(0),
        "no new critical failure"
    );
    let drift: serde_json::Value = serde_json::from_slice(&diff.stdout).expect("JSON");
    let ids = |list: &str| -> Vec<String> {
        drift[list]
            .as_array()
            .expect("list")
            .iter()
            .map(|f| f["check_id"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    // The next day broke the unauthorized-call alarm and fixed the security-group one.
    assert!(ids("new_failures").contains(&"cw-alarm-unauthorized-api".to_owned()));
    assert!(ids("resolved").contains(&"cw-alarm-sg-changes".to_owned()));
    assert!(ids("still_failing").contains(&"rds-cluster-storage-encrypted".to_owned()));
    assert_eq!(
        drift["counts"]["new_failures"].as_u64(),
        Some(ids("new_failures").len() as u64)
    );

    // --fail-on-new: only new failures at or above --fail-on decide exit 1.
    let (_, code) = json_report(
        env.cmd()
            .args([
                "scan",
                "--format",
                "json",
                "--fail-on-new",
                "--fail-on",
                "critical",
            ])
            .args(["--baseline", &baseline])
            .args(DEMO_REGIONS),
    );
    assert_eq!(code, 3, "no new critical failure; error findings remain");
    let (_, code) = json_report(
        env.cmd()
            .args([
                "scan",
                "--format",
                "json",
                "--fail-on-new",
                "--fail-on",
                "medium",
            ])
            .args(["--baseline", &baseline])
            .args(DEMO_REGIONS),
    );
    assert_eq!(code, 1, "new medium failures");
}

#[test]
fn the_html_report_renders_in_headless_chromium_with_the_summary_numbers() {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            std::process::Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("headless Chromium is needed for this test: `apt-get install chromium` (.ci/run installs it)");
    let env = Env::demo();
    let html = env.path("report.html");
    let json = env.path("report.json");
    for (format, path) in [("html", &html), ("json", &json)] {
        env.cmd()
            .args(["scan", "--quiet", "--format", format, "--output"])
            .arg(path)
            .args(DEMO_REGIONS)
            .output()
            .expect("runs");
    }
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("JSON");
    let url = format!("file://{}", html.display());
    let headless = |extra: &[&str]| {
        std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--window-size=1280,1600",
            ])
            .args(extra)
            .arg(&url)
            .output()
            .expect("chromium runs")
    };
    // The page as the browser built it (scripts run): the summary cards hold the report's counts.
    let dom = String::from_utf8_lossy(&headless(&["--dump-dom"]).stdout).into_owned();
    for (id, key) in [
        ("pass", "pass"),
        ("fail", "fail"),
        ("error", "error"),
        ("manual", "manual"),
    ] {
        let expected = format!("id=\"count-{id}\">{}<", report["summary"][key]);
        assert!(dom.contains(&expected), "{expected} in the rendered page");
    }
    assert!(dom.contains("By HIPAA Security Rule section"));
    // And a screenshot: a real PNG of the rendered page, not an error page.
    let shot = env.path("report.png");
    let shot_arg = format!("--screenshot={}", shot.display());
    headless(&[&shot_arg]);
    let png = std::fs::read(&shot).expect("screenshot written");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(png.len() > 50_000, "a rendered page, {} bytes", png.len());
}

#[test]
fn several_accounts_are_scanned_into_one_report_and_an_unassumable_role_is_an_error() {
    use hipaa_mocks::fault::{Fault, FaultPlan};
    let env = Env::demo()
        .with_faults(FaultPlan::default().with("AssumeRole/222222222222", Fault::AccessDenied));
    let (report, code) = json_report(
        env.cmd()
            .args(["scan", "--format", "json", "--region", "us-east-1"])
            .args(["--role-arn", "arn:aws:iam::123456789012:role/auditor"])
            .args(["--role-arn", "arn:aws:iam::111111111111:role/auditor"])
            .args(["--role-arn", "arn:aws:iam::222222222222:role/auditor"])
            .args(["--external-id", "hipaa-audit-test"]),
    );
    assert_eq!(code, 1, "the demo account has failures");
    assert_eq!(
        report["scan"]["accounts"],
        serde_json::json!(["111111111111", "123456789012"])
    );
    let trail = findings_of(&report, "cloudtrail-multi-region");
    let status_in = |account: &str| {
        trail
            .iter()
            .find(|f| f["account"] == account)
            .map(|f| f["status"].clone())
    };
    // The demo account has its trail; the empty second account has none.
    assert_eq!(status_in("123456789012"), Some("pass".into()));
    assert_eq!(status_in("111111111111"), Some("fail".into()));
    let unreachable: Vec<&serde_json::Value> = report["collection_errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter(|e| e["operation"] == "AssumeRole")
        .collect();
    assert_eq!(unreachable.len(), 1, "{unreachable:?}");
    assert!(unreachable[0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("222222222222"));
}

/// Panics with every violation when `instance` does not validate against the vendored schema.
fn assert_schema(schema_file: &str, instance: &serde_json::Value) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas")
        .join(schema_file);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("schema file")).expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .take(10)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{schema_file}:\n{}", errors.join("\n"));
}

#[test]
fn every_format_of_the_demo_scan_validates_or_parses_back() {
    let env = Env::demo();
    let base = env.path("report");
    let output = env
        .cmd()
        .args(["scan", "--quiet"])
        .args(["--format", "json", "--format", "sarif", "--format", "ocsf"])
        .args([
            "--format", "junit", "--format", "csv", "--format", "markdown",
        ])
        .arg("--output")
        .arg(&base)
        .args(DEMO_REGIONS)
        .output()
        .expect("runs");
    assert!(
        matches!(output.status.code(), Some(0 | 1 | 3)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read = |ext: &str| std::fs::read_to_string(base.with_extension(ext)).expect(ext);
    let json: serde_json::Value = serde_json::from_str(&read("json")).expect("json");
    assert_schema("hipaa-audit-report-v1.schema.json", &json);
    let findings = json["findings"].as_array().expect("findings").len();
    let failures = json["summary"]["fail"].as_u64().unwrap_or(0) as usize;

    let sarif: serde_json::Value = serde_json::from_str(&read("sarif")).expect("sarif");
    assert_schema("sarif-schema-2.1.0.json", &sarif);
    let results = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .len();
    assert_eq!(results, failures, "one SARIF result per failure");

    let ocsf: serde_json::Value = serde_json::from_str(&read("ocsf.json")).expect("ocsf");
    let events = ocsf.as_array().expect("OCSF events array");
    assert_eq!(events.len(), findings, "one OCSF event per finding");
    for event in events {
        assert_schema("ocsf-1.1.0-compliance_finding.schema.json", event);
    }

    // JUnit parsed back: one test case per finding, failures as failures.
    let junit = read("junit.xml");
    let mut reader = quick_xml::Reader::from_str(&junit);
    let (mut cases, mut failed) = (0, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    b"testcase" => cases += 1,
                    b"failure" => failed += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(cases, findings);
    assert_eq!(failed, failures);

    // CSV: a header and one row per finding.
    let csv_text = read("csv");
    let mut csv = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(csv.records().count(), findings);
    assert!(read("md").contains("HIPAA"), "markdown report");
}
