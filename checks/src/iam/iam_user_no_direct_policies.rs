//! iam-user-no-direct-policies: users get permissions through groups or roles only.

use serde_json::json;

use super::{account_finding, principal_resource, PrincipalKind, GLOBAL, USER_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::Source;

/// The check: no user has attached managed policies or inline policies of its own.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "iam-user-no-direct-policies",
    title: "Users get permissions through groups or roles only",
    severity: Severity::Low,
    hipaa: &["164.308(a)(4)(ii)(B)"],
    baa: BaaRule::AccessControl,
    resource_types: &[USER_TYPE],
    requirement: "Access authorization (164.308(a)(4)(ii)(B)) that can be reviewed: when \
        permissions come from a handful of job-function groups or roles (seed 003's admin and \
        sysadmins groups), granting, reviewing and revoking access is one membership change. A \
        policy attached or written directly on a user is a one-off grant that reviews miss and \
        that outlives the job change it was made for.",
    evidence: &["iam:GetAccountAuthorizationDetails UserDetailList[].AttachedManagedPolicies, UserPolicyList"],
    remediation: Remediation {
        summary: "Move the user's policies to a job-function group (or a role) and remove them from the user.",
        console: "IAM > User groups > create or pick the group for the job > Permissions > attach \
            the policies > Users > add the user; then IAM > Users > select the user > Permissions \
            > remove each directly attached or inline policy.",
        cli: "aws iam add-user-to-group --group-name <group> --user-name <id>\n\
              aws iam list-attached-user-policies --user-name <id>\n\
              aws iam detach-user-policy --user-name <id> --policy-arn <policy-arn>\n\
              aws iam list-user-policies --user-name <id>\n\
              aws iam delete-user-policy --user-name <id> --policy-name <name>",
        cloudformation: "AWS::IAM::User: no ManagedPolicyArns or Policies; set Groups instead and \
            put the policies on AWS::IAM::Group.",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    let auth = match &ctx.snapshot.global.iam.authorization {
        Source::Collected(auth) => auth,
        Source::Failed(failure) => {
            return vec![account_finding(
                ctx,
                &META,
                Verdict::error("the IAM users and their policies", failure),
            )]
        }
    };
    auth.users
        .iter()
        .map(|user| {
            let inline: Vec<&str> = user
                .inline_policies
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            let evidence = json!({
                "attached_policy_arns": user.attached_policy_arns,
                "inline_policies": inline,
                "groups": user.group_names,
            });
            let mut direct: Vec<String> = user
                .attached_policy_arns
                .iter()
                .map(|arn| format!("attached {}", arn.rsplit('/').next().unwrap_or(arn)))
                .collect();
            direct.extend(inline.iter().map(|name| format!("inline {name}")));
            let verdict = if direct.is_empty() {
                Verdict::pass(
                    format!(
                        "user {} has no policies of its own (groups: {})",
                        user.name,
                        if user.group_names.is_empty() {
                            "none".to_owned()
                        } else {
                            user.group_names.join(", ")
                        }
                    ),
                    evidence,
                )
            } else {
                Verdict::fail(
                    format!(
                        "user {} has policies of its own ({}); grant them through a group or role",
                        user.name,
                        direct.join(", ")
                    ),
                    evidence,
                )
            };
            META.finding(
                ctx,
                GLOBAL,
                &principal_resource(PrincipalKind::User, user),
                verdict,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::iam::fixtures::*;

    #[test]
    fn pass_through_groups() {
        let findings = evaluate(&CHECK, compliant_global());
        assert_eq!(findings.len(), 2);
        let alice = finding_for(&findings, "alice");
        assert_eq!(alice.status, Status::Pass);
        assert_eq!(alice.resource_type, "AWS::IAM::User");
        assert_eq!(
            alice.resource_arn.as_deref(),
            Some("arn:aws:iam::111122223333:user/alice")
        );
        assert_eq!(status_of(&findings, "bob"), Status::Pass);
    }

    #[test]
    fn fail_on_attached_or_inline() {
        let mut global = compliant_global();
        let Source::Collected(auth) = &mut global.iam.authorization else {
            unreachable!()
        };
        auth.users[0].attached_policy_arns.push(READ_ONLY.into());
        auth.users[1]
            .inline_policies
            .push(inline("s3", S3_READ_DOC));
        let findings = evaluate(&CHECK, global);
        let alice = finding_for(&findings, "alice");
        assert_eq!(
            (alice.status, alice.severity),
            (Status::Fail, Severity::Low)
        );
        assert!(
            alice.message.contains("attached ReadOnlyAccess"),
            "{}",
            alice.message
        );
        let bob = finding_for(&findings, "bob");
        assert_eq!(bob.status, Status::Fail);
        assert!(bob.message.contains("inline s3"), "{}", bob.message);
    }

    #[test]
    fn error_when_unavailable() {
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
