//! `hipaa-audit policy`: the minimal read-only IAM policy for everything the collectors call.

use serde_json::json;

/// Every IAM action the scan needs, sorted. A test runs the demo scan through a recording
/// proxy and fails when the collectors call anything missing here.
pub const READ_ONLY_ACTIONS: &[&str] = &[
    "artifact:ListCustomerAgreements",
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetEventSelectors",
    "cloudtrail:GetTrailStatus",
    "cloudwatch:DescribeAlarms",
    "config:DescribeComplianceByConfigRule",
    "config:DescribeConfigRules",
    "config:DescribeConfigurationRecorderStatus",
    "config:DescribeConfigurationRecorders",
    "config:GetDiscoveredResourceCounts",
    "dynamodb:DescribeTable",
    "dynamodb:ListTables",
    "ec2:DescribeFlowLogs",
    "ec2:DescribeInstances",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeRegions",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVolumes",
    "ec2:DescribeVpcs",
    "ec2:GetEbsEncryptionByDefault",
    "ec2:GetManagedPrefixListEntries",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeSSLPolicies",
    "guardduty:GetDetector",
    "guardduty:ListDetectors",
    "iam:GenerateCredentialReport",
    "iam:GetAccountAuthorizationDetails",
    "iam:GetAccountPasswordPolicy",
    "iam:GetAccountSummary",
    "iam:GetCredentialReport",
    "iam:ListOpenIDConnectProviders",
    "iam:ListSAMLProviders",
    "kms:DescribeKey",
    "kms:ListAliases",
    "logs:DescribeMetricFilters",
    "organizations:DescribePolicy",
    "organizations:ListPolicies",
    "rds:DescribeCertificates",
    "rds:DescribeDBClusterParameterGroups",
    "rds:DescribeDBClusterParameters",
    "rds:DescribeDBClusterSnapshotAttributes",
    "rds:DescribeDBClusterSnapshots",
    "rds:DescribeDBClusters",
    "rds:DescribeDBInstances",
    "rds:DescribeDBParameterGroups",
    "rds:DescribeDBParameters",
    "rds:DescribeDBSnapshotAttributes",
    "rds:DescribeDBSnapshots",
    "rds:DescribeDBSubnetGroups",
    "rds:DescribeEngineDefaultClusterParameters",
    "rds:DescribeEngineDefaultParameters",
    "s3:GetAccountPublicAccessBlock",
    "s3:GetBucketLocation",
    "s3:GetBucketLogging",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketPolicy",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketVersioning",
    "s3:GetEncryptionConfiguration",
    "s3:ListAllMyBuckets",
    "sns:GetTopicAttributes",
    "sns:ListTopics",
    "sqs:GetQueueAttributes",
    "sqs:ListQueues",
    "sso:ListInstances",
    "sts:GetCallerIdentity",
    "tag:GetResources",
];

/// Actions allowed although their verb is not Describe/Get/List, each with the reason.
pub const NON_READ_EXCEPTIONS: &[(&str, &str)] = &[(
    "iam:GenerateCredentialReport",
    "asks IAM to build the credential report that GetCredentialReport then reads; it changes nothing",
)];

/// The policy document, pretty-printed.
pub fn document() -> String {
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "HipaaAuditReadOnly",
            "Effect": "Allow",
            "Action": READ_ONLY_ACTIONS,
            "Resource": "*",
        }],
    });
    let mut text = serde_json::to_string_pretty(&policy).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_read_only_or_a_named_exception() {
        for action in READ_ONLY_ACTIONS {
            let verb = action.split(':').nth(1).unwrap_or_default();
            let read = ["Describe", "Get", "List"]
                .iter()
                .any(|p| verb.starts_with(p));
            let excepted = NON_READ_EXCEPTIONS.iter().any(|(a, _)| a == action);
            assert!(
                read != excepted,
                "{action}: read-only verbs need no exception, others need one"
            );
        }
    }

    #[test]
    fn actions_are_sorted_unique_and_the_document_parses() {
        let mut sorted = READ_ONLY_ACTIONS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, READ_ONLY_ACTIONS);
        let parsed: serde_json::Value = serde_json::from_str(&document()).expect("valid JSON");
        assert_eq!(
            parsed["Statement"][0]["Action"].as_array().map(Vec::len),
            Some(READ_ONLY_ACTIONS.len())
        );
    }
}
