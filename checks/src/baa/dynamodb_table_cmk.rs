//! dynamodb-table-cmk: every DynamoDB table is encrypted with a customer-managed KMS key.

use serde_json::{json, Value};

use super::{grade_regional, is_aws_managed_alias, TABLE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Resource, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::{DynamoTable, Failure, RegionSnapshot, Source};

/// The check: SSEType KMS with a customer-managed key for every table.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "dynamodb-table-cmk",
    title: "DynamoDB table is encrypted with a customer-managed KMS key",
    severity: Severity::Low,
    hipaa: &["164.312(a)(2)(iv)"],
    baa: BaaRule::EncryptAtRest,
    resource_types: &[TABLE_TYPE, "AWS::::Region"],
    requirement: "DynamoDB encrypts every table at rest, by default with an AWS owned key that \
        the account can neither see, audit nor revoke. For PHI (seed 002: SSE with KMS-managed \
        keys) a customer-managed key gives a key policy, rotation control, a CloudTrail record \
        of every use and the ability to make the data unreadable by disabling the key. SSEType \
        KMS covers both the AWS managed key aws/dynamodb and customer-managed keys; they are \
        told apart by kms:DescribeKey (KeyManager = CUSTOMER) when the key was described, else by \
        whether alias/aws/dynamodb points at the key (kms:ListAliases). When neither tells, the \
        result is `manual`.",
    evidence: &[
        "dynamodb:ListTables",
        "dynamodb:DescribeTable SSEDescription (SSEType, Status, KMSMasterKeyArn)",
        "kms:DescribeKey KeyManager",
        "kms:ListAliases",
    ],
    remediation: Remediation {
        summary: "Switch the table's encryption to a customer-managed KMS key (online, no \
            downtime).",
        console: "DynamoDB > Tables > the table > Additional settings > Encryption > Manage \
            encryption > Stored in your account, and owned and managed by you > choose the key > \
            Save changes.",
        cli: "aws dynamodb update-table --table-name <id> --sse-specification \
              Enabled=true,SSEType=KMS,KMSMasterKeyId=<key-arn>",
        cloudformation: "AWS::DynamoDB::Table: SSESpecification: {SSEEnabled: true, SSEType: KMS, \
            KMSMasterKeyId: <key-arn>}",
    },
    seeds: &["seed 002"],
    source_file: file!(),
};

/// The key id at the end of a key ARN (`arn:...:key/<id>` -> `<id>`).
fn key_id_of(key_ref: &str) -> &str {
    key_ref
        .rsplit_once(":key/")
        .map_or(key_ref, |(_, id)| id)
        .trim_start_matches("key/")
}

/// Who manages the table's key, and how that was decided.
enum KeyOwner {
    Customer(&'static str),
    AwsManaged(&'static str),
    Unknown(String),
}

fn key_owner(region: &RegionSnapshot, key_ref: &str, failures: &mut Vec<Failure>) -> KeyOwner {
    if is_aws_managed_alias(key_ref) {
        return KeyOwner::AwsManaged("the key reference is an alias/aws/ alias");
    }
    match region.kms.keys.get(key_ref) {
        Some(Source::Collected(key)) if key.key_manager.eq_ignore_ascii_case("CUSTOMER") => {
            return KeyOwner::Customer("kms:DescribeKey KeyManager = CUSTOMER")
        }
        Some(Source::Collected(key)) if key.key_manager.eq_ignore_ascii_case("AWS") => {
            return KeyOwner::AwsManaged("kms:DescribeKey KeyManager = AWS")
        }
        Some(Source::Failed(failure)) => failures.push(failure.clone()),
        _ => {}
    }
    let id = key_id_of(key_ref);
    match &region.kms.aliases {
        Source::Collected(aliases) => {
            let targets = |a: &&crate::snapshot::KmsAlias| a.target_key_id.as_deref() == Some(id);
            let aws_dynamodb = aliases.iter().find(|a| a.name == "alias/aws/dynamodb");
            if aws_dynamodb.is_some_and(|a| targets(&a)) {
                return KeyOwner::AwsManaged("alias/aws/dynamodb points at the key");
            }
            if aliases
                .iter()
                .any(|a| !is_aws_managed_alias(&a.name) && targets(&a))
            {
                return KeyOwner::Customer("a customer alias points at the key");
            }
            if aws_dynamodb.is_some_and(|a| a.target_key_id.is_some()) {
                return KeyOwner::Customer("alias/aws/dynamodb points at another key");
            }
            KeyOwner::Unknown(
                "the key was not described and no alias tells whether it is aws/dynamodb"
                    .to_owned(),
            )
        }
        Source::Failed(failure) => {
            failures.push(failure.clone());
            KeyOwner::Unknown(format!(
                "the key was not described and the alias list could not be read ({})",
                failure.describe()
            ))
        }
    }
}

fn grade(region: &RegionSnapshot, table: &DynamoTable) -> Verdict {
    let name = &table.name;
    let mut evidence = json!({
        "SSEType": table.sse_type,
        "SSEStatus": table.sse_status,
        "KMSMasterKeyArn": table.kms_key_arn,
    });
    let status_note = match table.sse_status.as_deref() {
        Some(status) if !status.eq_ignore_ascii_case("ENABLED") => {
            format!(" (SSE status {status})")
        }
        _ => String::new(),
    };
    let is_kms = table
        .sse_type
        .as_deref()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("KMS"));
    if !is_kms {
        let what = match table.sse_type.as_deref() {
            None => "an AWS owned key".to_owned(),
            Some(other) => format!("SSEType {other}"),
        };
        return Verdict::fail(
            format!(
                "table {name} is encrypted with {what}, not a customer-managed key{status_note}"
            ),
            evidence,
        );
    }
    let Some(key_ref) = table.kms_key_arn.as_deref().filter(|k| !k.is_empty()) else {
        return Verdict::manual(
            format!(
                "table {name} uses SSEType KMS but DescribeTable reported no KMSMasterKeyArn; \
                 check DynamoDB > the table > Additional settings > Encryption"
            ),
            evidence,
        );
    };
    let mut failures = Vec::new();
    let owner = key_owner(region, key_ref, &mut failures);
    if let Value::Object(map) = &mut evidence {
        map.insert("collection_errors".into(), json!(failures));
    }
    match owner {
        KeyOwner::Customer(how) => {
            if let Value::Object(map) = &mut evidence {
                map.insert("decided_by".into(), json!(how));
            }
            Verdict::pass(
                format!(
                    "table {name} is encrypted with customer-managed key {key_ref}{status_note}"
                ),
                evidence,
            )
        }
        KeyOwner::AwsManaged(how) => {
            if let Value::Object(map) = &mut evidence {
                map.insert("decided_by".into(), json!(how));
            }
            Verdict::fail(
                format!(
                    "table {name} is encrypted with the AWS managed key aws/dynamodb \
                     ({key_ref}), not a customer-managed key{status_note}"
                ),
                evidence,
            )
        }
        KeyOwner::Unknown(why) => Verdict::manual(
            format!(
                "table {name} is encrypted with KMS key {key_ref}, but whether it is customer \
                 managed could not be told ({why}); check KMS > the key: it must be listed under \
                 Customer managed keys, not AWS managed keys (aws/dynamodb)"
            ),
            evidence,
        ),
    }
}

fn run(ctx: &Context) -> Vec<Finding> {
    grade_regional(
        ctx,
        &META,
        "the region's DynamoDB tables (dynamodb:ListTables, DescribeTable)",
        |region| &region.dynamodb_tables,
        |table| Resource::new(TABLE_TYPE, &table.name, &table.arn),
        grade,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baa::fixtures::*;
    use crate::finding::Status;
    use crate::snapshot::{DynamoTable, KmsKey};

    fn grade_tables(region: RegionSnapshot) -> Vec<Finding> {
        evaluate(&CHECK, region)
    }

    fn with_tables(tables: Vec<DynamoTable>) -> RegionSnapshot {
        RegionSnapshot {
            dynamodb_tables: Source::Collected(tables),
            ..compliant_region()
        }
    }

    #[test]
    fn customer_key_passes() {
        let finding = only_finding(grade_tables(compliant_region()));
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert_eq!(finding.resource_id, "patients");
        assert_eq!(finding.resource_arn.as_deref(), Some(TABLE_ARN));
        assert_eq!(finding.severity, Severity::Low);
        assert_eq!(
            finding.evidence["decided_by"],
            "kms:DescribeKey KeyManager = CUSTOMER"
        );
    }

    #[test]
    fn aws_owned_key_fails() {
        let table = DynamoTable {
            sse_type: None,
            sse_status: None,
            kms_key_arn: None,
            ..table("owned")
        };
        let finding = only_finding(grade_tables(with_tables(vec![table])));
        assert_eq!(finding.status, Status::Fail);
        assert_mentions(
            &finding.message,
            &["encrypted with an AWS owned key, not a customer-managed key"],
        );
    }

    #[test]
    fn aws_managed_key_fails_by_key_manager_or_alias() {
        let by_alias = DynamoTable {
            kms_key_arn: Some(AWS_DYNAMODB_KEY_ARN.into()),
            ..table("by-alias")
        };
        let by_manager = DynamoTable {
            kms_key_arn: Some("arn:aws:kms:us-east-1:111122223333:key/described-aws".into()),
            ..table("by-manager")
        };
        let mut region = with_tables(vec![by_alias, by_manager]);
        region.kms.keys.insert(
            "arn:aws:kms:us-east-1:111122223333:key/described-aws".into(),
            Source::Collected(KmsKey {
                key_id: "described-aws".into(),
                key_manager: "AWS".into(),
                ..KmsKey::default()
            }),
        );
        let findings = grade_tables(region);
        for id in ["by-alias", "by-manager"] {
            let finding = finding_for(&findings, id);
            assert_eq!(finding.status, Status::Fail, "{id}");
            assert_mentions(&finding.message, &["aws/dynamodb"]);
        }
    }

    #[test]
    fn undescribed_key_is_decided_by_aliases() {
        let other = DynamoTable {
            kms_key_arn: Some("arn:aws:kms:us-east-1:111122223333:key/undescribed".into()),
            ..table("other")
        };
        let findings = grade_tables(with_tables(vec![other]));
        let finding = finding_for(&findings, "other");
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert_eq!(
            finding.evidence["decided_by"],
            "alias/aws/dynamodb points at another key"
        );
    }

    #[test]
    fn undecidable_key_is_manual() {
        let other = DynamoTable {
            kms_key_arn: Some("arn:aws:kms:us-east-1:111122223333:key/undescribed".into()),
            ..table("other")
        };
        let mut region = with_tables(vec![other.clone()]);
        region.kms.aliases = Source::Collected(vec![]);
        assert_eq!(only_finding(grade_tables(region)).status, Status::Manual);
        let mut region = with_tables(vec![other]);
        region.kms.aliases = Source::Failed(failure("kms", "ListAliases"));
        let finding = only_finding(grade_tables(region));
        assert_eq!(finding.status, Status::Manual);
        assert_mentions(&finding.message, &["ListAliases", "Customer managed keys"]);
        let no_arn = DynamoTable {
            kms_key_arn: None,
            ..table("no-arn")
        };
        assert_eq!(
            only_finding(grade_tables(with_tables(vec![no_arn]))).status,
            Status::Manual
        );
    }

    #[test]
    fn failed_listing_is_a_region_error() {
        let region = RegionSnapshot {
            dynamodb_tables: Source::Failed(failure("dynamodb", "ListTables")),
            ..compliant_region()
        };
        let finding = only_finding(grade_tables(region));
        assert_eq!(finding.status, Status::Error);
        assert_eq!(finding.resource_type, "AWS::::Region");
        assert_eq!(finding.resource_id, REGION);
        assert_mentions(&finding.message, &["ListTables"]);
    }

    #[test]
    fn key_ids_from_arns() {
        assert_eq!(key_id_of("arn:aws:kms:us-east-1:1:key/abc"), "abc");
        assert_eq!(key_id_of("abc"), "abc");
    }
}
