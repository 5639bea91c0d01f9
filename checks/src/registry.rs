//! The registry: every check, in one place.

use crate::catalog::{Check, Context};
use crate::finding::{sort_findings, Finding};
use crate::rds;
use crate::{baa, compute, elb, iam, logging, network};

/// Every check the tool runs, in catalog order (as in the spec's tables).
pub const ALL: &[Check] = &[
    rds::rds_cluster_storage_encrypted::CHECK,
    rds::rds_cluster_customer_managed_key::CHECK,
    rds::rds_cluster_backup_retention::CHECK,
    rds::rds_cluster_deletion_protection::CHECK,
    rds::rds_cluster_copy_tags_to_snapshot::CHECK,
    rds::rds_cluster_log_exports::CHECK,
    rds::rds_cluster_iam_auth::CHECK,
    rds::rds_cluster_custom_parameter_group::CHECK,
    rds::rds_param_force_ssl::CHECK,
    rds::rds_param_min_tls::CHECK,
    rds::rds_param_ssl_ciphers::CHECK,
    rds::rds_instance_ca_current::CHECK,
    rds::rds_instance_not_public::CHECK,
    rds::rds_instance_private_subnets::CHECK,
    rds::rds_cluster_sg_not_open::CHECK,
    rds::rds_cluster_sg_app_only::CHECK,
    rds::rds_snapshot_encrypted::CHECK,
    rds::rds_snapshot_not_public::CHECK,
    rds::rds_plaintext_connection_alarm::CHECK,
    rds::rds_guardduty_protection::CHECK,
    rds::rds_deny_unencrypted_create::CHECK,
    network::ec2_sg_world_admin_ports::CHECK,
    network::ec2_sg_world_db_ports::CHECK,
    network::ec2_sg_world_all_ports::CHECK,
    network::ec2_sg_world_other_ports::CHECK,
    network::ec2_default_sg_closed::CHECK,
    network::vpc_nacl_world_admin_ports::CHECK,
    network::vpc_flow_logs_enabled::CHECK,
    network::vpc_default_vpc_unused::CHECK,
    elb::elb_listener_tls::CHECK,
    elb::elb_tls_policy::CHECK,
    logging::cloudtrail_multi_region::CHECK,
    logging::cloudtrail_log_validation::CHECK,
    logging::cloudtrail_kms::CHECK,
    logging::cloudtrail_cloudwatch::CHECK,
    logging::cloudtrail_bucket_protected::CHECK,
    logging::config_recorder_on::CHECK,
    logging::config_required_rules::CHECK,
    logging::config_rules_compliant::CHECK,
    logging::cw_alarm_unauthorized_api::CHECK,
    logging::cw_alarm_console_login_failures::CHECK,
    logging::cw_alarm_console_no_mfa::CHECK,
    logging::cw_alarm_root_usage::CHECK,
    logging::cw_alarm_iam_changes::CHECK,
    logging::cw_alarm_access_key_created::CHECK,
    logging::cw_alarm_cloudtrail_changes::CHECK,
    logging::cw_alarm_sg_changes::CHECK,
    logging::cw_alarm_nacl_changes::CHECK,
    logging::guardduty_enabled::CHECK,
    compute::ec2_ebs_default_encryption::CHECK,
    compute::ec2_volume_encrypted::CHECK,
    compute::ec2_instance_required_tags::CHECK,
    iam::iam_root_mfa::CHECK,
    iam::iam_root_no_access_keys::CHECK,
    iam::iam_password_policy::CHECK,
    iam::iam_user_console_mfa::CHECK,
    iam::iam_user_unused_credentials::CHECK,
    iam::iam_access_key_rotation::CHECK,
    iam::iam_no_admin_star::CHECK,
    iam::iam_user_no_direct_policies::CHECK,
    iam::iam_federation::CHECK,
    baa::baa_accepted::CHECK,
    baa::phi_services_eligible::CHECK,
    baa::s3_bucket_encrypted::CHECK,
    baa::s3_bucket_tls_only::CHECK,
    baa::s3_bucket_not_public::CHECK,
    baa::dynamodb_table_cmk::CHECK,
    baa::sqs_queue_encrypted::CHECK,
    baa::sns_topic_encrypted::CHECK,
];

/// Looks a check up by id.
pub fn find(id: &str) -> Option<&'static Check> {
    ALL.iter().find(|c| c.meta.id == id)
}

/// Ids close to `id` (same words), to suggest when an unknown id is given.
pub fn suggestions(id: &str) -> Vec<&'static str> {
    let words: Vec<&str> = id.split('-').filter(|w| w.len() > 2).collect();
    let mut scored: Vec<(usize, &'static str)> = ALL
        .iter()
        .map(|c| {
            (
                words.iter().filter(|w| c.meta.id.contains(*w)).count(),
                c.meta.id,
            )
        })
        .filter(|(score, _)| *score > 0)
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, id)| id).collect()
}

/// Runs the given checks over the snapshot and returns findings in report order.
pub fn grade(ctx: &Context, checks: &[&Check]) -> Vec<Finding> {
    let mut findings: Vec<Finding> = checks.iter().flat_map(|c| (c.run)(ctx)).collect();
    sort_findings(&mut findings);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference;
    use std::collections::BTreeSet;

    #[test]
    fn ids_are_unique_kebab_case_and_match_their_module() {
        let mut seen = BTreeSet::new();
        for check in ALL {
            let id = check.meta.id;
            assert!(seen.insert(id), "duplicate id {id}");
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{id}"
            );
            let module = check.meta.module_name();
            // The code lives in src/<family>/<module>.rs; the family is the folder of source_file.
            let source = std::path::Path::new(check.meta.source_file);
            assert_eq!(
                source.file_name().and_then(|n| n.to_str()),
                Some(format!("{module}.rs").as_str()),
                "{id}: its code must live in {module}.rs, not {}",
                check.meta.source_file
            );
            let family = source
                .parent()
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let path = format!("{}/src/{family}/{module}.rs", env!("CARGO_MANIFEST_DIR"));
            assert!(
                std::path::Path::new(&path).exists(),
                "{id}: expected its code in {path}"
            );
        }
    }

    #[test]
    fn every_citation_is_a_security_rule_section() {
        for check in ALL {
            assert!(!check.meta.hipaa.is_empty(), "{}", check.meta.id);
            for citation in check.meta.hipaa {
                assert!(
                    reference::security_rule_section(citation).is_some(),
                    "{}: unknown citation {citation}",
                    check.meta.id
                );
            }
        }
    }

    #[test]
    fn every_entry_is_complete() {
        for check in ALL {
            let m = &check.meta;
            for (field, text) in [
                ("title", m.title),
                ("requirement", m.requirement),
                ("summary", m.remediation.summary),
                ("console", m.remediation.console),
                ("cli", m.remediation.cli),
            ] {
                assert!(!text.trim().is_empty(), "{}: empty {field}", m.id);
            }
            assert!(
                m.remediation.cli.contains("aws "),
                "{}: CLI remediation names no aws command",
                m.id
            );
            assert!(
                !m.seeds.is_empty() && !m.evidence.is_empty() && !m.resource_types.is_empty(),
                "{}",
                m.id
            );
        }
    }

    #[test]
    fn suggestions_find_near_ids() {
        assert!(suggestions("rds-force-ssl").contains(&"rds-param-force-ssl"));
        assert!(find("rds-param-force-ssl").is_some());
        assert!(find("nope").is_none());
    }
}
