//! cloudtrail-multi-region: at least one multi-region trail is logging read and write management
//! events.
//!
//! Also home to two helpers the per-trail `cloudtrail-*` checks share: [`grade_every_trail`]
//! (which points to this check when the account has no trail at all) and [`owner_note`].

use serde_json::{json, Value};

use super::{
    grade_trails, qualify, trail_evidence, trails, ManagementCoverage, TrailQualification,
};
use crate::catalog::Remediation;
use crate::catalog::{Check, CheckMeta, Context, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::{account_finding, ACCOUNT_TYPE};
use crate::snapshot::{Failure, Source, Trail};

/// The check: one account-level finding; pass when some trail qualifies (see [`qualify`]).
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "cloudtrail-multi-region",
    title: "A multi-region CloudTrail trail is logging all management events",
    severity: Severity::High,
    hipaa: &["164.312(b)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[ACCOUNT_TYPE],
    requirement: "Audit controls (164.312(b)) need a record of every API call that could touch \
        PHI or its safeguards, in every region, including regions nobody meant to use. At least \
        one trail must apply to all regions (IsMultiRegionTrail), be logging (GetTrailStatus \
        IsLogging) and record management events of both read and write type (basic selectors \
        with IncludeManagementEvents and ReadWriteType All, or advanced selectors with \
        eventCategory = Management and no readOnly restriction, possibly split over two \
        selectors). An organization trail created in the management account counts. Excluded \
        management event sources (kms.amazonaws.com, rdsdata.amazonaws.com) are reported but do \
        not disqualify a trail (seeds 003, 004).",
    evidence: &[
        "cloudtrail:DescribeTrails (includeShadowTrails=true) in every scanned region",
        "cloudtrail:GetTrailStatus IsLogging (home region)",
        "cloudtrail:GetEventSelectors EventSelectors / AdvancedEventSelectors (home region)",
    ],
    remediation: Remediation {
        summary: "Create (or fix) a trail that applies to all regions, records read and write \
            management events, and is logging.",
        console: "CloudTrail > Trails > Create trail (new trails apply to all regions): choose a \
            dedicated S3 bucket, enable log file SSE-KMS encryption and log file validation, \
            send to CloudWatch Logs > Management events: Read and Write > Create. For an \
            existing trail: select it > Edit > enable 'Multi-region trail', set Management \
            events to Read and Write, and choose 'Start logging' if Logging shows Off.",
        cli: "aws cloudtrail create-trail --name management --s3-bucket-name <bucket> \
              --is-multi-region-trail --enable-log-file-validation --kms-key-id <key-arn>\n\
              aws cloudtrail put-event-selectors --trail-name management \
              --event-selectors '[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}]'\n\
              aws cloudtrail start-logging --name management\n\
              (existing trail: aws cloudtrail update-trail --name <id> --is-multi-region-trail)",
        cloudformation: "AWS::CloudTrail::Trail: IsMultiRegionTrail: true, IsLogging: true, \
            EventSelectors: [{ReadWriteType: All, IncludeManagementEvents: true}]",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    vec![account_finding(ctx, &META, verdict(ctx))]
}

fn verdict(ctx: &Context) -> Verdict {
    let (all, failures) = trails(ctx);
    let graded: Vec<(&Trail, TrailQualification)> = all.iter().map(|t| (*t, qualify(t))).collect();
    let evidence = json!({
        "trails": graded.iter().map(|(t, q)| trail_entry(t, q)).collect::<Vec<_>>(),
        "describe_trails_failures": failures,
    });

    let qualifying: Vec<(&Trail, &ManagementCoverage)> = graded
        .iter()
        .filter_map(|(trail, q)| match q {
            TrailQualification::Qualifies(coverage) => Some((*trail, coverage)),
            _ => None,
        })
        .collect();
    if !qualifying.is_empty() {
        return Verdict::pass(pass_message(&qualifying), evidence);
    }

    let unknown: Vec<(&Trail, &Failure)> = graded
        .iter()
        .filter_map(|(trail, q)| match q {
            TrailQualification::Unknown(failure) => Some((*trail, failure)),
            _ => None,
        })
        .collect();
    if !unknown.is_empty() {
        return undecided(ctx, &unknown, evidence);
    }

    let listed = ctx
        .snapshot
        .regions
        .values()
        .filter(|r| matches!(r.cloudtrail.trails, Source::Collected(_)))
        .count();
    if listed == 0 {
        let message = if failures.is_empty() {
            "no region was scanned, so no trail could be read".to_owned()
        } else {
            format!(
                "the trails could not be listed in any region: {}",
                describe_all(&failures)
            )
        };
        return Verdict::missing(message, evidence);
    }

    let mut message = if graded.is_empty() {
        "no CloudTrail trail exists in the scanned regions, so API activity is not recorded"
            .to_owned()
    } else {
        let trails: Vec<String> = graded
            .iter()
            .filter_map(|(trail, q)| match q {
                TrailQualification::DoesNotQualify(reasons) => Some(format!(
                    "{} (home {}): {}",
                    trail.name,
                    trail.home_region,
                    reasons.join(", ")
                )),
                _ => None,
            })
            .collect();
        format!(
            "no trail is a logging multi-region trail with read and write management events: {}",
            trails.join("; ")
        )
    };
    if !failures.is_empty() {
        let regions: Vec<&str> = failures.iter().map(|f| f.region.as_str()).collect();
        message.push_str(&format!(
            " (DescribeTrails failed in {}, but a multi-region trail is listed in every region, \
             and none appeared in the {listed} region(s) that answered)",
            regions.join(", ")
        ));
    }
    Verdict::fail(message, evidence)
}

fn pass_message(qualifying: &[(&Trail, &ManagementCoverage)]) -> String {
    let names: Vec<String> = qualifying
        .iter()
        .map(|(trail, _)| {
            let org = if trail.is_organization_trail {
                ", organization trail"
            } else {
                ""
            };
            format!("{} (home {}{org})", trail.name, trail.home_region)
        })
        .collect();
    let mut message = if names.len() == 1 {
        format!(
            "trail {} is a logging multi-region trail recording read and write management events",
            names.join("")
        )
    } else {
        format!(
            "trails {} are logging multi-region trails recording read and write management events",
            names.join(", ")
        )
    };
    // A single qualifying trail's exclusions are gaps; with several, another may cover them.
    if let [(trail, coverage)] = qualifying {
        if !coverage.excluded_sources.is_empty() {
            message.push_str(&format!(
                "; note: it excludes management events from {}",
                coverage.excluded_sources.join(", ")
            ));
        }
        if let Some(Source::Collected(status)) = &trail.status {
            if let Some(error) = &status.latest_delivery_error {
                message.push_str(&format!("; its latest delivery to S3 failed: {error}"));
            }
        }
    }
    message
}

/// No trail qualifies and some could, had its status or selectors been read: `manual` when each
/// such trail is an organization trail owned by another account (readable only there), else
/// `error` naming the calls (or the home region to scan).
fn undecided(ctx: &Context, unknown: &[(&Trail, &Failure)], evidence: Value) -> Verdict {
    let elsewhere: Vec<(&Trail, String)> = unknown
        .iter()
        .filter_map(|(trail, _)| {
            let owner = owner_account(trail)?;
            (trail.is_organization_trail && owner != ctx.snapshot.account_id)
                .then(|| (*trail, owner.to_owned()))
        })
        .collect();
    if elsewhere.len() == unknown.len() {
        let trails: Vec<String> = elsewhere
            .iter()
            .map(|(trail, owner)| {
                format!(
                    "{} (owned by account {owner}, home {})",
                    trail.name, trail.home_region
                )
            })
            .collect();
        return Verdict::manual(
            format!(
                "no trail of this account qualifies and the organization trail {} can only be \
                 read from its owner: in that account run `aws cloudtrail get-trail-status` and \
                 `aws cloudtrail get-event-selectors` on it in its home region and confirm it is \
                 logging multi-region read and write management events",
                trails.join(", ")
            ),
            evidence,
        );
    }
    let reasons: Vec<String> = unknown
        .iter()
        .map(|(trail, failure)| {
            if failure.code == "NotCollected" {
                format!(
                    "{} was seen only as a shadow copy: scan its home region {} to read its \
                     status and event selectors",
                    trail.name, trail.home_region
                )
            } else {
                format!("{}: {}", trail.name, failure.describe())
            }
        })
        .collect();
    Verdict::missing(
        format!(
            "no trail is confirmed to qualify and the status or event selectors of {} could \
             not be read: {}",
            if unknown.len() == 1 {
                "one candidate"
            } else {
                "some candidates"
            },
            reasons.join("; ")
        ),
        evidence,
    )
}

fn trail_entry(trail: &Trail, qualification: &TrailQualification) -> Value {
    let mut entry = trail_evidence(trail);
    let is_logging = match &trail.status {
        Some(Source::Collected(status)) => json!(status.is_logging),
        _ => Value::Null,
    };
    let (state, detail) = match qualification {
        TrailQualification::Qualifies(coverage) => (
            "qualifies",
            json!({ "ExcludedManagementEventSources": coverage.excluded_sources }),
        ),
        TrailQualification::DoesNotQualify(reasons) => {
            ("does_not_qualify", json!({ "reasons": reasons }))
        }
        TrailQualification::Unknown(failure) => ("unknown", json!({ "collection_error": failure })),
    };
    if let (Value::Object(map), Value::Object(extra)) = (&mut entry, detail) {
        map.insert("IsLogging".into(), is_logging);
        map.insert("qualification".into(), json!(state));
        map.extend(extra);
    }
    entry
}

fn describe_all(failures: &[&Failure]) -> String {
    failures
        .iter()
        .map(|f| f.describe())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The account that owns a trail, from its ARN (`arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`).
pub fn owner_account(trail: &Trail) -> Option<&str> {
    trail.arn.split(':').nth(4).filter(|a| !a.is_empty())
}

/// `" (organization trail owned by account X: change it there)"` for an organization trail
/// another account owns, else empty; appended to per-trail fail messages.
pub fn owner_note(ctx: &Context, trail: &Trail) -> String {
    match owner_account(trail) {
        Some(owner) if trail.is_organization_trail && owner != ctx.snapshot.account_id => {
            format!(" (organization trail owned by account {owner}: change it there)")
        }
        _ => String::new(),
    }
}

/// Grades every trail with [`grade_trails`]; when the regions all answered and hold no trail at
/// all, one account-level `fail` pointing to `cloudtrail-multi-region` (an account with no
/// trail has nothing to grade, and silence would read as compliance). With no region scanned,
/// one account-level `error`.
pub fn grade_every_trail(
    ctx: &Context,
    meta: &CheckMeta,
    grade: impl Fn(&Trail) -> Verdict,
) -> Vec<Finding> {
    let findings = grade_trails(ctx, meta, grade);
    if !findings.is_empty() {
        return findings;
    }
    let verdict = if ctx.snapshot.regions.is_empty() {
        Verdict::missing(
            "no region was scanned, so no trail could be read",
            json!({ "trails": [] }),
        )
    } else {
        Verdict::fail(
            "the account has no CloudTrail trail in the scanned regions, so there is nothing to \
             check; create one (see cloudtrail-multi-region)",
            json!({ "trails": [] }),
        )
    };
    vec![account_finding(ctx, meta, verdict)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::finding::Status;
    use crate::logging::fixtures::*;
    use crate::snapshot::{
        AdvancedEventSelector, AdvancedFieldSelector, BasicEventSelector, EventSelectors,
        RegionSnapshot, TrailStatus,
    };

    fn run_regions(regions: Vec<(&str, RegionSnapshot)>) -> Finding {
        let snapshot = snapshot_of(regions, compliant_global());
        only_finding(evaluate_snapshot(&CHECK, &snapshot, &Config::default()))
    }

    fn selectors(advanced: Vec<AdvancedEventSelector>) -> Option<Source<EventSelectors>> {
        Some(Source::Collected(EventSelectors {
            basic: vec![],
            advanced,
        }))
    }

    fn field(name: &str, equals: &[&str]) -> AdvancedFieldSelector {
        AdvancedFieldSelector {
            field: name.into(),
            equals: equals.iter().map(|s| (*s).into()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn pass_is_one_account_level_finding_naming_the_trail() {
        let finding = only_finding(evaluate(&CHECK, compliant_region()));
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.region, "global");
        assert_eq!(finding.resource_type, "AWS::::Account");
        assert_eq!(finding.resource_id, ACCOUNT);
        assert_eq!(finding.severity, Severity::High);
        assert!(
            finding.message.contains("management"),
            "{}",
            finding.message
        );
        assert_eq!(finding.evidence["trails"][0]["qualification"], "qualifies");
    }

    #[test]
    fn excluded_management_sources_are_mentioned_but_do_not_fail() {
        let mut t = trail();
        t.event_selectors = Some(Source::Collected(EventSelectors {
            basic: vec![BasicEventSelector {
                read_write_type: Some("All".into()),
                include_management_events: Some(true),
                exclude_management_event_sources: vec!["kms.amazonaws.com".into()],
            }],
            advanced: vec![],
        }));
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![t])));
        assert_eq!(finding.status, Status::Pass);
        assert!(
            finding.message.contains("kms.amazonaws.com"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn advanced_selectors_count_split_or_whole() {
        let mut whole = trail();
        whole.event_selectors = selectors(vec![AdvancedEventSelector {
            name: Some("management".into()),
            field_selectors: vec![field("eventCategory", &["Management"])],
        }]);
        assert_eq!(
            only_finding(evaluate(&CHECK, with_trails(vec![whole]))).status,
            Status::Pass
        );

        let mut split = trail();
        split.event_selectors = selectors(vec![
            AdvancedEventSelector {
                name: None,
                field_selectors: vec![
                    field("eventCategory", &["Management"]),
                    field("readOnly", &["true"]),
                ],
            },
            AdvancedEventSelector {
                name: None,
                field_selectors: vec![
                    field("eventCategory", &["Management"]),
                    field("readOnly", &["false"]),
                ],
            },
        ]);
        assert_eq!(
            only_finding(evaluate(&CHECK, with_trails(vec![split]))).status,
            Status::Pass
        );

        let mut write_only = trail();
        write_only.event_selectors = selectors(vec![AdvancedEventSelector {
            name: None,
            field_selectors: vec![
                field("eventCategory", &["Management"]),
                field("readOnly", &["false"]),
            ],
        }]);
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![write_only])));
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("only write"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn fail_lists_every_trail_with_its_reasons() {
        let single = Trail {
            name: "single".into(),
            arn: "arn:aws:cloudtrail:us-east-1:111122223333:trail/single".into(),
            is_multi_region: false,
            ..trail()
        };
        let mut stopped = trail();
        stopped.status = Some(Source::Collected(TrailStatus {
            is_logging: false,
            latest_delivery_error: None,
        }));
        let mut read_only = Trail {
            name: "reads".into(),
            arn: "arn:aws:cloudtrail:us-east-1:111122223333:trail/reads".into(),
            ..trail()
        };
        read_only.event_selectors = Some(Source::Collected(EventSelectors {
            basic: vec![BasicEventSelector {
                read_write_type: Some("ReadOnly".into()),
                include_management_events: Some(true),
                exclude_management_event_sources: vec![],
            }],
            advanced: vec![],
        }));
        let finding = only_finding(evaluate(
            &CHECK,
            with_trails(vec![single, stopped, read_only]),
        ));
        assert_eq!(finding.status, Status::Fail);
        for expected in [
            "single (home us-east-1): not multi-region",
            "management (home us-east-1): not logging",
            "reads (home us-east-1): records only read",
        ] {
            assert!(
                finding.message.contains(expected),
                "{expected}: {}",
                finding.message
            );
        }
    }

    #[test]
    fn data_events_only_is_not_management() {
        let mut t = trail();
        t.event_selectors = Some(Source::Collected(EventSelectors {
            basic: vec![BasicEventSelector {
                read_write_type: Some("All".into()),
                include_management_events: Some(false),
                exclude_management_event_sources: vec![],
            }],
            advanced: vec![],
        }));
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![t])));
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("no management events"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn no_trail_at_all_fails() {
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![])));
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("no CloudTrail trail"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn one_region_answering_without_a_multi_region_trail_is_a_valid_fail() {
        let mut failed = compliant_region();
        failed.cloudtrail.trails = Source::Failed(Failure::new(
            "cloudtrail",
            "DescribeTrails",
            "eu-west-1",
            "AccessDenied",
            "no",
        ));
        let finding = run_regions(vec![
            ("us-east-1", with_trails(vec![])),
            ("eu-west-1", failed),
        ]);
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("eu-west-1"), "{}", finding.message);
    }

    #[test]
    fn error_when_no_region_could_list_trails() {
        let mut region = compliant_region();
        region.cloudtrail.trails = Source::Failed(failure("cloudtrail", "DescribeTrails"));
        let finding = only_finding(evaluate(&CHECK, region));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("DescribeTrails"),
            "{}",
            finding.message
        );

        let finding = run_regions(vec![]);
        assert_eq!(finding.status, Status::Error);
    }

    #[test]
    fn error_when_the_only_candidates_status_is_unreadable() {
        let mut t = trail();
        t.status = Some(Source::Failed(failure("cloudtrail", "GetTrailStatus")));
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![t])));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("GetTrailStatus"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn a_known_disqualifier_beats_unreadable_status() {
        // A single-region trail cannot qualify whatever its status says: fail, not error.
        let mut t = trail();
        t.is_multi_region = false;
        t.status = Some(Source::Failed(failure("cloudtrail", "GetTrailStatus")));
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![t])));
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("not multi-region"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn shadow_copy_only_is_an_error_naming_the_home_region() {
        let mut home = compliant_region();
        home.cloudtrail.trails = Source::Failed(failure("cloudtrail", "DescribeTrails"));
        let finding = run_regions(vec![
            ("us-east-1", home),
            ("eu-west-1", with_trails(vec![shadow_copy(&trail())])),
        ]);
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("scan its home region us-east-1"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn the_home_copy_wins_over_shadow_copies() {
        let finding = run_regions(vec![
            ("eu-west-1", with_trails(vec![shadow_copy(&trail())])),
            ("us-east-1", compliant_region()),
        ]);
        assert_eq!(finding.status, Status::Pass);
    }

    #[test]
    fn organization_trail_from_a_member_account_counts() {
        // Collected status and selectors (read in the home region): it qualifies.
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![org_trail()])));
        assert_eq!(finding.status, Status::Pass);
        assert!(
            finding.message.contains("organization trail"),
            "{}",
            finding.message
        );

        // Only readable from the management account: manual, telling where to look.
        let mut unreadable = org_trail();
        unreadable.status = Some(Source::Failed(failure("cloudtrail", "GetTrailStatus")));
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![unreadable.clone()])));
        assert_eq!(finding.status, Status::Manual);
        assert!(
            finding.message.contains("999999999999"),
            "{}",
            finding.message
        );

        // Another trail qualifying settles it.
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![unreadable, trail()])));
        assert_eq!(finding.status, Status::Pass);
    }

    #[test]
    fn an_unknown_own_trail_among_org_trails_is_an_error() {
        let mut org = org_trail();
        org.status = Some(Source::Failed(failure("cloudtrail", "GetTrailStatus")));
        let mut own = trail();
        own.event_selectors = Some(Source::Failed(failure("cloudtrail", "GetEventSelectors")));
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![org, own])));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("GetEventSelectors"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn owner_note_only_for_foreign_organization_trails() {
        let snapshot = snapshot_of(vec![], compliant_global());
        let config = Config::default();
        let ctx = Context {
            eligible: crate::eligible::EligibleServices::embedded(),
            snapshot: &snapshot,
            config: &config,
            now: "2026-11-25T12:00:00Z".parse().expect("ts"),
        };
        assert!(owner_note(&ctx, &org_trail()).contains("999999999999"));
        assert_eq!(owner_note(&ctx, &trail()), "");
        assert_eq!(owner_account(&trail()), Some(ACCOUNT));
    }
}
