//! rds-instance-ca-current: the instance's CA certificate is current and not expired.

use jiff::Timestamp;
use serde_json::json;

use super::{grade_instances, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::{DbInstance, RegionSnapshot, Source};

/// The check: CACertificateIdentifier is a current RDS CA that has not expired.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-instance-ca-current",
    title: "DB instance uses a current, unexpired RDS CA",
    severity: Severity::High,
    hipaa: &["164.312(e)(1)"],
    baa: BaaRule::EncryptInTransit,
    resource_types: &[INSTANCE_TYPE],
    requirement: "Clients can only verify the database's identity (and so resist \
        man-in-the-middle) when its certificate chains to a CA that is still valid. \
        rds-ca-2015 and rds-ca-2019 are retired; use rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 or \
        rds-ca-ecc384-g1. Expiry comes from DescribeCertificates ValidTill when available, else \
        from a built-in table of RDS CA expiry dates; the finding says which decided.",
    evidence: &["rds:DescribeDBInstances CACertificateIdentifier", "rds:DescribeCertificates ValidTill"],
    remediation: Remediation {
        summary: "Rotate the instance to rds-ca-rsa2048-g1 (or rsa4096/ecc384) after updating client trust stores.",
        console: "Update client trust stores with the new RDS CA bundle > RDS > Databases > select the \
            instance > Modify > Certificate authority: rds-ca-rsa2048-g1 > Apply immediately (restarts \
            the instance unless the engine supports rotation without restart).",
        cli: "aws rds modify-db-instance --db-instance-identifier <id> --ca-certificate-identifier rds-ca-rsa2048-g1 --apply-immediately",
        cloudformation: "AWS::RDS::DBInstance: CACertificateIdentifier: rds-ca-rsa2048-g1",
    },
    seeds: &["seed 000", "seed 001"],
    source_file: file!(),
};

/// CAs RDS has retired: fail whatever their dates say.
const RETIRED: &[&str] = &["rds-ca-2015", "rds-ca-2019"];

/// Built-in expiry dates of RDS CAs (RDS user guide, "Certificate authorities"), used when
/// DescribeCertificates is unavailable.
const KNOWN_CA_EXPIRY: &[(&str, &str)] = &[
    ("rds-ca-2015", "2020-03-05T00:00:00Z"),
    ("rds-ca-2019", "2024-08-22T17:08:50Z"),
    ("rds-ca-rsa2048-g1", "2061-05-25T23:34:57Z"),
    ("rds-ca-rsa4096-g1", "2121-05-25T23:38:35Z"),
    ("rds-ca-ecc384-g1", "2121-05-25T23:44:07Z"),
];

fn built_in_expiry(ca: &str) -> Option<Timestamp> {
    KNOWN_CA_EXPIRY
        .iter()
        .find(|(id, _)| *id == ca)
        .and_then(|(_, date)| date.parse().ok())
}

fn grade(instance: &DbInstance, region: &RegionSnapshot, now: Timestamp) -> Verdict {
    let id = &instance.id;
    let Some(ca) = instance.ca_certificate_identifier.as_deref() else {
        return Verdict::missing(
            format!("instance {id} reports no CACertificateIdentifier"),
            json!({}),
        );
    };
    let from_api = match &region.rds.certificates {
        Source::Collected(certs) => certs.iter().find(|c| c.id == ca).and_then(|c| c.valid_till),
        Source::Failed(_) => None,
    };
    let (valid_till, decided_by) = match (from_api, built_in_expiry(ca)) {
        (Some(date), _) => (date, "DescribeCertificates"),
        (None, Some(date)) => (date, "built-in RDS CA table"),
        (None, None) => {
            return match &region.rds.certificates {
                Source::Failed(failure) => Verdict::error(&format!("the expiry of CA {ca} (instance {id})"), failure),
                Source::Collected(_) => Verdict::manual(
                    format!("instance {id} uses CA {ca}, which RDS does not list and this tool does not know; check its expiry in the RDS console"),
                    json!({ "CACertificateIdentifier": ca }),
                ),
            };
        }
    };
    let evidence = json!({
        "CACertificateIdentifier": ca,
        "ValidTill": valid_till.to_string(),
        "DecidedBy": decided_by,
        "ServerCertificateValidTill": instance.server_certificate_valid_till.map(|t| t.to_string()),
    });
    if RETIRED.contains(&ca) {
        return Verdict::fail(
            format!("instance {id} uses retired CA {ca}; rotate to rds-ca-rsa2048-g1"),
            evidence,
        );
    }
    if valid_till <= now {
        return Verdict::fail(
            format!("instance {id} uses CA {ca}, expired {valid_till} ({decided_by})"),
            evidence,
        );
    }
    if let Some(server) = instance.server_certificate_valid_till.filter(|t| *t <= now) {
        return Verdict::fail(
            format!("instance {id}'s server certificate expired {server}; rotate its certificate"),
            evidence,
        );
    }
    Verdict::pass(
        format!(
            "instance {id} uses CA {ca}, valid until {} ({decided_by})",
            valid_till.strftime("%Y-%m-%d")
        ),
        evidence,
    )
}

fn run(ctx: &Context) -> Vec<Finding> {
    grade_instances(ctx, &META, |instance, region| {
        grade(instance, region, ctx.now)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::rds::fixtures::*;
    use crate::snapshot::{CaCertificate, DbInstance};

    fn with_ca(ca: &str) -> RegionSnapshot {
        let mut region = compliant_region();
        region.rds.instances = Source::Collected(vec![DbInstance {
            ca_certificate_identifier: Some(ca.into()),
            ..standalone_instance("db")
        }]);
        region
    }

    #[test]
    fn pass_on_current_ca_from_built_in_table() {
        let finding = finding_for(&evaluate(&CHECK, with_ca("rds-ca-rsa2048-g1")), "db").clone();
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.evidence["DecidedBy"], "built-in RDS CA table");
    }

    #[test]
    fn describe_certificates_wins_over_table() {
        let mut region = with_ca("rds-ca-rsa4096-g1");
        region.rds.certificates = Source::Collected(vec![CaCertificate {
            id: "rds-ca-rsa4096-g1".into(),
            valid_till: Some("2026-01-01T00:00:00Z".parse().expect("timestamp")),
        }]);
        let finding = finding_for(&evaluate(&CHECK, region), "db").clone();
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.evidence["DecidedBy"], "DescribeCertificates");
    }

    #[test]
    fn fail_on_retired_ca() {
        assert_eq!(
            status_of(&evaluate(&CHECK, with_ca("rds-ca-2019")), "db"),
            Status::Fail
        );
        assert_eq!(
            status_of(&evaluate(&CHECK, with_ca("rds-ca-2015")), "db"),
            Status::Fail
        );
    }

    #[test]
    fn unknown_ca_is_error_when_certificates_unreadable_else_manual() {
        let mut region = with_ca("rds-ca-default");
        region.rds.certificates = Source::Failed(failure("DescribeCertificates"));
        let finding = finding_for(&evaluate(&CHECK, region), "db").clone();
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("DescribeCertificates"),
            "{}",
            finding.message
        );
        assert_eq!(
            status_of(&evaluate(&CHECK, with_ca("rds-ca-default")), "db"),
            Status::Manual
        );
    }

    #[test]
    fn cluster_members_are_graded_too() {
        let findings = evaluate(&CHECK, compliant_region());
        assert_eq!(status_of(&findings, "pg-main-1"), Status::Pass);
    }

    #[test]
    fn built_in_table_dates_parse() {
        for (ca, _) in KNOWN_CA_EXPIRY {
            assert!(built_in_expiry(ca).is_some(), "{ca}");
        }
    }
}
