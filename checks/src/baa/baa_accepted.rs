//! baa-accepted: an active AWS Business Associate Addendum is in force (AWS Artifact).

use serde_json::json;

use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::{account_finding, date, ACCOUNT_TYPE};
use crate::snapshot::{CustomerAgreement, Failure, Source};

/// The check: one account-level finding from ListCustomerAgreements.
pub const CHECK: Check = Check { meta: META, run };

/// Where a person confirms the BAA when the API cannot.
pub const CONSOLE_PATH: &str = "AWS Artifact console > Agreements > Account agreements (and \
    Organization agreements): the AWS Business Associate Addendum must show Active";

const META: CheckMeta = CheckMeta {
    id: "baa-accepted",
    title: "An AWS Business Associate Addendum is active",
    severity: Severity::Critical,
    hipaa: &["164.308(b)(1)"],
    baa: BaaRule::EligibleServices,
    resource_types: &[ACCOUNT_TYPE],
    requirement: "A covered entity may let a business associate create, receive, maintain or \
        transmit ePHI only under a business associate agreement (45 CFR 164.308(b)(1)). On AWS \
        that is the AWS Business Associate Addendum, accepted in AWS Artifact for the account or \
        for the whole organization (seed 002: sign the BAA before any PHI enters the account). \
        Passes when AWS Artifact lists an agreement whose name contains \"Business Associate\" \
        in state ACTIVE; fails when none is active (a terminated one is named). When Artifact \
        cannot be read (AccessDenied, a region without Artifact, no answer) the result is \
        `manual`, never `pass`: the finding names the failure and the console page to check.",
    evidence: &["artifact:ListCustomerAgreements (name, state, organizationArn, effectiveStart)"],
    remediation: Remediation {
        summary: "Accept the AWS Business Associate Addendum in AWS Artifact (account or \
            organization) before storing PHI.",
        console: "AWS Artifact > Agreements > Account agreements (or Organization agreements, \
            from the management account) > AWS Business Associate Addendum > download and review \
            > accept. Confirm that it shows Active.",
        cli: "Accepting an agreement is console-only; to verify it:\n\
              aws artifact list-customer-agreements --region us-east-1 --query \
              \"customerAgreements[?contains(name, 'Business Associate')].[name,state,organizationArn]\"\n\
              (the caller needs artifact:ListCustomerAgreements)",
        cloudformation: "None: the BAA is an agreement accepted in AWS Artifact, not a resource.",
    },
    seeds: &["seed 002"],
    source_file: file!(),
};

/// True for the Business Associate Addendum (account or organization edition).
pub fn is_baa(agreement: &CustomerAgreement) -> bool {
    agreement
        .name
        .to_ascii_lowercase()
        .contains("business associate")
}

fn is_active(agreement: &CustomerAgreement) -> bool {
    agreement.state.trim().eq_ignore_ascii_case("ACTIVE")
}

fn describe(agreement: &CustomerAgreement) -> String {
    let scope = match &agreement.organization_arn {
        Some(org) if !org.is_empty() => format!("accepted for the organization {org}"),
        _ => "accepted for this account".to_owned(),
    };
    let since = agreement
        .effective_start
        .map(|ts| format!(", effective {}", date(ts)))
        .unwrap_or_default();
    format!("\"{}\" ({scope}{since})", agreement.name)
}

fn unreadable(failure: &Failure) -> Verdict {
    Verdict::manual(
        format!(
            "AWS Artifact could not be read ({}: {}; {}:{} in {}), so the BAA cannot be \
             confirmed from the API: check {CONSOLE_PATH}. To let the tool check it, grant \
             artifact:ListCustomerAgreements",
            failure.code, failure.message, failure.service, failure.operation, failure.region
        ),
        json!({ "collection_error": failure, "check_in_console": CONSOLE_PATH }),
    )
}

fn grade(agreements: &[CustomerAgreement]) -> Verdict {
    let mut listed: Vec<&CustomerAgreement> = agreements.iter().collect();
    listed.sort_by(|a, b| (&a.name, &a.arn).cmp(&(&b.name, &b.arn)));
    let evidence = json!({ "agreements": listed });
    let active: Vec<&CustomerAgreement> = listed
        .iter()
        .copied()
        .filter(|a| is_baa(a) && is_active(a))
        .collect();
    if !active.is_empty() {
        let names: Vec<String> = active.iter().map(|a| describe(a)).collect();
        return Verdict::pass(
            format!(
                "the Business Associate Addendum is active: {}",
                names.join("; ")
            ),
            evidence,
        );
    }
    let inactive: Vec<String> = listed
        .iter()
        .filter(|a| is_baa(a))
        .map(|a| format!("{} is {}", describe(a), a.state))
        .collect();
    let message = if inactive.is_empty() {
        format!(
            "no Business Associate Addendum is accepted in AWS Artifact ({} other agreement(s) \
             listed); accept it before any PHI enters the account",
            listed.len()
        )
    } else {
        format!(
            "no active Business Associate Addendum: {}; the account must not hold PHI until a \
             BAA is accepted again",
            inactive.join("; ")
        )
    };
    Verdict::fail(message, evidence)
}

fn run(ctx: &Context) -> Vec<Finding> {
    let verdict = match &ctx.snapshot.global.artifact_agreements {
        Source::Collected(agreements) => grade(agreements),
        Source::Failed(failure) => unreadable(failure),
    };
    vec![account_finding(ctx, &META, verdict)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baa::fixtures::*;
    use crate::finding::Status;
    use crate::snapshot::GlobalSnapshot;

    fn grade_with(agreements: Source<Vec<CustomerAgreement>>) -> Finding {
        let global = GlobalSnapshot {
            artifact_agreements: agreements,
            ..compliant_global()
        };
        only_finding(evaluate_global(&CHECK, global))
    }

    #[test]
    fn active_account_baa_passes() {
        let finding = grade_with(Source::Collected(vec![baa()]));
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert_eq!(finding.region, "global");
        assert_eq!(finding.resource_type, "AWS::::Account");
        assert_eq!(finding.resource_id, ACCOUNT);
        assert_eq!(finding.severity, Severity::Critical);
        assert_mentions(
            &finding.message,
            &[
                BAA_NAME,
                "accepted for this account",
                "effective 2024-03-01",
            ],
        );
    }

    #[test]
    fn organization_baa_passes_and_says_so() {
        let org = CustomerAgreement {
            name: "AWS Organizations Business Associate Addendum".into(),
            organization_arn: Some("arn:aws:organizations::999999999999:organization/o-abc".into()),
            state: "active".into(),
            ..baa()
        };
        let finding = grade_with(Source::Collected(vec![org]));
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert_mentions(
            &finding.message,
            &[
                "AWS Organizations Business Associate Addendum",
                "organization/o-abc",
            ],
        );
    }

    #[test]
    fn terminated_baa_fails_and_is_named() {
        let terminated = CustomerAgreement {
            state: "CUSTOMER_TERMINATED".into(),
            ..baa()
        };
        let nda = CustomerAgreement {
            name: "AWS Artifact Nondisclosure Agreement".into(),
            ..baa()
        };
        let finding = grade_with(Source::Collected(vec![terminated, nda]));
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.severity, Severity::Critical);
        assert_mentions(&finding.message, &[BAA_NAME, "CUSTOMER_TERMINATED"]);
        assert_eq!(
            finding.evidence["agreements"].as_array().map(Vec::len),
            Some(2)
        );
    }

    #[test]
    fn no_baa_at_all_fails() {
        let nda = CustomerAgreement {
            name: "AWS Artifact Nondisclosure Agreement".into(),
            ..baa()
        };
        let finding = grade_with(Source::Collected(vec![nda]));
        assert_eq!(finding.status, Status::Fail);
        assert_mentions(&finding.message, &["no Business Associate Addendum"]);
        let finding = grade_with(Source::Collected(vec![]));
        assert_eq!(finding.status, Status::Fail);
    }

    #[test]
    fn unreadable_artifact_is_manual_with_instructions() {
        for (code, message) in [
            (
                "AccessDeniedException",
                "not authorized to perform artifact:ListCustomerAgreements",
            ),
            (
                "UnknownEndpoint",
                "artifact is not available in this region",
            ),
            ("Timeout", "no answer after 3 attempts"),
        ] {
            let failed = Failure::new("artifact", "ListCustomerAgreements", REGION, code, message);
            let finding = grade_with(Source::Failed(failed.clone()));
            assert_eq!(finding.status, Status::Manual, "{code}");
            assert_mentions(
                &finding.message,
                &[
                    code,
                    "AWS Artifact console > Agreements > Account agreements (and Organization \
                     agreements): the AWS Business Associate Addendum must show Active",
                    "artifact:ListCustomerAgreements",
                ],
            );
            assert_eq!(finding.evidence["collection_error"]["code"], code);
        }
    }
}
