//! guardduty-enabled: a GuardDuty detector is enabled in every scanned region.

use serde_json::{json, Value};

use super::DETECTOR_TYPE;
use crate::catalog::{Check, CheckMeta, Context, Remediation, Resource, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::GuardDutyDetector;

/// The check: one finding per scanned region.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "guardduty-enabled",
    title: "GuardDuty is enabled in every region",
    severity: Severity::Medium,
    hipaa: &["164.308(a)(1)(ii)(D)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[DETECTOR_TYPE, "AWS::::Region"],
    requirement: "Information system activity review (164.308(a)(1)(ii)(D)) cannot rest on \
        people reading raw logs: GuardDuty continuously analyses CloudTrail, VPC flow logs and \
        DNS logs for compromised credentials, reconnaissance and exfiltration (seeds 000/001 \
        use it as a detective control). Each scanned region needs a detector whose status is \
        ENABLED; attackers favour regions nobody watches.",
    evidence: &["guardduty:ListDetectors", "guardduty:GetDetector Status"],
    remediation: Remediation {
        summary: "Enable GuardDuty in the region (in an organization, from the delegated \
            administrator with auto-enable for all members).",
        console: "GuardDuty > Get started > Enable GuardDuty (in each region); for a suspended \
            detector: Settings > General > Re-enable GuardDuty. In an organization: delegated \
            administrator account > Accounts > Auto-enable: All accounts.",
        cli: "aws guardduty create-detector --enable --region <region>\n\
              (an existing disabled detector: aws guardduty update-detector --detector-id <id> --enable)",
        cloudformation: "AWS::GuardDuty::Detector: Enable: true (one per region, e.g. with \
            StackSets)",
    },
    seeds: &["seed 001", "seed 003"],
    source_file: file!(),
};

/// True when the detector's status is ENABLED.
pub fn is_enabled(detector: &GuardDutyDetector) -> bool {
    detector.status.trim().eq_ignore_ascii_case("ENABLED")
}

/// A detector as a finding's resource, with its ARN when the snapshot knows the account.
pub fn detector_resource(ctx: &Context, region: &str, detector: &GuardDutyDetector) -> Resource {
    let snapshot = ctx.snapshot;
    let arn = if snapshot.partition.is_empty() || snapshot.account_id.is_empty() {
        String::new()
    } else {
        format!(
            "arn:{}:guardduty:{region}:{}:detector/{}",
            snapshot.partition, snapshot.account_id, detector.id
        )
    };
    Resource::new(DETECTOR_TYPE, &detector.id, &arn)
}

/// Detectors sorted by id, enabled ones first: the first is the one a finding is about.
pub fn ranked(detectors: &[GuardDutyDetector]) -> Vec<&GuardDutyDetector> {
    let mut sorted: Vec<&GuardDutyDetector> = detectors.iter().collect();
    sorted.sort_by(|a, b| is_enabled(b).cmp(&is_enabled(a)).then(a.id.cmp(&b.id)));
    sorted
}

/// Evidence for a region's detectors.
pub fn detectors_evidence(detectors: &[&GuardDutyDetector]) -> Value {
    json!({
        "detectors": detectors
            .iter()
            .map(|d| json!({ "id": d.id, "status": d.status, "features": d.features }))
            .collect::<Vec<_>>(),
    })
}

fn run(ctx: &Context) -> Vec<Finding> {
    ctx.snapshot
        .regions
        .iter()
        .map(|(name, region)| {
            let detectors = match region.guardduty.detectors.get() {
                Ok(detectors) => ranked(detectors),
                Err(failure) => return META.finding(
                    ctx,
                    name,
                    &Resource::region(name),
                    Verdict::error(
                        "the region's GuardDuty detectors (guardduty:ListDetectors, GetDetector)",
                        failure,
                    ),
                ),
            };
            let evidence = detectors_evidence(&detectors);
            match detectors.first() {
                None => META.finding(
                    ctx,
                    name,
                    &Resource::region(name),
                    Verdict::fail(format!("GuardDuty has no detector in {name}"), evidence),
                ),
                Some(detector) if is_enabled(detector) => META.finding(
                    ctx,
                    name,
                    &detector_resource(ctx, name, detector),
                    Verdict::pass(
                        format!("GuardDuty detector {} is enabled", detector.id),
                        evidence,
                    ),
                ),
                Some(detector) => META.finding(
                    ctx,
                    name,
                    &detector_resource(ctx, name, detector),
                    Verdict::fail(
                        format!(
                            "GuardDuty detector {} is {}, not ENABLED",
                            detector.id,
                            if detector.status.trim().is_empty() {
                                "without a status"
                            } else {
                                detector.status.trim()
                            }
                        ),
                        evidence,
                    ),
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::logging::fixtures::*;
    use crate::snapshot::{RegionSnapshot, Source};

    fn with_detectors(detectors: Vec<GuardDutyDetector>) -> RegionSnapshot {
        let mut region = compliant_region();
        region.guardduty.detectors = Source::Collected(detectors);
        region
    }

    #[test]
    fn enabled_detector_passes() {
        let finding = only_finding(evaluate(&CHECK, compliant_region()));
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.resource_type, DETECTOR_TYPE);
        assert_eq!(finding.resource_id, "detector-1");
        assert_eq!(
            finding.resource_arn.as_deref(),
            Some("arn:aws:guardduty:us-east-1:111122223333:detector/detector-1")
        );
    }

    #[test]
    fn no_detector_fails_on_the_region() {
        let finding = only_finding(evaluate(&CHECK, with_detectors(vec![])));
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.resource_id, REGION);
    }

    #[test]
    fn disabled_detector_fails() {
        let finding = only_finding(evaluate(
            &CHECK,
            with_detectors(vec![detector("d-off", "DISABLED", &[])]),
        ));
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.resource_id, "d-off");
        assert!(finding.message.contains("DISABLED"), "{}", finding.message);
    }

    #[test]
    fn an_enabled_detector_wins_over_a_disabled_one() {
        let finding = only_finding(evaluate(
            &CHECK,
            with_detectors(vec![
                detector("a-off", "DISABLED", &[]),
                detector("b-on", "ENABLED", &[]),
            ]),
        ));
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.resource_id, "b-on");
    }

    #[test]
    fn error_when_detectors_unreadable() {
        let mut region = compliant_region();
        region.guardduty.detectors = Source::Failed(failure("guardduty", "ListDetectors"));
        let finding = only_finding(evaluate(&CHECK, region));
        assert_eq!(finding.status, Status::Error);
        assert_eq!(finding.resource_id, REGION);
    }
}
