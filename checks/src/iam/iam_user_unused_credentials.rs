//! iam-user-unused-credentials: passwords and access keys unused for too long are disabled.

use jiff::Timestamp;
use serde_json::{json, Value};

use super::{date, days_between, grade_report_users, USER_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::CredentialReportRow;

/// The check: no enabled password or active key has been idle for more than
/// `max_credential_age_days` days.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "iam-user-unused-credentials",
    title: "Unused IAM credentials are disabled",
    severity: Severity::Medium,
    hipaa: &["164.308(a)(3)(ii)(C)"],
    baa: BaaRule::AccessControl,
    resource_types: &[USER_TYPE],
    requirement: "Termination procedures (164.308(a)(3)(ii)(C)): access must end when it is no \
        longer needed. A console password or access key nobody has used for more than \
        max_credential_age_days (default 90) days most likely belongs to someone who left or a \
        retired job, and is a standing way into PHI; disable it. A credential never used is \
        idle since it was set (password last changed, key created, or else the user created). \
        A user whose password_enabled cannot be read is an error unless an idle key already \
        fails it. The root user is graded by the iam-root-* checks.",
    evidence: &["iam:GetCredentialReport password_enabled, password_last_used, password_last_changed, access_key_N_active, access_key_N_last_used_date, access_key_N_last_rotated, user_creation_time"],
    remediation: Remediation {
        summary: "Remove the idle console password and deactivate (then delete) idle access keys.",
        console: "IAM > Users > select the user > Security credentials > Console sign-in > Manage \
            > Disable; Access keys > Actions > Deactivate (Delete once nothing breaks).",
        cli: "aws iam delete-login-profile --user-name <id>\n\
              aws iam list-access-keys --user-name <id>\n\
              aws iam update-access-key --user-name <id> --access-key-id <key-id> --status Inactive",
        cloudformation: "(credentials are managed outside templates; deploy AWS Config managed \
            rule IAM_USER_UNUSED_CREDENTIALS_CHECK with maxCredentialUsageAge = 90 to catch drift)",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

/// An enabled credential and the date it has been idle since, when known.
struct Credential {
    what: String,
    since: Option<(Timestamp, &'static str)>,
}

/// The enabled password and the active keys of a user.
fn enabled_credentials(row: &CredentialReportRow) -> Vec<Credential> {
    let created = row
        .user_creation_time
        .map(|t| (t, "never used; user created"));
    let mut out = Vec::new();
    if row.password_enabled == Some(true) {
        let since = row
            .password_last_used
            .map(|t| (t, "last used"))
            .or(row.password_last_changed.map(|t| (t, "never used; set")))
            .or(created);
        out.push(Credential {
            what: "console password".into(),
            since,
        });
    }
    for key in row.access_keys.iter().filter(|k| k.active) {
        let since = key
            .last_used
            .map(|t| (t, "last used"))
            .or(key.last_rotated.map(|t| (t, "never used; created")))
            .or(created);
        out.push(Credential {
            what: format!("access key {}", key.slot),
            since,
        });
    }
    out
}

fn grade(row: &CredentialReportRow, now: Timestamp, max_days: u32) -> Verdict {
    let credentials = enabled_credentials(row);
    // password_enabled unreadable: whether a console password exists cannot be told.
    let password_unreadable = row.password_enabled.is_none();
    let unreadable_note = format!(
        "the credential report's password_enabled for user {} could not be read, so whether it \
         has a console password (and how long it has been idle) cannot be told",
        row.user
    );
    if credentials.is_empty() && password_unreadable {
        return Verdict::missing(
            unreadable_note,
            json!({ "password_enabled": null, "credentials": [] }),
        );
    }
    if credentials.is_empty() {
        return Verdict::not_applicable(
            format!(
                "user {} has no enabled password or active access key",
                row.user
            ),
            json!({ "credentials": [] }),
        );
    }
    let limit_secs = i64::from(max_days) * 86_400;
    let mut stale = Vec::new();
    let mut unknown = Vec::new();
    let mut evidence: Vec<Value> = Vec::new();
    for credential in &credentials {
        match credential.since {
            Some((since, basis)) => {
                let days = days_between(since, now);
                let idle = now.as_second() - since.as_second() > limit_secs;
                evidence.push(json!({
                    "credential": credential.what,
                    "idle_since": since.to_string(),
                    "basis": basis,
                    "idle_days": days,
                    "stale": idle,
                }));
                if idle {
                    stale.push(format!(
                        "{} idle for {days} days ({basis} {})",
                        credential.what,
                        date(since)
                    ));
                }
            }
            None => {
                evidence.push(json!({ "credential": credential.what, "idle_since": null }));
                unknown.push(credential.what.clone());
            }
        }
    }
    let mut evidence = json!({ "max_credential_age_days": max_days, "credentials": evidence });
    if password_unreadable {
        evidence["password_enabled"] = Value::Null;
    }
    if !stale.is_empty() {
        // A proven idle credential fails whatever the unreadable password flag hides.
        let also = if password_unreadable {
            format!("; also, {unreadable_note}")
        } else {
            String::new()
        };
        Verdict::fail(
            format!(
                "user {}: {} (more than {max_days} days); disable it{also}",
                row.user,
                stale.join("; ")
            ),
            evidence,
        )
    } else if password_unreadable {
        Verdict::missing(unreadable_note, evidence)
    } else if !unknown.is_empty() {
        Verdict::manual(
            format!(
                "user {}: the credential report gives no usage or creation date for {}; check \
                 in IAM when it was last used",
                row.user,
                unknown.join(" and ")
            ),
            evidence,
        )
    } else {
        Verdict::pass(
            format!(
                "user {}: every enabled credential was used within {max_days} days",
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
    use crate::snapshot::Source;

    fn with_users(users: Vec<CredentialReportRow>) -> crate::snapshot::GlobalSnapshot {
        let mut global = compliant_global();
        let mut rows = vec![root()];
        rows.extend(users);
        global.iam.credential_report = Source::Collected(rows);
        global
    }

    #[test]
    fn pass_and_not_applicable() {
        let findings = evaluate(&CHECK, compliant_global());
        assert_eq!(findings.len(), 2, "root is not graded");
        assert_eq!(status_of(&findings, "alice"), Status::Pass);
        // bob: no credentials, every date N/A (None) — not an error.
        assert_eq!(status_of(&findings, "bob"), Status::NotApplicable);
    }

    #[test]
    fn fail_names_the_credential_and_days() {
        let mut stale_password = console_user("carol");
        stale_password.password_last_used = Some(days_ago(120));
        let mut never_used_key = idle_user("dave");
        never_used_key.access_keys = vec![key(1, false, None, None), key(2, true, Some(200), None)];
        let findings = evaluate(&CHECK, with_users(vec![stale_password, never_used_key]));
        let carol = finding_for(&findings, "carol");
        assert_eq!(carol.status, Status::Fail);
        assert!(
            carol.message.contains("console password idle for 120 days"),
            "{}",
            carol.message
        );
        assert!(!carol.message.contains("access key"), "{}", carol.message);
        let dave = finding_for(&findings, "dave");
        assert_eq!(dave.status, Status::Fail);
        assert!(
            dave.message.contains("access key 2 idle for 200 days"),
            "{}",
            dave.message
        );
        assert!(
            dave.message.contains("never used; created"),
            "{}",
            dave.message
        );
    }

    #[test]
    fn never_used_password_counts_from_when_it_was_set() {
        let mut fresh = console_user("erin");
        fresh.password_last_used = None;
        fresh.password_last_changed = Some(days_ago(10));
        let mut old = console_user("frank");
        old.password_last_used = None;
        old.password_last_changed = None;
        old.user_creation_time = Some(days_ago(400));
        let findings = evaluate(&CHECK, with_users(vec![fresh, old]));
        assert_eq!(status_of(&findings, "erin"), Status::Pass);
        let frank = finding_for(&findings, "frank");
        assert_eq!(frank.status, Status::Fail);
        assert!(frank.message.contains("user created"), "{}", frank.message);
    }

    #[test]
    fn manual_when_no_date_is_known() {
        let mut ghost = console_user("ghost");
        ghost.password_last_used = None;
        ghost.password_last_changed = None;
        ghost.user_creation_time = None;
        ghost.access_keys = vec![];
        let findings = evaluate(&CHECK, with_users(vec![ghost]));
        assert_eq!(status_of(&findings, "ghost"), Status::Manual);
    }

    #[test]
    fn threshold_comes_from_config() {
        let mut user = console_user("gina");
        user.password_last_used = Some(days_ago(45));
        let global = with_users(vec![user]);
        assert_eq!(
            status_of(&evaluate(&CHECK, global.clone()), "gina"),
            Status::Pass
        );
        let config = Config {
            max_credential_age_days: 30,
            ..Config::default()
        };
        let findings = evaluate_with(&CHECK, global, &config);
        let gina = finding_for(&findings, "gina");
        assert_eq!(gina.status, Status::Fail);
        assert!(
            gina.message.contains("more than 30 days"),
            "{}",
            gina.message
        );
    }

    #[test]
    fn exactly_the_threshold_is_not_stale() {
        let mut user = console_user("hank");
        user.password_last_used = Some(days_ago(90));
        let findings = evaluate(&CHECK, with_users(vec![user]));
        assert_eq!(status_of(&findings, "hank"), Status::Pass);
    }

    #[test]
    fn error_when_password_enabled_unreadable() {
        // No active key either: nothing is known about the console password.
        let mut nokeys = idle_user("ivan");
        nokeys.password_enabled = None;
        // A fresh active key does not make the user pass while the password flag is unknown.
        let mut fresh_key = console_user("jane");
        fresh_key.password_enabled = None;
        let findings = evaluate(&CHECK, with_users(vec![nokeys, fresh_key]));
        let ivan = finding_for(&findings, "ivan");
        assert_eq!(ivan.status, Status::Error, "{}", ivan.message);
        assert!(
            ivan.message.contains("password_enabled"),
            "{}",
            ivan.message
        );
        let jane = finding_for(&findings, "jane");
        assert_eq!(jane.status, Status::Error, "{}", jane.message);
        assert!(
            jane.message.contains("password_enabled"),
            "{}",
            jane.message
        );
    }

    #[test]
    fn stale_key_fails_even_when_password_enabled_unreadable() {
        let mut user = idle_user("kim");
        user.password_enabled = None;
        user.access_keys = vec![
            key(1, true, Some(300), Some(200)),
            key(2, false, None, None),
        ];
        let findings = evaluate(&CHECK, with_users(vec![user]));
        let kim = finding_for(&findings, "kim");
        assert_eq!(kim.status, Status::Fail, "{}", kim.message);
        assert!(kim.message.contains("access key 1"), "{}", kim.message);
        assert!(kim.message.contains("password_enabled"), "{}", kim.message);
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
}
