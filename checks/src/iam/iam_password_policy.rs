//! iam-password-policy: the account password policy is strong.

use serde_json::json;

use super::{account_finding, ACCOUNT_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::{PasswordPolicy, Source};

/// The check: length >= 14, reuse prevention >= 24, symbols, numbers, upper and lower case.
pub const CHECK: Check = Check { meta: META, run };

/// Shortest acceptable MinimumPasswordLength.
pub const MIN_LENGTH: i32 = 14;
/// Smallest acceptable PasswordReusePrevention.
pub const MIN_REUSE_PREVENTION: i32 = 24;

const META: CheckMeta = CheckMeta {
    id: "iam-password-policy",
    title: "Account password policy is strong",
    severity: Severity::Medium,
    hipaa: &["164.308(a)(5)(ii)(D)"],
    baa: BaaRule::AccessControl,
    resource_types: &[ACCOUNT_TYPE],
    requirement: "Password management (164.308(a)(5)(ii)(D)) for IAM users who sign in to the \
        console: the account password policy requires at least 14 characters, remembers the \
        last 24 passwords, and requires symbols, numbers, upper- and lower-case letters. An \
        account with no policy falls back to IAM's weak defaults and fails.",
    evidence: &["iam:GetAccountPasswordPolicy (NoSuchEntity = no policy)"],
    remediation: Remediation {
        summary: "Set a password policy: 14+ characters, reuse prevention 24, all character classes.",
        console: "IAM > Account settings > Password policy > Edit > Custom: minimum length 14, \
            require uppercase, lowercase, numbers and non-alphanumeric characters, prevent password \
            reuse (24) > Save changes.",
        cli: "aws iam update-account-password-policy --minimum-password-length 14 \
              --require-symbols --require-numbers --require-uppercase-characters \
              --require-lowercase-characters --password-reuse-prevention 24 \
              --allow-users-to-change-password",
        cloudformation: "(no CloudFormation resource; set it with the CLI or a custom resource, and \
            deploy AWS Config managed rule IAM_PASSWORD_POLICY to catch drift)",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

/// Every setting of `policy` that falls short, in words.
fn weaknesses(policy: &PasswordPolicy) -> Vec<String> {
    let mut weak = Vec::new();
    match policy.minimum_length {
        Some(n) if n >= MIN_LENGTH => {}
        Some(n) => weak.push(format!("minimum length is {n} (needs {MIN_LENGTH})")),
        None => weak.push(format!("minimum length is not set (needs {MIN_LENGTH})")),
    }
    match policy.reuse_prevention {
        Some(n) if n >= MIN_REUSE_PREVENTION => {}
        Some(n) => weak.push(format!(
            "reuse prevention remembers {n} passwords (needs {MIN_REUSE_PREVENTION})"
        )),
        None => weak.push(format!(
            "reuse prevention is off (needs {MIN_REUSE_PREVENTION})"
        )),
    }
    for (required, what) in [
        (policy.require_symbols, "symbols"),
        (policy.require_numbers, "numbers"),
        (policy.require_uppercase, "uppercase letters"),
        (policy.require_lowercase, "lowercase letters"),
    ] {
        if !required {
            weak.push(format!("{what} are not required"));
        }
    }
    weak
}

fn run(ctx: &Context) -> Vec<Finding> {
    let verdict = match &ctx.snapshot.global.iam.password_policy {
        Source::Failed(failure) => Verdict::error("the account password policy", failure),
        Source::Collected(None) => Verdict::fail(
            "the account has no password policy, so IAM's weak defaults apply; set one with \
             minimum length 14, reuse prevention 24 and every character class required",
            json!({ "password_policy": null }),
        ),
        Source::Collected(Some(policy)) => {
            let weak = weaknesses(policy);
            let evidence = json!({
                "MinimumPasswordLength": policy.minimum_length,
                "PasswordReusePrevention": policy.reuse_prevention,
                "RequireSymbols": policy.require_symbols,
                "RequireNumbers": policy.require_numbers,
                "RequireUppercaseCharacters": policy.require_uppercase,
                "RequireLowercaseCharacters": policy.require_lowercase,
                "MaxPasswordAge": policy.max_age_days,
                "weak_settings": weak,
            });
            if weak.is_empty() {
                Verdict::pass(
                    "the password policy requires 14+ characters, all character classes and \
                     remembers 24 passwords",
                    evidence,
                )
            } else {
                Verdict::fail(
                    format!("the password policy is weak: {}", weak.join("; ")),
                    evidence,
                )
            }
        }
    };
    vec![account_finding(ctx, &META, verdict)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::iam::fixtures::*;

    #[test]
    fn pass_when_strong() {
        let finding = only(evaluate(&CHECK, compliant_global()));
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.resource_type, "AWS::::Account");
    }

    #[test]
    fn fail_names_every_weak_setting() {
        let mut global = compliant_global();
        global.iam.password_policy = Source::Collected(Some(PasswordPolicy {
            minimum_length: Some(8),
            require_symbols: false,
            require_numbers: false,
            require_uppercase: false,
            require_lowercase: false,
            reuse_prevention: None,
            max_age_days: None,
        }));
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Fail);
        for word in [
            "minimum length is 8",
            "reuse prevention is off",
            "symbols",
            "numbers",
            "uppercase",
            "lowercase",
        ] {
            assert!(
                finding.message.contains(word),
                "{word}: {}",
                finding.message
            );
        }
        assert_eq!(
            finding.evidence["weak_settings"].as_array().map(Vec::len),
            Some(6)
        );
    }

    #[test]
    fn boundaries() {
        let strong = PasswordPolicy {
            minimum_length: Some(14),
            require_symbols: true,
            require_numbers: true,
            require_uppercase: true,
            require_lowercase: true,
            reuse_prevention: Some(24),
            max_age_days: None,
        };
        assert!(weaknesses(&strong).is_empty());
        let short = PasswordPolicy {
            minimum_length: Some(13),
            reuse_prevention: Some(23),
            ..strong.clone()
        };
        assert_eq!(weaknesses(&short).len(), 2);
        let unset = PasswordPolicy {
            minimum_length: None,
            ..strong
        };
        assert_eq!(
            weaknesses(&unset),
            vec!["minimum length is not set (needs 14)"]
        );
    }

    #[test]
    fn fail_without_policy() {
        let mut global = compliant_global();
        global.iam.password_policy = Source::Collected(None);
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("no password policy"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn error_when_unreadable() {
        let mut global = compliant_global();
        global.iam.password_policy = Source::Failed(failure("iam", "GetAccountPasswordPolicy"));
        let finding = only(evaluate(&CHECK, global));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("GetAccountPasswordPolicy"),
            "{}",
            finding.message
        );
    }
}
