//! iam-federation: people sign in through a central identity provider (SAML, OIDC or IAM
//! Identity Center), not as individual IAM users.

use serde_json::json;

use super::{account_finding, unavailable, ACCOUNT_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::{Failure, Source};

/// The check: a SAML or OIDC provider or an IAM Identity Center instance exists; fails when none
/// does and people sign in as IAM users with console passwords; manual when undecidable.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "iam-federation",
    title: "People sign in through federation",
    severity: Severity::Medium,
    hipaa: &["164.312(a)(2)(i)"],
    baa: BaaRule::AccessControl,
    resource_types: &[ACCOUNT_TYPE],
    requirement: "Unique user identification (164.312(a)(2)(i)) from one central identity \
        system: people sign in to AWS through the organization's identity provider (SAML or OIDC \
        federation, or IAM Identity Center) rather than as IAM users, so one disable in the \
        directory ends their access everywhere (seed 004). Passes when a SAML or OIDC provider \
        or an Identity Center instance exists; fails when none exists and IAM users sign in with \
        console passwords; otherwise (sources unreadable, or nobody signs in as an IAM user) it \
        is manual and says what to check. An Identity Center instance of the organization is \
        only visible from its management or delegated administrator account.",
    evidence: &[
        "iam:ListSAMLProviders",
        "iam:ListOpenIDConnectProviders",
        "sso-admin:ListInstances",
        "iam:GetCredentialReport password_enabled",
    ],
    remediation: Remediation {
        summary: "Enable IAM Identity Center (or a SAML/OIDC provider) connected to your directory and retire IAM console users.",
        console: "IAM Identity Center > Enable (from the organization's management account) > \
            Settings > Identity source > connect your IdP or Active Directory > assign users and \
            groups to accounts with permission sets; then IAM > Users > remove console passwords. \
            Alternatively IAM > Identity providers > Add provider (SAML) and roles trusting it.",
        cli: "aws sso-admin list-instances\n\
              aws iam create-saml-provider --name <id> --saml-metadata-document file://metadata.xml\n\
              aws iam delete-login-profile --user-name <user>",
        cloudformation: "AWS::SSO::PermissionSet and AWS::SSO::Assignment (Identity Center), or \
            AWS::IAM::SAMLProvider / AWS::IAM::OIDCProvider with roles that trust it.",
    },
    seeds: &["seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    let global = &ctx.snapshot.global;
    let iam = &global.iam;
    let sources: [(&str, &Source<Vec<String>>); 3] = [
        ("SAML providers", &iam.saml_providers),
        ("OIDC providers", &iam.oidc_providers),
        (
            "IAM Identity Center instances",
            &global.identity_center_instances,
        ),
    ];
    let listed = |source: &Source<Vec<String>>| match source {
        Source::Collected(items) => json!(items),
        Source::Failed(_) => json!(null),
    };
    let mut evidence = json!({
        "saml_providers": listed(&iam.saml_providers),
        "oidc_providers": listed(&iam.oidc_providers),
        "identity_center_instances": listed(&global.identity_center_instances),
    });

    let found: Vec<String> = sources
        .iter()
        .filter_map(|(what, source)| match source {
            Source::Collected(items) if !items.is_empty() => {
                Some(format!("{} {what}", items.len()))
            }
            _ => None,
        })
        .collect();
    if !found.is_empty() {
        let verdict = Verdict::pass(
            format!("federated sign-in is set up: {}", found.join(", ")),
            evidence,
        );
        return vec![account_finding(ctx, &META, verdict)];
    }

    let failed: Vec<(&str, &Failure)> = sources
        .iter()
        .filter_map(|(what, source)| source.failure().map(|f| (*what, f)))
        .collect();
    if failed.len() == sources.len() {
        let failures: Vec<&Failure> = failed.iter().map(|(_, f)| *f).collect();
        let verdict = unavailable(
            "the SAML providers, OIDC providers and IAM Identity Center instances",
            &failures,
        );
        return vec![account_finding(ctx, &META, verdict)];
    }
    if !failed.is_empty() {
        let what: Vec<String> = failed
            .iter()
            .map(|(what, failure)| format!("{what} ({})", failure.describe()))
            .collect();
        let check: Vec<&str> = failed
            .iter()
            .map(|(what, _)| match *what {
                "IAM Identity Center instances" => {
                    "whether IAM Identity Center is enabled (IAM Identity Center console, in this \
                     account or the organization's management account)"
                }
                _ => "IAM > Identity providers",
            })
            .collect();
        evidence["collection_error"] = json!(failed.iter().map(|(_, f)| f).collect::<Vec<_>>());
        let verdict = Verdict::manual(
            format!(
                "no identity provider was found in what could be read, but {} could not be \
                 collected; check {}",
                what.join("; "),
                check.join(" and ")
            ),
            evidence,
        );
        return vec![account_finding(ctx, &META, verdict)];
    }

    let verdict = match &iam.credential_report {
        Source::Collected(rows) => {
            let password_users: Vec<&str> = rows
                .iter()
                .filter(|r| !r.is_root() && r.password_enabled == Some(true))
                .map(|r| r.user.as_str())
                .collect();
            // password_enabled unreadable: neither a console user nor proof of none.
            let unreadable_users: Vec<&str> = rows
                .iter()
                .filter(|r| !r.is_root() && r.password_enabled.is_none())
                .map(|r| r.user.as_str())
                .collect();
            evidence["console_password_users"] = json!(password_users);
            if !unreadable_users.is_empty() {
                evidence["password_enabled_unreadable_users"] = json!(unreadable_users);
            }
            if password_users.is_empty() && !unreadable_users.is_empty() {
                Verdict::manual(
                    format!(
                        "the account has no SAML or OIDC provider and no IAM Identity Center \
                         instance, no IAM user is known to have a console password, but \
                         password_enabled could not be read for {} IAM user(s) ({}); check \
                         whether they sign in with passwords (IAM > Users > Console access)",
                        unreadable_users.len(),
                        unreadable_users.join(", ")
                    ),
                    evidence,
                )
            } else if password_users.is_empty() {
                Verdict::manual(
                    "the account has no SAML or OIDC provider and no IAM Identity Center \
                     instance, and no IAM user has a console password; check how people sign in \
                     (Identity Center of the organization's management account, or roles \
                     assumed from a central identity account)",
                    evidence,
                )
            } else {
                Verdict::fail(
                    format!(
                        "the account has no SAML or OIDC provider and no IAM Identity Center \
                         instance, and {} IAM user(s) sign in with console passwords ({}); \
                         federate sign-in through your identity provider",
                        password_users.len(),
                        password_users.join(", ")
                    ),
                    evidence,
                )
            }
        }
        Source::Failed(failure) => {
            evidence["collection_error"] = json!([failure]);
            Verdict::manual(
                format!(
                    "the account has no SAML or OIDC provider and no IAM Identity Center \
                     instance, and the credential report could not be collected ({}); check \
                     whether people sign in as IAM users (IAM > Users > Console access)",
                    failure.describe()
                ),
                evidence,
            )
        }
    };
    vec![account_finding(ctx, &META, verdict)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::iam::fixtures::*;
    use crate::snapshot::GlobalSnapshot;

    /// No provider and no Identity Center, all readable.
    fn unfederated() -> GlobalSnapshot {
        let mut global = compliant_global();
        global.iam.saml_providers = Source::Collected(vec![]);
        global.iam.oidc_providers = Source::Collected(vec![]);
        global.identity_center_instances = Source::Collected(vec![]);
        global
    }

    #[test]
    fn pass_with_a_saml_provider() {
        let finding = only(evaluate(&CHECK, compliant_global()));
        assert_eq!(finding.status, Status::Pass);
        assert!(
            finding.message.contains("1 SAML providers"),
            "{}",
            finding.message
        );
        assert_eq!(finding.resource_type, "AWS::::Account");
    }

    #[test]
    fn pass_with_identity_center_even_when_iam_lists_fail() {
        let mut global = unfederated();
        global.iam.saml_providers = Source::Failed(failure("iam", "ListSAMLProviders"));
        global.identity_center_instances =
            Source::Collected(vec!["arn:aws:sso:::instance/ssoins-1234567890abcdef".into()]);
        assert_eq!(only(evaluate(&CHECK, global)).status, Status::Pass);
        let mut oidc = unfederated();
        oidc.iam.oidc_providers = Source::Collected(vec![format!(
            "arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
        )]);
        assert_eq!(only(evaluate(&CHECK, oidc)).status, Status::Pass);
    }

    #[test]
    fn fail_when_people_use_iam_passwords() {
        let finding = only(evaluate(&CHECK, unfederated()));
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("alice"), "{}", finding.message);
        assert!(!finding.message.contains("bob"), "{}", finding.message);
    }

    #[test]
    fn manual_when_nobody_uses_passwords() {
        let mut global = unfederated();
        global.iam.credential_report = Source::Collected(vec![root(), idle_user("bob")]);
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Manual);
        assert!(
            finding.message.contains("check how people sign in"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn unreadable_password_flag_is_not_counted_as_no_password() {
        let mut global = unfederated();
        let mut carol = console_user("carol");
        carol.password_enabled = None;
        global.iam.credential_report =
            Source::Collected(vec![root(), idle_user("bob"), carol.clone()]);
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Manual);
        assert!(finding.message.contains("carol"), "{}", finding.message);
        assert!(
            finding
                .message
                .contains("password_enabled could not be read"),
            "{}",
            finding.message
        );
        assert!(
            !finding
                .message
                .contains("no IAM user has a console password"),
            "{}",
            finding.message
        );
        // A known console user still decides: fail.
        let mut global = unfederated();
        global.iam.credential_report =
            Source::Collected(vec![root(), console_user("alice"), carol]);
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(
            finding.evidence["password_enabled_unreadable_users"],
            json!(["carol"])
        );
    }

    #[test]
    fn manual_when_identity_center_unreadable() {
        let mut global = unfederated();
        global.identity_center_instances = Source::Failed(failure("sso-admin", "ListInstances"));
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Manual);
        assert!(
            finding.message.contains("ListInstances"),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains("IAM Identity Center is enabled"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn manual_when_report_unreadable() {
        let mut global = unfederated();
        global.iam.credential_report = Source::Failed(failure("iam", "GetCredentialReport"));
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Manual);
        assert!(
            finding.message.contains("GetCredentialReport"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn error_when_every_federation_source_failed() {
        let mut global = unfederated();
        global.iam.saml_providers = Source::Failed(failure("iam", "ListSAMLProviders"));
        global.iam.oidc_providers = Source::Failed(failure("iam", "ListOpenIDConnectProviders"));
        global.identity_center_instances = Source::Failed(failure("sso-admin", "ListInstances"));
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Error);
        for op in [
            "ListSAMLProviders",
            "ListOpenIDConnectProviders",
            "ListInstances",
        ] {
            assert!(finding.message.contains(op), "{op}: {}", finding.message);
        }
    }
}
