//! CloudTrail collector: the trails that apply to a region, with status and event selectors.

use aws_sdk_cloudtrail::types as sdk;
use futures::future::join_all;
use hipaa_checks::snapshot::{
    AdvancedEventSelector, AdvancedFieldSelector, BasicEventSelector, CloudTrailSnapshot,
    EventSelectors, Trail, TrailStatus,
};
use hipaa_checks::Source;

use super::{source, RegionClients};

fn basic_from(s: &sdk::EventSelector) -> BasicEventSelector {
    BasicEventSelector {
        read_write_type: s.read_write_type().map(|t| t.as_str().to_owned()),
        include_management_events: s.include_management_events(),
        exclude_management_event_sources: s.exclude_management_event_sources().to_vec(),
    }
}

fn advanced_from(s: &sdk::AdvancedEventSelector) -> AdvancedEventSelector {
    AdvancedEventSelector {
        name: s.name().map(str::to_owned),
        field_selectors: s
            .field_selectors()
            .iter()
            .map(|f| AdvancedFieldSelector {
                field: f.field().to_owned(),
                equals: f.equals().to_vec(),
                not_equals: f.not_equals().to_vec(),
                starts_with: f.starts_with().to_vec(),
                not_starts_with: f.not_starts_with().to_vec(),
                ends_with: f.ends_with().to_vec(),
                not_ends_with: f.not_ends_with().to_vec(),
            })
            .collect(),
    }
}

/// DescribeTrails(includeShadowTrails) in the region; GetTrailStatus and GetEventSelectors for
/// each trail homed here, and for shadow trails whose home region is not part of the scan (read
/// in their home region, where AWS answers GetEventSelectors).
pub async fn collect(c: &RegionClients) -> CloudTrailSnapshot {
    let region = c.region.as_str();
    let answer = c
        .limiter
        .run(
            c.cloudtrail
                .describe_trails()
                .include_shadow_trails(true)
                .send(),
        )
        .await;
    let listed = match source(answer, "cloudtrail", "DescribeTrails", region, |out| {
        out.trail_list().to_vec()
    }) {
        Source::Collected(list) => list,
        Source::Failed(failure) => {
            return CloudTrailSnapshot {
                trails: Source::Failed(failure),
            }
        }
    };
    let mut trails = join_all(listed.iter().map(|t| async move {
        let arn = t.trail_arn().unwrap_or_default().to_owned();
        let home = t.home_region().unwrap_or(region).to_owned();
        let read_here = home == region || !c.scanned_regions.contains(&home);
        let (status, event_selectors) = if read_here {
            let client = if home == region {
                c.cloudtrail.clone()
            } else {
                c.cloudtrail_in(&home)
            };
            let (status, selectors) = tokio::join!(
                c.limiter.run(client.get_trail_status().name(&arn).send()),
                c.limiter
                    .run(client.get_event_selectors().trail_name(&arn).send()),
            );
            (
                Some(source(status, "cloudtrail", "GetTrailStatus", &home, |s| {
                    TrailStatus {
                        is_logging: s.is_logging().unwrap_or(false),
                        latest_delivery_error: s.latest_delivery_error().map(str::to_owned),
                    }
                })),
                Some(source(
                    selectors,
                    "cloudtrail",
                    "GetEventSelectors",
                    &home,
                    |s| EventSelectors {
                        basic: s.event_selectors().iter().map(basic_from).collect(),
                        advanced: s
                            .advanced_event_selectors()
                            .iter()
                            .map(advanced_from)
                            .collect(),
                    },
                )),
            )
        } else {
            (None, None)
        };
        Trail {
            name: t.name().unwrap_or_default().to_owned(),
            arn,
            home_region: home,
            is_multi_region: t.is_multi_region_trail().unwrap_or(false),
            is_organization_trail: t.is_organization_trail().unwrap_or(false),
            log_file_validation_enabled: t.log_file_validation_enabled().unwrap_or(false),
            kms_key_id: t.kms_key_id().map(str::to_owned),
            s3_bucket_name: t.s3_bucket_name().map(str::to_owned),
            cloud_watch_logs_log_group_arn: t.cloud_watch_logs_log_group_arn().map(str::to_owned),
            status,
            event_selectors,
        }
    }))
    .await;
    trails.sort_by(|a, b| a.arn.cmp(&b.arn));
    CloudTrailSnapshot {
        trails: Source::Collected(trails),
    }
}
