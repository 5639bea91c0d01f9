//! Seeds S3 buckets, CloudTrail trails, metric filters and alarms, AWS Config and GuardDuty.

use anyhow::{anyhow, Result};
use aws_config::{Region, SdkConfig};
use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType};
use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic};
use aws_sdk_config::types::{
    ConfigRule, ConfigurationRecorder, DeliveryChannel, Owner, RecordingGroup, ResourceType,
    Source as RuleSource,
};
use aws_sdk_guardduty::types::{DetectorFeature, DetectorFeatureConfiguration, FeatureStatus};
use aws_sdk_s3::types::{
    BucketLocationConstraint, BucketLoggingStatus, BucketVersioningStatus,
    CreateBucketConfiguration, DefaultRetention, LoggingEnabled, ObjectLockConfiguration,
    ObjectLockEnabled, ObjectLockRetentionMode, ObjectLockRule, PublicAccessBlockConfiguration,
    VersioningConfiguration,
};

use crate::fixture::{BucketFixture, RegionFixture};

/// Creates the account's buckets, each in its region; access logging after all exist.
pub async fn seed_buckets(config: &SdkConfig, buckets: &[BucketFixture]) -> Result<()> {
    let s3_in = |region: &str| {
        aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(config)
                .region(Region::new(region.to_owned()))
                .force_path_style(true)
                .build(),
        )
    };
    for bucket in buckets {
        let s3 = s3_in(&bucket.region);
        let mut create = s3
            .create_bucket()
            .bucket(&bucket.name)
            .object_lock_enabled_for_bucket(bucket.object_lock_days.is_some());
        if bucket.region != "us-east-1" {
            create = create.create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::from(bucket.region.as_str()))
                    .build(),
            );
        }
        create.send().await?;
        if let Some(days) = bucket.object_lock_days {
            s3.put_object_lock_configuration()
                .bucket(&bucket.name)
                .object_lock_configuration(
                    ObjectLockConfiguration::builder()
                        .object_lock_enabled(ObjectLockEnabled::Enabled)
                        .rule(
                            ObjectLockRule::builder()
                                .default_retention(
                                    DefaultRetention::builder()
                                        .mode(ObjectLockRetentionMode::Governance)
                                        .days(days)
                                        .build(),
                                )
                                .build(),
                        )
                        .build(),
                )
                .send()
                .await?;
        }
        if bucket.block_public_access {
            s3.put_public_access_block()
                .bucket(&bucket.name)
                .public_access_block_configuration(
                    PublicAccessBlockConfiguration::builder()
                        .block_public_acls(true)
                        .ignore_public_acls(true)
                        .block_public_policy(true)
                        .restrict_public_buckets(true)
                        .build(),
                )
                .send()
                .await?;
        }
        if bucket.versioning {
            s3.put_bucket_versioning()
                .bucket(&bucket.name)
                .versioning_configuration(
                    VersioningConfiguration::builder()
                        .status(BucketVersioningStatus::Enabled)
                        .build(),
                )
                .send()
                .await?;
        }
        if let Some(policy) = &bucket.policy {
            s3.put_bucket_policy()
                .bucket(&bucket.name)
                .policy(policy)
                .send()
                .await?;
        }
    }
    for bucket in buckets {
        if let Some(target) = &bucket.access_log_bucket {
            s3_in(&bucket.region)
                .put_bucket_logging()
                .bucket(&bucket.name)
                .bucket_logging_status(
                    BucketLoggingStatus::builder()
                        .logging_enabled(
                            LoggingEnabled::builder()
                                .target_bucket(target)
                                .target_prefix(format!("{}/", bucket.name))
                                .build()?,
                        )
                        .build(),
                )
                .send()
                .await?;
        }
    }
    Ok(())
}

/// Creates a log group unless it exists.
async fn ensure_log_group(logs: &aws_sdk_cloudwatchlogs::Client, name: &str) -> Result<()> {
    match logs.create_log_group().log_group_name(name).send().await {
        Ok(_) => Ok(()),
        Err(err) => {
            let exists = err
                .as_service_error()
                .is_some_and(|e| e.is_resource_already_exists_exception());
            if exists {
                Ok(())
            } else {
                Err(err.into())
            }
        }
    }
}

/// The SNS topic the security alarms notify (CreateTopic is idempotent).
async fn security_topic(config: &SdkConfig) -> Result<String> {
    Ok(aws_sdk_sns::Client::new(config)
        .create_topic()
        .name("security-alarms")
        .send()
        .await?
        .topic_arn()
        .ok_or_else(|| anyhow!("CreateTopic returned no ARN"))?
        .to_owned())
}

/// PutMetricFilter on `group` publishing `CISBenchmark/<metric>` = 1 per match.
fn put_filter(
    logs: &aws_sdk_cloudwatchlogs::Client,
    group: &str,
    name: &str,
    pattern: &str,
    metric: &str,
) -> Result<
    aws_sdk_cloudwatchlogs::operation::put_metric_filter::builders::PutMetricFilterFluentBuilder,
> {
    let transformation = aws_sdk_cloudwatchlogs::types::MetricTransformation::builder()
        .metric_name(metric)
        .metric_namespace("CISBenchmark")
        .metric_value("1")
        .build()?;
    Ok(logs
        .put_metric_filter()
        .log_group_name(group)
        .filter_name(name)
        .filter_pattern(pattern)
        .metric_transformations(transformation))
}

/// PutMetricAlarm `<name>-alarm` on `CISBenchmark/<metric>`: at least one match in 5 minutes.
fn put_alarm(
    cloudwatch: &aws_sdk_cloudwatch::Client,
    name: &str,
    metric: &str,
) -> aws_sdk_cloudwatch::operation::put_metric_alarm::builders::PutMetricAlarmFluentBuilder {
    cloudwatch
        .put_metric_alarm()
        .alarm_name(format!("{name}-alarm"))
        .metric_name(metric)
        .namespace("CISBenchmark")
        .statistic(Statistic::Sum)
        .period(300)
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
}

/// Seeds the region's trails, metric filters and alarms, Config recorder and rules, GuardDuty.
pub async fn seed_logging(
    config: &SdkConfig,
    region: &str,
    account_id: &str,
    fixture: &RegionFixture,
    key_arn: impl Fn(&str) -> Result<String>,
) -> Result<()> {
    let logs = aws_sdk_cloudwatchlogs::Client::new(config);
    let cloudtrail = aws_sdk_cloudtrail::Client::new(config);
    for trail in &fixture.trail {
        let mut create = cloudtrail
            .create_trail()
            .name(&trail.name)
            .s3_bucket_name(&trail.bucket)
            .is_multi_region_trail(trail.multi_region)
            .enable_log_file_validation(trail.log_file_validation)
            .set_kms_key_id(trail.kms_key.as_deref().map(&key_arn).transpose()?);
        if let Some(group) = &trail.log_group {
            ensure_log_group(&logs, group).await?;
            create = create
                .cloud_watch_logs_log_group_arn(format!(
                    "arn:aws:logs:{region}:{account_id}:log-group:{group}:*"
                ))
                .cloud_watch_logs_role_arn(format!(
                    "arn:aws:iam::{account_id}:role/CloudTrail_CloudWatchLogs_Role"
                ));
        }
        create.send().await?;
        let selector = match trail.management_events.as_str() {
            "None" => EventSelector::builder().include_management_events(false),
            kind => EventSelector::builder()
                .include_management_events(true)
                .read_write_type(ReadWriteType::from(kind)),
        };
        cloudtrail
            .put_event_selectors()
            .trail_name(&trail.name)
            .event_selectors(selector.build())
            .send()
            .await?;
        if trail.logging {
            cloudtrail.start_logging().name(&trail.name).send().await?;
        }
    }

    if !fixture.metric_filter.is_empty() {
        let topic = security_topic(config).await?;
        let cloudwatch = aws_sdk_cloudwatch::Client::new(config);
        for filter in &fixture.metric_filter {
            ensure_log_group(&logs, &filter.log_group).await?;
            put_filter(
                &logs,
                &filter.log_group,
                &filter.name,
                &filter.pattern,
                &filter.metric,
            )?
            .send()
            .await?;
            if filter.alarm {
                put_alarm(&cloudwatch, &filter.name, &filter.metric)
                    .set_alarm_actions(filter.alarm_action.then(|| vec![topic.clone()]))
                    .send()
                    .await?;
            }
        }
    }

    let config_service = aws_sdk_config::Client::new(config);
    if let Some(recorder) = &fixture.config_recorder {
        config_service
            .put_configuration_recorder()
            .configuration_recorder(
                ConfigurationRecorder::builder()
                    .name("default")
                    .role_arn(format!("arn:aws:iam::{account_id}:role/aws-config-role"))
                    .recording_group(
                        RecordingGroup::builder()
                            .all_supported(recorder.all_supported)
                            .include_global_resource_types(recorder.all_supported)
                            .set_resource_types(if recorder.all_supported {
                                None
                            } else {
                                Some(
                                    recorder
                                        .resource_types
                                        .iter()
                                        .map(|t| ResourceType::from(t.as_str()))
                                        .collect(),
                                )
                            })
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await?;
        config_service
            .put_delivery_channel()
            .delivery_channel(
                DeliveryChannel::builder()
                    .name("default")
                    .s3_bucket_name(&recorder.delivery_bucket)
                    .build(),
            )
            .send()
            .await?;
        if recorder.recording {
            config_service
                .start_configuration_recorder()
                .configuration_recorder_name("default")
                .send()
                .await?;
        }
    }
    for rule in &fixture.config_rule {
        let source = RuleSource::builder()
            .owner(Owner::Aws)
            .source_identifier(&rule.identifier);
        config_service
            .put_config_rule()
            .config_rule(
                ConfigRule::builder()
                    .config_rule_name(&rule.name)
                    .set_input_parameters(rule.input_parameters.clone())
                    .source(source.build()?)
                    .build(),
            )
            .send()
            .await?;
    }

    if let Some(guardduty) = &fixture.guardduty {
        let mut create = aws_sdk_guardduty::Client::new(config)
            .create_detector()
            .enable(guardduty.enabled);
        if guardduty.rds_login_events {
            create = create.features(
                DetectorFeatureConfiguration::builder()
                    .name(DetectorFeature::RdsLoginEvents)
                    .status(FeatureStatus::Enabled)
                    .build(),
            );
        }
        create.send().await?;
    }
    Ok(())
}

/// The CIS pattern for IAM policy changes (all 16 events).
const IAM_CHANGES_PATTERN: &str = "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}";

/// The demo account "the next day": the team fixed every incomplete CIS alarm of the seeded
/// demo and, meanwhile, broke every complete one. Tests scan both states to see each alarm
/// check pass and fail, and to diff the two reports.
pub async fn demo_next_day(endpoint: &str) -> Result<()> {
    const GROUP: &str = "cloudtrail/management";
    let config = crate::seed::local_sdk_config(endpoint, "us-east-1").await;
    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
    let cloudwatch = aws_sdk_cloudwatch::Client::new(&config);
    let topic = security_topic(&config).await?;
    let put_filter =
        |name: &str, pattern: &str, metric: &str| put_filter(&logs, GROUP, name, pattern, metric);
    let put_alarm =
        |name: &str, metric: &str| put_alarm(&cloudwatch, name, metric).alarm_actions(&topic);
    let delete_filter = |name: &str| {
        logs.delete_metric_filter()
            .log_group_name(GROUP)
            .filter_name(name)
    };

    // Fixed: an action on the sign-in failure alarm, an alarm for sign-in without MFA, the
    // complete IAM pattern, a security-group filter with its alarm.
    put_alarm("console-signin-failures", "ConsoleSigninFailures")
        .send()
        .await?;
    put_alarm("console-signin-without-mfa", "ConsoleSigninWithoutMFA")
        .send()
        .await?;
    delete_filter("iam-policy-changes").send().await?;
    put_filter(
        "iam-policy-changes",
        IAM_CHANGES_PATTERN,
        "IAMPolicyChanges",
    )?
    .send()
    .await?;
    put_filter(
        "security-group-changes",
        "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
        "SecurityGroupChanges",
    )?
    .send()
    .await?;
    put_alarm("security-group-changes", "SecurityGroupChanges")
        .send()
        .await?;

    // Broken: the unauthorized-call alarm deleted, root alarm actions disabled, the access-key
    // filter deleted, the StartLogging/StopLogging filter deleted, a NACL pattern that drops
    // ReplaceNetworkAclAssociation.
    cloudwatch
        .delete_alarms()
        .alarm_names("unauthorized-api-calls-alarm")
        .send()
        .await?;
    put_alarm("root-account-usage", "RootAccountUsage")
        .actions_enabled(false)
        .send()
        .await?;
    delete_filter("access-key-created").send().await?;
    delete_filter("trail-logging-changes").send().await?;
    delete_filter("nacl-changes").send().await?;
    put_filter(
        "nacl-changes",
        "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) }",
        "NACLChanges",
    )?
    .send()
    .await?;
    Ok(())
}

/// Stops logging on a trail (a `cloudtrail-multi-region` failure for tests).
pub async fn stop_trail(endpoint: &str, region: &str, name: &str) -> Result<()> {
    let config = crate::seed::local_sdk_config(endpoint, region).await;
    aws_sdk_cloudtrail::Client::new(&config)
        .stop_logging()
        .name(name)
        .send()
        .await?;
    Ok(())
}
