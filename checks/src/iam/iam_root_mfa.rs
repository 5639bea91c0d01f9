//! iam-root-mfa: the root user has MFA.

use serde_json::json;

use super::{account_finding, root_row, unavailable, ACCOUNT_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::Source;

/// The check: GetAccountSummary AccountMFAEnabled = 1 (credential report root row as fallback).
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "iam-root-mfa",
    title: "Root user has MFA",
    severity: Severity::Critical,
    hipaa: &["164.312(d)"],
    baa: BaaRule::AccessControl,
    resource_types: &[ACCOUNT_TYPE],
    requirement: "The root user can do anything in the account, including reading every PHI \
        store and turning off every safeguard, and its permissions cannot be limited by IAM. \
        Person or entity authentication (164.312(d)) for it must not rest on a password alone: \
        root needs a hardware or virtual MFA device (seeds 003, 004).",
    evidence: &[
        "iam:GetAccountSummary AccountMFAEnabled",
        "iam:GetCredentialReport <root_account> mfa_active (when the summary is unavailable)",
    ],
    remediation: Remediation {
        summary: "Sign in as root and assign an MFA device (hardware key or authenticator app).",
        console: "Sign in as the root user > account menu > Security credentials > Multi-factor \
            authentication (MFA) > Assign MFA device > choose passkey/security key, authenticator \
            app or hardware TOTP token > follow the prompts.",
        cli: "Root MFA can only be assigned while signed in as root; verify afterwards with:\n\
              aws iam get-account-summary --query 'SummaryMap.AccountMFAEnabled'",
        cloudformation: "(root credentials are not CloudFormation resources; in an organization, \
            centralize root access management and remove member-account root credentials)",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    let iam = &ctx.snapshot.global.iam;
    let (enabled, source) = match (&iam.account_summary, root_row(&iam.credential_report)) {
        (Source::Collected(summary), _) => (summary.account_mfa_enabled, "GetAccountSummary"),
        (Source::Failed(_), Some(root)) => (root.mfa_active, "the credential report"),
        (Source::Failed(summary), None) => {
            let mut failures = vec![summary];
            failures.extend(iam.credential_report.failure());
            let verdict = unavailable("the root user's MFA status", &failures);
            return vec![account_finding(ctx, &META, verdict)];
        }
    };
    let evidence = json!({ "root_mfa_enabled": enabled, "source": source });
    let verdict = if enabled {
        Verdict::pass(format!("the root user has MFA (per {source})"), evidence)
    } else {
        Verdict::fail(
            format!(
                "the root user has no MFA (per {source}); sign in as root and assign an MFA device"
            ),
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
    fn pass_when_summary_says_mfa() {
        let finding = only(evaluate(&CHECK, compliant_global()));
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.resource_type, "AWS::::Account");
        assert_eq!(finding.resource_id, ACCOUNT);
        assert_eq!(finding.severity, Severity::Critical);
    }

    #[test]
    fn fail_when_summary_says_no_mfa() {
        let mut global = compliant_global();
        global.iam.account_summary = Source::Collected(AccountSummary {
            account_mfa_enabled: false,
            account_access_keys_present: false,
        });
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.evidence["root_mfa_enabled"], false);
    }

    #[test]
    fn falls_back_to_the_credential_report() {
        let mut global = compliant_global();
        global.iam.account_summary = Source::Failed(failure("iam", "GetAccountSummary"));
        let finding = only(evaluate(&CHECK, global.clone()));
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.evidence["source"], "the credential report");

        let mut no_mfa = root();
        no_mfa.mfa_active = false;
        global.iam.credential_report = Source::Collected(vec![no_mfa, console_user("alice")]);
        assert_eq!(only(evaluate(&CHECK, global)).status, Status::Fail);
    }

    #[test]
    fn error_when_neither_source_answers() {
        let mut global = compliant_global();
        global.iam.account_summary = Source::Failed(failure("iam", "GetAccountSummary"));
        global.iam.credential_report = Source::Failed(failure("iam", "GetCredentialReport"));
        let finding = only(evaluate(&CHECK, global.clone()));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("GetAccountSummary"),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains("GetCredentialReport"),
            "{}",
            finding.message
        );

        // A report without a root row cannot stand in for the summary either.
        global.iam.credential_report = Source::Collected(vec![console_user("alice")]);
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("GetAccountSummary"),
            "{}",
            finding.message
        );
    }
}
