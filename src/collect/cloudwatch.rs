//! CloudWatch collector: the region's metric alarms.

use aws_sdk_cloudwatch::types as sdk;
use hipaa_checks::snapshot::{CloudWatchSnapshot, MetricAlarm, MetricRef};

use super::{source, RegionClients};

fn alarm_from(a: &sdk::MetricAlarm) -> MetricAlarm {
    let mut metrics: Vec<MetricRef> = Vec::new();
    if let (Some(namespace), Some(name)) = (a.namespace(), a.metric_name()) {
        metrics.push(MetricRef {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        });
    }
    metrics.extend(
        a.metrics()
            .iter()
            .filter_map(|q| q.metric_stat().and_then(|s| s.metric()))
            .filter_map(|m| {
                Some(MetricRef {
                    namespace: m.namespace()?.to_owned(),
                    name: m.metric_name()?.to_owned(),
                })
            }),
    );
    metrics.sort();
    metrics.dedup();
    MetricAlarm {
        name: a.alarm_name().unwrap_or_default().to_owned(),
        arn: a.alarm_arn().unwrap_or_default().to_owned(),
        metrics,
        actions_enabled: a.actions_enabled().unwrap_or(false),
        alarm_actions: a.alarm_actions().to_vec(),
        state: a.state_value().map(|s| s.as_str().to_owned()),
    }
}

/// DescribeAlarms for metric alarms (all pages), sorted by name.
pub async fn collect(c: &RegionClients) -> CloudWatchSnapshot {
    let pages = c
        .limiter
        .run(
            c.cloudwatch
                .describe_alarms()
                .alarm_types(sdk::AlarmType::MetricAlarm)
                .into_paginator()
                .send()
                .try_collect(),
        )
        .await;
    CloudWatchSnapshot {
        alarms: source(pages, "cloudwatch", "DescribeAlarms", &c.region, |pages| {
            let mut alarms: Vec<MetricAlarm> = pages
                .iter()
                .flat_map(|p| p.metric_alarms())
                .map(alarm_from)
                .collect();
            alarms.sort_by(|a, b| a.name.cmp(&b.name));
            alarms
        }),
    }
}
