//! iam-access-key-rotation: every active access key is younger than the maximum age.

use jiff::Timestamp;
use serde_json::json;

use super::{date, days_between, grade_report_users, USER_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::CredentialReportRow;

/// The check: access_key_N_last_rotated of every active key is less than
/// `max_credential_age_days` days ago.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "iam-access-key-rotation",
    title: "Active access keys are rotated",
    severity: Severity::Medium,
    hipaa: &["164.308(a)(5)(ii)(D)"],
    baa: BaaRule::AccessControl,
    resource_types: &[USER_TYPE],
    requirement: "Password management (164.308(a)(5)(ii)(D)) covers every secret a user \
        authenticates with: an access key is a password that never expires on its own and \
        travels in config files and CI systems. Every active key must be younger than \
        max_credential_age_days (default 90) days; a key of unknown age needs a person to look. \
        The root user is graded by iam-root-no-access-keys.",
    evidence: &["iam:GetCredentialReport access_key_N_active, access_key_N_last_rotated"],
    remediation: Remediation {
        summary: "Create a new key, move its users to it, then deactivate and delete the old one (or move to an IAM role).",
        console: "IAM > Users > select the user > Security credentials > Access keys > Create \
            access key; update whatever uses the old key; old key > Actions > Deactivate, then \
            Delete once nothing breaks.",
        cli: "aws iam create-access-key --user-name <id>\n\
              aws iam update-access-key --user-name <id> --access-key-id <old-key-id> --status Inactive\n\
              aws iam delete-access-key --user-name <id> --access-key-id <old-key-id>",
        cloudformation: "AWS::IAM::AccessKey: bump Serial to rotate; better, replace long-lived \
            keys with roles (AWS::IAM::Role) and deploy AWS Config managed rule \
            ACCESS_KEYS_ROTATED with maxAccessKeyAge = 90.",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

fn grade(row: &CredentialReportRow, now: Timestamp, max_days: u32) -> Verdict {
    let active: Vec<_> = row.access_keys.iter().filter(|k| k.active).collect();
    if active.is_empty() {
        return Verdict::not_applicable(
            format!("user {} has no active access key", row.user),
            json!({ "active_keys": [] }),
        );
    }
    let limit_secs = i64::from(max_days) * 86_400;
    let mut old = Vec::new();
    let mut unknown = Vec::new();
    let mut keys = Vec::new();
    for key in &active {
        match key.last_rotated {
            Some(rotated) => {
                let days = days_between(rotated, now);
                let too_old = now.as_second() - rotated.as_second() >= limit_secs;
                keys.push(json!({
                    "slot": key.slot,
                    "last_rotated": rotated.to_string(),
                    "age_days": days,
                    "too_old": too_old,
                }));
                if too_old {
                    old.push(format!(
                        "access key {} is {days} days old (created {})",
                        key.slot,
                        date(rotated)
                    ));
                }
            }
            None => {
                keys.push(json!({ "slot": key.slot, "last_rotated": null }));
                unknown.push(format!("access key {}", key.slot));
            }
        }
    }
    let evidence = json!({ "max_credential_age_days": max_days, "active_keys": keys });
    if !old.is_empty() {
        Verdict::fail(
            format!(
                "user {}: {} (must be younger than {max_days} days); rotate it",
                row.user,
                old.join("; ")
            ),
            evidence,
        )
    } else if !unknown.is_empty() {
        Verdict::manual(
            format!(
                "user {}: the credential report gives no creation date for {}; check its age \
                 with `aws iam list-access-keys --user-name {}`",
                row.user,
                unknown.join(" and "),
                row.user
            ),
            evidence,
        )
    } else {
        Verdict::pass(
            format!(
                "user {}: every active access key is younger than {max_days} days",
                row.user
            ),
            evidence,
        )
    }
}

fn run(ctx: &Context) -> Vec<Finding> {
    let max_days = ctx.config.max_credential_age_days;
    grade_report_users(ctx, &META, |row| grade(row, ctx.now, max_days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::finding::Status;
    use crate::iam::fixtures::*;
    use crate::snapshot::{GlobalSnapshot, Source};

    fn with_user(user: CredentialReportRow) -> GlobalSnapshot {
        let mut global = compliant_global();
        global.iam.credential_report = Source::Collected(vec![root(), user]);
        global
    }

    #[test]
    fn pass_and_not_applicable() {
        let findings = evaluate(&CHECK, compliant_global());
        assert_eq!(findings.len(), 2);
        assert_eq!(status_of(&findings, "alice"), Status::Pass);
        assert_eq!(status_of(&findings, "bob"), Status::NotApplicable);
    }

    #[test]
    fn fail_when_a_key_is_old() {
        let mut user = console_user("carol");
        user.access_keys = vec![
            key(1, true, Some(10), Some(1)),
            key(2, true, Some(91), Some(1)),
        ];
        let finding = only_user(evaluate(&CHECK, with_user(user)), "carol");
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("access key 2 is 91 days old"),
            "{}",
            finding.message
        );
        assert!(
            !finding.message.contains("access key 1"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn inactive_old_keys_do_not_count() {
        let mut user = console_user("dave");
        user.access_keys = vec![key(1, true, Some(10), None), key(2, false, Some(900), None)];
        let finding = only_user(evaluate(&CHECK, with_user(user)), "dave");
        assert_eq!(finding.status, Status::Pass);
    }

    #[test]
    fn manual_when_rotation_date_unknown() {
        let mut user = console_user("erin");
        user.access_keys = vec![key(1, true, None, None)];
        let finding = only_user(evaluate(&CHECK, with_user(user)), "erin");
        assert_eq!(finding.status, Status::Manual);
        assert!(
            finding.message.contains("access key 1"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn threshold_comes_from_config() {
        let mut user = console_user("gina");
        user.access_keys = vec![key(1, true, Some(120), Some(1))];
        let global = with_user(user);
        assert_eq!(
            status_of(&evaluate(&CHECK, global.clone()), "gina"),
            Status::Fail
        );
        let config = Config {
            max_credential_age_days: 180,
            ..Config::default()
        };
        assert_eq!(
            status_of(&evaluate_with(&CHECK, global, &config), "gina"),
            Status::Pass
        );
    }

    #[test]
    fn a_key_exactly_the_maximum_age_is_too_old() {
        let mut user = console_user("hank");
        user.access_keys = vec![key(1, true, Some(90), Some(1))];
        assert_eq!(
            status_of(&evaluate(&CHECK, with_user(user)), "hank"),
            Status::Fail
        );
    }

    #[test]
    fn error_when_report_unavailable() {
        let mut global = compliant_global();
        global.iam.credential_report = Source::Failed(failure("iam", "GetCredentialReport"));
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("GetCredentialReport"),
            "{}",
            finding.message
        );
    }

    fn only_user(findings: Vec<Finding>, user: &str) -> Finding {
        assert_eq!(findings.len(), 1, "{findings:#?}");
        let finding = findings.into_iter().next().expect("one finding");
        assert_eq!(finding.resource_id, user);
        finding
    }
}
