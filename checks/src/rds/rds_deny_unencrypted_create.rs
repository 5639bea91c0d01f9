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
        database name, means an unencrypted database cannot be created at all (seed 001). Both \
        actions must be covered (possibly by different statements) and the deny must be in \
        force: in a customer-managed policy attached to something or an inline policy of a \
        user, group or role. A deny narrowed by further condition keys (aws:RequestedRegion, \
        aws:PrincipalArn, ...) does not prove the guardrail and is manual. A deny found only in \
        a service control policy is manual: the snapshot cannot tell whether the SCP is \
        attached above this account or whether this is the management account, where SCPs \
        never apply. When no IAM policy has it and the organization's SCPs cannot be read, or an \
        attached policy cannot be read, the check is manual.",
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

/// Where a document in force comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// A customer-managed policy attached somewhere, or an inline policy: in force here.
    Iam,
    /// A service control policy: in force only if attached above this account, and never in
    /// the organization's management account.
    Scp,
}

/// One deny statement of unencrypted creation.
struct Deny {
    origin: Origin,
    kind: &'static str,
    name: String,
    sid: Option<String>,
    actions: Vec<&'static str>,
    /// Condition keys besides rds:StorageEncrypted; non-empty means the deny is narrowed.
    other_conditions: Vec<String>,
}

impl Deny {
    fn label(&self) -> String {
        format!("{} {}", self.kind, self.name)
    }

    fn to_json(&self) -> Value {
        json!({
            "kind": self.kind,
            "name": self.name,
            "sid": self.sid,
            "denied_actions": self.actions,
            "other_conditions": self.other_conditions,
        })
    }
}

/// What scanning the documents in force found.
#[derive(Default)]
struct Scan {
    /// Qualifying deny statements (no condition besides rds:StorageEncrypted).
    denying: Vec<Deny>,
    /// Deny statements narrowed by further condition keys: they do not prove the guardrail.
    narrowed: Vec<Deny>,
    /// Documents that could not be read or parsed (kind, name, error).
    unreadable: Vec<Value>,
    /// How many documents were examined.
    examined: usize,
}

impl Scan {
    fn unreadable(&mut self, kind: &str, name: &str, error: &str) {
        self.examined += 1;
        self.unreadable
            .push(json!({ "kind": kind, "name": name, "error": error }));
    }

    fn document(
        &mut self,
        ctx: &Context,
        origin: Origin,
        kind: &'static str,
        name: &str,
        text: &str,
    ) {
        let statements = match policy::statements(text) {
            Ok(statements) => statements,
            Err(error) => return self.unreadable(kind, name, &error.to_string()),
        };
        self.examined += 1;
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
            let deny = Deny {
                origin,
                kind,
                name: name.to_owned(),
                sid: statement.sid.clone(),
                actions,
                other_conditions: statement.other_condition_keys(),
            };
            if deny.other_conditions.is_empty() {
                self.denying.push(deny);
            } else {
                self.narrowed.push(deny);
            }
        }
    }

    /// True when a qualifying deny from `origin` covers `action`.
    fn covers(&self, origin: Origin, action: &str) -> bool {
        self.denying
            .iter()
            .any(|d| d.origin == origin && d.actions.contains(&action))
    }

    /// Labels of the qualifying denies from `origin` covering any of `actions`.
    fn names(&self, origin: Origin, actions: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for deny in self
            .denying
            .iter()
            .filter(|d| d.origin == origin && d.actions.iter().any(|a| actions.contains(a)))
        {
            let label = deny.label();
            if !names.contains(&label) {
                names.push(label);
            }
        }
        names
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
            match &managed.default_document {
                Some(text) => scan.document(
                    ctx,
                    Origin::Iam,
                    "customer-managed policy",
                    &managed.name,
                    text,
                ),
                // Attached, so in force, but its document was not returned: it may hold the deny.
                None => scan.unreadable(
                    "customer-managed policy",
                    &managed.name,
                    "the default version's document was not returned",
                ),
            }
        }
        for (kind, principal, inline) in inline_policies(auth) {
            let name = format!("{} {}/{}", kind.noun(), principal.name, inline.name);
            scan.document(ctx, Origin::Iam, "inline policy", &name, &inline.document);
        }
    }
    let iam_examined = scan.examined;
    if let Source::Collected(scps) = &global.service_control_policies {
        for scp in scps {
            let name = format!("{} ({})", scp.name, scp.id);
            scan.document(
                ctx,
                Origin::Scp,
                "service control policy",
                &name,
                &scp.document,
            );
        }
    }
    let scps_examined = scan.examined - iam_examined;

    let iam_failure = global.iam.authorization.failure();
    let scp_failure = global.service_control_policies.failure();
    let iam_covered: Vec<&str> = RDS_CREATE_ACTIONS
        .iter()
        .copied()
        .filter(|a| scan.covers(Origin::Iam, a))
        .collect();
    let scp_only: Vec<&str> = RDS_CREATE_ACTIONS
        .iter()
        .copied()
        .filter(|a| !iam_covered.contains(a) && scan.covers(Origin::Scp, a))
        .collect();
    let uncovered: Vec<&str> = RDS_CREATE_ACTIONS
        .iter()
        .copied()
        .filter(|a| !iam_covered.contains(a) && !scp_only.contains(a))
        .collect();
    let covered: Vec<&str> = RDS_CREATE_ACTIONS
        .iter()
        .copied()
        .filter(|a| !uncovered.contains(a))
        .collect();
    // Narrowed denies that are the only thing standing for an uncovered action.
    let narrowed: Vec<&Deny> = scan
        .narrowed
        .iter()
        .filter(|d| d.actions.iter().any(|a| uncovered.contains(a)))
        .collect();
    // Uncovered actions that nothing unread or narrowed could still cover: proven gaps.
    let proven_gaps: Vec<&str> =
        if iam_failure.is_some() || scp_failure.is_some() || !scan.unreadable.is_empty() {
            Vec::new()
        } else {
            uncovered
                .iter()
                .copied()
                .filter(|a| !narrowed.iter().any(|d| d.actions.contains(a)))
                .collect()
        };

    let mut evidence = json!({
        "denying_statements": scan.denying.iter().map(Deny::to_json).collect::<Vec<_>>(),
        "covered_actions": covered,
        "iam_policies_examined": iam_failure.map_or(json!(iam_examined), |_| json!(null)),
        "scps_examined": scp_failure.map_or(json!(scps_examined), |_| json!(null)),
        "unreadable_documents": scan.unreadable,
    });
    if !scp_only.is_empty() {
        evidence["covered_only_by_scps"] = json!(scp_only);
    }
    if !scan.narrowed.is_empty() {
        evidence["narrowed_denies"] =
            Value::Array(scan.narrowed.iter().map(Deny::to_json).collect());
    }
    let criterion = "when rds:StorageEncrypted is false";

    let verdict = if !proven_gaps.is_empty() {
        let partial = if covered.is_empty() {
            String::new()
        } else {
            let mut names = scan.names(Origin::Iam, &covered);
            names.extend(scan.names(Origin::Scp, &covered));
            format!(
                " (only {} is denied, by {})",
                covered.join(" / "),
                names.join(", ")
            )
        };
        Verdict::fail(
            format!(
                "none of {iam_examined} IAM policies in force and {scps_examined} service \
                 control policies denies {} {criterion}{partial}; add that deny (an SCP is best)",
                proven_gaps.join(" / ")
            ),
            evidence,
        )
    } else if let (false, Some(auth)) = (uncovered.is_empty(), iam_failure) {
        let what = match scp_failure {
            Some(_) => "the IAM policies and the service control policies".to_owned(),
            None => format!(
                "the IAM policies (no service control policy denies unencrypted {} creation)",
                uncovered.join(" / ")
            ),
        };
        let failures: Vec<&Failure> = [Some(auth), scp_failure].into_iter().flatten().collect();
        with_evidence(unavailable(&what, &failures), evidence)
    } else if uncovered.is_empty() && scp_only.is_empty() {
        Verdict::pass(
            format!(
                "unencrypted {} creation is denied by {}",
                iam_covered.join(" / "),
                scan.names(Origin::Iam, &iam_covered).join(", ")
            ),
            evidence,
        )
    } else {
        let mut reasons = Vec::new();
        if !iam_covered.is_empty() {
            reasons.push(format!(
                "unencrypted {} creation is denied by {}",
                iam_covered.join(" / "),
                scan.names(Origin::Iam, &iam_covered).join(", ")
            ));
        }
        if !scp_only.is_empty() {
            reasons.push(format!(
                "{} contains the deny of unencrypted {} creation, but the snapshot cannot show \
                 that it applies here: confirm the SCP is attached to this account's OU or the \
                 root, and that this account is not the organization's management account \
                 (SCPs never apply to it)",
                scan.names(Origin::Scp, &scp_only).join(", "),
                scp_only.join(" / ")
            ));
        }
        for deny in &narrowed {
            reasons.push(format!(
                "{} denies unencrypted {} creation only under the extra condition(s) {}, so it \
                 does not cover every request; review them",
                deny.label(),
                deny.actions.join(" / "),
                deny.other_conditions.join(", ")
            ));
        }
        if let (false, Some(scps)) = (uncovered.is_empty(), scp_failure) {
            reasons.push(format!(
                "no IAM policy in force denies unencrypted {} creation, and the service control \
                 policies could not be read ({}); check the organization's SCPs (from the \
                 management account) for a Deny of it {criterion}",
                uncovered.join(" / "),
                scps.describe()
            ));
        }
        if !uncovered.is_empty() && !scan.unreadable.is_empty() {
            reasons.push(format!(
                "{} document(s) in force could not be read or parsed; review them for a Deny of \
                 {} {criterion}",
                scan.unreadable.len(),
                uncovered.join(" / ")
            ));
        }
        if let Some(auth) = iam_failure {
            reasons.push(format!(
                "the IAM policies could not be read ({})",
                auth.describe()
            ));
        }
        let failures: Vec<&Failure> = [iam_failure, scp_failure].into_iter().flatten().collect();
        Verdict::manual(reasons.join("; "), with_failures(evidence, &failures))
    };
    vec![account_finding(ctx, &META, verdict)]
}

fn with_evidence(mut verdict: Verdict, evidence: Value) -> Verdict {
    if let (Value::Object(target), Value::Object(extra)) = (&mut verdict.evidence, evidence) {
        target.extend(extra);
    }
    verdict
}

fn with_failures(mut evidence: Value, failures: &[&Failure]) -> Value {
    match failures {
        [] => {}
        [single] => evidence["collection_error"] = json!(single),
        _ => evidence["collection_error"] = json!(failures),
    }
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
    fn manual_when_the_deny_is_only_in_an_scp_and_scps_are_counted() {
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
        assert_eq!(finding.status, Status::Manual);
        assert!(
            finding
                .message
                .contains("service control policy scp-p-rds (p-rds) contains the deny"),
            "{}",
            finding.message
        );
        assert!(
            finding
                .message
                .contains("attached to this account's OU or the root"),
            "{}",
            finding.message
        );
        assert!(
            finding
                .message
                .contains("not the organization's management account"),
            "{}",
            finding.message
        );
        assert_eq!(finding.evidence["scps_examined"], 2);
        assert_eq!(
            finding.evidence["covered_only_by_scps"],
            json!(["rds:CreateDBCluster", "rds:CreateDBInstance"])
        );
    }

    #[test]
    fn fail_names_the_uncovered_action() {
        let mut global = without_iam_deny();
        global.service_control_policies = Source::Collected(vec![scp(
            "p-aurora",
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:CreateDBCluster", "Resource": "*",
                "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}}}"#,
        )]);
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("denies rds:CreateDBInstance when"),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains(
                "only rds:CreateDBCluster is denied, by service control policy scp-p-aurora"
            ),
            "{}",
            finding.message
        );
        assert_eq!(
            finding.evidence["covered_actions"],
            json!(["rds:CreateDBCluster"])
        );
    }

    #[test]
    fn fail_when_an_iam_policy_covers_only_one_action() {
        let mut global = without_iam_deny();
        let Source::Collected(auth) = &mut global.iam.authorization else {
            unreachable!()
        };
        auth.roles[0].inline_policies.push(inline(
            "instances-only",
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:CreateDBInstance", "Resource": "*",
                "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}}}"#,
        ));
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("denies rds:CreateDBCluster when"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn pass_when_two_iam_statements_cover_one_action_each() {
        let mut global = without_iam_deny();
        let Source::Collected(auth) = &mut global.iam.authorization else {
            unreachable!()
        };
        auth.roles[0].inline_policies.push(inline(
            "instances-only",
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:CreateDBInstance", "Resource": "*",
                "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}}}"#,
        ));
        auth.users[0].inline_policies.push(inline(
            "clusters-only",
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:CreateDBCluster", "Resource": "*",
                "Condition": {"BoolIfExists": {"rds:StorageEncrypted": false}}}}"#,
        ));
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert!(
            finding.message.contains("role app/instances-only"),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains("user alice/clusters-only"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn manual_when_iam_covers_one_action_and_only_an_scp_the_other() {
        let mut global = without_iam_deny();
        let Source::Collected(auth) = &mut global.iam.authorization else {
            unreachable!()
        };
        auth.roles[0].inline_policies.push(inline(
            "instances-only",
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:CreateDBInstance", "Resource": "*",
                "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}}}"#,
        ));
        global.service_control_policies = Source::Collected(vec![scp(
            "p-aurora",
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:CreateDBCluster", "Resource": "*",
                "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}}}"#,
        )]);
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Manual);
        assert!(
            finding.message.contains("scp-p-aurora"),
            "{}",
            finding.message
        );
        assert_eq!(
            finding.evidence["covered_only_by_scps"],
            json!(["rds:CreateDBCluster"])
        );
    }

    #[test]
    fn manual_when_the_only_deny_carries_extra_conditions() {
        for (key, condition) in [
            (
                "StringEquals:aws:RequestedRegion",
                r#""StringEquals": {"aws:RequestedRegion": "us-east-1"}"#,
            ),
            (
                "StringNotLike:aws:PrincipalArn",
                r#""StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/breakglass"}"#,
            ),
        ] {
            let mut global = without_iam_deny();
            let Source::Collected(auth) = &mut global.iam.authorization else {
                unreachable!()
            };
            let document = format!(
                r#"{{"Statement": {{"Effect": "Deny", "Action": "rds:*", "Resource": "*",
                    "Condition": {{"Bool": {{"rds:StorageEncrypted": "false"}}, {condition}}}}}}}"#
            );
            auth.roles[0]
                .inline_policies
                .push(inline("narrowed", &document));
            let finding = only(evaluate(&CHECK, global));
            assert_eq!(finding.status, Status::Manual, "{}", finding.message);
            assert!(finding.message.contains(key), "{}", finding.message);
            assert!(
                finding.message.contains("role app/narrowed"),
                "{}",
                finding.message
            );
            assert_eq!(
                finding.evidence["narrowed_denies"][0]["other_conditions"][0],
                key
            );
        }
    }

    #[test]
    fn narrowed_deny_beside_a_qualifying_one_still_passes() {
        let mut global = compliant_global();
        let Source::Collected(auth) = &mut global.iam.authorization else {
            unreachable!()
        };
        auth.roles[0].inline_policies.push(inline(
            "narrowed",
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:*", "Resource": "*",
                "Condition": {"Bool": {"rds:StorageEncrypted": "false"},
                              "StringEquals": {"aws:RequestedRegion": "us-east-1"}}}}"#,
        ));
        assert_eq!(only(evaluate(&CHECK, global)).status, Status::Pass);
    }

    #[test]
    fn manual_when_an_attached_policy_has_no_document() {
        let mut global = compliant_global();
        let Source::Collected(auth) = &mut global.iam.authorization else {
            unreachable!()
        };
        for policy in &mut auth.policies {
            if policy.arn == DENY_RDS {
                policy.default_document = None;
            }
        }
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Manual, "{}", finding.message);
        assert_eq!(
            finding.evidence["unreadable_documents"][0]["name"],
            "DenyUnencryptedRds"
        );
        // Still counted as examined: DataRead, DenyUnencryptedRds and the role's inline policy.
        assert_eq!(finding.evidence["iam_policies_examined"], 3);
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
    fn scp_deny_is_manual_when_iam_unreadable() {
        let mut global = compliant_global();
        global.iam.authorization = Source::Failed(failure("iam", "GetAccountAuthorizationDetails"));
        global.service_control_policies =
            Source::Collected(vec![scp("p-rds", DENY_UNENCRYPTED_DOC)]);
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Manual);
        assert!(finding.message.contains("scp-p-rds"), "{}", finding.message);
        assert!(
            finding.message.contains("GetAccountAuthorizationDetails"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn error_when_iam_unreadable_and_scp_covers_one_action() {
        let mut global = compliant_global();
        global.iam.authorization = Source::Failed(failure("iam", "GetAccountAuthorizationDetails"));
        global.service_control_policies = Source::Collected(vec![scp(
            "p-aurora",
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:CreateDBCluster", "Resource": "*",
                "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}}}"#,
        )]);
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("rds:CreateDBInstance"),
            "{}",
            finding.message
        );
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
