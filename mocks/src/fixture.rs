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
