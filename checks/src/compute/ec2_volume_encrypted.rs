//! ec2-volume-encrypted: every EBS volume is encrypted.

use serde_json::json;

use super::{grade_volumes, VOLUME_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: DescribeVolumes Encrypted = true for every volume.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "ec2-volume-encrypted",
    title: "EBS volume is encrypted",
    severity: Severity::High,
    hipaa: &["164.312(a)(2)(iv)"],
    baa: BaaRule::EncryptAtRest,
    resource_types: &[VOLUME_TYPE],
    requirement: "The BAA requires PHI to be encrypted at rest (seed 002). An EBS volume holds \
        whatever its instance writes (databases, logs, swap, temp files), so every volume must be \
        encrypted with KMS; its snapshots then inherit the encryption. Encryption cannot be \
        switched on in place: an unencrypted volume must be replaced by an encrypted copy.",
    evidence: &["ec2:DescribeVolumes Encrypted, KmsKeyId"],
    remediation: Remediation {
        summary: "Replace the volume with an encrypted copy (snapshot, then create an encrypted volume).",
        console: "EC2 > Volumes > select the volume > Actions > Create snapshot; then Snapshots > select it > \
            Create volume from snapshot > Encrypt this volume (choose the KMS key) in the same AZ; stop \
            the instance, detach the old volume, attach the new one on the same device, start, and \
            delete the old volume and snapshot.",
        cli: "aws ec2 create-snapshot --volume-id <id> --description 'pre-encryption copy'\n\
              aws ec2 wait snapshot-completed --snapshot-ids <snapshot-id>\n\
              aws ec2 create-volume --snapshot-id <snapshot-id> --availability-zone <az> --encrypted --kms-key-id <key-arn>\n\
              aws ec2 detach-volume --volume-id <id>\n\
              aws ec2 attach-volume --volume-id <new-volume-id> --instance-id <instance-id> --device <device>\n\
              aws ec2 enable-ebs-encryption-by-default",
        cloudformation: "AWS::EC2::Volume: Encrypted: true, KmsKeyId: <key-arn> (instance block devices: \
            BlockDeviceMappings[].Ebs.Encrypted: true)",
    },
    seeds: &["seed 002"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_volumes(ctx, &META, |volume| {
        let evidence = json!({
            "Encrypted": volume.encrypted,
            "KmsKeyId": volume.kms_key_id,
            "AttachedInstanceIds": volume.attached_instance_ids,
        });
        if volume.encrypted {
            let key = volume
                .kms_key_id
                .as_deref()
                .map(|k| format!(" with {k}"))
                .unwrap_or_default();
            Verdict::pass(format!("volume {} is encrypted{key}", volume.id), evidence)
        } else {
            let attached = if volume.attached_instance_ids.is_empty() {
                String::from(" (not attached)")
            } else {
                format!(" (attached to {})", volume.attached_instance_ids.join(", "))
            };
            Verdict::fail(
                format!(
                    "volume {}{attached} is not encrypted; replace it with an encrypted copy",
                    volume.id
                ),
                evidence,
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::fixtures::*;
    use crate::finding::Status;
    use crate::snapshot::{Source, Volume};

    #[test]
    fn pass_and_fail_per_volume() {
        let mut region = compliant_region();
        region.ec2.volumes = Source::Collected(vec![
            volume("vol-app"),
            Volume {
                encrypted: false,
                kms_key_id: None,
                ..volume("vol-plain")
            },
        ]);
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 2);
        let pass = finding_for(&findings, "vol-app");
        assert_eq!(pass.status, Status::Pass);
        assert_eq!(pass.resource_type, VOLUME_TYPE);
        assert_eq!(
            pass.resource_arn.as_deref(),
            Some("arn:aws:ec2:us-east-1:111122223333:volume/vol-app")
        );
        let fail = finding_for(&findings, "vol-plain");
        assert_eq!(fail.status, Status::Fail);
        assert!(fail.message.contains("i-app"), "{}", fail.message);
    }

    #[test]
    fn no_volumes_no_findings() {
        let mut region = compliant_region();
        region.ec2.volumes = Source::Collected(vec![]);
        assert!(evaluate(&CHECK, region).is_empty());
    }

    #[test]
    fn error_when_volumes_unreadable() {
        let mut region = compliant_region();
        region.ec2.volumes = Source::Failed(failure("DescribeVolumes"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Error);
        assert_eq!(findings[0].resource_id, REGION);
    }
}
