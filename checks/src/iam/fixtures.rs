//! Hand-built global snapshots for the IAM checks' unit tests: a compliant baseline to mutate.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

use crate::catalog::{Check, Context};
use crate::config::Config;
use crate::finding::Finding;
use crate::snapshot::*;

pub use crate::rds::fixtures::{finding_for, status_of};

/// The account every fixture lives in.
pub const ACCOUNT: &str = "111122223333";
/// The grading time.
pub const NOW: &str = "2026-11-25T12:00:00Z";
/// The AWS-managed AdministratorAccess policy.
pub const ADMIN_ACCESS: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
/// The AWS-managed ReadOnlyAccess policy.
pub const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
/// Customer-managed read access to the PHI bucket.
pub const DATA_READ: &str = "arn:aws:iam::111122223333:policy/DataRead";
/// Customer-managed deny of unencrypted RDS creation (seed 001).
pub const DENY_RDS: &str = "arn:aws:iam::111122223333:policy/DenyUnencryptedRds";

/// Read access to one bucket: not an admin grant.
pub const S3_READ_DOC: &str = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
    "Action": ["s3:GetObject", "s3:ListBucket"],
    "Resource": ["arn:aws:s3:::phi-data", "arn:aws:s3:::phi-data/*"]}}"#;
/// "*" on "*".
pub const ADMIN_DOC: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
/// The seed 001 deny: no cluster or instance without StorageEncrypted.
pub const DENY_UNENCRYPTED_DOC: &str = r#"{"Version": "2012-10-17", "Statement": [{
    "Sid": "DenyUnencryptedRds", "Effect": "Deny",
    "Action": ["rds:CreateDBCluster", "rds:CreateDBInstance"], "Resource": "*",
    "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}}]}"#;

/// The grading time as a timestamp.
pub fn now() -> Timestamp {
    NOW.parse().expect("valid timestamp")
}

/// `days` days before [`NOW`].
pub fn days_ago(days: i64) -> Timestamp {
    now() - SignedDuration::from_hours(24 * days)
}

/// A failed call of `service`.
pub fn failure(service: &str, operation: &str) -> Failure {
    Failure::new(
        service,
        operation,
        "us-east-1",
        "AccessDenied",
        "not authorized",
    )
}

/// RFC 3986 percent-encoding of a document, as the IAM API returns it.
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A key slot.
pub fn key(
    slot: u8,
    active: bool,
    rotated_days_ago: Option<i64>,
    used_days_ago: Option<i64>,
) -> CredentialReportKey {
    CredentialReportKey {
        slot,
        active,
        last_rotated: rotated_days_ago.map(days_ago),
        last_used: used_days_ago.map(days_ago),
    }
}

/// The root row: MFA on, no keys, dates N/A.
pub fn root() -> CredentialReportRow {
    CredentialReportRow {
        user: "<root_account>".into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:root"),
        user_creation_time: Some(days_ago(2000)),
        password_enabled: None,
        password_last_used: Some(days_ago(400)),
        password_last_changed: None,
        mfa_active: true,
        access_keys: vec![key(1, false, None, None), key(2, false, None, None)],
    }
}

/// A console user with MFA, a recently used password and one recently rotated, used key.
pub fn console_user(name: &str) -> CredentialReportRow {
    CredentialReportRow {
        user: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        user_creation_time: Some(days_ago(400)),
        password_enabled: Some(true),
        password_last_used: Some(days_ago(3)),
        password_last_changed: Some(days_ago(30)),
        mfa_active: true,
        access_keys: vec![key(1, true, Some(30), Some(1)), key(2, false, None, None)],
    }
}

/// A user with neither password nor active key (every date N/A).
pub fn idle_user(name: &str) -> CredentialReportRow {
    CredentialReportRow {
        user: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        user_creation_time: Some(days_ago(200)),
        password_enabled: Some(false),
        password_last_used: None,
        password_last_changed: None,
        mfa_active: false,
        access_keys: vec![key(1, false, None, None), key(2, false, None, None)],
    }
}

/// A user, group or role.
pub fn principal(kind: &str, name: &str, attached: &[&str]) -> IamPrincipal {
    IamPrincipal {
        name: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:{kind}/{name}"),
        attached_policy_arns: attached.iter().map(|a| (*a).to_owned()).collect(),
        inline_policies: vec![],
        group_names: vec![],
    }
}

/// An inline policy.
pub fn inline(name: &str, document: &str) -> InlinePolicy {
    InlinePolicy {
        name: name.into(),
        document: document.into(),
    }
}

/// A managed policy.
pub fn managed(arn: &str, attachments: i32, document: &str) -> ManagedPolicy {
    ManagedPolicy {
        arn: arn.into(),
        name: arn.rsplit('/').next().unwrap_or(arn).into(),
        attachment_count: attachments,
        default_document: Some(document.into()),
    }
}

/// Users in group `developers`; the group holds DataRead, the RDS deny and ReadOnlyAccess;
/// role `app` has an inline bucket-read policy.
pub fn authorization() -> AuthorizationDetails {
    let mut alice = principal("user", "alice", &[]);
    alice.group_names = vec!["developers".into()];
    let mut bob = principal("user", "bob", &[]);
    bob.group_names = vec!["developers".into()];
    let mut app = principal("role", "app", &[]);
    app.inline_policies = vec![inline("s3-read", S3_READ_DOC)];
    AuthorizationDetails {
        users: vec![alice, bob],
        groups: vec![principal(
            "group",
            "developers",
            &[DATA_READ, DENY_RDS, READ_ONLY],
        )],
        roles: vec![app],
        policies: vec![
            managed(DATA_READ, 1, S3_READ_DOC),
            managed(DENY_RDS, 1, DENY_UNENCRYPTED_DOC),
            managed(
                READ_ONLY,
                1,
                r#"{"Statement": {"Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe*"], "Resource": "*"}}"#,
            ),
        ],
    }
}

/// A compliant account: root with MFA and no keys, a strong password policy, one console user
/// (alice) and one idle user (bob), least-privilege policies, a SAML provider, readable (empty)
/// SCPs and no Identity Center instance.
pub fn compliant_global() -> GlobalSnapshot {
    GlobalSnapshot {
        iam: IamSnapshot {
            authorization: Source::Collected(authorization()),
            credential_report: Source::Collected(vec![
                root(),
                console_user("alice"),
                idle_user("bob"),
            ]),
            password_policy: Source::Collected(Some(PasswordPolicy {
                minimum_length: Some(14),
                require_symbols: true,
                require_numbers: true,
                require_uppercase: true,
                require_lowercase: true,
                reuse_prevention: Some(24),
                max_age_days: Some(90),
            })),
            account_summary: Source::Collected(AccountSummary {
                account_mfa_enabled: true,
                account_access_keys_present: false,
            }),
            saml_providers: Source::Collected(vec![format!(
                "arn:aws:iam::{ACCOUNT}:saml-provider/Okta"
            )]),
            oidc_providers: Source::Collected(vec![]),
        },
        service_control_policies: Source::Collected(vec![]),
        identity_center_instances: Source::Collected(vec![]),
        s3: S3Snapshot::default(),
        artifact_agreements: Source::Collected(vec![]),
    }
}

/// Wraps global evidence into a snapshot with no regions.
pub fn snapshot_of(global: GlobalSnapshot) -> Snapshot {
    Snapshot {
        schema_version: SNAPSHOT_SCHEMA_VERSION,
        tool_version: "test".into(),
        account_id: ACCOUNT.into(),
        partition: "aws".into(),
        started_at: now(),
        finished_at: now(),
        api_calls: 0,
        regions: BTreeMap::new(),
        global,
    }
}

/// Runs one check over global evidence with the default config at [`NOW`].
pub fn evaluate(check: &Check, global: GlobalSnapshot) -> Vec<Finding> {
    evaluate_with(check, global, &Config::default())
}

/// Runs one check with a given config.
pub fn evaluate_with(check: &Check, global: GlobalSnapshot, config: &Config) -> Vec<Finding> {
    let snapshot = snapshot_of(global);
    let ctx = Context {
        eligible: crate::eligible::EligibleServices::embedded(),
        snapshot: &snapshot,
        config,
        now: now(),
    };
    (check.run)(&ctx)
}

/// The single finding of an account-level check; panics (failing the test) otherwise.
pub fn only(findings: Vec<Finding>) -> Finding {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = findings.into_iter().next().expect("one finding");
    assert_eq!(finding.region, "global");
    finding
}
