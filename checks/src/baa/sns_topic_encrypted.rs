//! sns-topic-encrypted: every SNS topic encrypts its messages with KMS.

use serde_json::json;

use super::{grade_regional, is_aws_managed_alias, last_segment, TOPIC_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Resource, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::{RegionSnapshot, SnsTopic};

/// The check: KmsMasterKeyId set on every topic.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "sns-topic-encrypted",
    title: "SNS topic is encrypted with KMS",
    severity: Severity::Medium,
    hipaa: &["164.312(a)(2)(iv)"],
    baa: BaaRule::EncryptAtRest,
    resource_types: &[TOPIC_TYPE, "AWS::::Region"],
    requirement: "The BAA requires PHI to be encrypted at rest (seed 002). SNS stores a \
        message until it is delivered to every subscriber, so a topic that may carry PHI must \
        encrypt it with server-side encryption (KmsMasterKeyId; a customer-managed key is \
        preferred over alias/aws/sns, which other services cannot be granted use of).",
    evidence: &["sns:ListTopics", "sns:GetTopicAttributes KmsMasterKeyId"],
    remediation: Remediation {
        summary: "Enable server-side encryption on the topic with a KMS key.",
        console: "SNS > Topics > the topic > Edit > Encryption > Enable encryption > choose a \
            customer-managed KMS key (or alias/aws/sns) > Save changes.",
        cli: "aws sns set-topic-attributes --topic-arn <id> --attribute-name KmsMasterKeyId \
              --attribute-value <key-arn>",
        cloudformation: "AWS::SNS::Topic: KmsMasterKeyId: <key-arn>",
    },
    seeds: &["seed 002"],
    source_file: file!(),
};

/// Why a topic is known not to be encrypted (for phi-services-eligible), or `None`.
pub fn unencrypted_reason(topic: &SnsTopic) -> Option<String> {
    topic.kms_master_key_id.is_none().then(|| {
        format!(
            "topic {} has no server-side encryption (sns-topic-encrypted)",
            last_segment(&topic.arn)
        )
    })
}

fn grade(_region: &RegionSnapshot, topic: &SnsTopic) -> Verdict {
    let name = last_segment(&topic.arn);
    let evidence = json!({ "TopicArn": topic.arn, "KmsMasterKeyId": topic.kms_master_key_id });
    match &topic.kms_master_key_id {
        Some(key) => {
            let note = if is_aws_managed_alias(key) {
                " (the AWS managed key; a customer-managed key can be shared with the services \
                 that publish to the topic)"
            } else {
                ""
            };
            Verdict::pass(
                format!("topic {name} is encrypted with {key}{note}"),
                evidence,
            )
        }
        None => Verdict::fail(
            format!(
                "topic {name} has no server-side encryption; set KmsMasterKeyId before it \
                 carries PHI"
            ),
            evidence,
        ),
    }
}

fn run(ctx: &Context) -> Vec<Finding> {
    grade_regional(
        ctx,
        &META,
        "the region's SNS topics (sns:ListTopics, GetTopicAttributes)",
        |region| &region.sns_topics,
        |topic| Resource::new(TOPIC_TYPE, last_segment(&topic.arn), &topic.arn),
        grade,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baa::fixtures::*;
    use crate::finding::Status;
    use crate::snapshot::Source;

    fn grade_topic(topic: SnsTopic) -> Finding {
        only_finding(evaluate(
            &CHECK,
            RegionSnapshot {
                sns_topics: Source::Collected(vec![topic]),
                ..compliant_region()
            },
        ))
    }

    #[test]
    fn kms_topic_passes() {
        let finding = only_finding(evaluate(&CHECK, compliant_region()));
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.resource_id, "results");
        assert_eq!(finding.resource_arn.as_deref(), Some(TOPIC_ARN));
        let finding = grade_topic(SnsTopic {
            kms_master_key_id: Some("alias/aws/sns".into()),
            ..topic("aws-key")
        });
        assert_eq!(finding.status, Status::Pass);
        assert_mentions(&finding.message, &["AWS managed key"]);
    }

    #[test]
    fn unencrypted_topic_fails() {
        let plain = SnsTopic {
            kms_master_key_id: None,
            ..topic("plain")
        };
        assert!(unencrypted_reason(&plain).is_some());
        let finding = grade_topic(plain);
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.severity, Severity::Medium);
        assert_mentions(&finding.message, &["plain", "no server-side encryption"]);
    }

    #[test]
    fn failed_listing_is_a_region_error() {
        let finding = only_finding(evaluate(
            &CHECK,
            RegionSnapshot {
                sns_topics: Source::Failed(failure("sns", "ListTopics")),
                ..compliant_region()
            },
        ));
        assert_eq!(finding.status, Status::Error);
        assert_eq!(finding.resource_id, REGION);
        assert_mentions(&finding.message, &["ListTopics"]);
    }
}
