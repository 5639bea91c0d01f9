//! CloudWatch Logs collector: every metric filter of the region.

use aws_sdk_cloudwatchlogs::types as sdk;
use hipaa_checks::snapshot::{LogsSnapshot, MetricFilter, MetricRef};

use super::{all_items, RegionClients};

fn filter_from(f: &sdk::MetricFilter) -> MetricFilter {
    MetricFilter {
        name: f.filter_name().unwrap_or_default().to_owned(),
        log_group_name: f.log_group_name().unwrap_or_default().to_owned(),
        pattern: f.filter_pattern().unwrap_or_default().to_owned(),
        metrics: f
            .metric_transformations()
            .iter()
            .map(|t| MetricRef {
                namespace: t.metric_namespace().to_owned(),
                name: t.metric_name().to_owned(),
            })
            .collect(),
    }
}

/// DescribeMetricFilters (all pages), sorted by log group then filter name.
pub async fn collect(c: &RegionClients) -> LogsSnapshot {
    let mut metric_filters = all_items!(
        c.limiter,
        c.logs.describe_metric_filters(),
        "logs",
        "DescribeMetricFilters",
        &c.region,
        filter_from,
        |f| &f.name
    )
    .await;
    if let hipaa_checks::Source::Collected(filters) = &mut metric_filters {
        filters.sort_by(|a, b| (&a.log_group_name, &a.name).cmp(&(&b.log_group_name, &b.name)));
    }
    LogsSnapshot { metric_filters }
}
