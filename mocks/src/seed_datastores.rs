//! Seeds the BAA data stores: bucket encryption and tags, DynamoDB tables, SQS queues, SNS
//! topics, and a VPC Lattice service network (a service that is not HIPAA-eligible).

use std::collections::BTreeMap;

use anyhow::{anyhow, Result};
use aws_config::{Region, SdkConfig};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    SseSpecification, SseType, Tag as TableTag,
};
use aws_sdk_s3::types::{
    ServerSideEncryption, ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration,
    ServerSideEncryptionRule, Tag as BucketTag, Tagging,
};
use aws_sdk_sqs::types::QueueAttributeName;

use crate::fixture::{BucketFixture, RegionFixture};

/// Key alias -> key ARN, per region (what `seed_region` created).
pub type KeysByRegion = BTreeMap<String, BTreeMap<String, String>>;

fn key_arn(keys: &BTreeMap<String, String>, alias: &str) -> Result<String> {
    keys.get(alias)
        .cloned()
        .ok_or_else(|| anyhow!("fixture refers to unknown KMS key `{alias}`"))
}

/// Sets each bucket's default encryption (`AES256`, `aws:kms:<alias>`, `none`) and tags.
pub async fn encrypt_and_tag_buckets(
    config: &SdkConfig,
    buckets: &[BucketFixture],
    keys: &KeysByRegion,
) -> Result<()> {
    for bucket in buckets {
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(config)
                .region(Region::new(bucket.region.clone()))
                .force_path_style(true)
                .build(),
        );
        match bucket.encryption.as_deref() {
            None => {}
            Some("none") => {
                s3.delete_bucket_encryption()
                    .bucket(&bucket.name)
                    .send()
                    .await?;
            }
            Some(spec) => {
                let mut default = ServerSideEncryptionByDefault::builder();
                default = match spec.strip_prefix("aws:kms:") {
                    Some(alias) => {
                        let region_keys = keys.get(&bucket.region).cloned().unwrap_or_default();
                        default
                            .sse_algorithm(ServerSideEncryption::AwsKms)
                            .kms_master_key_id(key_arn(&region_keys, alias)?)
                    }
                    None => default.sse_algorithm(ServerSideEncryption::from(spec)),
                };
                s3.put_bucket_encryption()
                    .bucket(&bucket.name)
                    .server_side_encryption_configuration(
                        ServerSideEncryptionConfiguration::builder()
                            .rules(
                                ServerSideEncryptionRule::builder()
                                    .apply_server_side_encryption_by_default(default.build()?)
                                    .build(),
                            )
                            .build()?,
                    )
                    .send()
                    .await?;
            }
        }
        if !bucket.tags.is_empty() {
            let tags = bucket
                .tags
                .iter()
                .map(|(k, v)| BucketTag::builder().key(k).value(v).build())
                .collect::<Result<Vec<_>, _>>()?;
            s3.put_bucket_tagging()
                .bucket(&bucket.name)
                .tagging(Tagging::builder().set_tag_set(Some(tags)).build()?)
                .send()
                .await?;
        }
    }
    Ok(())
}

/// Creates the region's tables, queues, topics and service networks.
pub async fn seed_datastores(
    config: &SdkConfig,
    fixture: &RegionFixture,
    keys: &BTreeMap<String, String>,
) -> Result<()> {
    let dynamodb = aws_sdk_dynamodb::Client::new(config);
    for table in &fixture.dynamodb_table {
        let sse = match &table.kms_key {
            Some(alias) => Some(
                SseSpecification::builder()
                    .enabled(true)
                    .sse_type(SseType::Kms)
                    .kms_master_key_id(key_arn(keys, alias)?)
                    .build(),
            ),
            None => None,
        };
        let tags = table
            .tags
            .iter()
            .map(|(k, v)| TableTag::builder().key(k).value(v).build())
            .collect::<Result<Vec<_>, _>>()?;
        dynamodb
            .create_table()
            .table_name(&table.name)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name("id")
                    .attribute_type(ScalarAttributeType::S)
                    .build()?,
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name("id")
                    .key_type(KeyType::Hash)
                    .build()?,
            )
            .set_sse_specification(sse)
            .set_tags((!tags.is_empty()).then_some(tags))
            .send()
            .await?;
    }
    let sqs = aws_sdk_sqs::Client::new(config);
    for queue in &fixture.sqs_queue {
        let mut create = sqs.create_queue().queue_name(&queue.name).attributes(
            QueueAttributeName::SqsManagedSseEnabled,
            queue.sqs_managed_sse.to_string(),
        );
        if let Some(alias) = &queue.kms_key {
            create = create.attributes(QueueAttributeName::KmsMasterKeyId, key_arn(keys, alias)?);
        }
        create.send().await?;
    }
    let sns = aws_sdk_sns::Client::new(config);
    for topic in &fixture.sns_topic {
        let mut create = sns.create_topic().name(&topic.name);
        if let Some(alias) = &topic.kms_key {
            create = create.attributes("KmsMasterKeyId", key_arn(keys, alias)?);
        }
        create.send().await?;
    }
    let lattice = aws_sdk_vpclattice::Client::new(config);
    for network in &fixture.service_network {
        lattice
            .create_service_network()
            .name(&network.name)
            .set_tags(Some(network.tags.clone().into_iter().collect()))
            .send()
            .await?;
    }
    Ok(())
}
