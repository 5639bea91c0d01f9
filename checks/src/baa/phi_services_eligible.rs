//! phi-services-eligible: every service that holds resources in scope is on the HIPAA-eligible
//! list (reference/hipaa-eligible-services.toml or `--eligible-services FILE`).
//!
//! The account's service inventory is built from three kinds of evidence, each recorded per
//! service: `tagging` (tag:GetResources, every tagged resource's ARN -> its service namespace),
//! `config` (config:GetDiscoveredResourceCounts, resource type `AWS::S3::Bucket` -> IAM prefix
//! `s3`) and `collectors` (the resources the other collectors of this tool already listed).
//! Only tagging and Config can reveal a service that is not on the list (the collectors only
//! read eligible services), so a failure of either is reported as one account-level `error`.
//!
//! Eligibility is a property of a service, not of a region, so there is one finding per service
//! (resource `AWS::::Service`, id = the IAM prefix) in region `global`; the regions where the
//! service was seen are in the message and the evidence.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::{s3_bucket_encrypted, sns_topic_encrypted, sqs_queue_encrypted, SERVICE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Resource, Verdict};
use crate::config::PhiTag;
use crate::eligible::{arn_service, Eligibility};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::{account_finding, ACCOUNT_TYPE, GLOBAL};
use crate::snapshot::{Failure, RegionSnapshot, Source};

/// The check: one finding per service seen in the account.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "phi-services-eligible",
    title: "Services holding PHI are HIPAA eligible",
    severity: Severity::High,
    hipaa: &["164.308(b)(1)"],
    baa: BaaRule::EligibleServices,
    resource_types: &[SERVICE_TYPE, ACCOUNT_TYPE],
    requirement: "Under the AWS BAA, PHI may only be stored, processed or transmitted with \
        HIPAA-eligible services (seed 002). Every service that holds resources in the account \
        is compared with the dated HIPAA-eligible list (its date and origin are in every \
        finding). Without `phi_tag` in the config every resource is in scope: an eligible \
        service passes, a service not on the list fails at medium severity (fine if it holds no \
        PHI; tag PHI resources to scope the check). With `phi_tag` only resources carrying that \
        tag key with one of its values are in scope: a service holding such resources fails at \
        high severity when it is not on the list; services without them are not_applicable. \
        Supporting tools that store no PHI (billing, IAM, support) are not_applicable. The \
        inventory comes from the Resource Groups Tagging API, AWS Config's discovered-resource \
        counts and the resources the other collectors listed; regions where it could not be \
        read are reported as an error, never passed.",
    evidence: &[
        "tag:GetResources (every region)",
        "config:GetDiscoveredResourceCounts (regions with a recorder)",
        "the other collectors' listings (rds, ec2, elasticloadbalancing, kms, cloudtrail, s3, \
         dynamodb, sqs, sns, logs, cloudwatch, guardduty, config)",
        "reference/hipaa-eligible-services.toml (or --eligible-services FILE)",
    ],
    remediation: Remediation {
        summary: "Move PHI off services that are not HIPAA eligible (or confirm they hold none \
            and tag PHI resources with the phi_tag so the check is scoped).",
        console: "Resource Groups & Tag Editor > Tag Editor > find resources of the service in \
            every region > confirm none holds PHI; tag the resources that do hold PHI (e.g. \
            DataClass=PHI) and set phi_tag in the config; migrate PHI to an eligible service \
            (aws.amazon.com/compliance/hipaa-eligible-services-reference) and delete it from the \
            other one.",
        cli: "aws resourcegroupstaggingapi get-resources --region <region> --query \
              \"ResourceTagMappingList[?contains(ResourceARN, ':<id>:')].ResourceARN\"\n\
              aws resourcegroupstaggingapi tag-resources --resource-arn-list <arn> --tags \
              DataClass=PHI",
        cloudformation: "Tags: [{Key: DataClass, Value: PHI}] on every resource that holds PHI; \
            an SCP that denies non-eligible services (AWS::Organizations::Policy) keeps new ones \
            out.",
    },
    seeds: &["seed 002"],
    source_file: file!(),
};

/// Inventory source: the Resource Groups Tagging API.
const TAGGING: &str = "tagging";
/// Inventory source: AWS Config discovered-resource counts.
const CONFIG: &str = "config";
/// Inventory source: this tool's other collectors.
const COLLECTORS: &str = "collectors";
/// How many example resources a finding lists.
const EXAMPLES: usize = 5;
/// How many in-scope resources a message names before "and N more".
const NAMED_IN_MESSAGE: usize = 10;

/// Config resource-type namespaces whose IAM prefix is not simply the namespace in lower case.
const CONFIG_NAMESPACES: &[(&str, &str)] = &[
    ("ACMPCA", "acm-pca"),
    ("AmazonMQ", "mq"),
    ("MWAA", "airflow"),
    ("ResourceGroups", "resource-groups"),
    ("S3ObjectLambda", "s3-object-lambda"),
    ("ApiGatewayV2", "apigateway"),
    ("AppIntegrations", "app-integrations"),
    ("ApplicationAutoScaling", "application-autoscaling"),
    ("CertificateManager", "acm"),
    ("CodeGuruProfiler", "codeguru-profiler"),
    ("CodeGuruReviewer", "codeguru-reviewer"),
    ("Cognito", "cognito-idp"),
    ("CustomerProfiles", "profile"),
    // DocumentDB and Neptune clusters have `arn:aws:rds:` ARNs and are managed through rds.
    ("DocDB", "rds"),
    ("EFS", "elasticfilesystem"),
    ("EMR", "elasticmapreduce"),
    ("EMRContainers", "emr-containers"),
    ("EMRServerless", "emr-serverless"),
    ("ElasticLoadBalancingV2", "elasticloadbalancing"),
    ("Elasticsearch", "es"),
    ("EventSchemas", "schemas"),
    ("GreengrassV2", "greengrass"),
    ("InspectorV2", "inspector2"),
    ("KinesisAnalyticsV2", "kinesisanalytics"),
    ("KinesisFirehose", "firehose"),
    ("MSK", "kafka"),
    ("Macie", "macie2"),
    ("Neptune", "rds"),
    ("NetworkFirewall", "network-firewall"),
    ("OpenSearch", "es"),
    ("OpenSearchService", "es"),
    ("OpenSearchServerless", "aoss"),
    ("Pinpoint", "mobiletargeting"),
    ("RedshiftServerless", "redshift-serverless"),
    ("ResourceExplorer2", "resource-explorer-2"),
    ("Route53RecoveryControl", "route53-recovery-control-config"),
    ("Route53RecoveryReadiness", "route53-recovery-readiness"),
    ("SSMContacts", "ssm-contacts"),
    ("SSMIncidents", "ssm-incidents"),
    ("ShieldRegional", "shield"),
    ("StepFunctions", "states"),
    ("WAFRegional", "waf-regional"),
];

/// Whole Config resource types whose prefix differs from their namespace's.
const CONFIG_TYPES: &[(&str, &str)] = &[("AWS::Cognito::IdentityPool", "cognito-identity")];

/// The IAM prefix of an AWS Config resource type (`AWS::S3::Bucket` -> `s3`,
/// `AWS::StepFunctions::StateMachine` -> `states`); `None` for types outside the `AWS::`
/// namespace (third-party registry types), which belong to no AWS service.
pub fn config_type_prefix(resource_type: &str) -> Option<String> {
    let resource_type = resource_type.trim();
    if let Some((_, prefix)) = CONFIG_TYPES.iter().find(|(t, _)| *t == resource_type) {
        return Some((*prefix).to_owned());
    }
    let mut parts = resource_type.split("::");
    if parts.next()? != "AWS" {
        return None;
    }
    let namespace = parts.next().filter(|n| !n.is_empty())?;
    Some(
        CONFIG_NAMESPACES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(namespace))
            .map_or_else(|| namespace.to_ascii_lowercase(), |(_, p)| (*p).to_owned()),
    )
}

/// What the inventory knows about one service.
#[derive(Debug, Default)]
struct Seen {
    /// Which inventory sources saw it.
    sources: BTreeSet<&'static str>,
    /// Regions it was seen in (`global` for buckets whose location is unknown).
    regions: BTreeSet<String>,
    /// Identified resources (ARNs, or ids where the API gives none).
    resources: BTreeSet<String>,
    /// AWS Config's counts, summed over regions, per resource type.
    config_counts: BTreeMap<String, i64>,
    /// Resources carrying the phi_tag.
    in_scope: BTreeSet<String>,
}

impl Seen {
    fn config_total(&self) -> i64 {
        self.config_counts.values().sum()
    }

    /// The best resource count: identified resources or Config's count, whichever is larger.
    fn count(&self) -> i64 {
        i64::try_from(self.resources.len())
            .unwrap_or(i64::MAX)
            .max(self.config_total())
    }
}

/// The account's service inventory and what could not be read.
#[derive(Debug, Default)]
struct Inventory<'a> {
    services: BTreeMap<String, Seen>,
    /// Failed tag:GetResources / config:GetDiscoveredResourceCounts calls.
    failures: Vec<&'a Failure>,
    /// Regions where tag:GetResources answered.
    tagging_read: BTreeSet<String>,
    /// Regions where Config's counts answered.
    config_read: BTreeSet<String>,
}

impl Inventory<'_> {
    fn add(&mut self, prefix: &str, region: &str, source: &'static str, id: &str, phi: bool) {
        let seen = self.services.entry(prefix.to_owned()).or_default();
        seen.sources.insert(source);
        seen.regions.insert(region.to_owned());
        if !id.is_empty() {
            seen.resources.insert(id.to_owned());
            if phi {
                seen.in_scope.insert(id.to_owned());
            }
        }
    }

    fn add_count(&mut self, prefix: &str, region: &str, resource_type: &str, count: i64) {
        let seen = self.services.entry(prefix.to_owned()).or_default();
        seen.sources.insert(CONFIG);
        seen.regions.insert(region.to_owned());
        *seen
            .config_counts
            .entry(resource_type.to_owned())
            .or_default() += count;
    }
}

/// True when `tags` carry the phi_tag key with one of its values (exact, case-sensitive, as
/// AWS compares tags).
fn is_phi(phi_tag: Option<&PhiTag>, tags: &BTreeMap<String, String>) -> bool {
    phi_tag.is_some_and(|t| tags.get(&t.key).is_some_and(|v| t.values.contains(v)))
}

/// An ARN built from the snapshot's partition and account, or `id` when either is unknown.
fn arn_or_id(ctx: &Context, service: &str, region: &str, resource: &str, id: &str) -> String {
    let snapshot = ctx.snapshot;
    if snapshot.partition.is_empty() || snapshot.account_id.is_empty() {
        id.to_owned()
    } else {
        format!(
            "arn:{}:{service}:{region}:{}:{resource}",
            snapshot.partition, snapshot.account_id
        )
    }
}

fn non_empty<'s>(arn: &'s str, id: &'s str) -> &'s str {
    if arn.is_empty() {
        id
    } else {
        arn
    }
}

/// Adds what the other collectors listed in one region (only listings that were collected).
fn collectors_inventory(ctx: &Context, name: &str, region: &RegionSnapshot, inv: &mut Inventory) {
    let phi_tag = ctx.config.phi_tag.as_ref();
    let mut add = |prefix: &str, id: &str, phi: bool| inv.add(prefix, name, COLLECTORS, id, phi);
    if let Source::Collected(clusters) = &region.rds.clusters {
        for c in clusters {
            add("rds", non_empty(&c.arn, &c.id), false);
        }
    }
    if let Source::Collected(instances) = &region.rds.instances {
        for i in instances {
            add("rds", non_empty(&i.arn, &i.id), false);
        }
    }
    if let Source::Collected(instances) = &region.ec2.instances {
        for i in instances.iter().filter(|i| i.state != "terminated") {
            let arn = arn_or_id(ctx, "ec2", name, &format!("instance/{}", i.id), &i.id);
            add("ec2", &arn, is_phi(phi_tag, &i.tags));
        }
    }
    if let Source::Collected(volumes) = &region.ec2.volumes {
        for v in volumes {
            let arn = arn_or_id(ctx, "ec2", name, &format!("volume/{}", v.id), &v.id);
            add("ec2", &arn, is_phi(phi_tag, &v.tags));
        }
    }
    if let Source::Collected(vpcs) = &region.ec2.vpcs {
        for v in vpcs {
            add(
                "ec2",
                &arn_or_id(ctx, "ec2", name, &format!("vpc/{}", v.id), &v.id),
                false,
            );
        }
    }
    if let Source::Collected(lbs) = &region.elb.load_balancers {
        for lb in lbs {
            add("elasticloadbalancing", non_empty(&lb.arn, &lb.name), false);
        }
    }
    if let Source::Collected(lbs) = &region.elb.classic_load_balancers {
        for lb in lbs {
            let arn = arn_or_id(
                ctx,
                "elasticloadbalancing",
                name,
                &format!("loadbalancer/{}", lb.name),
                &lb.name,
            );
            add("elasticloadbalancing", &arn, false);
        }
    }
    for key in region.kms.keys.values() {
        if let Source::Collected(key) = key {
            add("kms", non_empty(&key.arn, &key.key_id), false);
        }
    }
    if let Source::Collected(trails) = &region.cloudtrail.trails {
        // Multi-region trails are listed everywhere; only their home region holds them.
        for t in trails.iter().filter(|t| t.home_region == name) {
            add("cloudtrail", non_empty(&t.arn, &t.name), false);
        }
    }
    if let Source::Collected(tables) = &region.dynamodb_tables {
        for t in tables {
            add("dynamodb", non_empty(&t.arn, &t.name), false);
        }
    }
    if let Source::Collected(queues) = &region.sqs_queues {
        for q in queues {
            add("sqs", non_empty(&q.arn, &q.url), false);
        }
    }
    if let Source::Collected(topics) = &region.sns_topics {
        for t in topics {
            add("sns", &t.arn, false);
        }
    }
    if let Source::Collected(filters) = &region.logs.metric_filters {
        for f in filters {
            let group = &f.log_group_name;
            add(
                "logs",
                &arn_or_id(ctx, "logs", name, &format!("log-group:{group}"), group),
                false,
            );
        }
    }
    if let Source::Collected(alarms) = &region.cloudwatch.alarms {
        for a in alarms {
            add("cloudwatch", non_empty(&a.arn, &a.name), false);
        }
    }
    if let Source::Collected(detectors) = &region.guardduty.detectors {
        for d in detectors {
            let arn = arn_or_id(ctx, "guardduty", name, &format!("detector/{}", d.id), &d.id);
            add("guardduty", &arn, false);
        }
    }
    if let Source::Collected(recorders) = &region.config_service.recorders {
        for r in recorders {
            add(
                "config",
                &format!("configuration-recorder/{} ({name})", r.name),
                false,
            );
        }
    }
    if let Source::Collected(rules) = &region.config_service.rules {
        for r in rules {
            add("config", non_empty(&r.arn, &r.name), false);
        }
    }
}

fn build_inventory<'a>(ctx: &Context<'a>) -> Inventory<'a> {
    let mut inv = Inventory::default();
    let phi_tag = ctx.config.phi_tag.as_ref();
    for (name, region) in &ctx.snapshot.regions {
        match &region.tagged_resources {
            Source::Collected(resources) => {
                inv.tagging_read.insert(name.clone());
                for resource in resources {
                    // An ARN without a namespace names no service; nothing to grade.
                    if let Some(prefix) = arn_service(&resource.arn) {
                        let phi = is_phi(phi_tag, &resource.tags);
                        inv.add(prefix, name, TAGGING, &resource.arn, phi);
                    }
                }
            }
            Source::Failed(failure) => inv.failures.push(failure),
        }
        match &region.config_service.discovered_resource_counts {
            Some(Source::Collected(counts)) => {
                inv.config_read.insert(name.clone());
                for (resource_type, count) in counts.iter().filter(|(_, n)| **n > 0) {
                    if let Some(prefix) = config_type_prefix(resource_type) {
                        inv.add_count(&prefix, name, resource_type, *count);
                    }
                }
            }
            Some(Source::Failed(failure)) => inv.failures.push(failure),
            None => {}
        }
        collectors_inventory(ctx, name, region, &mut inv);
    }
    if let Source::Collected(buckets) = &ctx.snapshot.global.s3.buckets {
        for bucket in buckets {
            let arn = super::bucket_arn(ctx, &bucket.name);
            inv.add(
                "s3",
                super::bucket_region(bucket),
                COLLECTORS,
                non_empty(&arn, &bucket.name),
                false,
            );
        }
    }
    inv.failures.sort();
    inv.failures.dedup();
    inv
}

/// Why in-scope resources are known to be unencrypted at rest, from the evidence the
/// encryption checks read (s3, sqs, sns, rds, EBS volumes; DynamoDB is always encrypted).
fn encryption_gaps(ctx: &Context, arns: &BTreeSet<String>) -> Vec<String> {
    let snapshot = ctx.snapshot;
    let mut gaps = Vec::new();
    for arn in arns {
        match arn_service(arn) {
            Some("s3") => {
                let name = arn.rsplit(':').next().unwrap_or_default();
                if let Source::Collected(buckets) = &snapshot.global.s3.buckets {
                    gaps.extend(
                        buckets
                            .iter()
                            .filter(|b| b.name == name)
                            .filter_map(s3_bucket_encrypted::unencrypted_reason),
                    );
                }
            }
            Some("sqs") => {
                for region in snapshot.regions.values() {
                    if let Source::Collected(queues) = &region.sqs_queues {
                        gaps.extend(
                            queues
                                .iter()
                                .filter(|q| &q.arn == arn)
                                .filter_map(sqs_queue_encrypted::unencrypted_reason),
                        );
                    }
                }
            }
            Some("sns") => {
                for region in snapshot.regions.values() {
                    if let Source::Collected(topics) = &region.sns_topics {
                        gaps.extend(
                            topics
                                .iter()
                                .filter(|t| &t.arn == arn)
                                .filter_map(sns_topic_encrypted::unencrypted_reason),
                        );
                    }
                }
            }
            Some("rds") => {
                for region in snapshot.regions.values() {
                    if let Source::Collected(clusters) = &region.rds.clusters {
                        gaps.extend(
                            clusters
                                .iter()
                                .filter(|c| &c.arn == arn && !c.storage_encrypted)
                                .map(|c| {
                                    format!(
                                        "DB cluster {} is not encrypted \
                                         (rds-cluster-storage-encrypted)",
                                        c.id
                                    )
                                }),
                        );
                    }
                    if let Source::Collected(instances) = &region.rds.instances {
                        gaps.extend(
                            instances
                                .iter()
                                .filter(|i| &i.arn == arn && !i.storage_encrypted)
                                .map(|i| {
                                    format!(
                                        "DB instance {} is not encrypted \
                                         (rds-cluster-storage-encrypted)",
                                        i.id
                                    )
                                }),
                        );
                    }
                }
            }
            Some("ec2") => {
                let Some(volume_id) = arn.split(":volume/").nth(1) else {
                    continue;
                };
                for region in snapshot.regions.values() {
                    if let Source::Collected(volumes) = &region.ec2.volumes {
                        gaps.extend(
                            volumes
                                .iter()
                                .filter(|v| v.id == volume_id && !v.encrypted)
                                .map(|v| {
                                    format!(
                                        "volume {} is not encrypted (ec2-volume-encrypted)",
                                        v.id
                                    )
                                }),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    gaps
}

fn plural(n: i64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Up to [`NAMED_IN_MESSAGE`] items, then "and N more".
fn named(items: &BTreeSet<String>) -> String {
    let shown: Vec<&str> = items
        .iter()
        .take(NAMED_IN_MESSAGE)
        .map(String::as_str)
        .collect();
    let rest = items.len().saturating_sub(shown.len());
    if rest == 0 {
        shown.join(", ")
    } else {
        format!("{} and {rest} more", shown.join(", "))
    }
}

fn grade_service(ctx: &Context, prefix: &str, seen: &Seen, inv: &Inventory) -> Verdict {
    let list = ctx.eligible;
    let eligibility = ctx.eligible.classify(prefix);
    let phi_tag = ctx.config.phi_tag.as_ref();
    let dated = format!(
        "the HIPAA-eligible list dated {} ({})",
        list.as_of, list.origin
    );
    let regions: Vec<&str> = seen.regions.iter().map(String::as_str).collect();
    let sources: Vec<&str> = seen.sources.iter().copied().collect();
    let summary = format!(
        "{prefix} ({} in {}; seen by {})",
        plural(seen.count(), "resource"),
        regions.join(", "),
        sources.join(", ")
    );
    let tag_text = phi_tag.map(|t| format!("{}={}", t.key, t.values.join("/")));
    let gaps = if phi_tag.is_some() {
        encryption_gaps(ctx, &seen.in_scope)
    } else {
        Vec::new()
    };
    let evidence = json!({
        "service": prefix,
        "eligibility": match eligibility {
            Eligibility::Eligible => "eligible",
            Eligibility::NonPhiTool => "non_phi_tool",
            Eligibility::NotEligible => "not_eligible",
        },
        "eligible_services_list": { "as_of": list.as_of, "origin": list.origin },
        "seen_by": sources,
        "regions": regions,
        "resource_count": seen.count(),
        "identified_resources": seen.resources.len(),
        "config_resource_counts": seen.config_counts,
        "examples": seen.resources.iter().take(EXAMPLES).collect::<Vec<_>>(),
        "phi_tag": phi_tag,
        "phi_resources": phi_tag.map(|_| &seen.in_scope),
        "encryption_gaps": gaps,
        "inventory_failures": inv.failures,
    });
    if eligibility == Eligibility::NonPhiTool {
        return Verdict::not_applicable(
            format!(
                "{summary} is a supporting tool that stores no PHI (billing, identity, support); \
                 it is not graded against {dated}"
            ),
            evidence,
        );
    }
    let eligible = eligibility == Eligibility::Eligible;
    let Some(tag_text) = tag_text else {
        return if eligible {
            Verdict::pass(format!("{summary} is on {dated}"), evidence)
        } else {
            let mut verdict = Verdict::fail(
                format!(
                    "{summary} is not on {dated}, so it must not store, process or transmit \
                     PHI: fine if it holds no PHI; tag PHI resources to scope this check \
                     (phi_tag in the config)"
                ),
                evidence,
            );
            verdict.severity = Some(Severity::Medium);
            verdict
        };
    };
    // "Not tagged" is only known where the tags were read.
    let tags_unread: Vec<&str> = seen
        .regions
        .iter()
        .filter(|r| r.as_str() != GLOBAL && !inv.tagging_read.contains(r.as_str()))
        .map(String::as_str)
        .collect();
    if seen.in_scope.is_empty() && !tags_unread.is_empty() {
        return Verdict::missing(
            format!(
                "{summary}: whether it holds resources tagged {tag_text} is unknown: \
                 tag:GetResources could not be read in {}",
                tags_unread.join(", ")
            ),
            evidence,
        );
    }
    if seen.in_scope.is_empty() {
        let status_text = if eligible {
            format!("it is on {dated}")
        } else {
            format!("it is not on {dated}, so keep PHI out of it")
        };
        return Verdict::not_applicable(
            format!("{summary}: no resources tagged {tag_text}; {status_text}"),
            evidence,
        );
    }
    let in_scope = i64::try_from(seen.in_scope.len()).unwrap_or(i64::MAX);
    let scope_text = format!(
        "{} tagged {tag_text} ({})",
        plural(in_scope, "resource"),
        named(&seen.in_scope)
    );
    let gap_text = if gaps.is_empty() {
        String::new()
    } else {
        format!("; not encrypted at rest: {}", gaps.join("; "))
    };
    if eligible {
        Verdict::pass(
            format!("{prefix} holds {scope_text} and is on {dated}{gap_text}"),
            evidence,
        )
    } else {
        Verdict::fail(
            format!(
                "{prefix} holds {scope_text} but is not on {dated}: move the PHI to an eligible \
                 service, or correct the tag if the data is not PHI{gap_text}"
            ),
            evidence,
        )
    }
}

/// The account-level error for regions whose inventory could not be read; `None` when every
/// inventory source answered.
fn inventory_error(ctx: &Context, inv: &Inventory) -> Option<Verdict> {
    if ctx.snapshot.regions.is_empty() {
        return Some(Verdict::missing(
            "no region was scanned, so no service inventory (tag:GetResources) was read",
            json!({ "regions": [] }),
        ));
    }
    if inv.failures.is_empty() {
        return None;
    }
    let regions: BTreeSet<&str> = inv.failures.iter().map(|f| f.region.as_str()).collect();
    let calls: Vec<String> = inv.failures.iter().map(|f| f.describe()).collect();
    let nothing_read = inv.tagging_read.is_empty() && inv.config_read.is_empty();
    let message = if nothing_read {
        format!(
            "no service inventory could be read in any scanned region ({}); services that are \
             not HIPAA eligible cannot be found, so only the services the other collectors \
             listed were graded",
            calls.join("; ")
        )
    } else {
        format!(
            "the service inventory could not be fully read in {} ({}); services used only there \
             may be missing from these findings",
            regions.into_iter().collect::<Vec<_>>().join(", "),
            calls.join("; ")
        )
    };
    Some(Verdict::missing(
        format!(
            "{message}; grant tag:GetResources and config:GetDiscoveredResourceCounts and scan \
             again"
        ),
        json!({
            "collection_error": inv.failures,
            "tagging_read_in": inv.tagging_read,
            "config_counts_read_in": inv.config_read,
            "eligible_services_list": { "as_of": ctx.eligible.as_of, "origin": ctx.eligible.origin },
        }),
    ))
}

fn run(ctx: &Context) -> Vec<Finding> {
    let inv = build_inventory(ctx);
    let mut findings: Vec<Finding> = inv
        .services
        .iter()
        .map(|(prefix, seen)| {
            META.finding(
                ctx,
                GLOBAL,
                &Resource::new(SERVICE_TYPE, prefix, ""),
                grade_service(ctx, prefix, seen, &inv),
            )
        })
        .collect();
    // Without a Config recorder a region's inventory is its tagged resources and the services
    // this tool reads: untagged resources of any other service stay invisible there.
    for (name, region) in &ctx.snapshot.regions {
        if region.config_service.discovered_resource_counts.is_none() {
            findings.push(META.finding(
                ctx,
                name,
                &Resource::region(name),
                Verdict::manual(
                    format!(
                        "{name} has no AWS Config recorder, so untagged resources of services \
                         hipaa-audit does not read cannot be inventoried there; check the Billing \
                         console's bill by service for {name}, or turn on Config"
                    ),
                    json!({ "region": name, "config_resource_counts": null }),
                ),
            ));
        }
    }
    if let Some(error) = inventory_error(ctx, &inv) {
        findings.push(account_finding(ctx, &META, error));
    } else if findings.is_empty() {
        findings.push(account_finding(
            ctx,
            &META,
            Verdict::not_applicable(
                format!(
                    "no resources were found in the scanned regions, so no service is graded \
                     against the HIPAA-eligible list dated {} ({})",
                    ctx.eligible.as_of, ctx.eligible.origin
                ),
                json!({
                    "eligible_services_list": {
                        "as_of": ctx.eligible.as_of, "origin": ctx.eligible.origin
                    },
                }),
            ),
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baa::fixtures::*;
    use crate::config::Config;
    use crate::finding::Status;
    use crate::snapshot::{GlobalSnapshot, Instance, TaggedResource, Volume};

    const GAMELIFT: &str = "arn:aws:gamelift:us-east-1:111122223333:fleet/fleet-1";
    const DATE: &str = "on the HIPAA-eligible list dated 2025-04-16";

    fn with_tagged(resources: Vec<TaggedResource>) -> RegionSnapshot {
        RegionSnapshot {
            tagged_resources: Source::Collected(resources),
            ..compliant_region()
        }
    }

    fn run_with(region: RegionSnapshot, config: &Config) -> Vec<Finding> {
        evaluate_snapshot(
            &CHECK,
            &snapshot_of(vec![(REGION, region)], compliant_global()),
            config,
        )
    }

    #[test]
    fn eligible_services_pass_with_the_list_date_and_sources() {
        let findings = evaluate(&CHECK, compliant_region());
        for service in ["s3", "dynamodb", "sqs", "sns", "kms"] {
            let finding = finding_for(&findings, service);
            assert_eq!(
                finding.status,
                Status::Pass,
                "{service}: {}",
                finding.message
            );
            assert_eq!(finding.region, "global");
            assert_eq!(finding.resource_type, "AWS::::Service");
            assert_mentions(&finding.message, &[DATE, "embedded"]);
            assert_eq!(
                finding.evidence["eligible_services_list"]["as_of"],
                "2025-04-16"
            );
            assert_eq!(
                finding.evidence["eligible_services_list"]["origin"],
                "embedded"
            );
        }
        let s3 = finding_for(&findings, "s3");
        assert_eq!(s3.evidence["seen_by"], json!(["collectors", "tagging"]));
        assert_eq!(s3.evidence["resource_count"], 1);
        assert_eq!(
            s3.evidence["examples"],
            json!(["arn:aws:s3:::phi-records-111122223333"])
        );
        // Deterministic: services sorted by prefix, and no error finding.
        let ids: Vec<&str> = findings.iter().map(|f| f.resource_id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted);
        assert!(findings.iter().all(|f| f.status != Status::Error));
    }

    #[test]
    fn non_eligible_service_without_phi_tag_fails_at_medium_with_the_note() {
        let mut resources = vec![tagged(GAMELIFT, &[("Owner", "games")])];
        resources.extend((2..=8).map(|n| {
            tagged(
                &format!("arn:aws:gamelift:us-east-1:111122223333:fleet/fleet-{n}"),
                &[],
            )
        }));
        let findings = evaluate(&CHECK, with_tagged(resources));
        let finding = finding_for(&findings, "gamelift");
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.severity, Severity::Medium);
        assert_mentions(
            &finding.message,
            &[
                "fine if it holds no PHI; tag PHI resources to scope",
                "not on the HIPAA-eligible list dated 2025-04-16",
                "8 resources in us-east-1",
            ],
        );
        assert_eq!(
            finding.evidence["examples"].as_array().map(Vec::len),
            Some(5)
        );
        assert_eq!(finding.evidence["eligibility"], "not_eligible");
    }

    #[test]
    fn non_phi_tools_are_not_applicable() {
        let findings = evaluate(
            &CHECK,
            with_tagged(vec![tagged(
                "arn:aws:budgets::111122223333:budget/monthly",
                &[("DataClass", "PHI")],
            )]),
        );
        let finding = finding_for(&findings, "budgets");
        assert_eq!(finding.status, Status::NotApplicable);
        assert_mentions(&finding.message, &["stores no PHI", "2025-04-16"]);
    }

    #[test]
    fn phi_tag_scopes_to_tagged_resources() {
        let region = with_tagged(vec![
            tagged(&format!("arn:aws:s3:::{BUCKET}"), &[("DataClass", "PHI")]),
            tagged(TABLE_ARN, &[("DataClass", "ePHI")]),
            // Wrong value and wrong key: out of scope.
            tagged(QUEUE_ARN, &[("DataClass", "public")]),
            tagged(TOPIC_ARN, &[("dataclass", "PHI")]),
            tagged(GAMELIFT, &[("Owner", "games")]),
        ]);
        let findings = run_with(region, &phi_config());
        let s3 = finding_for(&findings, "s3");
        assert_eq!(s3.status, Status::Pass, "{}", s3.message);
        assert_mentions(
            &s3.message,
            &["1 resource tagged DataClass=PHI/ePHI", BUCKET, DATE],
        );
        assert_eq!(status_of(&findings, "dynamodb"), Status::Pass);
        for service in ["sqs", "sns", "gamelift"] {
            let finding = finding_for(&findings, service);
            assert_eq!(finding.status, Status::NotApplicable, "{service}");
            assert_mentions(
                &finding.message,
                &["no resources tagged DataClass=PHI/ePHI"],
            );
        }
        assert_mentions(
            &finding_for(&findings, "gamelift").message,
            &["keep PHI out of it"],
        );
    }

    #[test]
    fn phi_tagged_resources_in_a_non_eligible_service_fail_high_naming_them() {
        let region = with_tagged(vec![tagged(GAMELIFT, &[("DataClass", "PHI")])]);
        let findings = run_with(region, &phi_config());
        let finding = finding_for(&findings, "gamelift");
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.severity, Severity::High);
        assert_mentions(
            &finding.message,
            &[GAMELIFT, "not on the HIPAA-eligible list"],
        );
        assert_eq!(finding.evidence["phi_resources"], json!([GAMELIFT]));
    }

    #[test]
    fn phi_scope_mentions_known_encryption_gaps() {
        let mut region = compliant_region();
        region.sqs_queues = Source::Collected(vec![crate::snapshot::SqsQueue {
            kms_master_key_id: None,
            sqs_managed_sse: false,
            ..queue("intake")
        }]);
        region.ec2.volumes = Source::Collected(vec![Volume {
            id: "vol-1".into(),
            encrypted: false,
            tags: BTreeMap::from([("DataClass".to_owned(), "PHI".to_owned())]),
            ..Volume::default()
        }]);
        region.ec2.instances = Source::Collected(vec![Instance {
            id: "i-1".into(),
            state: "running".into(),
            ..Instance::default()
        }]);
        let findings = run_with(region, &phi_config());
        let sqs = finding_for(&findings, "sqs");
        assert_eq!(sqs.status, Status::Pass);
        assert_mentions(&sqs.message, &["not encrypted at rest", "queue intake"]);
        let ec2 = finding_for(&findings, "ec2");
        assert_eq!(ec2.status, Status::Pass, "{}", ec2.message);
        assert_mentions(
            &ec2.message,
            &[
                "arn:aws:ec2:us-east-1:111122223333:volume/vol-1",
                "ec2-volume-encrypted",
            ],
        );
        assert_eq!(ec2.evidence["seen_by"], json!(["collectors"]));
        assert_eq!(ec2.evidence["resource_count"], 2);
    }

    #[test]
    fn config_resource_types_map_to_iam_prefixes() {
        for (resource_type, prefix) in [
            ("AWS::S3::Bucket", "s3"),
            (
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
                "elasticloadbalancing",
            ),
            ("AWS::KinesisFirehose::DeliveryStream", "firehose"),
            ("AWS::OpenSearch::Domain", "es"),
            ("AWS::Elasticsearch::Domain", "es"),
            ("AWS::StepFunctions::StateMachine", "states"),
            ("AWS::Cognito::UserPool", "cognito-idp"),
            ("AWS::Cognito::IdentityPool", "cognito-identity"),
            ("AWS::EFS::FileSystem", "elasticfilesystem"),
            ("AWS::EMR::Cluster", "elasticmapreduce"),
            ("AWS::MSK::Cluster", "kafka"),
            ("AWS::AmazonMQ::Broker", "mq"),
            ("AWS::NetworkFirewall::Firewall", "network-firewall"),
            ("AWS::ACM::Certificate", "acm"),
            ("AWS::CertificateManager::Certificate", "acm"),
            ("AWS::Logs::LogGroup", "logs"),
            ("AWS::SSM::ManagedInstanceInventory", "ssm"),
            ("AWS::WAFv2::WebACL", "wafv2"),
            ("AWS::RDS::DBCluster", "rds"),
            ("AWS::GameLift::Fleet", "gamelift"),
        ] {
            assert_eq!(
                config_type_prefix(resource_type).as_deref(),
                Some(prefix),
                "{resource_type}"
            );
        }
        assert_eq!(config_type_prefix("MyCompany::Widgets::Thing"), None);
        assert_eq!(config_type_prefix("AWS::"), None);
    }

    #[test]
    fn config_counts_join_the_inventory() {
        let mut region = compliant_region();
        region.config_service.discovered_resource_counts =
            Some(Source::Collected(BTreeMap::from([
                ("AWS::S3::Bucket".to_owned(), 4),
                ("AWS::StepFunctions::StateMachine".to_owned(), 2),
                ("AWS::Lightsail::Instance".to_owned(), 1),
                ("AWS::Kinesis::Stream".to_owned(), 0),
            ])));
        let findings = evaluate(&CHECK, region);
        let s3 = finding_for(&findings, "s3");
        assert_eq!(s3.evidence["resource_count"], 4);
        assert_eq!(
            s3.evidence["seen_by"],
            json!(["collectors", "config", "tagging"])
        );
        let states = finding_for(&findings, "states");
        assert_eq!(states.status, Status::Pass);
        assert_eq!(
            states.evidence["config_resource_counts"],
            json!({"AWS::StepFunctions::StateMachine": 2})
        );
        let lightsail = finding_for(&findings, "lightsail");
        assert_eq!(lightsail.status, Status::Fail);
        assert_eq!(lightsail.evidence["seen_by"], json!(["config"]));
        assert!(findings.iter().all(|f| f.resource_id != "kinesis"));
    }

    #[test]
    fn a_failed_region_inventory_is_one_error_and_the_rest_is_graded() {
        let failed = RegionSnapshot {
            tagged_resources: Source::Failed(Failure::new(
                "tag",
                "GetResources",
                "eu-west-1",
                "AccessDeniedException",
                "denied",
            )),
            ..RegionSnapshot::default()
        };
        let snapshot = snapshot_of(
            vec![(REGION, compliant_region()), ("eu-west-1", failed)],
            compliant_global(),
        );
        let findings = evaluate_snapshot(&CHECK, &snapshot, &Config::default());
        let error = finding_for(&findings, ACCOUNT);
        assert_eq!(error.status, Status::Error);
        assert_eq!(error.region, "global");
        assert_mentions(
            &error.message,
            &["could not be fully read in eu-west-1", "GetResources"],
        );
        assert_eq!(status_of(&findings, "dynamodb"), Status::Pass);
        let dynamodb = finding_for(&findings, "dynamodb");
        assert_eq!(
            dynamodb.evidence["inventory_failures"][0]["code"],
            "AccessDeniedException"
        );
    }

    #[test]
    fn every_inventory_source_failing_is_a_global_error() {
        let mut region = RegionSnapshot {
            tagged_resources: Source::Failed(failure("tag", "GetResources")),
            ..RegionSnapshot::default()
        };
        region.config_service.discovered_resource_counts = Some(Source::Failed(failure(
            "config",
            "GetDiscoveredResourceCounts",
        )));
        let global = GlobalSnapshot {
            s3: crate::snapshot::S3Snapshot {
                buckets: Source::Failed(failure("s3", "ListBuckets")),
                account_public_access_block: Source::Collected(None),
            },
            ..compliant_global()
        };
        let snapshot = snapshot_of(vec![(REGION, region)], global);
        let finding = only_finding(evaluate_snapshot(&CHECK, &snapshot, &Config::default()));
        assert_eq!(finding.status, Status::Error);
        assert_eq!(finding.region, "global");
        assert_mentions(&finding.message, &["no service inventory could be read"]);
        assert_eq!(
            finding.evidence["eligible_services_list"]["as_of"],
            "2025-04-16"
        );

        // A failed Config count is an inventory failure too.
        let mut region = compliant_region();
        region.config_service.discovered_resource_counts = Some(Source::Failed(failure(
            "config",
            "GetDiscoveredResourceCounts",
        )));
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, ACCOUNT), Status::Error);
    }

    #[test]
    fn a_region_without_config_is_a_manual_blind_spot() {
        let findings = run_with(RegionSnapshot::default(), &Config::default());
        let blind = finding_for(&findings, REGION);
        assert_eq!(blind.status, Status::Manual);
        assert_mentions(&blind.message, &["no AWS Config recorder", "untagged"]);
    }

    #[test]
    fn phi_scope_is_unknown_where_tags_could_not_be_read() {
        let mut region = compliant_region();
        region.tagged_resources = Source::Failed(failure("tag", "GetResources"));
        let findings = run_with(region, &phi_config());
        // DynamoDB was listed by its collector, but whether its tables carry the PHI tag is
        // unknown: not "no PHI".
        let dynamodb = finding_for(&findings, "dynamodb");
        assert_eq!(dynamodb.status, Status::Error, "{}", dynamodb.message);
        assert_mentions(&dynamodb.message, &["unknown", "GetResources"]);
    }

    #[test]
    fn nothing_found_is_not_applicable_and_no_region_is_an_error() {
        let mut recorded = RegionSnapshot::default();
        recorded.config_service.discovered_resource_counts =
            Some(Source::Collected(Default::default()));
        let empty = snapshot_of(vec![(REGION, recorded)], global_with_buckets(vec![]));
        let finding = only_finding(evaluate_snapshot(&CHECK, &empty, &Config::default()));
        assert_eq!(finding.status, Status::NotApplicable);
        assert_mentions(&finding.message, &["2025-04-16"]);
        let none = snapshot_of(vec![], global_with_buckets(vec![]));
        let finding = only_finding(evaluate_snapshot(&CHECK, &none, &Config::default()));
        assert_eq!(finding.status, Status::Error);
    }
}
