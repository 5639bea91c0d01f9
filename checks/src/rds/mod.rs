//! RDS / Aurora checks (seeds 000, 001, 003, 004).
//!
//! `rds-cluster-*` and `rds-param-*` checks grade every DB cluster and every standalone DB
//! instance (one that belongs to no cluster) through one view, [`DbTarget`]; `rds-instance-*`
//! checks grade every instance; `rds-snapshot-*` checks grade manual snapshots.
//! `rds-deny-unencrypted-create` grades the account (region `global`) from its IAM policies and
//! SCPs, through [`crate::policy`].

use serde_json::{json, Value};

use crate::catalog::{CheckMeta, Context, Resource, Verdict};
use crate::finding::Finding;
use crate::snapshot::{DbInstance, Failure, Parameter, ParameterGroup, RegionSnapshot, Source};

pub mod rds_cluster_backup_retention;
pub mod rds_cluster_copy_tags_to_snapshot;
pub mod rds_cluster_custom_parameter_group;
pub mod rds_cluster_customer_managed_key;
pub mod rds_cluster_deletion_protection;
pub mod rds_cluster_iam_auth;
pub mod rds_cluster_log_exports;
pub mod rds_cluster_sg_app_only;
pub mod rds_cluster_sg_not_open;
pub mod rds_cluster_storage_encrypted;
pub mod rds_deny_unencrypted_create;
pub mod rds_guardduty_protection;
pub mod rds_instance_ca_current;
pub mod rds_instance_not_public;
pub mod rds_instance_private_subnets;
pub mod rds_param_force_ssl;
pub mod rds_param_min_tls;
pub mod rds_param_ssl_ciphers;
pub mod rds_plaintext_connection_alarm;
pub mod rds_snapshot_encrypted;
pub mod rds_snapshot_not_public;

#[cfg(test)]
pub(crate) mod fixtures;

/// Resource type of a DB cluster.
pub const CLUSTER_TYPE: &str = "AWS::RDS::DBCluster";
/// Resource type of a DB instance.
pub const INSTANCE_TYPE: &str = "AWS::RDS::DBInstance";

/// The engine families the parameter checks understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineFamily {
    /// aurora-postgresql, postgres.
    Postgres,
    /// aurora-mysql, aurora (Aurora MySQL 1), mysql, mariadb.
    Mysql,
    /// sqlserver-*, oracle-*, db2-*, custom engines: not graded by parameter checks yet.
    Other,
}

impl EngineFamily {
    /// Classifies an RDS engine name.
    pub fn of(engine: &str) -> EngineFamily {
        match engine {
            "aurora-postgresql" | "postgres" => EngineFamily::Postgres,
            "aurora-mysql" | "aurora" | "mysql" | "mariadb" => EngineFamily::Mysql,
            _ => EngineFamily::Other,
        }
    }

    /// The port the engine listens on by default.
    pub fn default_port(self, engine: &str) -> Option<i32> {
        match self {
            EngineFamily::Postgres => Some(5432),
            EngineFamily::Mysql => Some(3306),
            EngineFamily::Other if engine.starts_with("sqlserver") => Some(1433),
            EngineFamily::Other if engine.starts_with("oracle") => Some(1521),
            EngineFamily::Other if engine.starts_with("db2") => Some(50000),
            EngineFamily::Other => None,
        }
    }
}

/// Whether a [`DbTarget`] is a cluster or a standalone instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// An Aurora or Multi-AZ DB cluster.
    Cluster,
    /// A DB instance that belongs to no cluster.
    Instance,
}

/// A cluster or standalone instance, seen through the settings the cluster checks grade.
#[derive(Debug, Clone)]
pub struct DbTarget<'a> {
    /// Cluster or standalone instance.
    pub kind: TargetKind,
    /// Identifier.
    pub id: &'a str,
    /// ARN.
    pub arn: &'a str,
    /// Engine name.
    pub engine: &'a str,
    /// StorageEncrypted.
    pub storage_encrypted: bool,
    /// KmsKeyId.
    pub kms_key_id: Option<&'a str>,
    /// BackupRetentionPeriod.
    pub backup_retention_period: i32,
    /// DeletionProtection.
    pub deletion_protection: bool,
    /// CopyTagsToSnapshot.
    pub copy_tags_to_snapshot: bool,
    /// EnabledCloudwatchLogsExports.
    pub log_exports: &'a [String],
    /// IAMDatabaseAuthenticationEnabled.
    pub iam_auth: bool,
    /// The (cluster) parameter group in use.
    pub parameter_group: Option<&'a str>,
    /// VPC security groups.
    pub security_group_ids: &'a [String],
    /// The port it listens on (the engine default when the API omits it).
    pub port: Option<i32>,
}

impl DbTarget<'_> {
    /// The finding's resource.
    pub fn resource(&self) -> Resource {
        let resource_type = match self.kind {
            TargetKind::Cluster => CLUSTER_TYPE,
            TargetKind::Instance => INSTANCE_TYPE,
        };
        Resource::new(resource_type, self.id, self.arn)
    }

    /// The engine family.
    pub fn family(&self) -> EngineFamily {
        EngineFamily::of(self.engine)
    }

    /// "cluster" or "instance", for messages.
    pub fn noun(&self) -> &'static str {
        match self.kind {
            TargetKind::Cluster => "cluster",
            TargetKind::Instance => "instance",
        }
    }
}

fn instance_target(instance: &DbInstance) -> DbTarget<'_> {
    DbTarget {
        kind: TargetKind::Instance,
        id: &instance.id,
        arn: &instance.arn,
        engine: &instance.engine,
        storage_encrypted: instance.storage_encrypted,
        kms_key_id: instance.kms_key_id.as_deref(),
        backup_retention_period: instance.backup_retention_period,
        deletion_protection: instance.deletion_protection,
        copy_tags_to_snapshot: instance.copy_tags_to_snapshot,
        log_exports: &instance.enabled_cloudwatch_logs_exports,
        iam_auth: instance.iam_database_authentication_enabled,
        parameter_group: instance.parameter_groups.first().map(String::as_str),
        security_group_ids: &instance.vpc_security_group_ids,
        port: instance
            .port
            .or_else(|| EngineFamily::of(&instance.engine).default_port(&instance.engine)),
    }
}

/// Every cluster and standalone instance in a region, plus the listing failures that hide some.
pub fn targets(region: &RegionSnapshot) -> (Vec<DbTarget<'_>>, Vec<(&'static str, &Failure)>) {
    let mut out = Vec::new();
    let mut failures = Vec::new();
    match &region.rds.clusters {
        Source::Collected(clusters) => out.extend(clusters.iter().map(|c| {
            DbTarget {
                kind: TargetKind::Cluster,
                id: &c.id,
                arn: &c.arn,
                engine: &c.engine,
                storage_encrypted: c.storage_encrypted,
                kms_key_id: c.kms_key_id.as_deref(),
                backup_retention_period: c.backup_retention_period,
                deletion_protection: c.deletion_protection,
                copy_tags_to_snapshot: c.copy_tags_to_snapshot,
                log_exports: &c.enabled_cloudwatch_logs_exports,
                iam_auth: c.iam_database_authentication_enabled,
                parameter_group: c.parameter_group.as_deref(),
                security_group_ids: &c.vpc_security_group_ids,
                port: c
                    .port
                    .or_else(|| EngineFamily::of(&c.engine).default_port(&c.engine)),
            }
        })),
        Source::Failed(failure) => failures.push(("the DB cluster list", failure)),
    }
    match &region.rds.instances {
        Source::Collected(instances) => out.extend(
            instances
                .iter()
                .filter(|i| i.cluster_id.is_none())
                .map(instance_target),
        ),
        Source::Failed(failure) => failures.push(("the DB instance list", failure)),
    }
    (out, failures)
}

/// Runs `grade` over every cluster and standalone instance of every region; listing failures
/// become region-level `error` findings so a blind spot is never silent.
pub fn grade_targets(
    ctx: &Context,
    meta: &CheckMeta,
    grade: impl Fn(&DbTarget, &RegionSnapshot) -> Verdict,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (region_name, region) in &ctx.snapshot.regions {
        let (targets, failures) = targets(region);
        for (what, failure) in failures {
            findings.push(meta.finding(
                ctx,
                region_name,
                &Resource::region(region_name),
                Verdict::error(what, failure),
            ));
        }
        for target in &targets {
            findings.push(meta.finding(
                ctx,
                region_name,
                &target.resource(),
                grade(target, region),
            ));
        }
    }
    findings
}

/// Runs `grade` over every DB instance (cluster members included) of every region.
pub fn grade_instances(
    ctx: &Context,
    meta: &CheckMeta,
    grade: impl Fn(&DbInstance, &RegionSnapshot) -> Verdict,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (region_name, region) in &ctx.snapshot.regions {
        match &region.rds.instances {
            Source::Collected(instances) => {
                for instance in instances {
                    let resource = Resource::new(INSTANCE_TYPE, &instance.id, &instance.arn);
                    findings.push(meta.finding(
                        ctx,
                        region_name,
                        &resource,
                        grade(instance, region),
                    ));
                }
            }
            Source::Failed(failure) => findings.push(meta.finding(
                ctx,
                region_name,
                &Resource::region(region_name),
                Verdict::error("the DB instance list", failure),
            )),
        }
    }
    findings
}

/// A parameter's effective value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectiveParameter {
    /// Parameter name.
    pub name: String,
    /// The value in force; `None` when neither the group nor the engine default sets one.
    pub value: Option<String>,
    /// `parameter group <name>` or `engine default (<family>)`.
    pub origin: String,
}

impl EffectiveParameter {
    /// Evidence object for findings.
    pub fn evidence(&self, target: &DbTarget) -> Value {
        json!({
            "Engine": target.engine,
            "ParameterGroup": target.parameter_group,
            "Parameter": self.name,
            "Value": self.value,
            "DecidedBy": self.origin,
        })
    }
}

fn find_value<'p>(parameters: &'p [Parameter], name: &str) -> Option<&'p Parameter> {
    parameters.iter().find(|p| p.name == name)
}

/// Resolves `name` for a target: the value set in its parameter group, else the engine default
/// for the group's family. `Err` is a verdict of `error` naming the evidence that is missing.
pub fn effective_parameter(
    target: &DbTarget,
    region: &RegionSnapshot,
    name: &str,
) -> Result<EffectiveParameter, Verdict> {
    let (groups, defaults, api) = match target.kind {
        TargetKind::Cluster => (
            &region.rds.cluster_parameter_groups,
            &region.rds.cluster_engine_defaults,
            "DescribeEngineDefaultClusterParameters",
        ),
        TargetKind::Instance => (
            &region.rds.instance_parameter_groups,
            &region.rds.instance_engine_defaults,
            "DescribeEngineDefaultParameters",
        ),
    };
    let Some(group_name) = target.parameter_group else {
        return Err(Verdict::missing(
            format!(
                "{} {} reports no parameter group, so {name} cannot be read",
                target.noun(),
                target.id
            ),
            json!({ "Parameter": name }),
        ));
    };
    let group: &ParameterGroup = match groups.get(group_name) {
        Some(Source::Collected(group)) => group,
        Some(Source::Failed(failure)) => {
            return Err(Verdict::error(
                &format!("parameter group {group_name} (needed for {name})"),
                failure,
            ))
        }
        None => {
            return Err(Verdict::missing(
                format!("parameter group {group_name} was not collected, so {name} is unknown"),
                json!({ "ParameterGroup": group_name, "Parameter": name }),
            ))
        }
    };
    if let Some(value) = find_value(&group.parameters, name).and_then(|p| p.value.clone()) {
        return Ok(EffectiveParameter {
            name: name.to_owned(),
            value: Some(value),
            origin: format!("parameter group {group_name}"),
        });
    }
    let Some(family) = group.family.as_deref() else {
        return Err(Verdict::missing(
            format!(
                "{name} is not set in parameter group {group_name} and the group's family is \
                 unknown, so its engine default cannot be looked up"
            ),
            json!({ "ParameterGroup": group_name, "Parameter": name }),
        ));
    };
    match defaults.get(family) {
        Some(Source::Collected(parameters)) => Ok(EffectiveParameter {
            name: name.to_owned(),
            value: find_value(parameters, name).and_then(|p| p.value.clone()),
            origin: format!("engine default ({family})"),
        }),
        Some(Source::Failed(failure)) => Err(Verdict::missing(
            format!(
                "{name} is not set in parameter group {group_name} and its engine default for \
                 {family} could not be read ({api}: {} {})",
                failure.code, failure.message
            ),
            json!({
                "ParameterGroup": group_name,
                "Family": family,
                "Parameter": name,
                "collection_error": failure,
            }),
        )),
        None => Err(Verdict::missing(
            format!(
                "{name} is not set in parameter group {group_name} and the engine defaults for \
                 {family} were not collected"
            ),
            json!({ "ParameterGroup": group_name, "Family": family, "Parameter": name }),
        )),
    }
}

/// The not-applicable verdict parameter checks give engines they do not understand yet.
pub fn unsupported_engine(target: &DbTarget) -> Verdict {
    Verdict::not_applicable(
        format!(
            "engine {} is not graded by parameter checks yet (PostgreSQL and MySQL families only)",
            target.engine
        ),
        json!({ "Engine": target.engine }),
    )
}

/// Resource type of a manual DB cluster snapshot.
pub const CLUSTER_SNAPSHOT_TYPE: &str = "AWS::RDS::DBClusterSnapshot";
/// Resource type of a manual DB snapshot.
pub const INSTANCE_SNAPSHOT_TYPE: &str = "AWS::RDS::DBSnapshot";

/// Runs `grade` over every manual cluster and instance snapshot of every region.
pub fn grade_manual_snapshots(
    ctx: &Context,
    meta: &CheckMeta,
    grade: impl Fn(&crate::snapshot::DbSnapshot) -> Verdict,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (region_name, region) in &ctx.snapshot.regions {
        let lists = [
            (
                &region.rds.cluster_snapshots,
                CLUSTER_SNAPSHOT_TYPE,
                "the DB cluster snapshot list",
            ),
            (
                &region.rds.instance_snapshots,
                INSTANCE_SNAPSHOT_TYPE,
                "the DB snapshot list",
            ),
        ];
        for (source, resource_type, what) in lists {
            match source {
                Source::Collected(snapshots) => {
                    // Only manual snapshots are the customer's to share or leave unencrypted;
                    // automated ones follow their database and are graded there.
                    for snapshot in snapshots.iter().filter(|s| s.snapshot_type == "manual") {
                        let resource = Resource::new(resource_type, &snapshot.id, &snapshot.arn);
                        findings.push(meta.finding(ctx, region_name, &resource, grade(snapshot)));
                    }
                }
                Source::Failed(failure) => findings.push(meta.finding(
                    ctx,
                    region_name,
                    &Resource::region(region_name),
                    Verdict::error(what, failure),
                )),
            }
        }
    }
    findings
}

/// The world, as an IPv4 or IPv6 CIDR.
pub fn is_world(cidr: &str) -> bool {
    matches!(cidr.trim(), "0.0.0.0/0" | "::/0")
}

/// True when a permission admits TCP traffic to `port` (`None`: any port).
pub fn permission_covers_port(
    permission: &crate::snapshot::IpPermission,
    port: Option<i32>,
) -> bool {
    match permission.protocol.as_str() {
        "-1" | "all" => true,
        "tcp" | "6" => match (permission.from_port, permission.to_port, port) {
            (_, _, None) => true,
            (Some(from), Some(to), Some(port)) => {
                // from/to of -1 on a tcp rule means all ports.
                (from == -1 && to == -1) || (from <= port && port <= to)
            }
            _ => true,
        },
        _ => false,
    }
}

/// One ingress permission of an attached security group that reaches the database's port.
#[derive(Debug, Clone, Copy)]
pub struct DbPortRule<'a> {
    /// The security group holding it.
    pub group_id: &'a str,
    /// The permission.
    pub permission: &'a crate::snapshot::IpPermission,
}

/// The ingress permissions of a target's security groups that reach its port; `Err` is the
/// `error` verdict when a group could not be read.
pub fn db_port_rules<'a>(
    target: &DbTarget,
    region: &'a RegionSnapshot,
) -> Result<Vec<DbPortRule<'a>>, Verdict> {
    let groups = match &region.ec2.security_groups {
        Source::Collected(groups) => groups,
        Source::Failed(failure) => {
            return Err(Verdict::error(
                &format!("the security groups of {} {}", target.noun(), target.id),
                failure,
            ))
        }
    };
    let mut rules = Vec::new();
    for group_id in target.security_group_ids {
        let Some(group) = groups.iter().find(|g| &g.id == group_id) else {
            return Err(Verdict::missing(
                format!(
                    "security group {group_id} of {} {} was not returned by DescribeSecurityGroups",
                    target.noun(),
                    target.id
                ),
                json!({ "SecurityGroupId": group_id }),
            ));
        };
        rules.extend(
            group
                .ingress
                .iter()
                .filter(|p| permission_covers_port(p, target.port))
                .map(|permission| DbPortRule {
                    group_id: &group.id,
                    permission,
                }),
        );
    }
    Ok(rules)
}

/// The verdict of a check that reads one setting: pass when `ok`, else fail; the message names
/// the target, and `evidence_field` carries the value read.
pub fn setting_verdict(
    target: &DbTarget,
    ok: bool,
    evidence_field: &str,
    value: Value,
    pass_text: &str,
    fail_text: &str,
) -> Verdict {
    let evidence = json!({ evidence_field: value });
    let subject = format!("{} {}", target.noun(), target.id);
    if ok {
        Verdict::pass(format!("{subject} {pass_text}"), evidence)
    } else {
        Verdict::fail(format!("{subject} {fail_text}"), evidence)
    }
}

/// Grades one parameter (`postgres_name` / `mysql_name` by engine family) on every target:
/// resolves its effective value, then lets `judge` decide. Other engines are not applicable.
pub fn grade_parameter(
    ctx: &Context,
    meta: &CheckMeta,
    postgres_name: &str,
    mysql_name: &str,
    judge: impl Fn(&DbTarget, &EffectiveParameter) -> Verdict,
) -> Vec<Finding> {
    grade_targets(ctx, meta, |target, region| {
        let name = match target.family() {
            EngineFamily::Postgres => postgres_name,
            EngineFamily::Mysql => mysql_name,
            EngineFamily::Other => return unsupported_engine(target),
        };
        match effective_parameter(target, region, name) {
            Ok(parameter) => judge(target, &parameter),
            Err(verdict) => verdict,
        }
    })
}

/// "rds.force_ssl = 1 (from parameter group x)" for messages.
pub fn describe_parameter(parameter: &EffectiveParameter) -> String {
    match &parameter.value {
        Some(value) => format!("{} = {value} (from {})", parameter.name, parameter.origin),
        None => format!(
            "{} is not set (checked {})",
            parameter.name, parameter.origin
        ),
    }
}
