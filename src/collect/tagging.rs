//! Resource Groups Tagging API collector: every tagged resource of the region and its tags.

use hipaa_checks::snapshot::TaggedResource;
use hipaa_checks::Source;

use super::{source, RegionClients};

/// GetResources (all pages), sorted by ARN.
pub async fn collect(c: &RegionClients) -> Source<Vec<TaggedResource>> {
    let pages = c
        .limiter
        .run(
            c.tagging
                .get_resources()
                .into_paginator()
                .send()
                .try_collect(),
        )
        .await;
    source(pages, "tag", "GetResources", &c.region, |pages| {
        let mut resources: Vec<TaggedResource> = pages
            .iter()
            .flat_map(|p| p.resource_tag_mapping_list())
            .filter_map(|m| {
                Some(TaggedResource {
                    arn: m.resource_arn()?.to_owned(),
                    tags: m
                        .tags()
                        .iter()
                        .map(|t| (t.key().to_owned(), t.value().to_owned()))
                        .collect(),
                })
            })
            .collect();
        resources.sort_by(|a, b| a.arn.cmp(&b.arn));
        resources
    })
}
