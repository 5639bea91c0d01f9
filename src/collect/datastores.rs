//! Data-store collectors for the BAA encryption checks: DynamoDB tables, SQS queues and SNS
//! topics of one region, each listed (all pages) then described.

use aws_sdk_sqs::types::QueueAttributeName;
use futures::future::join_all;
use hipaa_checks::snapshot::{DynamoTable, SnsTopic, SqsQueue};
use hipaa_checks::Source;

use super::{source, RegionClients};

/// Error codes meaning the item was deleted between the listing and its describe call.
const GONE: &[&str] = &[
    "ResourceNotFoundException",
    "AWS.SimpleQueueService.NonExistentQueue",
    "QueueDoesNotExist",
    "NotFound",
];

/// Every item sorted by `key`; an item deleted since the listing is dropped, any other failed
/// per-item read fails the whole source (an item whose settings are unknown cannot be graded).
fn all_or_failure<T>(items: Vec<Source<T>>, key: impl Fn(&T) -> &str) -> Source<Vec<T>> {
    let mut collected = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Source::Collected(value) => collected.push(value),
            Source::Failed(failure) if GONE.contains(&failure.code.as_str()) => {}
            Source::Failed(failure) => return Source::Failed(failure),
        }
    }
    collected.sort_by(|a, b| key(a).cmp(key(b)));
    Source::Collected(collected)
}

/// ListTables + DescribeTable for each.
pub async fn dynamodb_tables(c: &RegionClients) -> Source<Vec<DynamoTable>> {
    let region = c.region.as_str();
    let listed = c
        .limiter
        .run(
            c.dynamodb
                .list_tables()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await;
    let names = match source(listed, "dynamodb", "ListTables", region, |names| names) {
        Source::Collected(names) => names,
        Source::Failed(failure) => return Source::Failed(failure),
    };
    let tables = join_all(names.iter().map(|name| async move {
        let answer = c
            .limiter
            .run(c.dynamodb.describe_table().table_name(name).send())
            .await;
        source(answer, "dynamodb", "DescribeTable", region, |out| {
            let table = out.table();
            let sse = table.and_then(|t| t.sse_description());
            DynamoTable {
                name: name.clone(),
                arn: table
                    .and_then(|t| t.table_arn())
                    .unwrap_or_default()
                    .to_owned(),
                sse_type: sse
                    .and_then(|s| s.sse_type())
                    .map(|t| t.as_str().to_owned()),
                sse_status: sse.and_then(|s| s.status()).map(|t| t.as_str().to_owned()),
                kms_key_arn: sse.and_then(|s| s.kms_master_key_arn()).map(str::to_owned),
            }
        })
    }))
    .await;
    all_or_failure(tables, |t| &t.name)
}

/// ListQueues + GetQueueAttributes(QueueArn, SqsManagedSseEnabled, KmsMasterKeyId) for each.
pub async fn sqs_queues(c: &RegionClients) -> Source<Vec<SqsQueue>> {
    let region = c.region.as_str();
    let listed = c
        .limiter
        .run(
            c.sqs
                .list_queues()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await;
    let urls = match source(listed, "sqs", "ListQueues", region, |urls| urls) {
        Source::Collected(urls) => urls,
        Source::Failed(failure) => return Source::Failed(failure),
    };
    let queues = join_all(urls.iter().map(|url| async move {
        let answer = c
            .limiter
            .run(
                c.sqs
                    .get_queue_attributes()
                    .queue_url(url)
                    .attribute_names(QueueAttributeName::QueueArn)
                    .attribute_names(QueueAttributeName::SqsManagedSseEnabled)
                    .attribute_names(QueueAttributeName::KmsMasterKeyId)
                    .send(),
            )
            .await;
        source(answer, "sqs", "GetQueueAttributes", region, |out| {
            let attribute = |name: QueueAttributeName| {
                out.attributes()
                    .and_then(|a| a.get(&name))
                    .filter(|v| !v.is_empty())
                    .cloned()
            };
            SqsQueue {
                url: url.clone(),
                arn: attribute(QueueAttributeName::QueueArn).unwrap_or_default(),
                sqs_managed_sse: attribute(QueueAttributeName::SqsManagedSseEnabled)
                    .is_some_and(|v| v.eq_ignore_ascii_case("true")),
                kms_master_key_id: attribute(QueueAttributeName::KmsMasterKeyId),
            }
        })
    }))
    .await;
    all_or_failure(queues, |q| &q.url)
}

/// ListTopics + GetTopicAttributes for each.
pub async fn sns_topics(c: &RegionClients) -> Source<Vec<SnsTopic>> {
    let region = c.region.as_str();
    let listed = c
        .limiter
        .run(
            c.sns
                .list_topics()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await;
    let arns = match source(listed, "sns", "ListTopics", region, |topics| {
        topics
            .iter()
            .filter_map(|t| t.topic_arn().map(str::to_owned))
            .collect::<Vec<_>>()
    }) {
        Source::Collected(arns) => arns,
        Source::Failed(failure) => return Source::Failed(failure),
    };
    let topics = join_all(arns.iter().map(|arn| async move {
        let answer = c
            .limiter
            .run(c.sns.get_topic_attributes().topic_arn(arn).send())
            .await;
        source(answer, "sns", "GetTopicAttributes", region, |out| {
            SnsTopic {
                arn: arn.clone(),
                kms_master_key_id: out
                    .attributes()
                    .and_then(|a| a.get("KmsMasterKeyId"))
                    .filter(|v| !v.is_empty())
                    .cloned(),
            }
        })
    }))
    .await;
    all_or_failure(topics, |t| &t.arn)
}
