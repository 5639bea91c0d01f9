//! GuardDuty collector: detectors and their features.

use futures::future::join_all;
use hipaa_checks::snapshot::{GuardDutyDetector, GuardDutySnapshot};
use hipaa_checks::Source;

use super::{source, RegionClients};

/// ListDetectors (all pages) and GetDetector for each; one failed GetDetector fails the source
/// (a detector whose status is unknown cannot be graded).
pub async fn collect(c: &RegionClients) -> GuardDutySnapshot {
    let region = c.region.as_str();
    let listed = c
        .limiter
        .run(
            c.guardduty
                .list_detectors()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await;
    let ids = match source(listed, "guardduty", "ListDetectors", region, |ids| ids) {
        Source::Collected(ids) => ids,
        Source::Failed(failure) => {
            return GuardDutySnapshot {
                detectors: Source::Failed(failure),
            }
        }
    };
    let described = join_all(ids.iter().map(|id| async move {
        let answer = c
            .limiter
            .run(c.guardduty.get_detector().detector_id(id).send())
            .await;
        source(answer, "guardduty", "GetDetector", region, |d| {
            GuardDutyDetector {
                id: id.clone(),
                status: d
                    .status()
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
                features: d
                    .features()
                    .iter()
                    .filter_map(|f| {
                        Some((
                            f.name()?.as_str().to_owned(),
                            f.status()?.as_str().to_owned(),
                        ))
                    })
                    .collect(),
            }
        })
    }))
    .await;
    let mut detectors = Vec::new();
    for detector in described {
        match detector {
            Source::Collected(d) => detectors.push(d),
            Source::Failed(failure) => {
                return GuardDutySnapshot {
                    detectors: Source::Failed(failure),
                }
            }
        }
    }
    detectors.sort_by(|a, b| a.id.cmp(&b.id));
    GuardDutySnapshot {
        detectors: Source::Collected(detectors),
    }
}
