//! iam-no-admin-star: no customer-managed or inline policy grants every action on every
//! resource, and AdministratorAccess is not attached to users, groups or roles.

use serde_json::{json, Value};

use super::{
    account_finding, inline_policies, inline_resource, is_administrator_access, managed_resource,
    principal_resource, principals, PrincipalKind, GLOBAL, GROUP_TYPE, POLICY_TYPE, ROLE_TYPE,
    USER_TYPE,
};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::policy::{self, Statement};
use crate::snapshot::Source;

/// The check: no `Allow` of `*` (or `*:*`, or NotAction) on `*` in customer-managed or inline
/// policies; AWS-managed AdministratorAccess attached to a user or group (high) or role
/// (medium) fails.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "iam-no-admin-star",
    title: "No policy grants \"*\" on \"*\"",
    severity: Severity::High,
    hipaa: &["164.308(a)(4)(ii)(B)"],
    baa: BaaRule::AccessControl,
    resource_types: &[POLICY_TYPE, USER_TYPE, GROUP_TYPE, ROLE_TYPE],
    requirement: "Access authorization (164.308(a)(4)(ii)(B)) on least privilege: people and \
        workloads get only the actions their job needs (seed 004), so no customer-managed or \
        inline policy may allow every action (`\"*\"` or `\"*:*\"`, or everything but a NotAction \
        list) on every resource. Every customer-managed policy is graded by its default version, \
        attached or not; every inline policy of a user, group or role too. The AWS-managed \
        AdministratorAccess policy attached to a user or group fails (high); attached to a role, \
        which is assumed for a session and can be guarded by its trust policy, it fails at \
        medium severity.",
    evidence: &[
        "iam:GetAccountAuthorizationDetails Policies[].PolicyVersionList (default version)",
        "iam:GetAccountAuthorizationDetails UserDetailList / GroupDetailList / RoleDetailList (inline policies, attached policies)",
    ],
    remediation: Remediation {
        summary: "Replace \"*\" on \"*\" with the actions and resources the job needs; detach AdministratorAccess.",
        console: "IAM > Policies > select the policy > Edit > replace Action \"*\" with specific \
            service actions and Resource \"*\" with specific ARNs (IAM Access Analyzer > Generate \
            policy builds one from CloudTrail activity) > Save as default version. For \
            AdministratorAccess: IAM > Users/Groups/Roles > select > Permissions > Remove.",
        cli: "aws iam create-policy-version --policy-arn <policy-arn> --policy-document file://least-privilege.json --set-as-default\n\
              aws iam put-user-policy --user-name <id> --policy-name <name> --policy-document file://least-privilege.json   (inline; also put-group-policy / put-role-policy)\n\
              aws iam detach-user-policy --user-name <id> --policy-arn arn:aws:iam::aws:policy/AdministratorAccess\n\
              aws iam detach-group-policy --group-name <id> --policy-arn arn:aws:iam::aws:policy/AdministratorAccess\n\
              aws iam detach-role-policy --role-name <id> --policy-arn arn:aws:iam::aws:policy/AdministratorAccess",
        cloudformation: "AWS::IAM::ManagedPolicy / AWS::IAM::Policy PolicyDocument: list specific \
            Action and Resource values; remove arn:aws:iam::aws:policy/AdministratorAccess from \
            ManagedPolicyArns of AWS::IAM::User, AWS::IAM::Group and AWS::IAM::Role.",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

fn statement_json(index: usize, statement: &Statement) -> Value {
    json!({
        "index": index,
        "sid": statement.sid,
        "Action": statement.action,
        "NotAction": statement.not_action,
        "Resource": statement.resource,
        "NotResource": statement.not_resource,
        "Condition": statement.condition,
    })
}

/// Grades one policy document; `subject` names it in messages ("policy DataRead").
fn grade_document(subject: &str, document: Option<&str>, context: Value) -> Verdict {
    let Some(text) = document else {
        return Verdict::missing(
            format!("{subject}: its default version's document was not collected"),
            json!({ "policy": context }),
        );
    };
    let statements = match policy::statements(text) {
        Ok(statements) => statements,
        Err(error) => {
            return Verdict::manual(
                format!(
                    "{subject}: the document could not be read ({error}); review it for Allow \
                     of \"*\" on \"*\""
                ),
                json!({ "policy": context, "parse_error": error.to_string() }),
            )
        }
    };
    let admin: Vec<Value> = statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_admin_grant())
        .map(|(i, s)| statement_json(i, s))
        .collect();
    if admin.is_empty() {
        Verdict::pass(
            format!("{subject} grants no \"*\" on \"*\""),
            json!({ "policy": context, "statements": statements.len() }),
        )
    } else {
        Verdict::fail(
            format!(
                "{subject} allows every action on every resource ({} statement(s)); scope it \
                 to the actions and resources the job needs",
                admin.len()
            ),
            json!({ "policy": context, "admin_statements": admin }),
        )
    }
}

fn run(ctx: &Context) -> Vec<Finding> {
    let auth = match &ctx.snapshot.global.iam.authorization {
        Source::Collected(auth) => auth,
        Source::Failed(failure) => {
            return vec![account_finding(
                ctx,
                &META,
                Verdict::error("the IAM users, groups, roles and policies", failure),
            )]
        }
    };
    let mut findings = Vec::new();
    for managed in auth.policies.iter().filter(|p| !p.is_aws_managed()) {
        let attachment = if managed.attachment_count > 0 {
            format!("attached {} time(s)", managed.attachment_count)
        } else {
            "not attached".to_owned()
        };
        let verdict = grade_document(
            &format!("customer-managed policy {} ({attachment})", managed.name),
            managed.default_document.as_deref(),
            json!({
                "kind": "customer-managed",
                "arn": managed.arn,
                "attachment_count": managed.attachment_count,
            }),
        );
        findings.push(META.finding(ctx, GLOBAL, &managed_resource(managed), verdict));
    }
    for (kind, principal, inline) in inline_policies(auth) {
        let verdict = grade_document(
            &format!(
                "inline policy {} of {} {}",
                inline.name,
                kind.noun(),
                principal.name
            ),
            Some(&inline.document),
            json!({
                "kind": "inline",
                "principal_type": kind.resource_type(),
                "principal_arn": principal.arn,
            }),
        );
        findings.push(META.finding(ctx, GLOBAL, &inline_resource(principal, inline), verdict));
    }
    for (kind, principal) in principals(auth) {
        // A customer-managed policy attached here but absent from the policy list was never
        // graded: its document is missing evidence.
        for arn in principal.attached_policy_arns.iter().filter(|arn| {
            !arn.contains(":iam::aws:policy/") && !auth.policies.iter().any(|p| p.arn == **arn)
        }) {
            let verdict = Verdict::missing(
                format!(
                    "{} {} has customer-managed policy {arn} attached, but the policy was not \
                     returned by GetAccountAuthorizationDetails, so its document cannot be checked \
                     for \"*\" on \"*\"",
                    kind.noun(),
                    principal.name
                ),
                json!({ "attached_policy_arn": arn, "principal_arn": principal.arn }),
            );
            findings.push(META.finding(ctx, GLOBAL, &principal_resource(kind, principal), verdict));
        }
        for arn in principal
            .attached_policy_arns
            .iter()
            .filter(|arn| is_administrator_access(arn))
        {
            let severity = match kind {
                PrincipalKind::Role => Severity::Medium,
                PrincipalKind::User | PrincipalKind::Group => Severity::High,
            };
            let mut verdict = Verdict::fail(
                format!(
                    "{} {} has the AWS-managed AdministratorAccess policy attached; replace it \
                     with policies scoped to the job",
                    kind.noun(),
                    principal.name
                ),
                json!({ "attached_policy_arn": arn, "principal_arn": principal.arn }),
            );
            verdict.severity = Some(severity);
            findings.push(META.finding(ctx, GLOBAL, &principal_resource(kind, principal), verdict));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::iam::fixtures::*;

    #[test]
    fn least_privilege_policies_pass() {
        let findings = evaluate(&CHECK, compliant_global());
        // DataRead, DenyUnencryptedRds and app/s3-read; ReadOnlyAccess is AWS-managed.
        assert_eq!(findings.len(), 3, "{findings:#?}");
        assert!(
            findings.iter().all(|f| f.status == Status::Pass),
            "{findings:#?}"
        );
        let inline = finding_for(&findings, "app/s3-read");
        assert_eq!(inline.resource_type, "AWS::IAM::Policy");
        assert_eq!(inline.resource_arn, None);
        let managed = finding_for(&findings, "DataRead");
        assert_eq!(managed.resource_arn.as_deref(), Some(DATA_READ));
    }

    #[test]
    fn customer_managed_admin_fails_attached_or_not_and_url_encoded() {
        let mut global = compliant_global();
        let Source::Collected(auth) = &mut global.iam.authorization else {
            unreachable!()
        };
        auth.policies.push(managed(
            "arn:aws:iam::111122223333:policy/Everything",
            0,
            &url_encode(ADMIN_DOC),
        ));
        auth.policies.push(managed(
            "arn:aws:iam::111122223333:policy/StarStar",
            2,
            r#"{"Statement": {"Effect": "Allow", "Action": ["s3:GetObject", "*:*"], "Resource": ["*"]}}"#,
        ));
        let findings = evaluate(&CHECK, global);
        let everything = finding_for(&findings, "Everything");
        assert_eq!(everything.status, Status::Fail);
        assert_eq!(everything.severity, Severity::High);
        assert!(
            everything.message.contains("not attached"),
            "{}",
            everything.message
        );
        let star = finding_for(&findings, "StarStar");
        assert_eq!(star.status, Status::Fail);
        assert_eq!(star.evidence["admin_statements"][0]["index"], 0);
    }

    #[test]
    fn inline_not_action_on_star_fails() {
        let mut global = compliant_global();
        let Source::Collected(auth) = &mut global.iam.authorization else {
            unreachable!()
        };
        auth.groups[0].inline_policies.push(inline(
            "power-user",
            r#"{"Statement": [{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}]}"#,
        ));
        auth.users[0].inline_policies.push(inline(
            "s3-only",
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#,
        ));
        let findings = evaluate(&CHECK, global);
        let power = finding_for(&findings, "developers/power-user");
        assert_eq!(power.status, Status::Fail);
        assert_eq!(
            power.evidence["policy"]["principal_type"],
            "AWS::IAM::Group"
        );
        assert_eq!(status_of(&findings, "alice/s3-only"), Status::Pass);
    }

    #[test]
    fn administrator_access_is_high_on_users_and_groups_medium_on_roles() {
        let mut global = compliant_global();
        let Source::Collected(auth) = &mut global.iam.authorization else {
            unreachable!()
        };
        auth.users[0].attached_policy_arns.push(ADMIN_ACCESS.into());
        auth.groups[0]
            .attached_policy_arns
            .push(ADMIN_ACCESS.into());
        auth.roles[0].attached_policy_arns.push(ADMIN_ACCESS.into());
        let findings = evaluate(&CHECK, global);
        let user = finding_for(&findings, "alice");
        assert_eq!((user.status, user.severity), (Status::Fail, Severity::High));
        assert_eq!(user.resource_type, "AWS::IAM::User");
        let group = finding_for(&findings, "developers");
        assert_eq!(
            (group.status, group.severity),
            (Status::Fail, Severity::High)
        );
        assert_eq!(group.resource_type, "AWS::IAM::Group");
        let role = finding_for(&findings, "app");
        assert_eq!(
            (role.status, role.severity),
            (Status::Fail, Severity::Medium)
        );
        assert_eq!(role.resource_type, "AWS::IAM::Role");
    }

    #[test]
    fn unreadable_and_missing_documents() {
        let mut global = compliant_global();
        let Source::Collected(auth) = &mut global.iam.authorization else {
            unreachable!()
        };
        auth.roles[0]
            .inline_policies
            .push(inline("broken", "{not json"));
        let mut missing = managed("arn:aws:iam::111122223333:policy/NoDoc", 1, "");
        missing.default_document = None;
        auth.policies.push(missing);
        let findings = evaluate(&CHECK, global);
        assert_eq!(status_of(&findings, "app/broken"), Status::Manual);
        assert_eq!(status_of(&findings, "NoDoc"), Status::Error);
    }

    #[test]
    fn error_when_attached_customer_managed_policy_is_not_listed() {
        let mut global = compliant_global();
        let Source::Collected(auth) = &mut global.iam.authorization else {
            unreachable!()
        };
        let ghost = "arn:aws:iam::111122223333:policy/Ghost";
        auth.roles[0].attached_policy_arns.push(ghost.into());
        let findings = evaluate(&CHECK, global);
        // The three graded documents plus the unlisted attachment; ReadOnlyAccess (AWS-managed,
        // listed) and the listed DataRead / DenyUnencryptedRds attachments add nothing.
        assert_eq!(findings.len(), 4, "{findings:#?}");
        let app = finding_for(&findings, "app");
        assert_eq!(app.status, Status::Error);
        assert_eq!(app.resource_type, "AWS::IAM::Role");
        assert!(app.message.contains(ghost), "{}", app.message);
        assert_eq!(app.evidence["attached_policy_arn"], ghost);
    }

    #[test]
    fn error_when_authorization_details_unavailable() {
        let mut global = compliant_global();
        global.iam.authorization = Source::Failed(failure("iam", "GetAccountAuthorizationDetails"));
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("GetAccountAuthorizationDetails"),
            "{}",
            finding.message
        );
    }
}
