//! rds-deny-unencrypted-create: a policy in force denies creating unencrypted databases.

use serde_json::{json, Value};

use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::{account_finding, inline_policies, unavailable, ACCOUNT_TYPE};
use crate::policy::{self, RDS_CREATE_ACTIONS};
use crate::snapshot::{Failure, Source};

/// The check: some customer-managed policy attached somewhere, inline policy or SCP denies
/// rds:CreateDBCluster / rds:CreateDBInstance when rds:StorageEncrypted is false.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-deny-unencrypted-create",
    title: "A policy denies creating unencrypted databases",
    severity: Severity::High,
    hipaa: &["164.312(a)(2)(iv)"],
    baa: BaaRule::EncryptAtRest,
    resource_types: &[ACCOUNT_TYPE],
    requirement: "Encryption at rest (164.312(a)(2)(iv)) as a preventive control: a Deny of \
        rds:CreateDBCluster / rds:CreateDBInstance (also via rds:Create*, rds:* or *) with \
        Condition Bool or BoolIfExists rds:StorageEncrypted = false, for every region and \
        database name, means an unencrypted database cannot be created at all (seed 001). It \
        must be in force: in a customer-managed policy attached to something, an inline policy \
        of a user, group or role, or a service control policy. When no IAM policy has it and the \
        organization's SCPs cannot be read, the check is manual.",
    evidence: &[
        "iam:GetAccountAuthorizationDetails (customer-managed policies with AttachmentCount > 0, inline policies)",
        "organizations:ListPolicies SERVICE_CONTROL_POLICY + organizations:DescribePolicy",
    ],
    remediation: Remediation {
        summary: "Deny rds:CreateDBCluster and rds:CreateDBInstance when rds:StorageEncrypted is false, in an SCP or a policy on every principal that creates databases.",
        console: "Organizations > Policies > Service control policies > Create policy with \
            {\"Effect\": \"Deny\", \"Action\": [\"rds:CreateDBCluster\", \"rds:CreateDBInstance\"], \
            \"Resource\": \"*\", \"Condition\": {\"Bool\": {\"rds:StorageEncrypted\": \"false\"}}} > \
            Attach to the root or the OUs holding PHI accounts. Without Organizations: IAM > Policies \
            > Create policy with the same statement > attach it to every group and role that \
            creates databases.",
        cli: "aws organizations create-policy --type SERVICE_CONTROL_POLICY --name deny-unencrypted-rds --description 'Deny unencrypted RDS' --content file://deny-unencrypted-rds.json\n\
              aws organizations attach-policy --policy-id <id> --target-id <root-or-ou-id>\n\
              (single account: aws iam create-policy --policy-name DenyUnencryptedRds --policy-document file://deny-unencrypted-rds.json\n\
               aws iam attach-group-policy --group-name <group> --policy-arn arn:aws:iam::<account>:policy/DenyUnencryptedRds)",
        cloudformation: "AWS::Organizations::Policy (Type SERVICE_CONTROL_POLICY, TargetIds) or \
            AWS::IAM::ManagedPolicy (Groups/Roles) with the Deny statement on rds:CreateDBCluster \
            and rds:CreateDBInstance conditioned on Bool rds:StorageEncrypted = false.",
    },
    seeds: &["seed 000", "seed 001"],
    source_file: file!(),
};

/// What scanning the documents in force found.
#[derive(Default)]
struct Scan {
    /// Policies with a qualifying deny statement.
    denying: Vec<Value>,
    /// Which create actions those denies cover.
    covered: Vec<&'static str>,
    /// Documents that could not be parsed (kind, name, error).
    unreadable: Vec<Value>,
    /// How many documents were examined.
    examined: usize,
}

impl Scan {
    fn document(&mut self, ctx: &Context, kind: &str, name: &str, text: &str) {
        self.examined += 1;
        let statements = match policy::statements(text) {
            Ok(statements) => statements,
            Err(error) => {
                self.unreadable
                    .push(json!({ "kind": kind, "name": name, "error": error.to_string() }));
                return;
            }
        };
        let partition = if ctx.snapshot.partition.is_empty() {
            "aws"
        } else {
            ctx.snapshot.partition.as_str()
        };
        for statement in &statements {
            let actions = statement.unencrypted_creates_denied(partition, &ctx.snapshot.account_id);
            if actions.is_empty() {
                continue;
            }
            for action in &actions {
                if !self.covered.contains(action) {
                    self.covered.push(action);
                }
            }
            self.denying.push(json!({
                "kind": kind,
                "name": name,
                "sid": statement.sid,
                "denied_actions": actions,
                "other_conditions": statement.other_condition_keys(),
            }));
        }
    }
}

fn run(ctx: &Context) -> Vec<Finding> {
    let global = &ctx.snapshot.global;
    let mut scan = Scan::default();
    if let Source::Collected(auth) = &global.iam.authorization {
        for managed in auth
            .policies
            .iter()
            .filter(|p| !p.is_aws_managed() && p.attachment_count > 0)
        {
            if let Some(text) = &managed.default_document {
                scan.document(ctx, "customer-managed policy", &managed.name, text);
            }
        }
        for (kind, principal, inline) in inline_policies(auth) {
            let name = format!("{} {}/{}", kind.noun(), principal.name, inline.name);
            scan.document(ctx, "inline policy", &name, &inline.document);
        }
    }
    let iam_examined = scan.examined;
    if let Source::Collected(scps) = &global.service_control_policies {
        for scp in scps {
            let name = format!("{} ({})", scp.name, scp.id);
            scan.document(ctx, "service control policy", &name, &scp.document);
        }
    }
    let scps_examined = scan.examined - iam_examined;
    let evidence = json!({
        "denying_statements": scan.denying,
        "covered_actions": scan.covered,
        "iam_policies_examined": global.iam.authorization.failure().map_or(json!(iam_examined), |_| json!(null)),
        "scps_examined": global.service_control_policies.failure().map_or(json!(scps_examined), |_| json!(null)),
        "unreadable_documents": scan.unreadable,
    });

    let verdict = if !scan.denying.is_empty() {
        let names: Vec<String> = scan
            .denying
            .iter()
            .filter_map(|d| Some(format!("{} {}", d["kind"].as_str()?, d["name"].as_str()?)))
            .collect();
        let uncovered: Vec<&str> = RDS_CREATE_ACTIONS
            .iter()
            .copied()
            .filter(|a| !scan.covered.contains(a))
            .collect();
        let gap = if uncovered.is_empty() {
            String::new()
        } else {
            format!(" ({} is not covered)", uncovered.join(", "))
        };
        Verdict::pass(
            format!(
                "unencrypted {} creation is denied by {}{gap}",
                scan.covered.join(" / "),
                names.join(", ")
            ),
            evidence,
        )
    } else {
        match (
            global.iam.authorization.failure(),
            global.service_control_policies.failure(),
        ) {
            (Some(auth), Some(scps)) => unavailable(
                "the IAM policies and the service control policies",
                &[auth, scps],
            ),
            (Some(auth), None) => with_evidence(
                unavailable(
                    "the IAM policies (no service control policy denies unencrypted creation)",
                    &[auth],
                ),
                evidence,
            ),
            (None, Some(scps)) => Verdict::manual(
                format!(
                    "no IAM policy in force denies creating unencrypted databases, and the \
                     service control policies could not be read ({}); check the organization's \
                     SCPs (from the management account) for a Deny of rds:CreateDBCluster / \
                     rds:CreateDBInstance when rds:StorageEncrypted is false",
                    scps.describe()
                ),
                with_failure(evidence, scps),
            ),
            (None, None) if !scan.unreadable.is_empty() => Verdict::manual(
                format!(
                    "no readable policy in force denies creating unencrypted databases, and {} \
                     document(s) could not be parsed; review them for a Deny of \
                     rds:CreateDBCluster / rds:CreateDBInstance when rds:StorageEncrypted is false",
                    scan.unreadable.len()
                ),
                evidence,
            ),
            (None, None) => Verdict::fail(
                format!(
                    "none of {iam_examined} IAM policies in force and {scps_examined} service \
                     control policies denies rds:CreateDBCluster / rds:CreateDBInstance when \
                     rds:StorageEncrypted is false; add that deny (an SCP is best)"
                ),
                evidence,
            ),
        }
    };
    vec![account_finding(ctx, &META, verdict)]
}

fn with_evidence(mut verdict: Verdict, evidence: Value) -> Verdict {
    if let (Value::Object(target), Value::Object(extra)) = (&mut verdict.evidence, evidence) {
        target.extend(extra);
    }
    verdict
}

fn with_failure(mut evidence: Value, failure: &Failure) -> Value {
    evidence["collection_error"] = json!(failure);
    evidence
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::iam::fixtures::*;
    use crate::snapshot::{GlobalSnapshot, ServiceControlPolicy};

    /// The baseline with the IAM deny policy detached (attachment count 0).
    fn without_iam_deny() -> GlobalSnapshot {
        let mut global = compliant_global();
        let Source::Collected(auth) = &mut global.iam.authorization else {
            unreachable!()
        };
        for policy in &mut auth.policies {
            if policy.arn == DENY_RDS {
                policy.attachment_count = 0;
            }
        }
        global
    }

    fn scp(id: &str, document: &str) -> ServiceControlPolicy {
        ServiceControlPolicy {
            id: id.into(),
            name: format!("scp-{id}"),
            document: document.into(),
        }
    }

    #[test]
    fn pass_with_an_attached_customer_managed_deny() {
        let finding = only(evaluate(&CHECK, compliant_global()));
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.resource_type, "AWS::::Account");
        assert_eq!(finding.resource_id, ACCOUNT);
        assert!(
            finding.message.contains("DenyUnencryptedRds"),
            "{}",
            finding.message
        );
        assert_eq!(
            finding.evidence["covered_actions"],
            json!(["rds:CreateDBCluster", "rds:CreateDBInstance"])
        );
    }

    #[test]
    fn unattached_policy_is_not_in_force() {
        let finding = only(evaluate(&CHECK, without_iam_deny()));
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.severity, Severity::High);
        // DataRead is attached; the role's inline policy counts; no SCP.
        assert_eq!(finding.evidence["iam_policies_examined"], 2);
        assert_eq!(finding.evidence["scps_examined"], 0);
    }

    #[test]
    fn inline_url_encoded_create_star_with_bool_if_exists() {
        let mut global = without_iam_deny();
        let Source::Collected(auth) = &mut global.iam.authorization else {
            unreachable!()
        };
        let document = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny",
            "Action": "rds:Create*", "Resource": "*",
            "Condition": {"BoolIfExists": {"rds:StorageEncrypted": false}}}}"#;
        auth.roles[0]
            .inline_policies
            .push(inline("no-plaintext-db", &url_encode(document)));
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Pass);
        assert!(
            finding.message.contains("role app/no-plaintext-db"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn pass_with_an_scp_and_scps_are_counted() {
        let mut global = without_iam_deny();
        global.service_control_policies = Source::Collected(vec![
            scp(
                "p-full",
                r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#,
            ),
            scp(
                "p-rds",
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "rds:*",
                    "Resource": "*", "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}}]}"#,
            ),
        ]);
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Pass);
        assert!(finding.message.contains("scp-p-rds"), "{}", finding.message);
        assert_eq!(finding.evidence["scps_examined"], 2);
    }

    #[test]
    fn pass_names_the_uncovered_action() {
        let mut global = without_iam_deny();
        global.service_control_policies = Source::Collected(vec![scp(
            "p-aurora",
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:CreateDBCluster", "Resource": "*",
                "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}}}"#,
        )]);
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Pass);
        assert!(
            finding
                .message
                .contains("rds:CreateDBInstance is not covered"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn manual_when_scps_unreadable() {
        let mut global = without_iam_deny();
        global.service_control_policies = Source::Failed(failure("organizations", "ListPolicies"));
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Manual);
        assert!(finding.message.contains("SCPs"), "{}", finding.message);
        assert!(
            finding.message.contains("ListPolicies"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn iam_deny_passes_even_when_scps_unreadable() {
        let mut global = compliant_global();
        global.service_control_policies = Source::Failed(failure("organizations", "ListPolicies"));
        assert_eq!(only(evaluate(&CHECK, global)).status, Status::Pass);
    }

    #[test]
    fn scp_deny_passes_even_when_iam_unreadable() {
        let mut global = compliant_global();
        global.iam.authorization = Source::Failed(failure("iam", "GetAccountAuthorizationDetails"));
        global.service_control_policies =
            Source::Collected(vec![scp("p-rds", DENY_UNENCRYPTED_DOC)]);
        assert_eq!(only(evaluate(&CHECK, global)).status, Status::Pass);
    }

    #[test]
    fn error_when_iam_unreadable_and_no_scp_denies() {
        let mut global = compliant_global();
        global.iam.authorization = Source::Failed(failure("iam", "GetAccountAuthorizationDetails"));
        let finding = only(evaluate(&CHECK, global.clone()));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("GetAccountAuthorizationDetails"),
            "{}",
            finding.message
        );

        global.service_control_policies = Source::Failed(failure("organizations", "ListPolicies"));
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("ListPolicies"),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains("GetAccountAuthorizationDetails"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn manual_when_a_document_in_force_is_unreadable() {
        let mut global = without_iam_deny();
        let Source::Collected(auth) = &mut global.iam.authorization else {
            unreachable!()
        };
        auth.users[0]
            .inline_policies
            .push(inline("garbled", "{\"Statement\": "));
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Manual);
        assert_eq!(
            finding.evidence["unreadable_documents"][0]["name"],
            "user alice/garbled"
        );
    }

    #[test]
    fn deny_without_the_condition_or_scoped_does_not_count() {
        let mut global = without_iam_deny();
        global.service_control_policies = Source::Collected(vec![
            scp(
                "p-true",
                r#"{"Statement": {"Effect": "Deny", "Action": "rds:*", "Resource": "*",
                    "Condition": {"Bool": {"rds:StorageEncrypted": "true"}}}}"#,
            ),
            scp(
                "p-one-region",
                r#"{"Statement": {"Effect": "Deny", "Action": "rds:*",
                    "Resource": "arn:aws:rds:eu-west-1:*:*:*",
                    "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}}}"#,
            ),
        ]);
        assert_eq!(only(evaluate(&CHECK, global)).status, Status::Fail);
    }
}
