//! KMS collector: aliases, and DescribeKey for the keys other resources use.

use std::collections::BTreeSet;

use futures::future::join_all;
use hipaa_checks::snapshot::{KmsAlias, KmsKey, KmsSnapshot};

use super::{all_items, source, RegionClients};

/// ListAliases (all pages) and DescribeKey for each key reference in `keys`.
pub async fn collect(c: &RegionClients, keys: BTreeSet<String>) -> KmsSnapshot {
    let region = c.region.as_str();
    let alias_from = |a: &aws_sdk_kms::types::AliasListEntry| KmsAlias {
        name: a.alias_name().unwrap_or_default().to_owned(),
        target_key_id: a.target_key_id().map(str::to_owned),
    };
    let aliases = all_items!(
        c.limiter,
        c.kms.list_aliases(),
        "kms",
        "ListAliases",
        region,
        alias_from,
        |a| &a.name
    );
    let described = join_all(keys.into_iter().map(|key| async move {
        let answer = c
            .limiter
            .run(c.kms.describe_key().key_id(&key).send())
            .await;
        let described = source(answer, "kms", "DescribeKey", region, |out| {
            let metadata = out.key_metadata();
            KmsKey {
                key_id: metadata.map(|m| m.key_id().to_owned()).unwrap_or_default(),
                arn: metadata
                    .and_then(|m| m.arn())
                    .unwrap_or_default()
                    .to_owned(),
                key_manager: metadata
                    .and_then(|m| m.key_manager())
                    .map(|k| k.as_str().to_owned())
                    .unwrap_or_default(),
                key_state: metadata
                    .and_then(|m| m.key_state())
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
            }
        });
        (key, described)
    }));
    let (aliases, described) = tokio::join!(aliases, described);
    KmsSnapshot {
        aliases,
        keys: described.into_iter().collect(),
    }
}
