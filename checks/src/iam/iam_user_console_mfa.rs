//! iam-user-console-mfa: every IAM user with a console password has MFA.

use serde_json::json;

use super::{grade_report_users, USER_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: credential report password_enabled = true implies mfa_active = true.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "iam-user-console-mfa",
    title: "Console users have MFA",
    severity: Severity::High,
    hipaa: &["164.312(d)"],
    baa: BaaRule::AccessControl,
    resource_types: &[USER_TYPE],
    requirement: "Person or entity authentication (164.312(d)): an IAM user who can sign in to \
        the console with a password must also prove possession of an MFA device, so a phished \
        or reused password alone does not open the account's PHI. Users without a console \
        password are not applicable; a user whose password_enabled cannot be read is an error \
        (seeds 003, 004).",
    evidence: &["iam:GetCredentialReport password_enabled, mfa_active"],
    remediation: Remediation {
        summary: "Assign an MFA device to the user (or remove the console password if unused).",
        console: "IAM > Users > select the user > Security credentials > Multi-factor \
            authentication (MFA) > Assign MFA device; to require it, attach a policy that denies \
            everything except MFA self-management when aws:MultiFactorAuthPresent is false.",
        cli: "aws iam create-virtual-mfa-device --virtual-mfa-device-name <id> --outfile <id>-qr.png --bootstrap-method QRCodePNG\n\
              aws iam enable-mfa-device --user-name <id> --serial-number arn:aws:iam::<account>:mfa/<id> --authentication-code1 <code1> --authentication-code2 <code2>\n\
              (no console access needed: aws iam delete-login-profile --user-name <id>)",
        cloudformation: "AWS::IAM::User: attach a managed policy that denies all actions except \
            iam:*MFA* self-service when aws:MultiFactorAuthPresent is false (MFA devices themselves \
            are enrolled by the user).",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_report_users(ctx, &META, |row| {
        let evidence = json!({
            "password_enabled": row.password_enabled,
            "mfa_active": row.mfa_active,
        });
        match row.password_enabled {
            Some(true) if row.mfa_active => Verdict::pass(
                format!("user {} has a console password and MFA", row.user),
                evidence,
            ),
            Some(true) => Verdict::fail(
                format!(
                    "user {} can sign in to the console with a password but has no MFA; assign \
                     an MFA device or remove the password",
                    row.user
                ),
                evidence,
            ),
            Some(false) => Verdict::not_applicable(
                format!("user {} has no console password", row.user),
                evidence,
            ),
            None => Verdict::missing(
                format!(
                    "the credential report's password_enabled for user {} could not be read, so \
                     whether it needs MFA cannot be told",
                    row.user
                ),
                evidence,
            ),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::iam::fixtures::*;
    use crate::snapshot::Source;

    #[test]
    fn pass_and_not_applicable() {
        let findings = evaluate(&CHECK, compliant_global());
        assert_eq!(findings.len(), 2, "root is not graded here");
        let alice = finding_for(&findings, "alice");
        assert_eq!(alice.status, Status::Pass);
        assert_eq!(alice.resource_type, "AWS::IAM::User");
        assert_eq!(
            alice.resource_arn.as_deref(),
            Some("arn:aws:iam::111122223333:user/alice")
        );
        assert_eq!(alice.region, "global");
        assert_eq!(status_of(&findings, "bob"), Status::NotApplicable);
    }

    #[test]
    fn fail_without_mfa() {
        let mut global = compliant_global();
        let mut carol = console_user("carol");
        carol.mfa_active = false;
        // A password that was never used: dates N/A are not a problem here.
        carol.password_last_used = None;
        global.iam.credential_report = Source::Collected(vec![root(), carol]);
        let findings = evaluate(&CHECK, global);
        let carol = finding_for(&findings, "carol");
        assert_eq!(carol.status, Status::Fail);
        assert_eq!(carol.severity, Severity::High);
    }

    #[test]
    fn error_when_password_enabled_unreadable() {
        let mut global = compliant_global();
        let mut carol = console_user("carol");
        carol.password_enabled = None;
        global.iam.credential_report = Source::Collected(vec![root(), carol]);
        let findings = evaluate(&CHECK, global);
        let carol = finding_for(&findings, "carol");
        assert_eq!(carol.status, Status::Error, "{}", carol.message);
        assert!(
            carol.message.contains("password_enabled"),
            "{}",
            carol.message
        );
    }

    #[test]
    fn error_when_report_unavailable() {
        let mut global = compliant_global();
        global.iam.credential_report = Source::Failed(failure("iam", "GetCredentialReport"));
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Error);
        assert_eq!(finding.resource_type, "AWS::::Account");
        assert!(
            finding.message.contains("GetCredentialReport"),
            "{}",
            finding.message
        );
    }
}
