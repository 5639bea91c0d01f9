//! Seeds the account-wide IAM part of a fixture.

use anyhow::{Context as _, Result};
use aws_config::SdkConfig;

use crate::fixture::{IamFixture, PrincipalFixture};

const EC2_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// The ARN for a policy name: `aws:Name` is AWS-managed, anything else customer-managed.
fn policy_arn(account: &str, name: &str) -> String {
    match name.strip_prefix("aws:") {
        Some(aws) => format!("arn:aws:iam::aws:policy/{aws}"),
        None => format!("arn:aws:iam::{account}:policy/{name}"),
    }
}

/// Creates the IAM resources of a fixture; `account` is the account id moto reports.
pub async fn seed_iam(config: &SdkConfig, account: &str, fixture: &IamFixture) -> Result<()> {
    let iam = aws_sdk_iam::Client::new(config);
    if let Some(policy) = &fixture.password_policy {
        iam.update_account_password_policy()
            .minimum_password_length(policy.minimum_length)
            .set_password_reuse_prevention(policy.reuse_prevention)
            .require_symbols(policy.require_symbols)
            .require_numbers(policy.require_numbers)
            .require_uppercase_characters(policy.require_uppercase)
            .require_lowercase_characters(policy.require_lowercase)
            .send()
            .await?;
    }
    for name in &fixture.saml_providers {
        iam.create_saml_provider()
            .name(name)
            .saml_metadata_document("<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://idp.example.org\"/>")
            .send()
            .await?;
    }
    for policy in &fixture.policy {
        iam.create_policy()
            .policy_name(&policy.name)
            .policy_document(&policy.document)
            .send()
            .await
            .with_context(|| format!("CreatePolicy {}", policy.name))?;
    }
    for group in &fixture.group {
        iam.create_group().group_name(&group.name).send().await?;
        attach(&iam, account, Principal::Group(&group.name), group).await?;
    }
    for role in &fixture.role {
        iam.create_role()
            .role_name(&role.name)
            .assume_role_policy_document(EC2_TRUST)
            .send()
            .await?;
        attach(&iam, account, Principal::Role(&role.name), role).await?;
    }
    for user in &fixture.user {
        iam.create_user().user_name(&user.name).send().await?;
        if user.console_password {
            iam.create_login_profile()
                .user_name(&user.name)
                .password("Fixture-Passw0rd-!")
                .send()
                .await?;
        }
        if user.mfa {
            let device = iam
                .create_virtual_mfa_device()
                .virtual_mfa_device_name(&user.name)
                .send()
                .await?;
            let serial = device
                .virtual_mfa_device()
                .map(|d| d.serial_number().to_owned())
                .unwrap_or_default();
            iam.enable_mfa_device()
                .user_name(&user.name)
                .serial_number(serial)
                .authentication_code1("123456")
                .authentication_code2("654321")
                .send()
                .await?;
        }
        for _ in 0..user.access_keys.min(2) {
            iam.create_access_key().user_name(&user.name).send().await?;
        }
        for group in &user.groups {
            iam.add_user_to_group()
                .user_name(&user.name)
                .group_name(group)
                .send()
                .await?;
        }
        let principal = PrincipalFixture {
            name: user.name.clone(),
            attached: user.attached.clone(),
            inline: user.inline.clone(),
        };
        attach(&iam, account, Principal::User(&user.name), &principal).await?;
    }
    Ok(())
}

enum Principal<'a> {
    User(&'a str),
    Group(&'a str),
    Role(&'a str),
}

async fn attach(
    iam: &aws_sdk_iam::Client,
    account: &str,
    principal: Principal<'_>,
    fixture: &PrincipalFixture,
) -> Result<()> {
    for policy in &fixture.attached {
        let arn = policy_arn(account, policy);
        match principal {
            Principal::User(name) => iam
                .attach_user_policy()
                .user_name(name)
                .policy_arn(arn)
                .send()
                .await
                .map(|_| ())?,
            Principal::Group(name) => iam
                .attach_group_policy()
                .group_name(name)
                .policy_arn(arn)
                .send()
                .await
                .map(|_| ())?,
            Principal::Role(name) => iam
                .attach_role_policy()
                .role_name(name)
                .policy_arn(arn)
                .send()
                .await
                .map(|_| ())?,
        }
    }
    for (policy, document) in &fixture.inline {
        match principal {
            Principal::User(name) => iam
                .put_user_policy()
                .user_name(name)
                .policy_name(policy)
                .policy_document(document)
                .send()
                .await
                .map(|_| ())?,
            Principal::Group(name) => iam
                .put_group_policy()
                .group_name(name)
                .policy_name(policy)
                .policy_document(document)
                .send()
                .await
                .map(|_| ())?,
            Principal::Role(name) => iam
                .put_role_policy()
                .role_name(name)
                .policy_name(policy)
                .policy_document(document)
                .send()
                .await
                .map(|_| ())?,
        }
    }
    Ok(())
}
