//! s3-bucket-tls-only: the bucket policy denies every request made without TLS
//! (`aws:SecureTransport` = false).

use serde_json::{json, Value};

use super::{grade_buckets, BUCKET_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::ACCOUNT_TYPE;
use crate::policy::{self, Effect, Statement};
use crate::snapshot::{Bucket, Source};

/// The check: a TLS-only Deny statement in every bucket policy.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "s3-bucket-tls-only",
    title: "S3 bucket policy refuses requests without TLS",
    severity: Severity::Medium,
    hipaa: &["164.312(e)(1)"],
    baa: BaaRule::EncryptInTransit,
    resource_types: &[BUCKET_TYPE, ACCOUNT_TYPE],
    requirement: "The BAA requires PHI to be encrypted in transit (seed 002: only encrypted \
        connections to AWS services, HTTPS endpoints). S3 still answers plain HTTP unless the \
        bucket policy refuses it. The policy must hold the AWS-documented statement: Effect \
        Deny, Principal \"*\" (or {\"AWS\": \"*\"}), Action \"s3:*\" (every S3 action: object \
        names and listings can carry PHI too, so a deny of only GetObject/PutObject is not \
        enough), a Resource that covers the bucket's objects (arn:aws:s3:::<bucket>/* or \"*\"), \
        and Condition Bool (or BoolIfExists) aws:SecureTransport = false, with no further \
        condition narrowing it. A Deny on NumericLessThan s3:TlsVersion 1.2 is reported as an \
        additional control but does not refuse plain HTTP on its own.",
    evidence: &[
        "s3:ListBuckets",
        "s3:GetBucketPolicy",
        "s3:GetBucketLocation",
    ],
    remediation: Remediation {
        summary: "Add a Deny statement for s3:* to everyone when aws:SecureTransport is false \
            to the bucket policy.",
        console: "S3 > Buckets > the bucket > Permissions > Bucket policy > Edit > add the \
            statement {\"Sid\": \"DenyInsecureTransport\", \"Effect\": \"Deny\", \"Principal\": \
            \"*\", \"Action\": \"s3:*\", \"Resource\": [\"arn:aws:s3:::<id>\", \
            \"arn:aws:s3:::<id>/*\"], \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \
            \"false\"}}} > Save changes.",
        cli:
            "aws s3api get-bucket-policy --bucket <id> --query Policy --output text > policy.json\n\
              (add the DenyInsecureTransport statement to policy.json)\n\
              aws s3api put-bucket-policy --bucket <id> --policy file://policy.json",
        cloudformation: "AWS::S3::BucketPolicy: PolicyDocument.Statement: [{Sid: \
            DenyInsecureTransport, Effect: Deny, Principal: '*', Action: 's3:*', Resource: \
            [!GetAtt Bucket.Arn, !Sub '${Bucket.Arn}/*'], Condition: {Bool: \
            {aws:SecureTransport: 'false'}}}]",
    },
    seeds: &["seed 002"],
    source_file: file!(),
};

/// The condition key a TLS-only statement tests.
const SECURE_TRANSPORT: &str = "aws:SecureTransport";

/// How one statement denying insecure transport measures up.
struct TransportDeny {
    label: String,
    /// Why it does not qualify (empty: it does).
    shortfalls: Vec<String>,
    /// It does not cover the bucket ARN itself (ListBucket and other bucket-level calls).
    misses_bucket: bool,
}

fn transport_deny(
    statement: &Statement,
    index: usize,
    object_probe: &str,
    bucket_arn: &str,
) -> Option<TransportDeny> {
    if statement.effect != Effect::Deny || !statement.bool_condition_false(SECURE_TRANSPORT) {
        return None;
    }
    let mut shortfalls = Vec::new();
    if !statement.principal_is_everyone() || statement.not_principal.is_some() {
        shortfalls.push("its Principal is not everyone (\"*\")".to_owned());
    }
    if !statement.covers_every_action_of("s3") {
        let actions = statement
            .action
            .as_ref()
            .map(|a| a.join(", "))
            .unwrap_or_else(|| "a NotAction list that excludes S3 actions".to_owned());
        shortfalls.push(format!(
            "it denies only {actions}, not every S3 action (s3:*)"
        ));
    }
    if !statement.applies_to_resource(object_probe) {
        shortfalls.push("its Resource does not cover the bucket's objects (<bucket>/*)".to_owned());
    }
    let narrowing = statement.condition_keys_except(&[SECURE_TRANSPORT]);
    if !narrowing.is_empty() {
        shortfalls.push(format!(
            "further conditions narrow it ({})",
            narrowing.join(", ")
        ));
    }
    Some(TransportDeny {
        label: statement.label(index),
        shortfalls,
        misses_bucket: !statement.applies_to_resource(bucket_arn),
    })
}

/// Labels and minimum versions of statements denying old TLS (`NumericLessThan s3:TlsVersion`).
fn min_tls_statements(statements: &[Statement]) -> Vec<String> {
    statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.effect == Effect::Deny)
        .filter_map(|(index, s)| {
            let versions: Vec<String> = s
                .condition_values(&["NumericLessThan"], "s3:TlsVersion")
                .into_iter()
                .map(|v| match v {
                    Value::String(text) => text.trim().to_owned(),
                    other => other.to_string(),
                })
                .collect();
            (!versions.is_empty())
                .then(|| format!("{} (TLS {} or newer)", s.label(index), versions.join("/")))
        })
        .collect()
}

fn grade(ctx: &Context, bucket: &Bucket) -> Verdict {
    let name = &bucket.name;
    let text = match &bucket.policy {
        Source::Failed(failure) => {
            return Verdict::error(
                &format!("the bucket policy of {name} (s3:GetBucketPolicy)"),
                failure,
            )
        }
        Source::Collected(None) => {
            return Verdict::fail(
                format!(
                    "bucket {name} has no bucket policy, so S3 accepts plain-HTTP requests; add \
                     a Deny of s3:* when aws:SecureTransport is false"
                ),
                json!({ "policy": null }),
            )
        }
        Source::Collected(Some(text)) => text,
    };
    let statements = match policy::statements(text) {
        Ok(statements) => statements,
        Err(e) => {
            return Verdict::fail(
                format!(
                    "bucket {name}'s policy could not be parsed ({e}), so it cannot be shown to \
                     refuse plain HTTP"
                ),
                json!({ "policy": text, "parse_error": e.to_string() }),
            )
        }
    };
    let partition = if ctx.snapshot.partition.is_empty() {
        "aws"
    } else {
        ctx.snapshot.partition.as_str()
    };
    let bucket_arn = format!("arn:{partition}:s3:::{name}");
    let object_probe = format!("{bucket_arn}/zz-probe/object");
    let denies: Vec<TransportDeny> = statements
        .iter()
        .enumerate()
        .filter_map(|(i, s)| transport_deny(s, i, &object_probe, &bucket_arn))
        .collect();
    let min_tls = min_tls_statements(&statements);
    let evidence = json!({
        "policy": text,
        "secure_transport_denies": denies.iter().map(|d| json!({
            "statement": d.label,
            "qualifies": d.shortfalls.is_empty(),
            "shortfalls": d.shortfalls,
            "covers_bucket_arn": !d.misses_bucket,
        })).collect::<Vec<_>>(),
        "min_tls_denies": min_tls,
    });
    let tls_note = if min_tls.is_empty() {
        String::new()
    } else {
        format!("; it also denies old TLS versions: {}", min_tls.join(", "))
    };
    if let Some(good) = denies.iter().find(|d| d.shortfalls.is_empty()) {
        let bucket_note = if good.misses_bucket {
            format!(
                " (it covers the objects but not the bucket ARN {bucket_arn}; add it so \
                 listings are refused over HTTP too)"
            )
        } else {
            String::new()
        };
        return Verdict::pass(
            format!(
                "bucket {name}'s policy denies every S3 request without TLS (statement {}){bucket_note}{tls_note}",
                good.label
            ),
            evidence,
        );
    }
    let mut message = format!(
        "bucket {name}'s policy has no statement denying s3:* to everyone when \
         aws:SecureTransport is false, so plain-HTTP requests are accepted"
    );
    for deny in &denies {
        message.push_str(&format!(
            "; statement {} falls short: {}",
            deny.label,
            deny.shortfalls.join(", ")
        ));
    }
    if !min_tls.is_empty() {
        message.push_str(&format!(
            "; a minimum-TLS-version deny ({}) alone does not refuse plain HTTP",
            min_tls.join(", ")
        ));
    }
    Verdict::fail(message, evidence)
}

fn run(ctx: &Context) -> Vec<Finding> {
    grade_buckets(ctx, &META, |bucket| grade(ctx, bucket))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baa::fixtures::*;
    use crate::finding::Status;

    fn grade_policy(policy: Source<Option<String>>) -> Finding {
        only_finding(evaluate_global(
            &CHECK,
            global_with_buckets(vec![Bucket {
                policy,
                ..bucket(BUCKET)
            }]),
        ))
    }

    fn with_statement(statement: &str) -> Finding {
        grade_policy(Source::Collected(Some(format!(
            r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#
        ))))
    }

    const MIN_TLS: &str = r#"{"Sid":"MinTls","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::phi-records-111122223333/*","Condition":{"NumericLessThan":{"s3:TlsVersion":"1.2"}}}"#;

    #[test]
    fn documented_statement_passes() {
        let finding = grade_policy(Source::Collected(Some(tls_policy(BUCKET))));
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert_eq!(finding.severity, Severity::Medium);
        assert_mentions(&finding.message, &["DenyInsecureTransport"]);
    }

    #[test]
    fn accepted_spellings_pass() {
        for statement in [
            // {"AWS": "*"}, BoolIfExists, JSON false, Resource "*", Action "*".
            r#"{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":false}}}"#,
            // Objects only: passes, with a note about the bucket ARN.
            r#"{"Effect":"Deny","Principal":"*","Action":["s3:*"],"Resource":"arn:aws:s3:::phi-records-111122223333/*","Condition":{"Bool":{"aws:securetransport":["false"]}}}"#,
        ] {
            let finding = with_statement(statement);
            assert_eq!(
                finding.status,
                Status::Pass,
                "{statement}: {}",
                finding.message
            );
        }
        let finding = with_statement(
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::phi-records-111122223333/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
        );
        assert_mentions(&finding.message, &["not the bucket ARN"]);
    }

    #[test]
    fn min_tls_statement_is_reported_as_additional() {
        let text = format!(
            r#"{{"Statement":[{MIN_TLS},{{"Sid":"Tls","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}]}}"#
        );
        let finding = grade_policy(Source::Collected(Some(text)));
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert_mentions(&finding.message, &["MinTls (TLS 1.2 or newer)"]);
        let finding = with_statement(MIN_TLS);
        assert_eq!(finding.status, Status::Fail);
        assert_mentions(&finding.message, &["alone does not refuse plain HTTP"]);
    }

    #[test]
    fn narrower_denies_fail_with_the_reason() {
        for (statement, reason) in [
            (
                r#"{"Effect":"Deny","Principal":"*","Action":["s3:GetObject","s3:PutObject"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
                "denies only s3:GetObject, s3:PutObject",
            ),
            (
                r#"{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
                "Principal is not everyone",
            ),
            (
                r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::other-bucket/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
                "does not cover the bucket's objects",
            ),
            (
                r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"},"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}"#,
                "StringNotEquals:aws:SourceVpce",
            ),
        ] {
            let finding = with_statement(statement);
            assert_eq!(finding.status, Status::Fail, "{statement}");
            assert_mentions(&finding.message, &[reason, "falls short"]);
        }
    }

    #[test]
    fn wrong_condition_or_effect_fails() {
        for statement in [
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#,
            r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#,
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}"#,
        ] {
            assert_eq!(
                with_statement(statement).status,
                Status::Fail,
                "{statement}"
            );
        }
    }

    #[test]
    fn no_policy_or_unparsable_policy_fails() {
        let finding = grade_policy(Source::Collected(None));
        assert_eq!(finding.status, Status::Fail);
        assert_mentions(&finding.message, &["no bucket policy"]);
        let finding = grade_policy(Source::Collected(Some("{not json".into())));
        assert_eq!(finding.status, Status::Fail);
        assert_mentions(&finding.message, &["could not be parsed"]);
    }

    #[test]
    fn unreadable_policy_is_an_error() {
        let finding = grade_policy(Source::Failed(failure("s3", "GetBucketPolicy")));
        assert_eq!(finding.status, Status::Error);
        assert_mentions(&finding.message, &["GetBucketPolicy"]);
    }
}
