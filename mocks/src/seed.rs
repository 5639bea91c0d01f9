//! Loads a fixture account into moto through the real AWS SDK.

use std::collections::BTreeMap;

use anyhow::{anyhow, Context as _, Result};
use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range, UserIdGroupPair};
use aws_sdk_rds::types::{ApplyMethod, Parameter};

use crate::fixture::{Account, IngressFixture, ParameterGroupFixture, RegionFixture};

/// Dummy credentials moto accepts.
pub const TEST_ACCESS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
/// Dummy secret for [`TEST_ACCESS_KEY`].
pub const TEST_SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// SDK config pointed at a local endpoint with dummy credentials and a single attempt.
pub async fn local_sdk_config(endpoint: &str, region: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(endpoint)
        .credentials_provider(aws_sdk_sts::config::Credentials::new(
            TEST_ACCESS_KEY,
            TEST_SECRET_KEY,
            None,
            None,
            "hipaa-audit-mocks",
        ))
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .load()
        .await
}

/// What seeding created, for tests that need moto's generated ids.
#[derive(Debug, Default, Clone)]
pub struct Seeded {
    /// Security group name -> id, per region.
    pub security_groups: BTreeMap<String, BTreeMap<String, String>>,
    /// Key alias -> key ARN, per region.
    pub kms_keys: BTreeMap<String, BTreeMap<String, String>>,
}

/// Creates every resource of `account` in the moto at `endpoint`.
pub async fn seed(endpoint: &str, account: &Account) -> Result<Seeded> {
    let mut seeded = Seeded::default();
    let Some(home) = account.regions.keys().next() else {
        return Ok(seeded);
    };
    let config = local_sdk_config(endpoint, home).await;
    let identity = aws_sdk_sts::Client::new(&config)
        .get_caller_identity()
        .send()
        .await?;
    let account_id = identity.account().unwrap_or("123456789012").to_owned();
    crate::seed_iam::seed_iam(&config, &account_id, &account.iam)
        .await
        .context("seeding IAM")?;
    crate::seed_logging::seed_buckets(&config, &account.bucket)
        .await
        .context("seeding S3 buckets")?;
    for (region, fixture) in &account.regions {
        let config = local_sdk_config(endpoint, region).await;
        let (groups, keys) = seed_region(&config, region, fixture)
            .await
            .with_context(|| format!("seeding region {region}"))?;
        let key_arn = |alias: &str| lookup(&keys, alias, "KMS key");
        crate::seed_logging::seed_logging(&config, region, &account_id, fixture, key_arn)
            .await
            .with_context(|| format!("seeding logging in {region}"))?;
        crate::seed_datastores::seed_datastores(&config, fixture, &keys)
            .await
            .with_context(|| format!("seeding data stores in {region}"))?;
        seeded.security_groups.insert(region.clone(), groups);
        seeded.kms_keys.insert(region.clone(), keys);
    }
    crate::seed_datastores::encrypt_and_tag_buckets(&config, &account.bucket, &seeded.kms_keys)
        .await
        .context("encrypting and tagging S3 buckets")?;
    Ok(seeded)
}

type Names = BTreeMap<String, String>;

async fn seed_region(
    config: &SdkConfig,
    region: &str,
    fixture: &RegionFixture,
) -> Result<(Names, Names)> {
    let kms = aws_sdk_kms::Client::new(config);
    let ec2 = aws_sdk_ec2::Client::new(config);
    let rds = aws_sdk_rds::Client::new(config);

    let mut keys = Names::new();
    for key in &fixture.kms_key {
        let created = kms
            .create_key()
            .description(&key.description)
            .send()
            .await?;
        let metadata = created
            .key_metadata()
            .ok_or_else(|| anyhow!("CreateKey returned no metadata"))?;
        kms.create_alias()
            .alias_name(format!("alias/{}", key.alias))
            .target_key_id(metadata.key_id())
            .send()
            .await?;
        keys.insert(
            key.alias.clone(),
            metadata.arn().unwrap_or_default().to_owned(),
        );
    }

    let network = crate::seed_network::seed_vpcs(config, region, fixture).await?;

    let mut groups = Names::new();
    for group in &fixture.security_group {
        let created = ec2
            .create_security_group()
            .group_name(&group.name)
            .description(&group.description)
            .set_vpc_id(group.vpc.as_deref().map(|v| network.vpc(v)).transpose()?)
            .send()
            .await
            .with_context(|| format!("CreateSecurityGroup {}", group.name))?;
        groups.insert(
            group.name.clone(),
            created.group_id().unwrap_or_default().to_owned(),
        );
    }
    for group in &fixture.security_group {
        for rule in &group.ingress {
            ec2.authorize_security_group_ingress()
                .group_id(lookup(&groups, &group.name, "security group")?)
                .ip_permissions(ip_permission(rule, &groups)?)
                .send()
                .await
                .with_context(|| format!("AuthorizeSecurityGroupIngress {}", group.name))?;
        }
    }

    for group in &fixture.db_subnet_group {
        let subnets = group
            .subnets
            .iter()
            .map(|s| network.subnet(s))
            .collect::<Result<Vec<_>>>()?;
        rds.create_db_subnet_group()
            .db_subnet_group_name(&group.name)
            .db_subnet_group_description("hipaa-audit fixture")
            .set_subnet_ids(Some(subnets))
            .send()
            .await
            .with_context(|| format!("CreateDBSubnetGroup {}", group.name))?;
    }

    for group in &fixture.cluster_parameter_group {
        rds.create_db_cluster_parameter_group()
            .db_cluster_parameter_group_name(&group.name)
            .db_parameter_group_family(&group.family)
            .description("hipaa-audit fixture")
            .send()
            .await?;
        if !group.parameters.is_empty() {
            rds.modify_db_cluster_parameter_group()
                .db_cluster_parameter_group_name(&group.name)
                .set_parameters(Some(parameters(group)))
                .send()
                .await?;
        }
    }
    for group in &fixture.db_parameter_group {
        rds.create_db_parameter_group()
            .db_parameter_group_name(&group.name)
            .db_parameter_group_family(&group.family)
            .description("hipaa-audit fixture")
            .send()
            .await?;
        if !group.parameters.is_empty() {
            rds.modify_db_parameter_group()
                .db_parameter_group_name(&group.name)
                .set_parameters(Some(parameters(group)))
                .send()
                .await?;
        }
    }

    for cluster in &fixture.cluster {
        let kms_key = cluster
            .kms_key
            .as_ref()
            .map(|a| lookup(&keys, a, "KMS key"))
            .transpose()?;
        rds.create_db_cluster()
            .db_cluster_identifier(&cluster.id)
            .engine(&cluster.engine)
            .set_engine_version(cluster.engine_version.clone())
            .master_username("hipaa_admin")
            .master_user_password("fixture-password-1")
            .storage_encrypted(cluster.storage_encrypted)
            .set_kms_key_id(kms_key)
            .backup_retention_period(cluster.backup_retention_days)
            .deletion_protection(cluster.deletion_protection)
            .copy_tags_to_snapshot(cluster.copy_tags_to_snapshot)
            .set_enable_cloudwatch_logs_exports(Some(cluster.log_exports.clone()))
            .enable_iam_database_authentication(cluster.iam_auth)
            .set_db_cluster_parameter_group_name(cluster.parameter_group.clone())
            .set_vpc_security_group_ids(Some(group_ids(&cluster.security_groups, &groups)?))
            .set_db_subnet_group_name(cluster.subnet_group.clone())
            .send()
            .await
            .with_context(|| format!("CreateDBCluster {}", cluster.id))?;
        for member in &cluster.instances {
            rds.create_db_instance()
                .db_instance_identifier(&member.id)
                .db_cluster_identifier(&cluster.id)
                .engine(&cluster.engine)
                .db_instance_class("db.r6g.large")
                .publicly_accessible(member.publicly_accessible)
                .set_ca_certificate_identifier(member.ca.clone())
                .set_db_subnet_group_name(cluster.subnet_group.clone())
                .send()
                .await
                .with_context(|| format!("CreateDBInstance {}", member.id))?;
        }
    }
    for instance in &fixture.instance {
        let kms_key = instance
            .kms_key
            .as_ref()
            .map(|a| lookup(&keys, a, "KMS key"))
            .transpose()?;
        rds.create_db_instance()
            .db_instance_identifier(&instance.id)
            .engine(&instance.engine)
            .set_engine_version(instance.engine_version.clone())
            .db_instance_class("db.t4g.medium")
            .allocated_storage(20)
            .master_username("hipaa_admin")
            .master_user_password("fixture-password-1")
            .storage_encrypted(instance.storage_encrypted)
            .set_kms_key_id(kms_key)
            .backup_retention_period(instance.backup_retention_days)
            .deletion_protection(instance.deletion_protection)
            .copy_tags_to_snapshot(instance.copy_tags_to_snapshot)
            .set_enable_cloudwatch_logs_exports(Some(instance.log_exports.clone()))
            .enable_iam_database_authentication(instance.iam_auth)
            .set_db_parameter_group_name(instance.parameter_group.clone())
            .set_vpc_security_group_ids(Some(group_ids(&instance.security_groups, &groups)?))
            .publicly_accessible(instance.publicly_accessible)
            .set_ca_certificate_identifier(instance.ca.clone())
            .set_db_subnet_group_name(instance.subnet_group.clone())
            .send()
            .await
            .with_context(|| format!("CreateDBInstance {}", instance.id))?;
    }

    crate::seed_network::seed_workloads(config, region, fixture, &network).await?;

    for snapshot in &fixture.cluster_snapshot {
        rds.create_db_cluster_snapshot()
            .db_cluster_snapshot_identifier(&snapshot.id)
            .db_cluster_identifier(&snapshot.cluster)
            .send()
            .await
            .with_context(|| format!("CreateDBClusterSnapshot {}", snapshot.id))?;
        if !snapshot.shared_with.is_empty() {
            rds.modify_db_cluster_snapshot_attribute()
                .db_cluster_snapshot_identifier(&snapshot.id)
                .attribute_name("restore")
                .set_values_to_add(Some(snapshot.shared_with.clone()))
                .send()
                .await?;
        }
    }
    for snapshot in &fixture.db_snapshot {
        rds.create_db_snapshot()
            .db_snapshot_identifier(&snapshot.id)
            .db_instance_identifier(&snapshot.instance)
            .send()
            .await
            .with_context(|| format!("CreateDBSnapshot {}", snapshot.id))?;
        if !snapshot.shared_with.is_empty() {
            rds.modify_db_snapshot_attribute()
                .db_snapshot_identifier(&snapshot.id)
                .attribute_name("restore")
                .set_values_to_add(Some(snapshot.shared_with.clone()))
                .send()
                .await?;
        }
    }
    Ok((groups, keys))
}

fn lookup(names: &Names, name: &str, what: &str) -> Result<String> {
    names
        .get(name)
        .cloned()
        .ok_or_else(|| anyhow!("fixture refers to unknown {what} `{name}`"))
}

fn group_ids(names: &[String], groups: &Names) -> Result<Vec<String>> {
    names
        .iter()
        .map(|n| lookup(groups, n, "security group"))
        .collect()
}

fn parameters(group: &ParameterGroupFixture) -> Vec<Parameter> {
    group
        .parameters
        .iter()
        .map(|(name, value)| {
            Parameter::builder()
                .parameter_name(name)
                .parameter_value(value)
                .apply_method(ApplyMethod::PendingReboot)
                .build()
        })
        .collect()
}

fn ip_permission(rule: &IngressFixture, groups: &Names) -> Result<IpPermission> {
    let mut permission = IpPermission::builder()
        .ip_protocol(&rule.protocol)
        .set_from_port(rule.port.or(rule.from_port))
        .set_to_port(rule.port.or(rule.to_port));
    if let Some(cidr) = &rule.cidr {
        permission = permission.ip_ranges(IpRange::builder().cidr_ip(cidr).build());
    }
    if let Some(cidr) = &rule.cidr_ipv6 {
        permission = permission.ipv6_ranges(Ipv6Range::builder().cidr_ipv6(cidr).build());
    }
    if let Some(source) = &rule.source_group {
        permission = permission.user_id_group_pairs(
            UserIdGroupPair::builder()
                .group_id(lookup(groups, source, "security group")?)
                .build(),
        );
    }
    Ok(permission.build())
}
