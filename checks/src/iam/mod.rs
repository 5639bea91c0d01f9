//! IAM checks (seeds 003, 004): root account protection, passwords, MFA, credential hygiene,
//! least privilege and federation.
//!
//! IAM is global: every finding has region `global`. Account-level findings are about the
//! resource `AWS::::Account` (id = account id); credential findings are about IAM users (from
//! the credential report); policy findings about policies or the principal they are attached
//! to. A failed source the check needs becomes one account-level `error` finding.

use jiff::Timestamp;
use serde_json::json;

use crate::catalog::{CheckMeta, Context, Resource, Verdict};
use crate::finding::Finding;
use crate::snapshot::{
    AuthorizationDetails, CredentialReportRow, Failure, IamPrincipal, InlinePolicy, ManagedPolicy,
    Source,
};

pub mod iam_access_key_rotation;
pub mod iam_federation;
pub mod iam_no_admin_star;
pub mod iam_password_policy;
pub mod iam_root_mfa;
pub mod iam_root_no_access_keys;
pub mod iam_user_console_mfa;
pub mod iam_user_no_direct_policies;
pub mod iam_user_unused_credentials;

#[cfg(test)]
pub(crate) mod fixtures;

/// The region of every IAM finding.
pub const GLOBAL: &str = "global";
/// Resource type of the account itself.
pub const ACCOUNT_TYPE: &str = "AWS::::Account";
/// Resource type of an IAM user.
pub const USER_TYPE: &str = "AWS::IAM::User";
/// Resource type of an IAM group.
pub const GROUP_TYPE: &str = "AWS::IAM::Group";
/// Resource type of an IAM role.
pub const ROLE_TYPE: &str = "AWS::IAM::Role";
/// Resource type of an IAM policy (managed or inline).
pub const POLICY_TYPE: &str = "AWS::IAM::Policy";

/// The account as a finding's resource.
pub fn account_resource(ctx: &Context) -> Resource {
    Resource {
        resource_type: ACCOUNT_TYPE.to_owned(),
        id: ctx.snapshot.account_id.clone(),
        arn: None,
    }
}

/// One account-level finding in region `global`.
pub fn account_finding(ctx: &Context, meta: &CheckMeta, verdict: Verdict) -> Finding {
    meta.finding(ctx, GLOBAL, &account_resource(ctx), verdict)
}

/// An `error` verdict naming `what` and every failed call behind it.
pub fn unavailable(what: &str, failures: &[&Failure]) -> Verdict {
    match failures {
        [single] => Verdict::error(what, single),
        _ => Verdict::missing(
            format!(
                "{what} could not be collected: {}",
                failures
                    .iter()
                    .map(|f| f.describe())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            json!({ "collection_error": failures }),
        ),
    }
}

/// Whole days from `then` to `now` (negative when `then` is in the future).
pub fn days_between(then: Timestamp, now: Timestamp) -> i64 {
    (now.as_second() - then.as_second()).div_euclid(86_400)
}

/// The `YYYY-MM-DD` date of a timestamp, for messages.
pub fn date(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%d").to_string()
}

/// The finding's resource for a credential report row (a user).
pub fn user_resource(row: &CredentialReportRow) -> Resource {
    Resource::new(USER_TYPE, &row.user, &row.arn)
}

/// The root row of the credential report, when the report was collected and has one.
pub fn root_row(report: &Source<Vec<CredentialReportRow>>) -> Option<&CredentialReportRow> {
    match report {
        Source::Collected(rows) => rows.iter().find(|r| r.is_root()),
        Source::Failed(_) => None,
    }
}

/// Runs `grade` over every non-root user of the credential report; a failed report is one
/// account-level `error`.
pub fn grade_report_users(
    ctx: &Context,
    meta: &CheckMeta,
    grade: impl Fn(&CredentialReportRow) -> Verdict,
) -> Vec<Finding> {
    match &ctx.snapshot.global.iam.credential_report {
        Source::Collected(rows) => rows
            .iter()
            .filter(|row| !row.is_root())
            .map(|row| meta.finding(ctx, GLOBAL, &user_resource(row), grade(row)))
            .collect(),
        Source::Failed(failure) => vec![account_finding(
            ctx,
            meta,
            Verdict::error("the IAM credential report", failure),
        )],
    }
}

/// Whether a principal is a user, a group or a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    /// An IAM user.
    User,
    /// An IAM group.
    Group,
    /// An IAM role.
    Role,
}

impl PrincipalKind {
    /// The CloudFormation-style resource type.
    pub fn resource_type(self) -> &'static str {
        match self {
            PrincipalKind::User => USER_TYPE,
            PrincipalKind::Group => GROUP_TYPE,
            PrincipalKind::Role => ROLE_TYPE,
        }
    }

    /// "user", "group" or "role", for messages.
    pub fn noun(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Group => "group",
            PrincipalKind::Role => "role",
        }
    }
}

/// Every user, group and role of the authorization details, with its kind.
pub fn principals(auth: &AuthorizationDetails) -> Vec<(PrincipalKind, &IamPrincipal)> {
    let users = auth.users.iter().map(|p| (PrincipalKind::User, p));
    let groups = auth.groups.iter().map(|p| (PrincipalKind::Group, p));
    let roles = auth.roles.iter().map(|p| (PrincipalKind::Role, p));
    users.chain(groups).chain(roles).collect()
}

/// The finding's resource for a user, group or role.
pub fn principal_resource(kind: PrincipalKind, principal: &IamPrincipal) -> Resource {
    Resource::new(kind.resource_type(), &principal.name, &principal.arn)
}

/// The finding's resource for an inline policy (`<principal>/<policy name>`, no ARN).
pub fn inline_resource(principal: &IamPrincipal, policy: &InlinePolicy) -> Resource {
    Resource::new(
        POLICY_TYPE,
        &format!("{}/{}", principal.name, policy.name),
        "",
    )
}

/// The finding's resource for a managed policy.
pub fn managed_resource(policy: &ManagedPolicy) -> Resource {
    Resource::new(POLICY_TYPE, &policy.name, &policy.arn)
}

/// Every inline policy of every user, group and role, with its owner.
pub fn inline_policies(
    auth: &AuthorizationDetails,
) -> Vec<(PrincipalKind, &IamPrincipal, &InlinePolicy)> {
    principals(auth)
        .into_iter()
        .flat_map(|(kind, principal)| {
            principal
                .inline_policies
                .iter()
                .map(move |policy| (kind, principal, policy))
        })
        .collect()
}

/// True for the AWS-managed `AdministratorAccess` policy in any partition.
pub fn is_administrator_access(arn: &str) -> bool {
    arn.contains(":iam::aws:policy/") && arn.ends_with(":policy/AdministratorAccess")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_down() {
        let now: Timestamp = "2026-11-25T12:00:00Z".parse().expect("ts");
        let then: Timestamp = "2026-08-27T12:00:01Z".parse().expect("ts");
        assert_eq!(days_between(then, now), 89);
        assert_eq!(days_between(now, then), -90);
        assert_eq!(date(now), "2026-11-25");
    }

    #[test]
    fn administrator_access_in_every_partition() {
        assert!(is_administrator_access(
            "arn:aws:iam::aws:policy/AdministratorAccess"
        ));
        assert!(is_administrator_access(
            "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"
        ));
        assert!(!is_administrator_access(
            "arn:aws:iam::111122223333:policy/AdministratorAccess"
        ));
        assert!(!is_administrator_access(
            "arn:aws:iam::aws:policy/AdministratorAccess-Amplify"
        ));
        assert!(!is_administrator_access(
            "arn:aws:iam::aws:policy/job-function/SystemAdministrator"
        ));
    }
}
