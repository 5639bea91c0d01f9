//! Declarative fixture accounts (TOML): what the seeder creates in moto.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The demo account shipped with the tool (`hipaa-audit demo`).
pub const DEMO_ACCOUNT_TOML: &str = include_str!("../fixtures/demo.toml");

/// A fixture account: resources per region.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Region name -> resources in it.
    pub regions: BTreeMap<String, RegionFixture>,
    /// Account-wide IAM resources.
    #[serde(default)]
    pub iam: IamFixture,
    /// S3 buckets (each in its own region).
    #[serde(default)]
    pub bucket: Vec<BucketFixture>,
}

/// An S3 bucket and its protection settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketFixture {
    /// Bucket name.
    pub name: String,
    /// Region the bucket lives in.
    pub region: String,
    /// All four Block Public Access settings on.
    #[serde(default)]
    pub block_public_access: bool,
    /// Server access logging to this target bucket.
    #[serde(default)]
    pub access_log_bucket: Option<String>,
    /// Versioning enabled.
    #[serde(default)]
    pub versioning: bool,
    /// Created with object lock (governance mode, default retention in days).
    #[serde(default)]
    pub object_lock_days: Option<i32>,
    /// Bucket policy (JSON), verbatim.
    #[serde(default)]
    pub policy: Option<String>,
    /// Default encryption: `AES256`, `aws:kms:<key alias>`, or `none` to delete the default.
    #[serde(default)]
    pub encryption: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A DynamoDB table (hash key `id`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableFixture {
    /// Table name.
    pub name: String,
    /// Alias of a fixture KMS key of the region for SSE-KMS; AWS owned key when absent.
    #[serde(default)]
    pub kms_key: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// An SQS queue.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueFixture {
    /// Queue name.
    pub name: String,
    /// Alias of a fixture KMS key (SSE-KMS).
    #[serde(default)]
    pub kms_key: Option<String>,
    /// SqsManagedSseEnabled (SSE-SQS).
    #[serde(default)]
    pub sqs_managed_sse: bool,
}

/// An SNS topic.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicFixture {
    /// Topic name.
    pub name: String,
    /// Alias of a fixture KMS key.
    #[serde(default)]
    pub kms_key: Option<String>,
}

/// A VPC Lattice service network: a service that is not HIPAA-eligible.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceNetworkFixture {
    /// Name.
    pub name: String,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A CloudTrail trail created in (homed in) its region.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrailFixture {
    /// Trail name.
    pub name: String,
    /// IsMultiRegionTrail.
    #[serde(default)]
    pub multi_region: bool,
    /// StartLogging after creation.
    #[serde(default)]
    pub logging: bool,
    /// LogFileValidationEnabled.
    #[serde(default)]
    pub log_file_validation: bool,
    /// Alias (without `alias/`) of a fixture KMS key of the region.
    #[serde(default)]
    pub kms_key: Option<String>,
    /// Destination bucket (a fixture bucket).
    pub bucket: String,
    /// CloudWatch Logs log group the trail delivers to (created by the seeder).
    #[serde(default)]
    pub log_group: Option<String>,
    /// Management events recorded: `All`, `ReadOnly`, `WriteOnly` or `None`.
    #[serde(default = "all")]
    pub management_events: String,
}

fn all() -> String {
    "All".to_owned()
}

/// A metric filter, optionally with an alarm on its metric (namespace `CISBenchmark`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricFilterFixture {
    /// Log group (created when missing).
    pub log_group: String,
    /// Filter name.
    pub name: String,
    /// Filter pattern, verbatim.
    pub pattern: String,
    /// Metric name.
    pub metric: String,
    /// Create an alarm on the metric.
    #[serde(default)]
    pub alarm: bool,
    /// Give the alarm an SNS topic action.
    #[serde(default)]
    pub alarm_action: bool,
}

/// The region's AWS Config recorder.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigRecorderFixture {
    /// Record all supported resource types.
    #[serde(default)]
    pub all_supported: bool,
    /// Resource types recorded when not all (`AWS::RDS::DBCluster`).
    #[serde(default)]
    pub resource_types: Vec<String>,
    /// StartConfigurationRecorder after creation.
    #[serde(default)]
    pub recording: bool,
    /// Delivery channel bucket (a fixture bucket).
    pub delivery_bucket: String,
}

/// An AWS managed Config rule (moto cannot hold custom Lambda rules: it checks the function).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigRuleFixture {
    /// Rule name.
    pub name: String,
    /// Managed rule identifier (`CLOUD_TRAIL_ENABLED`).
    pub identifier: String,
    /// InputParameters (JSON), for rules that require them (`{"tag1Key":"Owner"}`).
    #[serde(default)]
    pub input_parameters: Option<String>,
}

/// The region's GuardDuty detector.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardDutyFixture {
    /// Detector enabled.
    #[serde(default)]
    pub enabled: bool,
    /// RDS_LOGIN_EVENTS feature enabled.
    #[serde(default)]
    pub rds_login_events: bool,
}

/// IAM users, groups, roles, policies, the password policy and identity providers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IamFixture {
    /// Account password policy (none: no policy).
    pub password_policy: Option<PasswordPolicyFixture>,
    /// SAML identity providers by name.
    #[serde(default)]
    pub saml_providers: Vec<String>,
    /// Customer-managed policies.
    #[serde(default)]
    pub policy: Vec<PolicyFixture>,
    /// Groups.
    #[serde(default)]
    pub group: Vec<PrincipalFixture>,
    /// Roles (trusting EC2).
    #[serde(default)]
    pub role: Vec<PrincipalFixture>,
    /// Users.
    #[serde(default)]
    pub user: Vec<UserFixture>,
}

/// The account password policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordPolicyFixture {
    /// MinimumPasswordLength.
    pub minimum_length: i32,
    /// PasswordReusePrevention.
    pub reuse_prevention: Option<i32>,
    /// RequireSymbols.
    #[serde(default)]
    pub require_symbols: bool,
    /// RequireNumbers.
    #[serde(default)]
    pub require_numbers: bool,
    /// RequireUppercaseCharacters.
    #[serde(default)]
    pub require_uppercase: bool,
    /// RequireLowercaseCharacters.
    #[serde(default)]
    pub require_lowercase: bool,
}

/// A customer-managed policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFixture {
    /// Name.
    pub name: String,
    /// Policy document (JSON).
    pub document: String,
}

/// A group or role with attached policies (customer-managed by name, or AWS-managed by name
/// prefixed `aws:`) and inline policies (name -> document).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrincipalFixture {
    /// Name.
    pub name: String,
    /// Attached policies.
    #[serde(default)]
    pub attached: Vec<String>,
    /// Inline policies.
    #[serde(default)]
    pub inline: BTreeMap<String, String>,
}

/// An IAM user.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserFixture {
    /// Name.
    pub name: String,
    /// Has a console password.
    #[serde(default)]
    pub console_password: bool,
    /// Has a virtual MFA device.
    #[serde(default)]
    pub mfa: bool,
    /// Number of active access keys (0-2).
    #[serde(default)]
    pub access_keys: u8,
    /// Group names.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Attached policies (as for groups).
    #[serde(default)]
    pub attached: Vec<String>,
    /// Inline policies.
    #[serde(default)]
    pub inline: BTreeMap<String, String>,
}

/// Resources of one region.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionFixture {
    /// Customer-managed KMS keys.
    #[serde(default)]
    pub kms_key: Vec<KmsKeyFixture>,
    /// Security groups in the default VPC.
    #[serde(default)]
    pub security_group: Vec<SecurityGroupFixture>,
    /// DB cluster parameter groups.
    #[serde(default)]
    pub cluster_parameter_group: Vec<ParameterGroupFixture>,
    /// DB parameter groups.
    #[serde(default)]
    pub db_parameter_group: Vec<ParameterGroupFixture>,
    /// DB clusters with their member instances.
    #[serde(default)]
    pub cluster: Vec<ClusterFixture>,
    /// Standalone DB instances.
    #[serde(default)]
    pub instance: Vec<InstanceFixture>,
    /// Manual cluster snapshots.
    #[serde(default)]
    pub cluster_snapshot: Vec<ClusterSnapshotFixture>,
    /// Manual DB snapshots.
    #[serde(default)]
    pub db_snapshot: Vec<DbSnapshotFixture>,
    /// EBS encryption by default for the region.
    #[serde(default)]
    pub ebs_encryption_by_default: bool,
    /// Custom VPCs with their subnets.
    #[serde(default)]
    pub vpc: Vec<VpcFixture>,
    /// Custom network ACLs.
    #[serde(default)]
    pub network_acl: Vec<NetworkAclFixture>,
    /// DB subnet groups.
    #[serde(default)]
    pub db_subnet_group: Vec<DbSubnetGroupFixture>,
    /// EC2 instances.
    #[serde(default)]
    pub ec2_instance: Vec<Ec2InstanceFixture>,
    /// Standalone EBS volumes.
    #[serde(default)]
    pub volume: Vec<VolumeFixture>,
    /// Application load balancers.
    #[serde(default)]
    pub load_balancer: Vec<LoadBalancerFixture>,
    /// Classic load balancers.
    #[serde(default)]
    pub classic_load_balancer: Vec<ClassicLoadBalancerFixture>,
    /// CloudTrail trails homed in the region.
    #[serde(default)]
    pub trail: Vec<TrailFixture>,
    /// CloudWatch Logs metric filters (and their alarms).
    #[serde(default)]
    pub metric_filter: Vec<MetricFilterFixture>,
    /// AWS Config recorder.
    #[serde(default)]
    pub config_recorder: Option<ConfigRecorderFixture>,
    /// AWS Config rules.
    #[serde(default)]
    pub config_rule: Vec<ConfigRuleFixture>,
    /// GuardDuty detector.
    #[serde(default)]
    pub guardduty: Option<GuardDutyFixture>,
    /// DynamoDB tables.
    #[serde(default)]
    pub dynamodb_table: Vec<TableFixture>,
    /// SQS queues.
    #[serde(default)]
    pub sqs_queue: Vec<QueueFixture>,
    /// SNS topics.
    #[serde(default)]
    pub sns_topic: Vec<TopicFixture>,
    /// VPC Lattice service networks.
    #[serde(default)]
    pub service_network: Vec<ServiceNetworkFixture>,
}

/// A VPC with subnets; public subnets route 0.0.0.0/0 to an internet gateway.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpcFixture {
    /// Name other fixtures use.
    pub name: String,
    /// CIDR block.
    pub cidr: String,
    /// Create an active flow log for the VPC.
    #[serde(default)]
    pub flow_log: bool,
    /// Remove every rule from the VPC's default security group.
    #[serde(default)]
    pub close_default_security_group: bool,
    /// Subnets.
    #[serde(default)]
    pub subnets: Vec<SubnetFixture>,
}

/// A subnet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubnetFixture {
    /// Name other fixtures use.
    pub name: String,
    /// CIDR block.
    pub cidr: String,
    /// Availability zone suffix (`a`, `b`).
    pub az: String,
    /// Route 0.0.0.0/0 to the VPC's internet gateway.
    #[serde(default)]
    pub public: bool,
}

/// A custom network ACL associated with some subnets.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkAclFixture {
    /// VPC by fixture name.
    pub vpc: String,
    /// Subnets (by fixture name) to associate.
    #[serde(default)]
    pub subnets: Vec<String>,
    /// Entries.
    #[serde(default)]
    pub entries: Vec<NaclEntryFixture>,
}

/// One NACL entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NaclEntryFixture {
    /// Rule number.
    pub rule: i32,
    /// Protocol number as text (`6`, `-1`).
    pub protocol: String,
    /// `allow` or `deny`.
    pub action: String,
    /// IPv4 CIDR.
    pub cidr: String,
    /// Egress entry.
    #[serde(default)]
    pub egress: bool,
    /// Port range start.
    pub from_port: Option<i32>,
    /// Port range end.
    pub to_port: Option<i32>,
}

/// A DB subnet group.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbSubnetGroupFixture {
    /// Name.
    pub name: String,
    /// Subnets by fixture name.
    pub subnets: Vec<String>,
}

/// An EC2 instance (in a fixture subnet, or the default VPC).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ec2InstanceFixture {
    /// Name tag (only used for readability).
    pub name: String,
    /// Subnet by fixture name (none: the default VPC).
    pub subnet: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A standalone EBS volume.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeFixture {
    /// Availability zone suffix.
    pub az: String,
    /// Size in GiB.
    pub size: i32,
    /// Encrypted.
    #[serde(default)]
    pub encrypted: bool,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// An application load balancer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancerFixture {
    /// Name.
    pub name: String,
    /// Subnets by fixture name (two AZs).
    pub subnets: Vec<String>,
    /// Listeners.
    pub listeners: Vec<ListenerFixture>,
}

/// An ELBv2 listener: HTTPS gets an ACM certificate and `ssl_policy`; HTTP forwards, or
/// redirects to HTTPS when `redirect_https`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListenerFixture {
    /// Protocol.
    pub protocol: String,
    /// Port.
    pub port: i32,
    /// TLS policy name (HTTPS).
    pub ssl_policy: Option<String>,
    /// HTTP listener that only redirects to HTTPS.
    #[serde(default)]
    pub redirect_https: bool,
}

/// A Classic Load Balancer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassicLoadBalancerFixture {
    /// Name.
    pub name: String,
    /// Availability zone suffix.
    pub az: String,
    /// Listeners (protocol, port).
    pub listeners: Vec<ClassicListenerFixture>,
}

/// A Classic Load Balancer listener.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassicListenerFixture {
    /// Protocol (`HTTP`, `HTTPS`, `TCP`, `SSL`).
    pub protocol: String,
    /// Port.
    pub port: i32,
}

/// A KMS key reachable as `alias/<alias>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KmsKeyFixture {
    /// Alias without the `alias/` prefix; other fixtures refer to the key by it.
    pub alias: String,
    /// Key description.
    #[serde(default)]
    pub description: String,
}

/// A security group and its ingress rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroupFixture {
    /// Group name; other fixtures refer to the group by it.
    pub name: String,
    /// Description.
    pub description: String,
    /// VPC by fixture name (none: the default VPC).
    pub vpc: Option<String>,
    /// Ingress rules.
    #[serde(default)]
    pub ingress: Vec<IngressFixture>,
}

/// One ingress rule: exactly one of cidr, cidr_ipv6, source_group.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngressFixture {
    /// `tcp`, `udp` or `-1`.
    pub protocol: String,
    /// Single port (sets from and to).
    pub port: Option<i32>,
    /// Range start.
    pub from_port: Option<i32>,
    /// Range end.
    pub to_port: Option<i32>,
    /// IPv4 source.
    pub cidr: Option<String>,
    /// IPv6 source.
    pub cidr_ipv6: Option<String>,
    /// Source security group, by fixture name.
    pub source_group: Option<String>,
}

/// A parameter group with the parameters the user set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterGroupFixture {
    /// Name.
    pub name: String,
    /// Family (`aurora-postgresql15`).
    pub family: String,
    /// Parameter name -> value.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
}

/// Settings shared by clusters and standalone instances.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterFixture {
    /// DBClusterIdentifier.
    pub id: String,
    /// Engine.
    pub engine: String,
    /// EngineVersion.
    pub engine_version: Option<String>,
    /// StorageEncrypted.
    #[serde(default)]
    pub storage_encrypted: bool,
    /// KMS key by fixture alias.
    pub kms_key: Option<String>,
    /// BackupRetentionPeriod.
    pub backup_retention_days: i32,
    /// DeletionProtection.
    #[serde(default)]
    pub deletion_protection: bool,
    /// CopyTagsToSnapshot.
    #[serde(default)]
    pub copy_tags_to_snapshot: bool,
    /// EnableCloudwatchLogsExports.
    #[serde(default)]
    pub log_exports: Vec<String>,
    /// EnableIAMDatabaseAuthentication.
    #[serde(default)]
    pub iam_auth: bool,
    /// DB cluster parameter group by name (none: the engine's default group).
    pub parameter_group: Option<String>,
    /// Security groups by fixture name.
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// DB subnet group by name.
    pub subnet_group: Option<String>,
    /// Member instances.
    #[serde(default)]
    pub instances: Vec<MemberFixture>,
}

/// A cluster member instance.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberFixture {
    /// DBInstanceIdentifier.
    pub id: String,
    /// CACertificateIdentifier.
    pub ca: Option<String>,
    /// PubliclyAccessible.
    #[serde(default)]
    pub publicly_accessible: bool,
}

/// A standalone DB instance.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceFixture {
    /// DBInstanceIdentifier.
    pub id: String,
    /// Engine.
    pub engine: String,
    /// EngineVersion.
    pub engine_version: Option<String>,
    /// StorageEncrypted.
    #[serde(default)]
    pub storage_encrypted: bool,
    /// KMS key by fixture alias.
    pub kms_key: Option<String>,
    /// BackupRetentionPeriod.
    pub backup_retention_days: i32,
    /// DeletionProtection.
    #[serde(default)]
    pub deletion_protection: bool,
    /// CopyTagsToSnapshot.
    #[serde(default)]
    pub copy_tags_to_snapshot: bool,
    /// EnableCloudwatchLogsExports.
    #[serde(default)]
    pub log_exports: Vec<String>,
    /// EnableIAMDatabaseAuthentication.
    #[serde(default)]
    pub iam_auth: bool,
    /// DB parameter group by name.
    pub parameter_group: Option<String>,
    /// Security groups by fixture name.
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// PubliclyAccessible.
    #[serde(default)]
    pub publicly_accessible: bool,
    /// CACertificateIdentifier.
    pub ca: Option<String>,
    /// DB subnet group by name.
    pub subnet_group: Option<String>,
}

/// A manual cluster snapshot.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterSnapshotFixture {
    /// Snapshot id.
    pub id: String,
    /// Source cluster id.
    pub cluster: String,
    /// `restore` attribute values (account ids or `all`).
    #[serde(default)]
    pub shared_with: Vec<String>,
}

/// A manual DB snapshot.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbSnapshotFixture {
    /// Snapshot id.
    pub id: String,
    /// Source instance id.
    pub instance: String,
    /// `restore` attribute values.
    #[serde(default)]
    pub shared_with: Vec<String>,
}

impl Account {
    /// Parses a fixture file.
    pub fn from_toml(text: &str) -> Result<Account, toml::de::Error> {
        toml::from_str(text)
    }

    /// The shipped demo account.
    pub fn demo() -> Account {
        // The demo file is compiled in and parsed by a unit test, so this cannot fail at run time.
        Account::from_toml(DEMO_ACCOUNT_TOML).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_fixture_parses() {
        let account = Account::from_toml(DEMO_ACCOUNT_TOML).expect("demo.toml parses");
        let region = &account.regions["us-east-1"];
        assert_eq!(region.cluster.len(), 4);
        assert_eq!(region.instance.len(), 1);
    }
}
