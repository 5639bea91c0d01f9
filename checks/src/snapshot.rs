//! The snapshot: everything the collectors gathered, as plain serde data.
//!
//! A snapshot can be saved (`hipaa-audit collect --snapshot FILE`) and graded later without AWS
//! (`hipaa-audit grade FILE`). Every collected source is a [`Source`]: either the data or the
//! [`Failure`] that prevented collecting it, so a check can never mistake "could not read" for
//! "nothing there".

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Version of the snapshot file format; bumped on any incompatible change.
pub const SNAPSHOT_SCHEMA_VERSION: u32 = 1;

/// One collected source: the data, or why it could not be collected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source<T> {
    /// The API answered and this is what it said (all pages).
    Collected(T),
    /// The API call failed; checks that need this source report `error`.
    Failed(Failure),
}

impl<T> Source<T> {
    /// The data, or the failure as an error (for `?` in checks).
    pub fn get(&self) -> Result<&T, &Failure> {
        match self {
            Source::Collected(data) => Ok(data),
            Source::Failed(failure) => Err(failure),
        }
    }

    /// The failure, when collection failed.
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            Source::Collected(_) => None,
            Source::Failed(failure) => Some(failure),
        }
    }
}

impl<T: Default> Default for Source<T> {
    fn default() -> Self {
        Source::Collected(T::default())
    }
}

/// Why one API call (after retries) produced no evidence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Failure {
    /// Service name as in IAM prefixes (`rds`, `ec2`, `kms`, `sts`).
    pub service: String,
    /// API operation name (`DescribeDBClusters`).
    pub operation: String,
    /// Region the call was made in.
    pub region: String,
    /// AWS error code (`AccessDenied`), or a transport class (`HttpStatus500`, `Timeout`).
    pub code: String,
    /// Human-readable detail.
    pub message: String,
}

impl Failure {
    /// Builds a failure record.
    pub fn new(
        service: &str,
        operation: &str,
        region: &str,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Failure {
            service: service.to_owned(),
            operation: operation.to_owned(),
            region: region.to_owned(),
            code: code.into(),
            message: message.into(),
        }
    }

    /// One line naming the call and the reason, for finding messages.
    pub fn describe(&self) -> String {
        format!(
            "{}:{} failed in {} ({}): {}",
            self.service, self.operation, self.region, self.code, self.message
        )
    }
}

/// The whole collected account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Always [`SNAPSHOT_SCHEMA_VERSION`] for files this version writes.
    pub schema_version: u32,
    /// Version of hipaa-audit that collected it.
    pub tool_version: String,
    /// The account id from STS GetCallerIdentity.
    pub account_id: String,
    /// The partition (`aws`, `aws-us-gov`, `aws-cn`), from the caller ARN.
    pub partition: String,
    /// When collection started.
    pub started_at: Timestamp,
    /// When collection finished.
    pub finished_at: Timestamp,
    /// How many HTTP requests (attempts included) the collection made.
    #[serde(default)]
    pub api_calls: u64,
    /// Per-region evidence, keyed by region name.
    pub regions: BTreeMap<String, RegionSnapshot>,
    /// Account-wide (global service) evidence: IAM, Organizations, IAM Identity Center.
    pub global: GlobalSnapshot,
}

/// Evidence from global services, collected once per account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalSnapshot {
    /// IAM.
    pub iam: IamSnapshot,
    /// Organizations ListPolicies(SERVICE_CONTROL_POLICY) + DescribePolicy: the SCPs readable
    /// from this account (fails with AccessDenied / AWSOrganizationsNotInUseException otherwise).
    pub service_control_policies: Source<Vec<ServiceControlPolicy>>,
    /// sso-admin ListInstances: IAM Identity Center instances (ARNs).
    pub identity_center_instances: Source<Vec<String>>,
    /// S3 buckets of the account and their protection settings.
    pub s3: S3Snapshot,
    /// AWS Artifact ListCustomerAgreements: the agreements (BAA) the account accepted.
    pub artifact_agreements: Source<Vec<CustomerAgreement>>,
}

/// An agreement accepted in AWS Artifact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerAgreement {
    /// Name (`AWS Business Associate Addendum`).
    pub name: String,
    /// Arn of the customer agreement.
    pub arn: Option<String>,
    /// State: `ACTIVE`, `CUSTOMER_TERMINATED`, `AWS_TERMINATED`.
    pub state: String,
    /// Type: `DEFAULT`, `CUSTOM`, `MODIFIED`.
    pub agreement_type: Option<String>,
    /// OrganizationArn when accepted for a whole organization.
    pub organization_arn: Option<String>,
    /// EffectiveStart.
    pub effective_start: Option<Timestamp>,
}

/// IAM evidence for the account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IamSnapshot {
    /// GetAccountAuthorizationDetails, all pages: users, groups, roles, managed policies.
    pub authorization: Source<AuthorizationDetails>,
    /// GenerateCredentialReport + GetCredentialReport, parsed (one row per user, root included).
    pub credential_report: Source<Vec<CredentialReportRow>>,
    /// GetAccountPasswordPolicy; `None` when the account has no password policy (NoSuchEntity).
    pub password_policy: Source<Option<PasswordPolicy>>,
    /// GetAccountSummary (root MFA and root access keys).
    pub account_summary: Source<AccountSummary>,
    /// ListSAMLProviders (ARNs).
    pub saml_providers: Source<Vec<String>>,
    /// ListOpenIDConnectProviders (ARNs).
    pub oidc_providers: Source<Vec<String>>,
}

/// Users, groups, roles and policies from GetAccountAuthorizationDetails.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthorizationDetails {
    /// UserDetailList.
    pub users: Vec<IamPrincipal>,
    /// GroupDetailList.
    pub groups: Vec<IamPrincipal>,
    /// RoleDetailList.
    pub roles: Vec<IamPrincipal>,
    /// Policies (customer-managed and the AWS-managed ones in use), with their default version.
    pub policies: Vec<ManagedPolicy>,
}

/// A user, group or role with the policies attached to it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IamPrincipal {
    /// UserName / GroupName / RoleName.
    pub name: String,
    /// Arn.
    pub arn: String,
    /// AttachedManagedPolicies[].PolicyArn.
    pub attached_policy_arns: Vec<String>,
    /// Inline policies (UserPolicyList / GroupPolicyList / RolePolicyList).
    pub inline_policies: Vec<InlinePolicy>,
    /// Users only: GroupList (group names).
    pub group_names: Vec<String>,
}

/// An inline policy and its document (URL-decoded JSON text).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InlinePolicy {
    /// PolicyName.
    pub name: String,
    /// PolicyDocument, URL-decoded.
    pub document: String,
}

/// A managed policy with its default version's document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ManagedPolicy {
    /// Arn (`arn:aws:iam::aws:policy/...` for AWS-managed policies).
    pub arn: String,
    /// PolicyName.
    pub name: String,
    /// AttachmentCount.
    pub attachment_count: i32,
    /// The default version's document, URL-decoded.
    pub default_document: Option<String>,
}

impl ManagedPolicy {
    /// True for policies AWS owns (`arn:<partition>:iam::aws:policy/...`).
    pub fn is_aws_managed(&self) -> bool {
        self.arn.contains(":iam::aws:policy/")
    }
}

/// One row of the IAM credential report. Dates are `None` for `N/A`, `no_information` and
/// `not_supported`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CredentialReportRow {
    /// user (`<root_account>` for root).
    pub user: String,
    /// arn.
    pub arn: String,
    /// user_creation_time.
    pub user_creation_time: Option<Timestamp>,
    /// password_enabled (`None` for root, whose value is `not_supported`).
    pub password_enabled: Option<bool>,
    /// password_last_used.
    pub password_last_used: Option<Timestamp>,
    /// password_last_changed.
    pub password_last_changed: Option<Timestamp>,
    /// mfa_active.
    pub mfa_active: bool,
    /// access_key_1_active, access_key_2_active.
    pub access_keys: Vec<CredentialReportKey>,
}

/// One access key slot of a credential report row (key ids are never in the report).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CredentialReportKey {
    /// Slot number (1 or 2).
    pub slot: u8,
    /// access_key_N_active.
    pub active: bool,
    /// access_key_N_last_rotated.
    pub last_rotated: Option<Timestamp>,
    /// access_key_N_last_used_date.
    pub last_used: Option<Timestamp>,
}

impl CredentialReportRow {
    /// True for the root user's row.
    pub fn is_root(&self) -> bool {
        self.user == "<root_account>"
    }
}

/// The account password policy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    /// MinimumPasswordLength.
    pub minimum_length: Option<i32>,
    /// RequireSymbols.
    pub require_symbols: bool,
    /// RequireNumbers.
    pub require_numbers: bool,
    /// RequireUppercaseCharacters.
    pub require_uppercase: bool,
    /// RequireLowercaseCharacters.
    pub require_lowercase: bool,
    /// PasswordReusePrevention.
    pub reuse_prevention: Option<i32>,
    /// MaxPasswordAge.
    pub max_age_days: Option<i32>,
}

/// The parts of GetAccountSummary the checks read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountSummary {
    /// AccountMFAEnabled (1 when root has MFA).
    pub account_mfa_enabled: bool,
    /// AccountAccessKeysPresent (1 when root has access keys).
    pub account_access_keys_present: bool,
}

/// A service control policy and its document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceControlPolicy {
    /// Policy id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Content (JSON text).
    pub document: String,
}

/// What was collected in one region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionSnapshot {
    /// RDS / Aurora evidence.
    pub rds: RdsSnapshot,
    /// EC2 evidence (security groups used by the databases).
    pub ec2: Ec2Snapshot,
    /// KMS evidence (the keys the databases use).
    pub kms: KmsSnapshot,
    /// Load balancer evidence.
    pub elb: ElbSnapshot,
    /// CloudTrail trails that apply to this region.
    pub cloudtrail: CloudTrailSnapshot,
    /// AWS Config recorders, rules and rule compliance.
    pub config_service: ConfigServiceSnapshot,
    /// CloudWatch Logs metric filters.
    pub logs: LogsSnapshot,
    /// CloudWatch metric alarms.
    pub cloudwatch: CloudWatchSnapshot,
    /// GuardDuty detectors.
    pub guardduty: GuardDutySnapshot,
    /// Resource Groups Tagging API GetResources: every tagged resource of the region.
    pub tagged_resources: Source<Vec<TaggedResource>>,
    /// DynamoDB tables (ListTables + DescribeTable).
    pub dynamodb_tables: Source<Vec<DynamoTable>>,
    /// SQS queues (ListQueues + GetQueueAttributes).
    pub sqs_queues: Source<Vec<SqsQueue>>,
    /// SNS topics (ListTopics + GetTopicAttributes).
    pub sns_topics: Source<Vec<SnsTopic>>,
}

/// A resource and its tags, from the Resource Groups Tagging API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaggedResource {
    /// ResourceARN.
    pub arn: String,
    /// Tags (key -> value).
    pub tags: BTreeMap<String, String>,
}

/// A DynamoDB table's encryption.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DynamoTable {
    /// TableName.
    pub name: String,
    /// TableArn.
    pub arn: String,
    /// SSEDescription.SSEType (`KMS`; absent = encrypted with an AWS owned key).
    pub sse_type: Option<String>,
    /// SSEDescription.Status (`ENABLED`, `UPDATING`, ...).
    pub sse_status: Option<String>,
    /// SSEDescription.KMSMasterKeyArn.
    pub kms_key_arn: Option<String>,
}

/// An SQS queue's encryption attributes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqsQueue {
    /// QueueUrl.
    pub url: String,
    /// QueueArn.
    pub arn: String,
    /// SqsManagedSseEnabled.
    pub sqs_managed_sse: bool,
    /// KmsMasterKeyId.
    pub kms_master_key_id: Option<String>,
}

/// An SNS topic's encryption attribute.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnsTopic {
    /// TopicArn.
    pub arn: String,
    /// KmsMasterKeyId.
    pub kms_master_key_id: Option<String>,
}

/// RDS evidence for one region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RdsSnapshot {
    /// DescribeDBClusters (Aurora and Multi-AZ DB clusters).
    pub clusters: Source<Vec<DbCluster>>,
    /// DescribeDBInstances (cluster members and standalone instances).
    pub instances: Source<Vec<DbInstance>>,
    /// DescribeDBClusterParameterGroups + DescribeDBClusterParameters, per group in use.
    pub cluster_parameter_groups: BTreeMap<String, Source<ParameterGroup>>,
    /// DescribeDBParameterGroups + DescribeDBParameters, per group used by standalone instances.
    pub instance_parameter_groups: BTreeMap<String, Source<ParameterGroup>>,
    /// DescribeEngineDefaultClusterParameters, per cluster parameter group family in use.
    pub cluster_engine_defaults: BTreeMap<String, Source<Vec<Parameter>>>,
    /// DescribeEngineDefaultParameters, per instance parameter group family in use.
    pub instance_engine_defaults: BTreeMap<String, Source<Vec<Parameter>>>,
    /// DescribeDBClusterSnapshots (manual) with their attributes.
    pub cluster_snapshots: Source<Vec<DbSnapshot>>,
    /// DescribeDBSnapshots (manual) with their attributes.
    pub instance_snapshots: Source<Vec<DbSnapshot>>,
    /// DescribeCertificates: the CA certificates RDS offers in the region.
    pub certificates: Source<Vec<CaCertificate>>,
    /// DescribeDBSubnetGroups.
    pub subnet_groups: Source<Vec<DbSubnetGroup>>,
}

/// A DB subnet group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DbSubnetGroup {
    /// DBSubnetGroupName.
    pub name: String,
    /// VpcId.
    pub vpc_id: Option<String>,
    /// Subnets[].SubnetIdentifier.
    pub subnet_ids: Vec<String>,
}

/// An Aurora or Multi-AZ DB cluster, as far as the checks need it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DbCluster {
    /// DBClusterIdentifier.
    pub id: String,
    /// DBClusterArn.
    pub arn: String,
    /// Engine (`aurora-postgresql`, `aurora-mysql`, `postgres`, `mysql`, ...).
    pub engine: String,
    /// EngineVersion.
    pub engine_version: String,
    /// StorageEncrypted.
    pub storage_encrypted: bool,
    /// KmsKeyId (a key ARN on AWS), when present.
    pub kms_key_id: Option<String>,
    /// BackupRetentionPeriod in days.
    pub backup_retention_period: i32,
    /// DeletionProtection.
    pub deletion_protection: bool,
    /// CopyTagsToSnapshot.
    pub copy_tags_to_snapshot: bool,
    /// EnabledCloudwatchLogsExports.
    pub enabled_cloudwatch_logs_exports: Vec<String>,
    /// IAMDatabaseAuthenticationEnabled.
    pub iam_database_authentication_enabled: bool,
    /// DBClusterParameterGroup (the group's name).
    pub parameter_group: Option<String>,
    /// VpcSecurityGroups[].VpcSecurityGroupId.
    pub vpc_security_group_ids: Vec<String>,
    /// Port the cluster listens on.
    pub port: Option<i32>,
    /// DBClusterMembers[].DBInstanceIdentifier.
    pub members: Vec<String>,
    /// DBSubnetGroup name.
    pub db_subnet_group: Option<String>,
}

/// A DB instance: an Aurora cluster member or a standalone instance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DbInstance {
    /// DBInstanceIdentifier.
    pub id: String,
    /// DBInstanceArn.
    pub arn: String,
    /// Engine.
    pub engine: String,
    /// EngineVersion.
    pub engine_version: String,
    /// DBClusterIdentifier when the instance belongs to a cluster.
    pub cluster_id: Option<String>,
    /// StorageEncrypted.
    pub storage_encrypted: bool,
    /// KmsKeyId.
    pub kms_key_id: Option<String>,
    /// BackupRetentionPeriod in days.
    pub backup_retention_period: i32,
    /// DeletionProtection.
    pub deletion_protection: bool,
    /// CopyTagsToSnapshot.
    pub copy_tags_to_snapshot: bool,
    /// EnabledCloudwatchLogsExports.
    pub enabled_cloudwatch_logs_exports: Vec<String>,
    /// IAMDatabaseAuthenticationEnabled.
    pub iam_database_authentication_enabled: bool,
    /// DBParameterGroups[].DBParameterGroupName (the first is the one in use).
    pub parameter_groups: Vec<String>,
    /// VpcSecurityGroups[].VpcSecurityGroupId.
    pub vpc_security_group_ids: Vec<String>,
    /// Endpoint.Port (or DbInstancePort).
    pub port: Option<i32>,
    /// PubliclyAccessible.
    pub publicly_accessible: bool,
    /// CACertificateIdentifier.
    pub ca_certificate_identifier: Option<String>,
    /// CertificateDetails.ValidTill: expiry of the instance's server certificate.
    pub server_certificate_valid_till: Option<Timestamp>,
    /// DBSubnetGroup.DBSubnetGroupName.
    pub db_subnet_group: Option<String>,
}

/// A DB cluster or DB parameter group with its parameters (all pages, all sources).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParameterGroup {
    /// Group name.
    pub name: String,
    /// DBParameterGroupFamily (`aurora-postgresql15`), the key of the engine defaults.
    pub family: Option<String>,
    /// Parameters as listed.
    pub parameters: Vec<Parameter>,
}

/// One parameter of a group or of the engine defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    /// ParameterName.
    pub name: String,
    /// ParameterValue; absent means "not set" in this listing.
    pub value: Option<String>,
    /// Source (`user`, `engine-default`, `system`), when the API reports it.
    pub source: Option<String>,
}

/// A manual DB cluster snapshot or DB snapshot, with its sharing attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbSnapshot {
    /// Snapshot identifier.
    pub id: String,
    /// Snapshot ARN.
    pub arn: String,
    /// SnapshotType (`manual`, `automated`, `shared`, ...).
    pub snapshot_type: String,
    /// StorageEncrypted (cluster snapshots) / Encrypted (instance snapshots).
    pub encrypted: bool,
    /// The cluster or instance the snapshot was taken from.
    pub source_id: String,
    /// DescribeDB(Cluster)SnapshotAttributes: `restore` values (account ids or `all`).
    pub restore_shared_with: Source<Vec<String>>,
}

/// An RDS CA certificate from DescribeCertificates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaCertificate {
    /// CertificateIdentifier (`rds-ca-rsa2048-g1`).
    pub id: String,
    /// ValidTill.
    pub valid_till: Option<Timestamp>,
}

/// EC2 evidence for one region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ec2Snapshot {
    /// DescribeSecurityGroups: every group of the region (shared by RDS and network checks).
    pub security_groups: Source<Vec<SecurityGroup>>,
    /// GetManagedPrefixListEntries for every prefix list a security group rule references.
    pub prefix_lists: BTreeMap<String, Source<Vec<String>>>,
    /// DescribeNetworkAcls.
    pub network_acls: Source<Vec<NetworkAcl>>,
    /// DescribeVpcs.
    pub vpcs: Source<Vec<Vpc>>,
    /// DescribeSubnets.
    pub subnets: Source<Vec<Subnet>>,
    /// DescribeRouteTables.
    pub route_tables: Source<Vec<RouteTable>>,
    /// DescribeFlowLogs.
    pub flow_logs: Source<Vec<FlowLog>>,
    /// DescribeNetworkInterfaces, counted per VPC id.
    pub network_interfaces_per_vpc: Source<BTreeMap<String, u32>>,
    /// DescribeVolumes.
    pub volumes: Source<Vec<Volume>>,
    /// GetEbsEncryptionByDefault.
    pub ebs_encryption_by_default: Source<bool>,
    /// DescribeInstances (id, VPC, state, tags).
    pub instances: Source<Vec<Instance>>,
}

/// A security group and its rules.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroup {
    /// GroupId.
    pub id: String,
    /// GroupName (`default` for a VPC's default group).
    pub name: String,
    /// VpcId.
    pub vpc_id: Option<String>,
    /// IpPermissions (ingress).
    pub ingress: Vec<IpPermission>,
    /// IpPermissionsEgress.
    pub egress: Vec<IpPermission>,
}

/// A network ACL with its entries and associated subnets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NetworkAcl {
    /// NetworkAclId.
    pub id: String,
    /// VpcId.
    pub vpc_id: String,
    /// IsDefault.
    pub is_default: bool,
    /// Entries (ingress and egress).
    pub entries: Vec<NaclEntry>,
    /// Associations[].SubnetId.
    pub subnet_ids: Vec<String>,
}

/// One NACL entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NaclEntry {
    /// RuleNumber (lower is evaluated first; 32767 is the implicit deny).
    pub rule_number: i32,
    /// Protocol (`-1` all, `6` tcp, `17` udp, ...).
    pub protocol: String,
    /// `allow` or `deny`.
    pub rule_action: String,
    /// Egress (true) or ingress (false).
    pub egress: bool,
    /// CidrBlock.
    pub cidr_block: Option<String>,
    /// Ipv6CidrBlock.
    pub ipv6_cidr_block: Option<String>,
    /// PortRange.From (absent: all ports).
    pub from_port: Option<i32>,
    /// PortRange.To.
    pub to_port: Option<i32>,
}

/// A VPC.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vpc {
    /// VpcId.
    pub id: String,
    /// IsDefault.
    pub is_default: bool,
    /// CidrBlock.
    pub cidr_block: Option<String>,
}

/// A subnet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Subnet {
    /// SubnetId.
    pub id: String,
    /// VpcId.
    pub vpc_id: String,
    /// CidrBlock.
    pub cidr_block: Option<String>,
}

/// A route table with its associations and routes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RouteTable {
    /// RouteTableId.
    pub id: String,
    /// VpcId.
    pub vpc_id: String,
    /// True when it is the VPC's main route table (Associations[].Main).
    pub is_main: bool,
    /// Explicitly associated subnets.
    pub subnet_ids: Vec<String>,
    /// Routes.
    pub routes: Vec<Route>,
}

/// One route.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// DestinationCidrBlock / DestinationIpv6CidrBlock / DestinationPrefixListId.
    pub destination: String,
    /// GatewayId (`igw-...` for an internet gateway, `local`, `vgw-...`).
    pub gateway_id: Option<String>,
    /// State (`active`, `blackhole`).
    pub state: Option<String>,
}

/// A VPC flow log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FlowLog {
    /// FlowLogId.
    pub id: String,
    /// ResourceId (a VPC, subnet or ENI id).
    pub resource_id: String,
    /// FlowLogStatus (`ACTIVE`).
    pub status: String,
    /// TrafficType (`ALL`, `ACCEPT`, `REJECT`).
    pub traffic_type: Option<String>,
    /// DeliverLogsStatus (`SUCCESS`, `FAILED`).
    pub deliver_logs_status: Option<String>,
}

/// An EBS volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Volume {
    /// VolumeId.
    pub id: String,
    /// Encrypted.
    pub encrypted: bool,
    /// KmsKeyId.
    pub kms_key_id: Option<String>,
    /// Tags (key -> value).
    pub tags: BTreeMap<String, String>,
    /// Attachments[].InstanceId.
    pub attached_instance_ids: Vec<String>,
}

/// An EC2 instance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    /// InstanceId.
    pub id: String,
    /// VpcId.
    pub vpc_id: Option<String>,
    /// State.Name (`running`, `stopped`, `terminated`, ...).
    pub state: String,
    /// Tags (key -> value).
    pub tags: BTreeMap<String, String>,
}

/// Load balancer evidence for one region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElbSnapshot {
    /// ELBv2 DescribeLoadBalancers, each with DescribeListeners.
    pub load_balancers: Source<Vec<LoadBalancerV2>>,
    /// ELBv2 DescribeSSLPolicies (name -> protocols it allows).
    pub ssl_policies: Source<Vec<SslPolicy>>,
    /// Classic ELB DescribeLoadBalancers.
    pub classic_load_balancers: Source<Vec<ClassicLoadBalancer>>,
}

/// An Application/Network/Gateway load balancer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadBalancerV2 {
    /// LoadBalancerArn.
    pub arn: String,
    /// LoadBalancerName.
    pub name: String,
    /// Type (`application`, `network`, `gateway`).
    pub lb_type: String,
    /// Scheme (`internet-facing`, `internal`), when reported.
    pub scheme: Option<String>,
    /// DescribeListeners for this load balancer.
    pub listeners: Source<Vec<ListenerV2>>,
}

/// An ELBv2 listener.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListenerV2 {
    /// ListenerArn.
    pub arn: String,
    /// Port.
    pub port: Option<i32>,
    /// Protocol (`HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, ...).
    pub protocol: String,
    /// SslPolicy (meaningful for HTTPS/TLS only).
    pub ssl_policy: Option<String>,
    /// DefaultActions.
    pub default_actions: Vec<ListenerAction>,
}

/// A listener default action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListenerAction {
    /// Type (`forward`, `redirect`, `fixed-response`, ...).
    pub action_type: String,
    /// RedirectConfig.Protocol (`HTTPS`, `#{protocol}`), for redirects.
    pub redirect_protocol: Option<String>,
}

/// An ELBv2 TLS security policy and the protocols it allows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SslPolicy {
    /// Name (`ELBSecurityPolicy-TLS13-1-2-2021-06`).
    pub name: String,
    /// SslProtocols (`TLSv1`, `TLSv1.1`, `TLSv1.2`, `TLSv1.3`).
    pub protocols: Vec<String>,
}

/// A Classic Load Balancer and its listeners.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassicLoadBalancer {
    /// LoadBalancerName.
    pub name: String,
    /// Scheme.
    pub scheme: Option<String>,
    /// ListenerDescriptions[].Listener.
    pub listeners: Vec<ClassicListener>,
}

/// A Classic Load Balancer listener.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassicListener {
    /// LoadBalancerPort.
    pub port: i32,
    /// Protocol (`HTTP`, `HTTPS`, `TCP`, `SSL`).
    pub protocol: String,
    /// InstanceProtocol.
    pub instance_protocol: Option<String>,
}

/// One ingress permission: protocol, port range and its sources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IpPermission {
    /// IpProtocol (`tcp`, `udp`, `icmp`, `-1` for all, or a protocol number).
    pub protocol: String,
    /// FromPort (absent for all-protocol rules).
    pub from_port: Option<i32>,
    /// ToPort.
    pub to_port: Option<i32>,
    /// IpRanges[].CidrIp.
    pub ipv4_ranges: Vec<String>,
    /// Ipv6Ranges[].CidrIpv6.
    pub ipv6_ranges: Vec<String>,
    /// PrefixListIds[].PrefixListId.
    pub prefix_list_ids: Vec<String>,
    /// UserIdGroupPairs[].GroupId.
    pub source_group_ids: Vec<String>,
}

/// KMS evidence for one region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KmsSnapshot {
    /// ListAliases (all pages).
    pub aliases: Source<Vec<KmsAlias>>,
    /// DescribeKey, keyed by the key reference a resource uses (ARN, id or alias).
    pub keys: BTreeMap<String, Source<KmsKey>>,
}

/// A KMS alias and the key it points to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KmsAlias {
    /// AliasName (`alias/aws/rds`).
    pub name: String,
    /// TargetKeyId (a key id, not an ARN).
    pub target_key_id: Option<String>,
}

/// KMS key metadata from DescribeKey.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KmsKey {
    /// KeyId.
    pub key_id: String,
    /// Arn.
    pub arn: String,
    /// KeyManager (`AWS` or `CUSTOMER`).
    pub key_manager: String,
    /// KeyState (`Enabled`, `PendingDeletion`, ...).
    pub key_state: String,
}

/// CloudTrail evidence for one region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudTrailSnapshot {
    /// DescribeTrails(includeShadowTrails=true): the trails homed here plus the multi-region and
    /// organization trails that also apply here ("shadow" copies).
    pub trails: Source<Vec<Trail>>,
}

/// One trail from DescribeTrails, with its status and event selectors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trail {
    /// Name.
    pub name: String,
    /// TrailARN.
    pub arn: String,
    /// HomeRegion: where the trail was created and where its selectors can be read.
    pub home_region: String,
    /// IsMultiRegionTrail.
    pub is_multi_region: bool,
    /// IsOrganizationTrail (created in the management account for every member).
    pub is_organization_trail: bool,
    /// LogFileValidationEnabled.
    pub log_file_validation_enabled: bool,
    /// KmsKeyId (a key ARN) when the logs are encrypted with SSE-KMS.
    pub kms_key_id: Option<String>,
    /// S3BucketName the logs are delivered to.
    pub s3_bucket_name: Option<String>,
    /// CloudWatchLogsLogGroupArn the trail also delivers to.
    pub cloud_watch_logs_log_group_arn: Option<String>,
    /// GetTrailStatus; `None` on a shadow copy whose home region's copy carries it.
    pub status: Option<Source<TrailStatus>>,
    /// GetEventSelectors (home region only); `None` on a shadow copy, as for `status`.
    pub event_selectors: Option<Source<EventSelectors>>,
}

/// GetTrailStatus.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrailStatus {
    /// IsLogging.
    pub is_logging: bool,
    /// LatestDeliveryError, when the last delivery to S3 failed.
    pub latest_delivery_error: Option<String>,
}

/// GetEventSelectors: basic or advanced selectors (a trail has one kind or the other).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSelectors {
    /// EventSelectors.
    pub basic: Vec<BasicEventSelector>,
    /// AdvancedEventSelectors.
    pub advanced: Vec<AdvancedEventSelector>,
}

/// One basic event selector.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicEventSelector {
    /// ReadWriteType: `ReadOnly`, `WriteOnly` or `All` (AWS's default is `All`).
    pub read_write_type: Option<String>,
    /// IncludeManagementEvents (AWS's default is true).
    pub include_management_events: Option<bool>,
    /// ExcludeManagementEventSources (`kms.amazonaws.com`, `rdsdata.amazonaws.com`).
    pub exclude_management_event_sources: Vec<String>,
}

/// One advanced event selector.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvancedEventSelector {
    /// Name.
    pub name: Option<String>,
    /// FieldSelectors: all must match (AND).
    pub field_selectors: Vec<AdvancedFieldSelector>,
}

/// One field condition of an advanced event selector.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvancedFieldSelector {
    /// Field (`eventCategory`, `readOnly`, `eventSource`, ...).
    pub field: String,
    /// Equals.
    pub equals: Vec<String>,
    /// NotEquals.
    pub not_equals: Vec<String>,
    /// StartsWith.
    pub starts_with: Vec<String>,
    /// NotStartsWith.
    pub not_starts_with: Vec<String>,
    /// EndsWith.
    pub ends_with: Vec<String>,
    /// NotEndsWith.
    pub not_ends_with: Vec<String>,
}

/// AWS Config evidence for one region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigServiceSnapshot {
    /// DescribeConfigurationRecorders.
    pub recorders: Source<Vec<ConfigRecorder>>,
    /// DescribeConfigurationRecorderStatus.
    pub recorder_statuses: Source<Vec<ConfigRecorderStatus>>,
    /// DescribeConfigRules (all pages).
    pub rules: Source<Vec<ConfigRule>>,
    /// DescribeComplianceByConfigRule (all pages).
    pub compliance: Source<Vec<ConfigRuleCompliance>>,
    /// GetDiscoveredResourceCounts (all pages), read only when a recorder exists (`None`
    /// otherwise): resource type (`AWS::S3::Bucket`) -> count.
    pub discovered_resource_counts: Option<Source<BTreeMap<String, i64>>>,
}

/// A configuration recorder and what it records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigRecorder {
    /// Name.
    pub name: String,
    /// RecordingGroup.AllSupported.
    pub all_supported: bool,
    /// RecordingGroup.IncludeGlobalResourceTypes.
    pub include_global_resource_types: bool,
    /// RecordingGroup.RecordingStrategy.UseOnly (`ALL_SUPPORTED_RESOURCE_TYPES`,
    /// `EXCLUSION_BY_RESOURCE_TYPES`, `INCLUSION_BY_RESOURCE_TYPES`).
    pub recording_strategy: Option<String>,
    /// RecordingGroup.ExclusionByResourceTypes.ResourceTypes.
    pub excluded_resource_types: Vec<String>,
    /// RecordingGroup.ResourceTypes (the inclusion list).
    pub resource_types: Vec<String>,
}

/// The status of a configuration recorder.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigRecorderStatus {
    /// Name of the recorder.
    pub name: String,
    /// Recording.
    pub recording: bool,
    /// LastStatus (`SUCCESS`, `FAILURE`, `PENDING`), as AWS spelled it.
    pub last_status: Option<String>,
}

/// A deployed Config rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigRule {
    /// ConfigRuleName.
    pub name: String,
    /// ConfigRuleArn.
    pub arn: String,
    /// Source.Owner (`AWS`, `CUSTOM_LAMBDA`, `CUSTOM_POLICY`).
    pub owner: String,
    /// Source.SourceIdentifier: the managed rule identifier (`CLOUD_TRAIL_ENABLED`) for AWS rules.
    pub source_identifier: Option<String>,
    /// ConfigRuleState (`ACTIVE`, `DELETING`, ...).
    pub state: Option<String>,
}

/// DescribeComplianceByConfigRule: one rule's compliance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigRuleCompliance {
    /// ConfigRuleName.
    pub rule_name: String,
    /// Compliance.ComplianceType (`COMPLIANT`, `NON_COMPLIANT`, `NOT_APPLICABLE`,
    /// `INSUFFICIENT_DATA`).
    pub compliance_type: String,
    /// Compliance.ComplianceContributorCount.CappedCount: non-compliant resources, when given.
    pub non_compliant_resources: Option<i32>,
}

/// CloudWatch Logs evidence for one region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogsSnapshot {
    /// DescribeMetricFilters (all pages, every log group of the region).
    pub metric_filters: Source<Vec<MetricFilter>>,
}

/// A metric filter on a log group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricFilter {
    /// FilterName.
    pub name: String,
    /// LogGroupName.
    pub log_group_name: String,
    /// FilterPattern, verbatim.
    pub pattern: String,
    /// MetricTransformations: the metrics it publishes.
    pub metrics: Vec<MetricRef>,
}

/// A CloudWatch metric, by namespace and name.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricRef {
    /// Namespace.
    pub namespace: String,
    /// MetricName.
    pub name: String,
}

/// CloudWatch evidence for one region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudWatchSnapshot {
    /// DescribeAlarms(AlarmTypes=MetricAlarm, all pages).
    pub alarms: Source<Vec<MetricAlarm>>,
}

/// A metric alarm.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricAlarm {
    /// AlarmName.
    pub name: String,
    /// AlarmArn.
    pub arn: String,
    /// Namespace + MetricName for a single-metric alarm; every MetricStat of a metric-math
    /// alarm (Metrics).
    pub metrics: Vec<MetricRef>,
    /// ActionsEnabled.
    pub actions_enabled: bool,
    /// AlarmActions (SNS topic ARNs and other actions run on ALARM).
    pub alarm_actions: Vec<String>,
    /// StateValue (`OK`, `ALARM`, `INSUFFICIENT_DATA`).
    pub state: Option<String>,
}

/// GuardDuty evidence for one region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardDutySnapshot {
    /// ListDetectors + GetDetector for each.
    pub detectors: Source<Vec<GuardDutyDetector>>,
}

/// A GuardDuty detector.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardDutyDetector {
    /// Detector id.
    pub id: String,
    /// Status (`ENABLED`, `DISABLED`).
    pub status: String,
    /// Features: name (`RDS_LOGIN_EVENTS`) -> status (`ENABLED`, `DISABLED`).
    pub features: BTreeMap<String, String>,
}

/// S3 evidence for the account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Snapshot {
    /// ListBuckets, then per-bucket reads in each bucket's region.
    pub buckets: Source<Vec<Bucket>>,
    /// s3control GetPublicAccessBlock for the account; `None` when the account has none.
    pub account_public_access_block: Source<Option<PublicAccessBlock>>,
}

/// One bucket and its settings; each setting is its own source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bucket {
    /// Name.
    pub name: String,
    /// GetBucketLocation (`us-east-1` for the empty constraint).
    pub region: Source<String>,
    /// GetBucketVersioning.
    pub versioning: Source<BucketVersioning>,
    /// GetBucketLogging: the target bucket, `None` when access logging is off.
    pub logging_target: Source<Option<String>>,
    /// GetPublicAccessBlock; `None` when the bucket has none (NoSuchPublicAccessBlockConfiguration).
    pub public_access_block: Source<Option<PublicAccessBlock>>,
    /// GetBucketPolicy; `None` when the bucket has no policy (NoSuchBucketPolicy).
    pub policy: Source<Option<String>>,
    /// GetObjectLockConfiguration; `None` when object lock is not configured.
    pub object_lock: Source<Option<ObjectLock>>,
    /// GetBucketEncryption; `None` when the bucket has no default encryption
    /// (ServerSideEncryptionConfigurationNotFoundError).
    pub encryption: Source<Option<BucketEncryption>>,
}

/// A bucket's default encryption rules.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketEncryption {
    /// SSEAlgorithm of each rule (`AES256`, `aws:kms`, `aws:kms:dsse`).
    pub algorithms: Vec<String>,
    /// KMSMasterKeyID of each rule that names one.
    pub kms_key_ids: Vec<String>,
}

/// GetBucketVersioning.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketVersioning {
    /// Status (`Enabled`, `Suspended`; `None` = never enabled).
    pub status: Option<String>,
    /// MfaDelete (`Enabled`, `Disabled`).
    pub mfa_delete: Option<String>,
}

/// The four Block Public Access settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicAccessBlock {
    /// BlockPublicAcls.
    pub block_public_acls: bool,
    /// IgnorePublicAcls.
    pub ignore_public_acls: bool,
    /// BlockPublicPolicy.
    pub block_public_policy: bool,
    /// RestrictPublicBuckets.
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    /// The settings in force when account-level and bucket-level blocks both apply: S3 honours
    /// a setting that is on at either level.
    pub fn combined(
        account: Option<&PublicAccessBlock>,
        bucket: Option<&PublicAccessBlock>,
    ) -> Self {
        let on = |get: fn(&PublicAccessBlock) -> bool| {
            account.is_some_and(get) || bucket.is_some_and(get)
        };
        PublicAccessBlock {
            block_public_acls: on(|p| p.block_public_acls),
            ignore_public_acls: on(|p| p.ignore_public_acls),
            block_public_policy: on(|p| p.block_public_policy),
            restrict_public_buckets: on(|p| p.restrict_public_buckets),
        }
    }

    /// All four settings on.
    pub fn all_on(&self) -> bool {
        self.block_public_acls
            && self.ignore_public_acls
            && self.block_public_policy
            && self.restrict_public_buckets
    }
}

/// GetObjectLockConfiguration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectLock {
    /// ObjectLockEnabled = `Enabled`.
    pub enabled: bool,
    /// Rule.DefaultRetention.Mode (`GOVERNANCE`, `COMPLIANCE`).
    pub mode: Option<String>,
    /// Default retention in days (years converted to 365 days).
    pub retention_days: Option<i32>,
}

impl Snapshot {
    /// Every collection failure in the snapshot, sorted and deduplicated.
    pub fn failures(&self) -> Vec<Failure> {
        let mut out: Vec<Failure> = self
            .global
            .sources()
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        for region in self.regions.values() {
            region.collect_failures(&mut out);
        }
        out.sort();
        out.dedup();
        out
    }

    /// Number of sources collected and failed, to tell "nothing could be collected". Each
    /// source counts once, even when several carry the same failure.
    pub fn source_counts(&self) -> (usize, usize) {
        let mut sources = self.global.sources();
        for region in self.regions.values() {
            sources.extend(region.sources());
        }
        let failed = sources.iter().filter(|s| s.is_some()).count();
        (sources.len() - failed, failed)
    }
}

impl GlobalSnapshot {
    fn sources(&self) -> Vec<Option<&Failure>> {
        let iam = &self.iam;
        let mut all = vec![
            iam.authorization.failure(),
            iam.credential_report.failure(),
            iam.password_policy.failure(),
            iam.account_summary.failure(),
            iam.saml_providers.failure(),
            iam.oidc_providers.failure(),
            self.service_control_policies.failure(),
            self.identity_center_instances.failure(),
            self.s3.buckets.failure(),
            self.s3.account_public_access_block.failure(),
            self.artifact_agreements.failure(),
        ];
        if let Source::Collected(buckets) = &self.s3.buckets {
            for bucket in buckets {
                all.extend([
                    bucket.region.failure(),
                    bucket.versioning.failure(),
                    bucket.logging_target.failure(),
                    bucket.public_access_block.failure(),
                    bucket.policy.failure(),
                    bucket.object_lock.failure(),
                    bucket.encryption.failure(),
                ]);
            }
        }
        all
    }
}

impl RegionSnapshot {
    fn sources(&self) -> Vec<Option<&Failure>> {
        let rds = &self.rds;
        let mut all = vec![
            rds.clusters.failure(),
            rds.instances.failure(),
            rds.cluster_snapshots.failure(),
            rds.instance_snapshots.failure(),
            rds.certificates.failure(),
            rds.subnet_groups.failure(),
            self.ec2.security_groups.failure(),
            self.ec2.network_acls.failure(),
            self.ec2.vpcs.failure(),
            self.ec2.subnets.failure(),
            self.ec2.route_tables.failure(),
            self.ec2.flow_logs.failure(),
            self.ec2.network_interfaces_per_vpc.failure(),
            self.ec2.volumes.failure(),
            self.ec2.ebs_encryption_by_default.failure(),
            self.ec2.instances.failure(),
            self.kms.aliases.failure(),
            self.elb.load_balancers.failure(),
            self.elb.ssl_policies.failure(),
            self.elb.classic_load_balancers.failure(),
            self.cloudtrail.trails.failure(),
            self.config_service.recorders.failure(),
            self.config_service.recorder_statuses.failure(),
            self.config_service.rules.failure(),
            self.config_service.compliance.failure(),
            self.logs.metric_filters.failure(),
            self.cloudwatch.alarms.failure(),
            self.guardduty.detectors.failure(),
            self.tagged_resources.failure(),
            self.dynamodb_tables.failure(),
            self.sqs_queues.failure(),
            self.sns_topics.failure(),
        ];
        all.extend(
            self.config_service
                .discovered_resource_counts
                .as_ref()
                .map(Source::failure),
        );
        if let Source::Collected(trails) = &self.cloudtrail.trails {
            for trail in trails {
                all.extend(trail.status.as_ref().map(Source::failure));
                all.extend(trail.event_selectors.as_ref().map(Source::failure));
            }
        }
        all.extend(self.ec2.prefix_lists.values().map(Source::failure));
        if let Source::Collected(lbs) = &self.elb.load_balancers {
            all.extend(lbs.iter().map(|lb| lb.listeners.failure()));
        }
        all.extend(rds.cluster_parameter_groups.values().map(Source::failure));
        all.extend(rds.instance_parameter_groups.values().map(Source::failure));
        all.extend(rds.cluster_engine_defaults.values().map(Source::failure));
        all.extend(rds.instance_engine_defaults.values().map(Source::failure));
        for snapshots in [&rds.cluster_snapshots, &rds.instance_snapshots] {
            if let Source::Collected(list) = snapshots {
                all.extend(list.iter().map(|s| s.restore_shared_with.failure()));
            }
        }
        all.extend(self.kms.keys.values().map(Source::failure));
        all
    }

    fn collect_failures(&self, out: &mut Vec<Failure>) {
        out.extend(self.sources().into_iter().flatten().cloned());
    }
}
