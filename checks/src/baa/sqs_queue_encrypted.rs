//! sqs-queue-encrypted: every SQS queue has server-side encryption (SSE-KMS or SSE-SQS).

use serde_json::json;

use super::{grade_regional, is_aws_managed_alias, last_segment, QUEUE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Resource, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::{RegionSnapshot, SqsQueue};

/// The check: KmsMasterKeyId set or SqsManagedSseEnabled for every queue.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "sqs-queue-encrypted",
    title: "SQS queue has server-side encryption",
    severity: Severity::Medium,
    hipaa: &["164.312(a)(2)(iv)"],
    baa: BaaRule::EncryptAtRest,
    resource_types: &[QUEUE_TYPE, "AWS::::Region"],
    requirement: "The BAA requires PHI to be encrypted at rest (seed 002 lists SQS among the \
        services with server-side encryption). Messages wait in a queue for up to 14 days, so \
        every queue must encrypt them: SSE-KMS (KmsMasterKeyId, a customer-managed key \
        preferred) or SSE-SQS (SqsManagedSseEnabled, SQS-owned keys). The finding says which.",
    evidence: &[
        "sqs:ListQueues",
        "sqs:GetQueueAttributes (KmsMasterKeyId, SqsManagedSseEnabled, QueueArn)",
    ],
    remediation: Remediation {
        summary: "Turn on server-side encryption for the queue (SSE-KMS with a customer-managed \
            key preferred, SSE-SQS at least).",
        console:
            "SQS > Queues > the queue > Edit > Encryption > Server-side encryption: Enabled > \
            AWS Key Management Service key (SSE-KMS) with a customer-managed key, or Amazon SQS \
            key (SSE-SQS) > Save.",
        cli: "aws sqs set-queue-attributes --queue-url <id> --attributes \
              KmsMasterKeyId=<key-arn>,KmsDataKeyReusePeriodSeconds=300\n\
              (or SSE-SQS: aws sqs set-queue-attributes --queue-url <id> --attributes \
              SqsManagedSseEnabled=true)",
        cloudformation: "AWS::SQS::Queue: KmsMasterKeyId: <key-arn> (or SqsManagedSseEnabled: \
            true)",
    },
    seeds: &["seed 002"],
    source_file: file!(),
};

/// The queue's name (from its ARN, else its URL).
fn queue_name(queue: &SqsQueue) -> &str {
    if queue.arn.is_empty() {
        last_segment(&queue.url)
    } else {
        last_segment(&queue.arn)
    }
}

/// Why a queue is known not to be encrypted (for phi-services-eligible), or `None`.
pub fn unencrypted_reason(queue: &SqsQueue) -> Option<String> {
    (queue.kms_master_key_id.is_none() && !queue.sqs_managed_sse).then(|| {
        format!(
            "queue {} has no server-side encryption (sqs-queue-encrypted)",
            queue_name(queue)
        )
    })
}

fn grade(_region: &RegionSnapshot, queue: &SqsQueue) -> Verdict {
    let name = queue_name(queue);
    let evidence = json!({
        "QueueUrl": queue.url,
        "KmsMasterKeyId": queue.kms_master_key_id,
        "SqsManagedSseEnabled": queue.sqs_managed_sse,
    });
    match (&queue.kms_master_key_id, queue.sqs_managed_sse) {
        (Some(key), _) => {
            let kind = if is_aws_managed_alias(key) {
                " (the AWS managed key; a customer-managed key gives control over its policy)"
            } else {
                ""
            };
            Verdict::pass(
                format!("queue {name} is encrypted with SSE-KMS using {key}{kind}"),
                evidence,
            )
        }
        (None, true) => Verdict::pass(
            format!("queue {name} is encrypted with SSE-SQS (SQS-owned keys)"),
            evidence,
        ),
        (None, false) => Verdict::fail(
            format!(
                "queue {name} has no server-side encryption; messages are stored unencrypted \
                 (set KmsMasterKeyId or SqsManagedSseEnabled)"
            ),
            evidence,
        ),
    }
}

fn run(ctx: &Context) -> Vec<Finding> {
    grade_regional(
        ctx,
        &META,
        "the region's SQS queues (sqs:ListQueues, GetQueueAttributes)",
        |region| &region.sqs_queues,
        |queue| Resource::new(QUEUE_TYPE, queue_name(queue), &queue.arn),
        grade,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baa::fixtures::*;
    use crate::finding::Status;
    use crate::snapshot::Source;

    fn grade_queue(queue: SqsQueue) -> Finding {
        only_finding(evaluate(
            &CHECK,
            RegionSnapshot {
                sqs_queues: Source::Collected(vec![queue]),
                ..compliant_region()
            },
        ))
    }

    #[test]
    fn sse_kms_passes() {
        let finding = only_finding(evaluate(&CHECK, compliant_region()));
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.resource_id, "intake");
        assert_eq!(finding.resource_arn.as_deref(), Some(QUEUE_ARN));
        assert_eq!(finding.evidence["QueueUrl"], QUEUE_URL);
        assert_mentions(&finding.message, &["SSE-KMS", KEY_ARN]);
        let finding = grade_queue(SqsQueue {
            kms_master_key_id: Some("alias/aws/sqs".into()),
            ..queue("aws-key")
        });
        assert_eq!(finding.status, Status::Pass);
        assert_mentions(&finding.message, &["AWS managed key"]);
    }

    #[test]
    fn sse_sqs_passes() {
        let finding = grade_queue(SqsQueue {
            kms_master_key_id: None,
            sqs_managed_sse: true,
            ..queue("managed")
        });
        assert_eq!(finding.status, Status::Pass);
        assert_mentions(&finding.message, &["SSE-SQS"]);
    }

    #[test]
    fn unencrypted_queue_fails() {
        let plain = SqsQueue {
            kms_master_key_id: None,
            sqs_managed_sse: false,
            ..queue("plain")
        };
        assert!(unencrypted_reason(&plain).is_some());
        let finding = grade_queue(plain);
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.severity, Severity::Medium);
        assert_mentions(&finding.message, &["plain", "no server-side encryption"]);
    }

    #[test]
    fn queue_named_from_url_without_arn() {
        let finding = grade_queue(SqsQueue {
            arn: String::new(),
            ..queue("url-only")
        });
        assert_eq!(finding.resource_id, "url-only");
        assert_eq!(finding.resource_arn, None);
    }

    #[test]
    fn failed_listing_is_a_region_error() {
        let finding = only_finding(evaluate(
            &CHECK,
            RegionSnapshot {
                sqs_queues: Source::Failed(failure("sqs", "ListQueues")),
                ..compliant_region()
            },
        ));
        assert_eq!(finding.status, Status::Error);
        assert_eq!(finding.resource_id, REGION);
        assert_mentions(&finding.message, &["ListQueues"]);
    }
}
