//! iam-root-no-access-keys: the root user has no access keys.

use serde_json::json;

use super::{account_finding, root_row, unavailable, ACCOUNT_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::Source;

/// The check: GetAccountSummary AccountAccessKeysPresent = 0 (credential report root row as
/// fallback).
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "iam-root-no-access-keys",
    title: "Root user has no access keys",
    severity: Severity::Critical,
    hipaa: &["164.312(a)(1)"],
    baa: BaaRule::AccessControl,
    resource_types: &[ACCOUNT_TYPE],
    requirement: "A root access key is a long-lived secret with unrestricted, unscopable access \
        to every PHI store in the account and no MFA in front of it; if it leaks, nothing in IAM \
        limits the damage. Access control (164.312(a)(1)) means root has no access keys: use \
        IAM roles for automation (seeds 003, 004).",
    evidence: &[
        "iam:GetAccountSummary AccountAccessKeysPresent",
        "iam:GetCredentialReport <root_account> access_key_N_active, access_key_N_last_rotated (when the summary is unavailable)",
    ],
    remediation: Remediation {
        summary: "Delete the root user's access keys (after moving whatever uses them to an IAM role).",
        console: "Sign in as the root user > account menu > Security credentials > Access keys > \
            for each key: Actions > Deactivate, confirm nothing breaks, then Actions > Delete.",
        cli: "Root keys can only be deleted while signed in as root (or with the root credentials \
              themselves):\n\
              aws iam list-access-keys\n\
              aws iam update-access-key --access-key-id <id> --status Inactive\n\
              aws iam delete-access-key --access-key-id <id>\n\
              aws iam get-account-summary --query 'SummaryMap.AccountAccessKeysPresent'",
        cloudformation: "(root credentials are not CloudFormation resources)",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    let iam = &ctx.snapshot.global.iam;
    let (present, source, active_slots, present_slots) =
        match (&iam.account_summary, root_row(&iam.credential_report)) {
            (Source::Collected(summary), _) => (
                summary.account_access_keys_present,
                "GetAccountSummary",
                None,
                None,
            ),
            (Source::Failed(_), Some(root)) => {
                let slots: Vec<u8> = root.access_keys.iter().map(|k| k.slot).collect();
                if !(slots.contains(&1) && slots.contains(&2)) {
                    let verdict = Verdict::missing(
                        format!(
                            "GetAccountSummary was unavailable and the credential report's root \
                             row has {} of its 2 access key slots, so whether the root user has \
                             access keys cannot be told",
                            slots.len()
                        ),
                        json!({
                            "source": "the credential report",
                            "key_slots": slots,
                            "collection_error": iam.account_summary.failure(),
                        }),
                    );
                    return vec![account_finding(ctx, &META, verdict)];
                }
                let active: Vec<u8> = root
                    .access_keys
                    .iter()
                    .filter(|k| k.active)
                    .map(|k| k.slot)
                    .collect();
                // An inactive key that has a rotation date still exists: it can be reactivated.
                let existing: Vec<u8> = root
                    .access_keys
                    .iter()
                    .filter(|k| k.active || k.last_rotated.is_some())
                    .map(|k| k.slot)
                    .collect();
                (
                    !existing.is_empty(),
                    "the credential report",
                    Some(active),
                    Some(existing),
                )
            }
            (Source::Failed(summary), None) => {
                let mut failures = vec![summary];
                failures.extend(iam.credential_report.failure());
                let verdict = unavailable("whether the root user has access keys", &failures);
                return vec![account_finding(ctx, &META, verdict)];
            }
        };
    let mut evidence = json!({
        "root_access_keys_present": present,
        "source": source,
        "active_key_slots": active_slots,
    });
    if let Some(slots) = &present_slots {
        evidence["present_key_slots"] = json!(slots);
    }
    let verdict = if present {
        Verdict::fail(
            format!(
                "the root user has access keys (per {source}); move their users to IAM roles and \
                 delete the keys"
            ),
            evidence,
        )
    } else {
        Verdict::pass(
            format!("the root user has no access keys (per {source})"),
            evidence,
        )
    };
    vec![account_finding(ctx, &META, verdict)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::iam::fixtures::*;
    use crate::snapshot::AccountSummary;

    #[test]
    fn pass_when_no_keys() {
        let finding = only(evaluate(&CHECK, compliant_global()));
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.resource_id, ACCOUNT);
    }

    #[test]
    fn fail_when_summary_reports_keys() {
        let mut global = compliant_global();
        global.iam.account_summary = Source::Collected(AccountSummary {
            account_mfa_enabled: true,
            account_access_keys_present: true,
        });
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.severity, Severity::Critical);
    }

    #[test]
    fn falls_back_to_root_row_keys() {
        let mut global = compliant_global();
        global.iam.account_summary = Source::Failed(failure("iam", "GetAccountSummary"));
        assert_eq!(only(evaluate(&CHECK, global.clone())).status, Status::Pass);

        let mut with_key = root();
        with_key.access_keys = vec![key(1, false, None, None), key(2, true, Some(500), None)];
        global.iam.credential_report = Source::Collected(vec![with_key]);
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.evidence["active_key_slots"], json!([2]));
    }

    #[test]
    fn fallback_counts_an_inactive_key_with_a_rotation_date() {
        let mut global = compliant_global();
        global.iam.account_summary = Source::Failed(failure("iam", "GetAccountSummary"));
        let mut with_key = root();
        with_key.access_keys = vec![key(1, false, Some(700), None), key(2, false, None, None)];
        global.iam.credential_report = Source::Collected(vec![with_key]);
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.evidence["active_key_slots"], json!([]));
        assert_eq!(finding.evidence["present_key_slots"], json!([1]));
    }

    #[test]
    fn fallback_error_when_root_row_lacks_key_slots() {
        for slots in [vec![], vec![key(1, false, None, None)]] {
            let mut global = compliant_global();
            global.iam.account_summary = Source::Failed(failure("iam", "GetAccountSummary"));
            let mut short = root();
            short.access_keys = slots;
            global.iam.credential_report = Source::Collected(vec![short]);
            let finding = only(evaluate(&CHECK, global));
            assert_eq!(finding.status, Status::Error, "{}", finding.message);
            assert!(
                finding.message.contains("access key slots"),
                "{}",
                finding.message
            );
        }
    }

    #[test]
    fn error_when_no_source_answers() {
        let mut global = compliant_global();
        global.iam.account_summary = Source::Failed(failure("iam", "GetAccountSummary"));
        global.iam.credential_report = Source::Failed(failure("iam", "GetCredentialReport"));
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("GetAccountSummary"),
            "{}",
            finding.message
        );
    }
}
