//! Hand-built EC2 snapshots for the compute checks' unit tests: a compliant baseline.

use std::collections::BTreeMap;

use crate::snapshot::*;

pub use crate::rds::fixtures::{evaluate, evaluate_with, finding_for, status_of, REGION};

/// A customer-managed key used by the fixtures' volumes.
pub const KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/ebs-1";

/// A failed EC2 call.
pub fn failure(operation: &str) -> Failure {
    Failure::new(
        "ec2",
        operation,
        REGION,
        "UnauthorizedOperation",
        "not authorized",
    )
}

/// Tags from `(key, value)` pairs.
pub fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The tags every fixture resource carries (the default required_tags).
pub fn required() -> BTreeMap<String, String> {
    tags(&[("Owner", "platform"), ("DataClass", "PHI")])
}

/// An encrypted, fully tagged volume attached to `i-app`.
pub fn volume(id: &str) -> Volume {
    Volume {
        id: id.into(),
        encrypted: true,
        kms_key_id: Some(KEY_ARN.into()),
        tags: required(),
        attached_instance_ids: vec!["i-app".into()],
    }
}

/// A running, fully tagged instance.
pub fn instance(id: &str) -> Instance {
    Instance {
        id: id.into(),
        vpc_id: Some("vpc-1".into()),
        state: "running".into(),
        tags: required(),
    }
}

/// A region with encryption by default on, one encrypted volume and one tagged instance.
pub fn compliant_region() -> RegionSnapshot {
    let mut region = RegionSnapshot::default();
    region.ec2.ebs_encryption_by_default = Source::Collected(true);
    region.ec2.volumes = Source::Collected(vec![volume("vol-app")]);
    region.ec2.instances = Source::Collected(vec![instance("i-app")]);
    region
}
