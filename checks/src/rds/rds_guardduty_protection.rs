//! rds-guardduty-protection: in every region holding databases GuardDuty RDS Protection covers,
//! an enabled detector has RDS login-event monitoring (feature RDS_LOGIN_EVENTS) on.

use serde_json::json;

use crate::catalog::{Check, CheckMeta, Context, Remediation, Resource, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::unavailable;
use crate::logging::guardduty_enabled::{
    detector_resource, detectors_evidence, is_enabled, ranked,
};
use crate::logging::DETECTOR_TYPE;
use crate::snapshot::{Failure, GuardDutyDetector, RegionSnapshot, Source};

/// The check: one finding per scanned region.
pub const CHECK: Check = Check { meta: META, run };

/// The GuardDuty feature that is RDS Protection.
pub const RDS_FEATURE: &str = "RDS_LOGIN_EVENTS";

const META: CheckMeta = CheckMeta {
    id: "rds-guardduty-protection",
    title: "GuardDuty RDS Protection monitors database logins",
    severity: Severity::Medium,
    hipaa: &["164.308(a)(1)(ii)(D)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[DETECTOR_TYPE, "AWS::::Region"],
    requirement: "GuardDuty RDS Protection profiles login activity to Aurora and RDS databases \
        and reports anomalous or suspicious logins (seeds 000/001 use it as the detective \
        control beside the plaintext-connection alarm). Every region that holds a database it \
        covers (Aurora MySQL and PostgreSQL, RDS for PostgreSQL and MySQL) needs an ENABLED \
        detector whose RDS_LOGIN_EVENTS feature is ENABLED. Regions without such databases are \
        not applicable.",
    evidence: &[
        "guardduty:ListDetectors",
        "guardduty:GetDetector Status, Features[RDS_LOGIN_EVENTS]",
        "rds:DescribeDBClusters, rds:DescribeDBInstances (which regions hold databases)",
    ],
    remediation: Remediation {
        summary: "Enable GuardDuty in the region and turn on RDS Protection (RDS login events).",
        console: "GuardDuty (in the region) > Protection plans > RDS Protection > Edit > Enable \
            > Save. If GuardDuty is off, first GuardDuty > Get started > Enable GuardDuty. In an \
            organization, the delegated administrator can auto-enable RDS Protection for all \
            members.",
        cli: "aws guardduty update-detector --detector-id <id> \
              --features '[{\"Name\":\"RDS_LOGIN_EVENTS\",\"Status\":\"ENABLED\"}]'\n\
              (no detector yet: aws guardduty create-detector --enable \
              --features '[{\"Name\":\"RDS_LOGIN_EVENTS\",\"Status\":\"ENABLED\"}]')",
        cloudformation: "AWS::GuardDuty::Detector: Enable: true, Features: [{Name: \
            RDS_LOGIN_EVENTS, Status: ENABLED}]",
    },
    seeds: &["seed 000", "seed 001"],
    source_file: file!(),
};

/// True for the engines RDS Protection monitors: Aurora (MySQL and PostgreSQL compatible),
/// RDS for PostgreSQL and RDS for MySQL.
pub fn covered_engine(engine: &str) -> bool {
    matches!(
        engine,
        "aurora" | "aurora-mysql" | "aurora-postgresql" | "postgres" | "mysql"
    )
}

/// The databases of a region, split into the ones RDS Protection covers and the others, plus
/// the listing failures that may hide some.
struct Databases<'a> {
    covered: Vec<String>,
    other: Vec<String>,
    failures: Vec<&'a Failure>,
}

fn databases(region: &RegionSnapshot) -> Databases<'_> {
    let mut dbs = Databases {
        covered: Vec::new(),
        other: Vec::new(),
        failures: Vec::new(),
    };
    let clusters_listed = matches!(region.rds.clusters, Source::Collected(_));
    match &region.rds.clusters {
        Source::Collected(clusters) => {
            for cluster in clusters {
                let label = format!("cluster {} ({})", cluster.id, cluster.engine);
                if covered_engine(&cluster.engine) {
                    dbs.covered.push(label);
                } else {
                    dbs.other.push(label);
                }
            }
        }
        Source::Failed(failure) => dbs.failures.push(failure),
    }
    match &region.rds.instances {
        Source::Collected(instances) => {
            // Cluster members are counted through their cluster, unless the clusters could
            // not be listed.
            for instance in instances
                .iter()
                .filter(|i| i.cluster_id.is_none() || !clusters_listed)
            {
                let label = format!("instance {} ({})", instance.id, instance.engine);
                if covered_engine(&instance.engine) {
                    dbs.covered.push(label);
                } else {
                    dbs.other.push(label);
                }
            }
        }
        Source::Failed(failure) => dbs.failures.push(failure),
    }
    dbs.covered.sort();
    dbs.other.sort();
    dbs
}

/// `a, b, c and 2 more`.
fn some_of(items: &[String]) -> String {
    const SHOWN: usize = 3;
    if items.len() <= SHOWN {
        items.join(", ")
    } else {
        format!(
            "{} and {} more",
            items[..SHOWN].join(", "),
            items.len() - SHOWN
        )
    }
}

fn feature_enabled(detector: &GuardDutyDetector) -> bool {
    detector
        .features
        .get(RDS_FEATURE)
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("ENABLED"))
}

fn run(ctx: &Context) -> Vec<Finding> {
    ctx.snapshot
        .regions
        .iter()
        .map(|(name, region)| {
            let (resource, verdict) = grade_region(ctx, name, region);
            META.finding(ctx, name, &resource, verdict)
        })
        .collect()
}

fn grade_region(ctx: &Context, name: &str, region: &RegionSnapshot) -> (Resource, Verdict) {
    let dbs = databases(region);
    let complete = dbs.failures.is_empty();
    let mut evidence = json!({
        "covered_databases": dbs.covered,
        "other_databases": dbs.other,
        "listing_errors": dbs.failures,
    });
    if complete && dbs.covered.is_empty() {
        let message = if dbs.other.is_empty() {
            format!("{name} holds no RDS or Aurora database")
        } else {
            format!(
                "{name} holds no database RDS Protection monitors (only {})",
                some_of(&dbs.other)
            )
        };
        return (
            Resource::region(name),
            Verdict::not_applicable(message, evidence),
        );
    }

    let detectors = match region.guardduty.detectors.get() {
        Ok(detectors) => ranked(detectors),
        Err(failure) => {
            let mut failures = dbs.failures.clone();
            failures.push(failure);
            return (
                Resource::region(name),
                unavailable("the region's GuardDuty detectors and databases", &failures),
            );
        }
    };
    if let (serde_json::Value::Object(map), serde_json::Value::Object(extra)) =
        (&mut evidence, detectors_evidence(&detectors))
    {
        map.extend(extra);
    }

    // Protection on: pass, even if a DB listing failed (nothing there could make it a fail).
    if let Some(detector) = detectors
        .iter()
        .find(|d| is_enabled(d) && feature_enabled(d))
    {
        let mut message = format!(
            "GuardDuty detector {} monitors RDS logins ({RDS_FEATURE} enabled)",
            detector.id
        );
        if !dbs.covered.is_empty() {
            message.push_str(&format!(" for {}", some_of(&dbs.covered)));
        }
        return (
            detector_resource(ctx, name, detector),
            Verdict::pass(message, evidence),
        );
    }

    let reason = match detectors.first() {
        None => format!("GuardDuty has no detector in {name}"),
        Some(d) if !is_enabled(d) => format!(
            "GuardDuty detector {} is {}",
            d.id,
            if d.status.trim().is_empty() {
                "without a status"
            } else {
                d.status.trim()
            }
        ),
        Some(d) => match d.features.get(RDS_FEATURE) {
            None => format!(
                "GuardDuty detector {} does not report the {RDS_FEATURE} feature (RDS \
                 Protection was never turned on)",
                d.id
            ),
            Some(state) => format!(
                "RDS Protection ({RDS_FEATURE}) is {} on GuardDuty detector {}",
                state.trim(),
                d.id
            ),
        },
    };
    let resource = detectors.first().map_or_else(
        || Resource::region(name),
        |d| detector_resource(ctx, name, d),
    );
    if dbs.covered.is_empty() {
        // Protection is off and the listing that would say whether it is needed failed.
        let verdict = Verdict::missing(
            format!(
                "{reason}, and whether {name} holds databases could not be read: {}",
                dbs.failures
                    .iter()
                    .map(|f| f.describe())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            evidence,
        );
        return (resource, verdict);
    }
    (
        resource,
        Verdict::fail(
            format!(
                "logins to {} are not monitored: {reason}",
                some_of(&dbs.covered)
            ),
            evidence,
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::logging::fixtures::{
        compliant_region, detector, evaluate, failure, only_finding, REGION,
    };
    use crate::rds::fixtures::{member_instance, mysql_cluster, pg_cluster, standalone_instance};
    use crate::snapshot::{DbCluster, DbInstance};

    fn with_dbs(clusters: Vec<DbCluster>, instances: Vec<DbInstance>) -> RegionSnapshot {
        let mut region = compliant_region();
        region.rds.clusters = Source::Collected(clusters);
        region.rds.instances = Source::Collected(instances);
        region
    }

    fn db_region() -> RegionSnapshot {
        with_dbs(
            vec![pg_cluster("pg-main")],
            vec![
                member_instance("pg-main-1", "pg-main"),
                standalone_instance("pg-solo"),
            ],
        )
    }

    fn with_detectors(
        mut region: RegionSnapshot,
        detectors: Vec<GuardDutyDetector>,
    ) -> RegionSnapshot {
        region.guardduty.detectors = Source::Collected(detectors);
        region
    }

    #[test]
    fn rds_login_events_enabled_passes() {
        let finding = only_finding(evaluate(&CHECK, db_region()));
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert_eq!(finding.resource_type, DETECTOR_TYPE);
        assert_eq!(finding.resource_id, "detector-1");
        assert!(
            finding.message.contains("cluster pg-main"),
            "{}",
            finding.message
        );
        // Cluster members are counted through their cluster.
        assert!(
            !finding.message.contains("pg-main-1"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn no_databases_is_not_applicable() {
        let finding = only_finding(evaluate(&CHECK, with_dbs(vec![], vec![])));
        assert_eq!(finding.status, Status::NotApplicable);
        assert_eq!(finding.resource_id, REGION);

        // Even when GuardDuty cannot be read: nothing here needs it.
        let mut region = with_dbs(vec![], vec![]);
        region.guardduty.detectors = Source::Failed(failure("guardduty", "ListDetectors"));
        assert_eq!(
            only_finding(evaluate(&CHECK, region)).status,
            Status::NotApplicable
        );
    }

    #[test]
    fn uncovered_engines_only_is_not_applicable() {
        let oracle = DbInstance {
            engine: "oracle-ee".into(),
            ..standalone_instance("ora")
        };
        let region = with_detectors(with_dbs(vec![], vec![oracle]), vec![]);
        let finding = only_finding(evaluate(&CHECK, region));
        assert_eq!(finding.status, Status::NotApplicable);
        assert!(finding.message.contains("oracle-ee"), "{}", finding.message);
    }

    #[test]
    fn every_fail_reason_is_named() {
        let cases = [
            (vec![], "no detector"),
            (
                vec![detector("d", "DISABLED", &[(RDS_FEATURE, "ENABLED")])],
                "is DISABLED",
            ),
            (
                vec![detector("d", "ENABLED", &[])],
                "does not report the RDS_LOGIN_EVENTS",
            ),
            (
                vec![detector("d", "ENABLED", &[(RDS_FEATURE, "DISABLED")])],
                "(RDS_LOGIN_EVENTS) is DISABLED",
            ),
            (
                vec![detector("d", "ENABLED", &[("S3_DATA_EVENTS", "ENABLED")])],
                "does not report the RDS_LOGIN_EVENTS",
            ),
        ];
        for (detectors, expected) in cases {
            let finding = only_finding(evaluate(&CHECK, with_detectors(db_region(), detectors)));
            assert_eq!(finding.status, Status::Fail, "{expected}");
            assert!(
                finding.message.contains(expected),
                "{expected}: {}",
                finding.message
            );
            assert!(finding.message.contains("pg-solo"), "{}", finding.message);
        }
    }

    #[test]
    fn mysql_and_aurora_mysql_are_covered() {
        let region = with_detectors(
            with_dbs(vec![mysql_cluster("my-main")], vec![]),
            vec![detector("d", "ENABLED", &[])],
        );
        assert_eq!(only_finding(evaluate(&CHECK, region)).status, Status::Fail);
        assert!(
            covered_engine("mysql") && covered_engine("postgres") && !covered_engine("mariadb")
        );
    }

    #[test]
    fn error_when_detectors_unreadable_and_databases_exist() {
        let mut region = db_region();
        region.guardduty.detectors = Source::Failed(failure("guardduty", "ListDetectors"));
        let finding = only_finding(evaluate(&CHECK, region));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("ListDetectors"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn db_listing_failure() {
        // Protection off and no way to tell whether databases exist: error.
        let mut region = with_detectors(db_region(), vec![detector("d", "ENABLED", &[])]);
        region.rds.clusters = Source::Failed(failure("rds", "DescribeDBClusters"));
        region.rds.instances = Source::Failed(failure("rds", "DescribeDBInstances"));
        let finding = only_finding(evaluate(&CHECK, region.clone()));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("DescribeDBClusters"),
            "{}",
            finding.message
        );

        // One listing still shows covered databases: a valid fail (members count then).
        region.rds.instances = Source::Collected(vec![member_instance("pg-main-1", "pg-main")]);
        let finding = only_finding(evaluate(&CHECK, region.clone()));
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("pg-main-1"), "{}", finding.message);

        // Protection on: pass whatever the listings say.
        region.rds.instances = Source::Failed(failure("rds", "DescribeDBInstances"));
        let region = with_detectors(
            region,
            vec![detector("d", "ENABLED", &[(RDS_FEATURE, "ENABLED")])],
        );
        assert_eq!(only_finding(evaluate(&CHECK, region)).status, Status::Pass);
    }
}
