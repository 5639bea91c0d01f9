//! EC2 / EBS checks (seeds 002, 003): encryption at rest of volumes, and resource tagging.
//!
//! Volume and instance checks go through [`grade_volumes`] and [`grade_instances`], which turn a
//! failed listing into a region-level `error` finding so a blind spot is never silent.

use crate::catalog::{CheckMeta, Context, Resource, Verdict};
use crate::finding::Finding;
use crate::snapshot::{Instance, Source, Volume};

pub mod ec2_ebs_default_encryption;
pub mod ec2_instance_required_tags;
pub mod ec2_volume_encrypted;

#[cfg(test)]
pub(crate) mod fixtures;

/// Resource type of an EBS volume.
pub const VOLUME_TYPE: &str = "AWS::EC2::Volume";
/// Resource type of an EC2 instance.
pub const INSTANCE_TYPE: &str = "AWS::EC2::Instance";

/// The ARN of an EC2 resource (`volume/vol-1`), built from the snapshot's partition and account;
/// empty when either is unknown.
pub fn ec2_arn(ctx: &Context, region: &str, kind: &str, id: &str) -> String {
    let snapshot = ctx.snapshot;
    if snapshot.account_id.is_empty() || snapshot.partition.is_empty() || id.is_empty() {
        return String::new();
    }
    format!(
        "arn:{}:ec2:{region}:{}:{kind}/{id}",
        snapshot.partition, snapshot.account_id
    )
}

/// The finding's resource for a volume.
pub fn volume_resource(ctx: &Context, region: &str, volume: &Volume) -> Resource {
    Resource::new(
        VOLUME_TYPE,
        &volume.id,
        &ec2_arn(ctx, region, "volume", &volume.id),
    )
}

/// The finding's resource for an instance.
pub fn instance_resource(ctx: &Context, region: &str, instance: &Instance) -> Resource {
    Resource::new(
        INSTANCE_TYPE,
        &instance.id,
        &ec2_arn(ctx, region, "instance", &instance.id),
    )
}

/// Runs `grade` over every EBS volume of every region; a failed DescribeVolumes is a region
/// `error`.
pub fn grade_volumes(
    ctx: &Context,
    meta: &CheckMeta,
    grade: impl Fn(&Volume) -> Verdict,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (region_name, region) in &ctx.snapshot.regions {
        match &region.ec2.volumes {
            Source::Collected(volumes) => {
                for volume in volumes {
                    findings.push(meta.finding(
                        ctx,
                        region_name,
                        &volume_resource(ctx, region_name, volume),
                        grade(volume),
                    ));
                }
            }
            Source::Failed(failure) => findings.push(meta.finding(
                ctx,
                region_name,
                &Resource::region(region_name),
                Verdict::error("the EBS volume list", failure),
            )),
        }
    }
    findings
}

/// Runs `grade` over every EC2 instance of every region except terminated ones; a failed
/// DescribeInstances is a region `error`.
pub fn grade_instances(
    ctx: &Context,
    meta: &CheckMeta,
    grade: impl Fn(&Instance) -> Verdict,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (region_name, region) in &ctx.snapshot.regions {
        match &region.ec2.instances {
            Source::Collected(instances) => {
                for instance in instances.iter().filter(|i| i.state != "terminated") {
                    findings.push(meta.finding(
                        ctx,
                        region_name,
                        &instance_resource(ctx, region_name, instance),
                        grade(instance),
                    ));
                }
            }
            Source::Failed(failure) => findings.push(meta.finding(
                ctx,
                region_name,
                &Resource::region(region_name),
                Verdict::error("the EC2 instance list", failure),
            )),
        }
    }
    findings
}
