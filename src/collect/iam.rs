//! Global collector: IAM (authorization details, credential report, password policy, account
//! summary, identity providers), Organizations SCPs, IAM Identity Center instances and S3
//! buckets (see [`super::s3`]).
//! A handful of calls however many users and roles the account has.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_iam::types as sdk;
use futures::future::join_all;
use hipaa_checks::snapshot::{
    AccountSummary, AuthorizationDetails, CredentialReportKey, CredentialReportRow, GlobalSnapshot,
    IamPrincipal, IamSnapshot, InlinePolicy, ManagedPolicy, PasswordPolicy, ServiceControlPolicy,
};
use hipaa_checks::{Failure, Source};
use jiff::Timestamp;

use super::{source, GlobalClients};
use crate::aws;

/// IAM policy documents arrive URL-encoded (RFC 3986) from GetAccountAuthorizationDetails.
fn decode_document(text: &str) -> String {
    if text.trim_start().starts_with('{') {
        return text.to_owned();
    }
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

fn inline(name: Option<&str>, document: Option<&str>) -> InlinePolicy {
    InlinePolicy {
        name: name.unwrap_or_default().to_owned(),
        document: decode_document(document.unwrap_or_default()),
    }
}

fn attached(policies: &[sdk::AttachedPolicy]) -> Vec<String> {
    policies
        .iter()
        .filter_map(|p| p.policy_arn().map(str::to_owned))
        .collect()
}

fn merge_page(
    details: &mut AuthorizationDetails,
    page: &aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput,
) {
    details
        .users
        .extend(page.user_detail_list().iter().map(|u| {
            IamPrincipal {
                name: u.user_name().unwrap_or_default().to_owned(),
                arn: u.arn().unwrap_or_default().to_owned(),
                attached_policy_arns: attached(u.attached_managed_policies()),
                inline_policies: u
                    .user_policy_list()
                    .iter()
                    .map(|p| inline(p.policy_name(), p.policy_document()))
                    .collect(),
                group_names: u.group_list().to_vec(),
            }
        }));
    details
        .groups
        .extend(page.group_detail_list().iter().map(|g| {
            IamPrincipal {
                name: g.group_name().unwrap_or_default().to_owned(),
                arn: g.arn().unwrap_or_default().to_owned(),
                attached_policy_arns: attached(g.attached_managed_policies()),
                inline_policies: g
                    .group_policy_list()
                    .iter()
                    .map(|p| inline(p.policy_name(), p.policy_document()))
                    .collect(),
                group_names: Vec::new(),
            }
        }));
    details
        .roles
        .extend(page.role_detail_list().iter().map(|r| {
            IamPrincipal {
                name: r.role_name().unwrap_or_default().to_owned(),
                arn: r.arn().unwrap_or_default().to_owned(),
                attached_policy_arns: attached(r.attached_managed_policies()),
                inline_policies: r
                    .role_policy_list()
                    .iter()
                    .map(|p| inline(p.policy_name(), p.policy_document()))
                    .collect(),
                group_names: Vec::new(),
            }
        }));
    details.policies.extend(page.policies().iter().map(|p| {
        ManagedPolicy {
            arn: p.arn().unwrap_or_default().to_owned(),
            // The name is the ARN's last path segment; use it when the entry omits PolicyName.
            name: p
                .policy_name()
                .or_else(|| p.arn().and_then(|a| a.rsplit('/').next()))
                .unwrap_or_default()
                .to_owned(),
            attachment_count: p.attachment_count().unwrap_or(0),
            default_document: p
                .policy_version_list()
                .iter()
                .find(|v| v.is_default_version())
                .and_then(|v| v.document())
                .map(decode_document),
        }
    }));
}

async fn authorization(c: &GlobalClients) -> Source<AuthorizationDetails> {
    let pages = c
        .limiter
        // 1,000 entries a page (the API's maximum; its default is 100): an account with
        // thousands of principals stays a handful of calls.
        .run(
            c.iam
                .get_account_authorization_details()
                .into_paginator()
                .page_size(1000)
                .send()
                .try_collect(),
        )
        .await;
    source(
        pages,
        "iam",
        "GetAccountAuthorizationDetails",
        &c.region,
        |pages| {
            let mut details = AuthorizationDetails::default();
            for page in &pages {
                merge_page(&mut details, page);
            }
            details.users.sort_by(|a, b| a.arn.cmp(&b.arn));
            details.groups.sort_by(|a, b| a.arn.cmp(&b.arn));
            details.roles.sort_by(|a, b| a.arn.cmp(&b.arn));
            details.policies.sort_by(|a, b| a.arn.cmp(&b.arn));
            details
        },
    )
}

/// A credential report date; `N/A`, `no_information`, `not_supported` and blanks are `None`.
fn report_date(value: Option<&str>) -> Option<Timestamp> {
    value.and_then(|v| v.trim().parse::<Timestamp>().ok())
}

fn report_bool(value: Option<&str>) -> Option<bool> {
    match value.map(str::trim) {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    }
}

/// Parses the credential report CSV (columns looked up by header name, so AWS can add columns).
pub fn parse_credential_report(csv_text: &[u8]) -> Result<Vec<CredentialReportRow>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv_text);
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    // A report without these columns cannot say who has which credential: not evidence.
    const REQUIRED: [&str; 10] = [
        "user",
        "arn",
        "password_enabled",
        "password_last_used",
        "mfa_active",
        "access_key_1_active",
        "access_key_1_last_rotated",
        "access_key_2_active",
        "access_key_2_last_rotated",
        "user_creation_time",
    ];
    if let Some(missing) = REQUIRED.iter().find(|c| !headers.iter().any(|h| h == **c)) {
        return Err(format!("the credential report has no `{missing}` column"));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let field: BTreeMap<&str, &str> = headers.iter().zip(record.iter()).collect();
        let get = |name: &str| field.get(name).copied();
        rows.push(CredentialReportRow {
            user: get("user").unwrap_or_default().to_owned(),
            arn: get("arn").unwrap_or_default().to_owned(),
            user_creation_time: report_date(get("user_creation_time")),
            password_enabled: report_bool(get("password_enabled")),
            password_last_used: report_date(get("password_last_used")),
            password_last_changed: report_date(get("password_last_changed")),
            mfa_active: report_bool(get("mfa_active")).unwrap_or(false),
            access_keys: (1u8..=2)
                .map(|slot| CredentialReportKey {
                    slot,
                    active: report_bool(get(&format!("access_key_{slot}_active"))).unwrap_or(false),
                    last_rotated: report_date(get(&format!("access_key_{slot}_last_rotated"))),
                    last_used: report_date(get(&format!("access_key_{slot}_last_used_date"))),
                })
                .collect(),
        });
    }
    rows.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(rows)
}

/// GenerateCredentialReport until the report is ready (bounded wait), then GetCredentialReport.
async fn credential_report(c: &GlobalClients) -> Source<Vec<CredentialReportRow>> {
    const ATTEMPTS: u64 = 8;
    let region = c.region.as_str();
    for attempt in 1..=ATTEMPTS {
        let generated = c
            .limiter
            .run(c.iam.generate_credential_report().send())
            .await;
        if let Err(err) = generated {
            return Source::Failed(aws::failure(
                "iam",
                "GenerateCredentialReport",
                region,
                &err,
            ));
        }
        let fetched = c.limiter.run(c.iam.get_credential_report().send()).await;
        match fetched {
            Ok(out) => {
                let content = out.content().map(|b| b.as_ref()).unwrap_or_default();
                return match parse_credential_report(content) {
                    Ok(rows) => Source::Collected(rows),
                    Err(message) => Source::Failed(Failure::new(
                        "iam",
                        "GetCredentialReport",
                        region,
                        "UnparseableReport",
                        message,
                    )),
                };
            }
            Err(err) => {
                let failure = aws::failure("iam", "GetCredentialReport", region, &err);
                let pending = matches!(
                    failure.code.as_str(),
                    "ReportInProgress" | "ReportNotPresent" | "ReportExpired"
                );
                if !pending || attempt == ATTEMPTS {
                    return Source::Failed(failure);
                }
                tokio::time::sleep(Duration::from_millis(500 * attempt)).await;
            }
        }
    }
    Source::Failed(Failure::new(
        "iam",
        "GetCredentialReport",
        region,
        "Timeout",
        "the credential report was not ready in time",
    ))
}

async fn password_policy(c: &GlobalClients) -> Source<Option<PasswordPolicy>> {
    match c
        .limiter
        .run(c.iam.get_account_password_policy().send())
        .await
    {
        Ok(out) => Source::Collected(out.password_policy().map(|p| PasswordPolicy {
            minimum_length: p.minimum_password_length(),
            require_symbols: p.require_symbols(),
            require_numbers: p.require_numbers(),
            require_uppercase: p.require_uppercase_characters(),
            require_lowercase: p.require_lowercase_characters(),
            reuse_prevention: p.password_reuse_prevention(),
            max_age_days: p.max_password_age(),
        })),
        Err(err) => {
            let failure = aws::failure("iam", "GetAccountPasswordPolicy", &c.region, &err);
            // NoSuchEntity is the answer "this account has no password policy".
            if failure.code == "NoSuchEntity" {
                Source::Collected(None)
            } else {
                Source::Failed(failure)
            }
        }
    }
}

/// GetAccountSummary; a summary without the root MFA / root key entries is not evidence.
async fn account_summary(c: &GlobalClients) -> Source<AccountSummary> {
    let answer = c.limiter.run(c.iam.get_account_summary().send()).await;
    let values = source(answer, "iam", "GetAccountSummary", &c.region, |out| {
        let value = |key: sdk::SummaryKeyType| out.summary_map().and_then(|m| m.get(&key)).copied();
        (
            value(sdk::SummaryKeyType::AccountMfaEnabled),
            value(sdk::SummaryKeyType::AccountAccessKeysPresent),
        )
    });
    match values {
        Source::Collected((Some(mfa), Some(keys))) => Source::Collected(AccountSummary {
            account_mfa_enabled: mfa > 0,
            account_access_keys_present: keys > 0,
        }),
        Source::Collected(_) => Source::Failed(Failure::new(
            "iam",
            "GetAccountSummary",
            &c.region,
            "IncompleteResponse",
            "the summary lacks AccountMFAEnabled or AccountAccessKeysPresent",
        )),
        Source::Failed(failure) => Source::Failed(failure),
    }
}

async fn service_control_policies(c: &GlobalClients) -> Source<Vec<ServiceControlPolicy>> {
    let region = c.region.as_str();
    let pages = c
        .limiter
        .run(
            c.organizations
                .list_policies()
                .filter(aws_sdk_organizations::types::PolicyType::ServiceControlPolicy)
                .into_paginator()
                .send()
                .try_collect(),
        )
        .await;
    let listed = match source(pages, "organizations", "ListPolicies", region, |pages| {
        pages
            .iter()
            .flat_map(|p| p.policies().to_vec())
            .collect::<Vec<_>>()
    }) {
        Source::Collected(list) => list,
        Source::Failed(failure) => return Source::Failed(failure),
    };
    let described = join_all(listed.iter().map(|p| async move {
        let id = p.id().unwrap_or_default();
        let answer = c
            .limiter
            .run(c.organizations.describe_policy().policy_id(id).send())
            .await;
        source(answer, "organizations", "DescribePolicy", region, |out| {
            ServiceControlPolicy {
                id: id.to_owned(),
                name: p.name().unwrap_or_default().to_owned(),
                document: out
                    .policy()
                    .and_then(|p| p.content())
                    .unwrap_or_default()
                    .to_owned(),
            }
        })
    }))
    .await;
    let mut policies = Vec::new();
    for policy in described {
        match policy {
            Source::Collected(policy) => policies.push(policy),
            // One unreadable SCP makes the set incomplete: report the whole source as failed.
            Source::Failed(failure) => return Source::Failed(failure),
        }
    }
    policies.sort_by(|a, b| a.id.cmp(&b.id));
    Source::Collected(policies)
}

/// Every global source, concurrently.
pub async fn collect(c: &GlobalClients) -> GlobalSnapshot {
    let region = c.region.as_str();
    let (
        authorization,
        credential_report,
        password_policy,
        account_summary,
        saml,
        oidc,
        scps,
        identity_center,
        s3,
        artifact_agreements,
    ) = tokio::join!(
        authorization(c),
        credential_report(c),
        password_policy(c),
        account_summary(c),
        c.limiter.run(async {
            let r = c.iam.list_saml_providers().send().await;
            source(r, "iam", "ListSAMLProviders", region, |out| {
                let mut arns: Vec<String> = out
                    .saml_provider_list()
                    .iter()
                    .filter_map(|p| p.arn().map(str::to_owned))
                    .collect();
                arns.sort();
                arns
            })
        }),
        c.limiter.run(async {
            let r = c.iam.list_open_id_connect_providers().send().await;
            source(r, "iam", "ListOpenIDConnectProviders", region, |out| {
                let mut arns: Vec<String> = out
                    .open_id_connect_provider_list()
                    .iter()
                    .filter_map(|p| p.arn().map(str::to_owned))
                    .collect();
                arns.sort();
                arns
            })
        }),
        service_control_policies(c),
        c.limiter.run(async {
            let r = c
                .sso_admin
                .list_instances()
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await;
            source(
                r,
                "sso",
                "ListInstances",
                region,
                |list: Vec<aws_sdk_ssoadmin::types::InstanceMetadata>| {
                    let mut arns: Vec<String> = list
                        .iter()
                        .filter_map(|i| i.instance_arn().map(str::to_owned))
                        .collect();
                    arns.sort();
                    arns
                },
            )
        }),
        super::s3::collect(c),
        super::s3::artifact_agreements(c),
    );
    GlobalSnapshot {
        iam: IamSnapshot {
            authorization,
            credential_report,
            password_policy,
            account_summary,
            saml_providers: saml,
            oidc_providers: oidc,
        },
        service_control_policies: scps,
        identity_center_instances: identity_center,
        s3,
        artifact_agreements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_report_placeholders_are_not_dates() {
        let csv = b"user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date\n\
<root_account>,arn:aws:iam::1:root,2020-01-01T00:00:00+00:00,not_supported,2026-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,false,N/A,N/A\n\
alice,arn:aws:iam::1:user/alice,2025-01-01T00:00:00+00:00,true,no_information,2025-01-02T00:00:00+00:00,N/A,false,true,2025-01-01T00:00:00+00:00,N/A,false,N/A,N/A\n";
        let rows = parse_credential_report(csv).expect("parses");
        assert_eq!(rows.len(), 2);
        let root = rows.iter().find(|r| r.is_root()).expect("root row");
        assert_eq!(root.password_enabled, None);
        assert!(root.mfa_active);
        let alice = rows.iter().find(|r| r.user == "alice").expect("alice");
        assert_eq!(alice.password_enabled, Some(true));
        assert_eq!(alice.password_last_used, None);
        assert!(alice.access_keys[0].active && alice.access_keys[0].last_used.is_none());
        assert!(alice.access_keys[0].last_rotated.is_some());
    }

    #[test]
    fn a_report_missing_a_required_column_is_rejected() {
        let err = parse_credential_report(b"user,arn\nalice,arn:aws:iam::1:user/alice\n")
            .expect_err("rejected");
        assert!(err.contains("password_enabled"), "{err}");
    }

    #[test]
    fn documents_are_url_decoded_once() {
        assert_eq!(
            decode_document("%7B%22Version%22%3A%222012-10-17%22%7D"),
            r#"{"Version":"2012-10-17"}"#
        );
        assert_eq!(decode_document(r#"{"a":"50%25"}"#), r#"{"a":"50%25"}"#);
    }
}
