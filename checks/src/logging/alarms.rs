//! Shared grading of the `cw-alarm-*` checks (and the filter/alarm plumbing that
//! `rds-plaintext-connection-alarm` reuses).
//!
//! Each check names an [`EventClass`]: a set of representative CloudTrail records (realistic
//! `eventSource`, `eventName`, `userIdentity`, `errorCode`, ... fields). The class is covered when
//! every record is matched by at least one *working* metric filter on the log group a logging
//! multi-region trail delivers to; a filter works when its pattern parses and some alarm in the
//! log group's region watches one of its metrics with actions enabled and at least one alarm
//! action. Several filters may cover a class together.
//!
//! One account-level finding per check. With several qualifying trails the check passes when any
//! trail's log group is covered; otherwise an `error` (evidence missing for some trail, which
//! might have passed) wins over a `fail`, and within each the first trail by ARN is reported.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::filter_pattern::{self, FilterPattern, PatternError};
use super::{log_group_of_arn, qualify, trails, TrailQualification, LOG_GROUP_TYPE};
use crate::catalog::{CheckMeta, Context, Resource, Verdict};
use crate::finding::{Finding, Status};
use crate::iam::{account_resource, unavailable, GLOBAL};
use crate::snapshot::{MetricAlarm, MetricFilter, RegionSnapshot, Source, Trail};

/// The API calls every cw-alarm check reads, for their catalog entries.
pub const EVIDENCE: &[&str] = &[
    "cloudtrail:DescribeTrails, GetTrailStatus, GetEventSelectors (trail and its log group)",
    "logs:DescribeMetricFilters (filters on the trail's log group, their patterns and metrics)",
    "cloudwatch:DescribeAlarms (alarms on those metrics, ActionsEnabled, AlarmActions)",
];

/// Account id used in the representative records (patterns rarely look at it).
const RECORD_ACCOUNT: &str = "111122223333";

/// The event classes the `cw-alarm-*` checks alarm on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventClass {
    /// API calls refused for lack of permission.
    UnauthorizedApi,
    /// Failed console sign-ins.
    ConsoleLoginFailures,
    /// Successful console sign-ins without MFA.
    ConsoleNoMfa,
    /// Use of the root user.
    RootUsage,
    /// The CIS set of 16 IAM policy changes.
    IamChanges,
    /// New IAM access keys.
    AccessKeyCreated,
    /// CloudTrail configuration changes.
    CloudTrailChanges,
    /// Security group changes.
    SecurityGroupChanges,
    /// Network ACL changes.
    NaclChanges,
}

/// One representative CloudTrail record of an event class.
#[derive(Debug, Clone, PartialEq)]
pub struct RepresentativeEvent {
    /// Short label for messages (`DeleteTrail`, `errorCode AccessDenied (s3 GetBucketPolicy)`).
    pub label: String,
    /// The record as CloudTrail delivers it to CloudWatch Logs.
    pub record: Value,
}

/// The 16 IAM policy events of the CIS benchmark.
pub const IAM_POLICY_EVENTS: [&str; 16] = [
    "DeleteGroupPolicy",
    "DeleteRolePolicy",
    "DeleteUserPolicy",
    "PutGroupPolicy",
    "PutRolePolicy",
    "PutUserPolicy",
    "CreatePolicy",
    "DeletePolicy",
    "CreatePolicyVersion",
    "DeletePolicyVersion",
    "AttachRolePolicy",
    "DetachRolePolicy",
    "AttachUserPolicy",
    "DetachUserPolicy",
    "AttachGroupPolicy",
    "DetachGroupPolicy",
];

/// The CloudTrail configuration events.
pub const CLOUDTRAIL_EVENTS: [&str; 5] = [
    "CreateTrail",
    "UpdateTrail",
    "DeleteTrail",
    "StartLogging",
    "StopLogging",
];

/// The security group events.
pub const SECURITY_GROUP_EVENTS: [&str; 6] = [
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
    "CreateSecurityGroup",
    "DeleteSecurityGroup",
];

/// The network ACL events.
pub const NACL_EVENTS: [&str; 6] = [
    "CreateNetworkAcl",
    "CreateNetworkAclEntry",
    "DeleteNetworkAcl",
    "DeleteNetworkAclEntry",
    "ReplaceNetworkAclEntry",
    "ReplaceNetworkAclAssociation",
];

impl EventClass {
    /// Every class, in catalog order.
    pub const ALL: [EventClass; 9] = [
        EventClass::UnauthorizedApi,
        EventClass::ConsoleLoginFailures,
        EventClass::ConsoleNoMfa,
        EventClass::RootUsage,
        EventClass::IamChanges,
        EventClass::AccessKeyCreated,
        EventClass::CloudTrailChanges,
        EventClass::SecurityGroupChanges,
        EventClass::NaclChanges,
    ];

    /// What the class is, for messages ("root account usage").
    pub fn description(self) -> &'static str {
        match self {
            EventClass::UnauthorizedApi => "unauthorized API calls",
            EventClass::ConsoleLoginFailures => "console sign-in failures",
            EventClass::ConsoleNoMfa => "console sign-ins without MFA",
            EventClass::RootUsage => "root account usage",
            EventClass::IamChanges => "IAM policy changes",
            EventClass::AccessKeyCreated => "new IAM access keys",
            EventClass::CloudTrailChanges => "CloudTrail configuration changes",
            EventClass::SecurityGroupChanges => "security group changes",
            EventClass::NaclChanges => "network ACL changes",
        }
    }

    /// The metric name the CIS benchmark uses (namespace `CISBenchmark`).
    pub fn cis_metric(self) -> &'static str {
        match self {
            EventClass::UnauthorizedApi => "UnauthorizedAPICalls",
            EventClass::ConsoleLoginFailures => "ConsoleSigninFailures",
            EventClass::ConsoleNoMfa => "ConsoleSigninWithoutMFA",
            EventClass::RootUsage => "RootAccountUsage",
            EventClass::IamChanges => "IAMPolicyChanges",
            EventClass::AccessKeyCreated => "AccessKeyCreated",
            EventClass::CloudTrailChanges => "CloudTrailChanges",
            EventClass::SecurityGroupChanges => "SecurityGroupChanges",
            EventClass::NaclChanges => "NACLChanges",
        }
    }

    /// The CIS benchmark filter pattern for the class (also in each check's remediation).
    pub fn cis_pattern(self) -> &'static str {
        match self {
            EventClass::UnauthorizedApi => {
                r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#
            }
            EventClass::ConsoleLoginFailures => {
                r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#
            }
            EventClass::ConsoleNoMfa => {
                r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#
            }
            EventClass::RootUsage => {
                r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#
            }
            EventClass::IamChanges => {
                r#"{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}"#
            }
            EventClass::AccessKeyCreated => {
                r#"{ ($.eventSource = iam.amazonaws.com) && ($.eventName = CreateAccessKey) }"#
            }
            EventClass::CloudTrailChanges => {
                r#"{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"#
            }
            EventClass::SecurityGroupChanges => {
                r#"{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"#
            }
            EventClass::NaclChanges => {
                r#"{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"#
            }
        }
    }

    /// The representative CloudTrail records every covering filter set must match.
    pub fn events(self) -> Vec<RepresentativeEvent> {
        match self {
            EventClass::UnauthorizedApi => unauthorized_api_events(),
            EventClass::ConsoleLoginFailures => vec![
                event(
                    "ConsoleLogin failure (IAMUser)",
                    console_login(iam_user("alice"), false, "No"),
                ),
                event(
                    "ConsoleLogin failure (Root)",
                    console_login(root(), false, "No"),
                ),
            ],
            EventClass::ConsoleNoMfa => vec![event(
                "ConsoleLogin success without MFA (IAMUser)",
                console_login(iam_user("alice"), true, "No"),
            )],
            EventClass::RootUsage => vec![
                event(
                    "Root API call (AwsApiCall ec2 DescribeInstances)",
                    api_call(
                        "ec2.amazonaws.com",
                        "DescribeInstances",
                        "eu-west-1",
                        root(),
                        json!({ "instancesSet": {}, "filterSet": {} }),
                        Value::Null,
                    ),
                ),
                event(
                    "Root console sign-in (AwsConsoleSignIn)",
                    console_login(root(), true, "Yes"),
                ),
            ],
            EventClass::IamChanges => IAM_POLICY_EVENTS
                .iter()
                .map(|name| event(name, iam_policy_change(name)))
                .collect(),
            EventClass::AccessKeyCreated => vec![
                event(
                    "CreateAccessKey (IAMUser for another user)",
                    create_access_key(iam_user("admin"), Some("ci-deployer")),
                ),
                event(
                    "CreateAccessKey (Root for itself)",
                    create_access_key(root(), None),
                ),
            ],
            EventClass::CloudTrailChanges => CLOUDTRAIL_EVENTS
                .iter()
                .map(|name| event(name, cloudtrail_change(name)))
                .collect(),
            EventClass::SecurityGroupChanges => SECURITY_GROUP_EVENTS
                .iter()
                .enumerate()
                .map(|(i, name)| event(name, security_group_change(name, i)))
                .collect(),
            EventClass::NaclChanges => NACL_EVENTS
                .iter()
                .enumerate()
                .map(|(i, name)| event(name, nacl_change(name, i)))
                .collect(),
        }
    }
}

fn event(label: &str, record: Value) -> RepresentativeEvent {
    RepresentativeEvent {
        label: label.to_owned(),
        record,
    }
}

fn iam_user(name: &str) -> Value {
    let suffix = name.to_ascii_uppercase();
    json!({
        "type": "IAMUser",
        "principalId": format!("AIDAEXAMPLE{suffix}"),
        "arn": format!("arn:aws:iam::{RECORD_ACCOUNT}:user/{name}"),
        "accountId": RECORD_ACCOUNT,
        "accessKeyId": format!("AKIAEXAMPLE{suffix}"),
        "userName": name,
    })
}

fn assumed_role(role: &str) -> Value {
    json!({
        "type": "AssumedRole",
        "principalId": format!("AROAEXAMPLE{}:{role}-session", role.to_ascii_uppercase()),
        "arn": format!("arn:aws:sts::{RECORD_ACCOUNT}:assumed-role/{role}/{role}-session"),
        "accountId": RECORD_ACCOUNT,
        "accessKeyId": "ASIAEXAMPLESESSION",
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": format!("AROAEXAMPLE{}", role.to_ascii_uppercase()),
                "arn": format!("arn:aws:iam::{RECORD_ACCOUNT}:role/{role}"),
                "accountId": RECORD_ACCOUNT,
                "userName": role,
            },
            "attributes": { "creationDate": "2026-11-25T11:50:00Z", "mfaAuthenticated": "false" },
        },
    })
}

fn root() -> Value {
    json!({
        "type": "Root",
        "principalId": RECORD_ACCOUNT,
        "arn": format!("arn:aws:iam::{RECORD_ACCOUNT}:root"),
        "accountId": RECORD_ACCOUNT,
        "accessKeyId": "ASIAEXAMPLEROOT",
        "sessionContext": {
            "attributes": { "creationDate": "2026-11-25T11:55:00Z", "mfaAuthenticated": "true" },
        },
    })
}

/// A deterministic id for a record (the same every run, different per record).
fn record_id(seed: &str) -> String {
    let hash = seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        hash >> 32,
        (hash >> 16) & 0xffff,
        (hash >> 4) & 0xfff,
        hash & 0xfff,
        hash & 0xffff_ffff_ffff
    )
}

/// A successful management API call as CloudTrail records it.
fn api_call(
    source: &str,
    name: &str,
    region: &str,
    identity: Value,
    request: Value,
    response: Value,
) -> Value {
    let read_only =
        name.starts_with("Describe") || name.starts_with("Get") || name.starts_with("List");
    let seed = format!("{source}/{name}/{region}/{identity}");
    json!({
        "eventVersion": "1.09",
        "userIdentity": identity,
        "eventTime": "2026-11-25T12:00:00Z",
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.17.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.8 md/arch#x86_64 lang/python#3.11",
        "requestParameters": request,
        "responseElements": response,
        "requestID": record_id(&format!("request/{seed}")),
        "eventID": record_id(&format!("event/{seed}")),
        "readOnly": read_only,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": RECORD_ACCOUNT,
        "eventCategory": "Management",
    })
}

/// The same call refused: CloudTrail adds errorCode and errorMessage and drops the response.
fn refused(mut record: Value, code: &str, message: &str) -> Value {
    if let Some(fields) = record.as_object_mut() {
        fields.insert("errorCode".to_owned(), json!(code));
        fields.insert("errorMessage".to_owned(), json!(message));
        fields.insert("responseElements".to_owned(), Value::Null);
    }
    record
}

fn unauthorized_api_events() -> Vec<RepresentativeEvent> {
    let ec2 = refused(
        api_call(
            "ec2.amazonaws.com",
            "RunInstances",
            "eu-west-1",
            assumed_role("deploy"),
            json!({ "instancesSet": { "items": [ { "imageId": "ami-0abcdef1234567890", "minCount": 1, "maxCount": 1 } ] }, "instanceType": "t3.micro" }),
            Value::Null,
        ),
        "Client.UnauthorizedOperation",
        "You are not authorized to perform this operation. User: arn:aws:sts::111122223333:assumed-role/deploy/deploy-session is not authorized to perform: ec2:RunInstances",
    );
    let s3 = refused(
        api_call(
            "s3.amazonaws.com",
            "GetBucketPolicy",
            "us-east-1",
            iam_user("alice"),
            json!({ "bucketName": "phi-records-111122223333", "Host": "phi-records-111122223333.s3.us-east-1.amazonaws.com", "policy": "" }),
            Value::Null,
        ),
        "AccessDenied",
        "Access Denied",
    );
    let iam = refused(
        api_call(
            "iam.amazonaws.com",
            "CreateUser",
            "us-east-1",
            iam_user("alice"),
            json!({ "userName": "backdoor" }),
            Value::Null,
        ),
        "AccessDenied",
        "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111122223333:user/backdoor because no identity-based policy allows the iam:CreateUser action",
    );
    let secrets = refused(
        api_call(
            "secretsmanager.amazonaws.com",
            "GetSecretValue",
            "us-east-1",
            assumed_role("app"),
            json!({ "secretId": "prod/patients/db" }),
            Value::Null,
        ),
        "AccessDeniedException",
        "User: arn:aws:sts::111122223333:assumed-role/app/app-session is not authorized to perform: secretsmanager:GetSecretValue on resource: prod/patients/db because no identity-based policy allows the secretsmanager:GetSecretValue action",
    );
    vec![
        event(
            "errorCode Client.UnauthorizedOperation (ec2 RunInstances)",
            ec2,
        ),
        event("errorCode AccessDenied (s3 GetBucketPolicy)", s3),
        event("errorCode AccessDenied (iam CreateUser)", iam),
        event(
            "errorCode AccessDeniedException (secretsmanager GetSecretValue)",
            secrets,
        ),
    ]
}

/// A ConsoleLogin record: success or "Failed authentication", with MFAUsed as given.
fn console_login(identity: Value, success: bool, mfa_used: &str) -> Value {
    let seed = format!("signin/{identity}/{success}/{mfa_used}");
    let mut record = json!({
        "eventVersion": "1.09",
        "userIdentity": identity,
        "eventTime": "2026-11-25T12:00:00Z",
        "eventSource": "signin.amazonaws.com",
        "eventName": "ConsoleLogin",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.24",
        "userAgent": "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
        "requestParameters": null,
        "responseElements": { "ConsoleLogin": if success { "Success" } else { "Failure" } },
        "additionalEventData": {
            "LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
            "MobileVersion": "No",
            "MFAUsed": mfa_used,
        },
        "eventID": record_id(&seed),
        "readOnly": false,
        "eventType": "AwsConsoleSignIn",
        "managementEvent": true,
        "recipientAccountId": RECORD_ACCOUNT,
        "eventCategory": "Management",
        "tlsDetails": { "tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": "signin.aws.amazon.com" },
    });
    if !success {
        if let Some(fields) = record.as_object_mut() {
            fields.insert("errorMessage".to_owned(), json!("Failed authentication"));
        }
    }
    record
}

fn iam_policy_change(name: &str) -> Value {
    let policy_arn = format!("arn:aws:iam::{RECORD_ACCOUNT}:policy/phi-read");
    let document = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    let principal = if name.contains("Group") {
        ("groupName", "analysts")
    } else if name.contains("Role") {
        ("roleName", "app")
    } else {
        ("userName", "bob")
    };
    let request = match name {
        "CreatePolicy" => json!({ "policyName": "phi-read", "policyDocument": document }),
        "DeletePolicy" => json!({ "policyArn": policy_arn }),
        "CreatePolicyVersion" => {
            json!({ "policyArn": policy_arn, "policyDocument": document, "setAsDefault": true })
        }
        "DeletePolicyVersion" => json!({ "policyArn": policy_arn, "versionId": "v1" }),
        _ if name.starts_with("Attach") || name.starts_with("Detach") => {
            json!({ principal.0: principal.1, "policyArn": policy_arn })
        }
        _ if name.starts_with("Put") => {
            json!({ principal.0: principal.1, "policyName": "inline-phi", "policyDocument": document })
        }
        _ => json!({ principal.0: principal.1, "policyName": "inline-phi" }),
    };
    let response = match name {
        "CreatePolicy" => {
            json!({ "policy": { "policyName": "phi-read", "arn": policy_arn, "defaultVersionId": "v1" } })
        }
        "CreatePolicyVersion" => {
            json!({ "policyVersion": { "versionId": "v2", "isDefaultVersion": true } })
        }
        _ => Value::Null,
    };
    api_call(
        "iam.amazonaws.com",
        name,
        "us-east-1",
        iam_user("admin"),
        request,
        response,
    )
}

fn create_access_key(identity: Value, for_user: Option<&str>) -> Value {
    let owner = for_user.unwrap_or("root");
    let request = match for_user {
        Some(user) => json!({ "userName": user }),
        None => Value::Null,
    };
    api_call(
        "iam.amazonaws.com",
        "CreateAccessKey",
        "us-east-1",
        identity,
        request,
        json!({ "accessKey": { "userName": owner, "accessKeyId": "AKIAEXAMPLENEWKEY", "status": "Active", "createDate": "Nov 25, 2026 12:00:00 PM" } }),
    )
}

fn cloudtrail_change(name: &str) -> Value {
    let trail_arn = format!("arn:aws:cloudtrail:us-east-1:{RECORD_ACCOUNT}:trail/management");
    let request = match name {
        "CreateTrail" => {
            json!({ "name": "shadow", "s3BucketName": "attacker-bucket", "isMultiRegionTrail": false })
        }
        "UpdateTrail" => json!({ "name": trail_arn, "cloudWatchLogsLogGroupArn": "" }),
        _ => json!({ "name": trail_arn }),
    };
    api_call(
        "cloudtrail.amazonaws.com",
        name,
        "us-east-1",
        iam_user("admin"),
        request,
        Value::Null,
    )
}

/// Regions alternate: a multi-region trail sees EC2 changes from every region.
fn ec2_region(index: usize) -> &'static str {
    if index % 2 == 0 {
        "us-east-1"
    } else {
        "eu-west-1"
    }
}

fn ec2_identity(index: usize) -> Value {
    if index % 3 == 0 {
        assumed_role("deploy")
    } else {
        iam_user("admin")
    }
}

fn security_group_change(name: &str, index: usize) -> Value {
    let request = match name {
        "CreateSecurityGroup" => {
            json!({ "groupName": "db-temp", "groupDescription": "temp", "vpcId": "vpc-0a1b2c3d" })
        }
        "DeleteSecurityGroup" => json!({ "groupId": "sg-0123456789abcdef0" }),
        _ => json!({
            "groupId": "sg-0123456789abcdef0",
            "ipPermissions": { "items": [ { "ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "ipRanges": { "items": [ { "cidrIp": "0.0.0.0/0" } ] } } ] },
        }),
    };
    api_call(
        "ec2.amazonaws.com",
        name,
        ec2_region(index),
        ec2_identity(index),
        request,
        json!({ "_return": true }),
    )
}

fn nacl_change(name: &str, index: usize) -> Value {
    let request = match name {
        "CreateNetworkAcl" => json!({ "vpcId": "vpc-0a1b2c3d" }),
        "DeleteNetworkAcl" => json!({ "networkAclId": "acl-0123456789abcdef0" }),
        "ReplaceNetworkAclAssociation" => {
            json!({ "associationId": "aclassoc-0123456789abcdef0", "networkAclId": "acl-0123456789abcdef0" })
        }
        _ => json!({
            "networkAclId": "acl-0123456789abcdef0",
            "ruleNumber": 100,
            "egress": false,
            "ruleAction": "allow",
            "protocol": "6",
            "cidrBlock": "0.0.0.0/0",
            "portRange": { "from": 3306, "to": 3306 },
        }),
    };
    api_call(
        "ec2.amazonaws.com",
        name,
        ec2_region(index),
        ec2_identity(index),
        request,
        json!({ "_return": true }),
    )
}

/// True when an alarm would notify someone: actions enabled and at least one alarm action.
pub fn alarm_notifies(alarm: &MetricAlarm) -> bool {
    alarm.actions_enabled && !alarm.alarm_actions.is_empty()
}

/// The metric filters on `log_group`, sorted by name.
pub fn filters_on<'a>(filters: &'a [MetricFilter], log_group: &str) -> Vec<&'a MetricFilter> {
    let mut on_group: Vec<&MetricFilter> = filters
        .iter()
        .filter(|f| f.log_group_name == log_group)
        .collect();
    on_group.sort_by(|a, b| a.name.cmp(&b.name));
    on_group
}

/// A metric filter with its parsed pattern and the alarms on its metrics.
#[derive(Debug, Clone)]
pub struct FilterAssessment<'a> {
    /// The filter.
    pub filter: &'a MetricFilter,
    /// Its parsed pattern, or why it could not be parsed.
    pub pattern: Result<FilterPattern, PatternError>,
    /// Alarms in the region that watch one of its metrics, sorted by name.
    pub alarms: Vec<&'a MetricAlarm>,
}

impl<'a> FilterAssessment<'a> {
    /// Parses the filter's pattern and finds the alarms on its metrics.
    pub fn new(filter: &'a MetricFilter, alarms: &'a [MetricAlarm]) -> Self {
        let mut watching: Vec<&MetricAlarm> = alarms
            .iter()
            .filter(|a| a.metrics.iter().any(|m| filter.metrics.contains(m)))
            .collect();
        watching.sort_by(|a, b| a.name.cmp(&b.name));
        FilterAssessment {
            filter,
            pattern: filter_pattern::parse(&filter.pattern),
            alarms: watching,
        }
    }

    /// Whether the filter can raise a notification: it parses and an alarm on it notifies.
    pub fn works(&self) -> bool {
        self.pattern.is_ok() && self.alarms.iter().any(|a| alarm_notifies(a))
    }

    /// Whether the filter matches a JSON event (an unparseable pattern matches nothing).
    pub fn matches_json(&self, event: &Value) -> bool {
        self.pattern.as_ref().is_ok_and(|p| p.matches_json(event))
    }

    /// Whether the filter matches a raw log line (an unparseable pattern matches nothing).
    pub fn matches_text(&self, line: &str) -> bool {
        self.pattern.as_ref().is_ok_and(|p| p.matches_text(line))
    }

    /// `CISBenchmark/RootAccountUsage, ...`: the filter's metrics, for messages.
    pub fn metric_names(&self) -> String {
        let names: Vec<String> = self
            .filter
            .metrics
            .iter()
            .map(|m| format!("{}/{}", m.namespace, m.name))
            .collect();
        if names.is_empty() {
            "(no metric transformation)".to_owned()
        } else {
            names.join(", ")
        }
    }

    /// Why the filter's alarms notify nobody; `None` when one does.
    pub fn alarm_problem(&self) -> Option<String> {
        if self.alarms.iter().any(|a| alarm_notifies(a)) {
            return None;
        }
        let name = &self.filter.name;
        if self.alarms.is_empty() {
            return Some(format!(
                "no CloudWatch alarm watches filter {name}'s metric {}",
                self.metric_names()
            ));
        }
        let problems: Vec<String> = self
            .alarms
            .iter()
            .map(|alarm| {
                if alarm.alarm_actions.is_empty() {
                    format!("alarm {} has no alarm actions", alarm.name)
                } else {
                    format!(
                        "alarm {} has its actions disabled (ActionsEnabled = false)",
                        alarm.name
                    )
                }
            })
            .collect();
        Some(format!(
            "filter {name}'s {}, so nobody is notified",
            problems.join(" and ")
        ))
    }

    /// The parse problem, phrased for a finding; `None` when the pattern parsed.
    pub fn pattern_problem(&self) -> Option<String> {
        match &self.pattern {
            Ok(_) => None,
            Err(error @ PatternError::Unsupported { .. }) => Some(format!(
                "filter {}'s pattern is an {error}; graded as matching nothing",
                self.filter.name
            )),
            Err(error) => Some(format!(
                "filter {}'s pattern could not be parsed ({error}); graded as matching nothing",
                self.filter.name
            )),
        }
    }

    /// Evidence for this filter: pattern, metrics, alarms, their actions, what it matched.
    pub fn evidence(&self, matched: &[&str]) -> Value {
        json!({
            "FilterName": self.filter.name,
            "FilterPattern": self.filter.pattern,
            "PatternForm": match &self.pattern {
                Ok(p) => p.form().to_owned(),
                Err(e) => format!("unparsed: {e}"),
            },
            "Metrics": self.filter.metrics.iter().map(|m| format!("{}/{}", m.namespace, m.name)).collect::<Vec<_>>(),
            "Matches": matched,
            "Alarms": self.alarms.iter().map(|a| json!({
                "AlarmName": a.name,
                "ActionsEnabled": a.actions_enabled,
                "AlarmActions": a.alarm_actions,
                "State": a.state,
            })).collect::<Vec<_>>(),
        })
    }
}

/// The metric filters and alarms of a region, or the `error` verdict naming the failed call.
pub fn log_sources<'a>(
    region: &'a RegionSnapshot,
    log_group: &str,
) -> Result<(&'a [MetricFilter], &'a [MetricAlarm]), Verdict> {
    let filters = match &region.logs.metric_filters {
        Source::Collected(filters) => filters.as_slice(),
        Source::Failed(failure) => {
            return Err(Verdict::error(
                &format!(
                    "the metric filters of log group {log_group} (logs:DescribeMetricFilters)"
                ),
                failure,
            ))
        }
    };
    let alarms = match &region.cloudwatch.alarms {
        Source::Collected(alarms) => alarms.as_slice(),
        Source::Failed(failure) => {
            return Err(Verdict::error(
                &format!(
                    "the CloudWatch alarms on log group {log_group}'s metrics (cloudwatch:DescribeAlarms)"
                ),
                failure,
            ))
        }
    };
    Ok((filters, alarms))
}

/// Joins labels for a message: "a, b and c".
pub fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// One trail's outcome: where to report it and the verdict.
struct TrailOutcome {
    region: String,
    resource: Resource,
    verdict: Verdict,
}

/// Grades `class` for the account: one finding (see the module docs).
pub fn grade(ctx: &Context, meta: &CheckMeta, class: EventClass) -> Vec<Finding> {
    let account =
        |verdict: Verdict| vec![meta.finding(ctx, GLOBAL, &account_resource(ctx), verdict)];
    let (all_trails, failures) = trails(ctx);
    if ctx.snapshot.regions.is_empty() {
        return account(Verdict::missing(
            "no region was scanned, so no trail could be read; run with --region",
            json!({ "regions": [] }),
        ));
    }
    if failures.len() == ctx.snapshot.regions.len() {
        return account(unavailable(
            "the trails (cloudtrail:DescribeTrails)",
            &failures,
        ));
    }
    let mut qualifying = Vec::new();
    let mut unknown = Vec::new();
    let mut rejected = Vec::new();
    for trail in &all_trails {
        match qualify(trail) {
            TrailQualification::Qualifies(_) => qualifying.push(*trail),
            TrailQualification::Unknown(failure) if trail.is_multi_region => {
                unknown.push((*trail, failure))
            }
            TrailQualification::Unknown(_) => {
                rejected.push(json!({ "TrailARN": trail.arn, "Reasons": ["not multi-region"] }))
            }
            TrailQualification::DoesNotQualify(reasons) => {
                rejected.push(json!({ "TrailARN": trail.arn, "Reasons": reasons }))
            }
        }
    }
    if qualifying.is_empty() {
        if !unknown.is_empty() {
            let failures: Vec<_> = unknown.iter().map(|(_, f)| f).collect();
            let names: Vec<&str> = unknown.iter().map(|(t, _)| t.name.as_str()).collect();
            return account(unavailable(
                &format!(
                    "the status and event selectors of multi-region trail {}",
                    list(&names)
                ),
                &failures,
            ));
        }
        let region_failures: Vec<String> = failures.iter().map(|f| f.describe()).collect();
        return account(Verdict::fail(
            format!(
                "no logging multi-region trail with management events, so no CloudWatch alarm \
                 can see {}; create one that delivers to CloudWatch Logs (see \
                 cloudtrail-multi-region and cloudtrail-cloudwatch)",
                class.description()
            ),
            json!({ "Trails": rejected, "UnreadRegions": region_failures }),
        ));
    }
    let events = class.events();
    let outcomes: Vec<TrailOutcome> = qualifying
        .iter()
        .map(|trail| grade_trail(ctx, meta.id, trail, class, &events))
        .collect();
    // Pass if any trail passes; else an error (that trail might have passed); else a fail.
    let chosen = [Status::Pass, Status::Error]
        .iter()
        .find_map(|status| outcomes.iter().position(|o| o.verdict.status == *status))
        .unwrap_or(0);
    outcomes
        .into_iter()
        .nth(chosen)
        .map(|o| meta.finding(ctx, &o.region, &o.resource, o.verdict))
        .into_iter()
        .collect()
}

/// Grades one qualifying trail's log group against the class.
fn grade_trail(
    ctx: &Context,
    check_id: &str,
    trail: &Trail,
    class: EventClass,
    events: &[RepresentativeEvent],
) -> TrailOutcome {
    let at_account = |verdict: Verdict| TrailOutcome {
        region: GLOBAL.to_owned(),
        resource: account_resource(ctx),
        verdict,
    };
    let Some(group_arn) = trail.cloud_watch_logs_log_group_arn.as_deref() else {
        return at_account(Verdict::fail(
            format!(
                "trail {} does not deliver to CloudWatch Logs, so no metric filter can alarm on \
                 {}; set its CloudWatch Logs log group (see cloudtrail-cloudwatch)",
                trail.name,
                class.description()
            ),
            json!({ "TrailARN": trail.arn, "CloudWatchLogsLogGroupArn": null }),
        ));
    };
    let Some((region_name, group)) = log_group_of_arn(group_arn) else {
        return at_account(Verdict::missing(
            format!(
                "trail {}'s CloudWatch Logs log group ARN {group_arn} could not be read as a log \
                 group ARN",
                trail.name
            ),
            json!({ "TrailARN": trail.arn, "CloudWatchLogsLogGroupArn": group_arn }),
        ));
    };
    // An organization trail may deliver to a log group in another account: its filters and
    // alarms live there, and this account's same-named group proves nothing.
    if let Some(owner) = group_arn.split(':').nth(4) {
        if !owner.is_empty() && owner != ctx.snapshot.account_id {
            return at_account(Verdict::manual(
                format!(
                    "trail {} delivers to log group {group} in account {owner}: grade {} there \
                     (run hipaa-audit in that account)",
                    trail.name,
                    class.description()
                ),
                json!({ "TrailARN": trail.arn, "CloudWatchLogsLogGroupArn": group_arn }),
            ));
        }
    }
    let outcome = |verdict: Verdict| TrailOutcome {
        region: region_name.clone(),
        resource: Resource::new(LOG_GROUP_TYPE, &group, group_arn),
        verdict,
    };
    let Some(region) = ctx.snapshot.regions.get(&region_name) else {
        return outcome(Verdict::missing(
            format!(
                "region {region_name} not scanned; add --region {region_name} (trail {} delivers \
                 to log group {group} there)",
                trail.name
            ),
            json!({ "TrailARN": trail.arn, "CloudWatchLogsLogGroupArn": group_arn }),
        ));
    };
    let (filters, alarms) = match log_sources(region, &group) {
        Ok(sources) => sources,
        Err(verdict) => return outcome(verdict),
    };
    let assessed: Vec<FilterAssessment> = filters_on(filters, &group)
        .into_iter()
        .map(|f| FilterAssessment::new(f, alarms))
        .collect();
    // matches[f][e]: filter f matches event e.
    let matches: Vec<Vec<bool>> = assessed
        .iter()
        .map(|a| events.iter().map(|e| a.matches_json(&e.record)).collect())
        .collect();
    let covered_by = |pick: &dyn Fn(usize) -> bool| -> Vec<bool> {
        (0..events.len())
            .map(|e| (0..assessed.len()).any(|f| pick(f) && matches[f][e]))
            .collect()
    };
    let by_working = covered_by(&|f| assessed[f].works());
    let by_any = covered_by(&|_| true);
    let matched_labels = |f: usize| -> Vec<&str> {
        events
            .iter()
            .zip(&matches[f])
            .filter(|(_, m)| **m)
            .map(|(e, _)| e.label.as_str())
            .collect()
    };
    let base = json!({
        "TrailARN": trail.arn,
        "LogGroup": group,
        "LogGroupArn": group_arn,
        "Events": events.iter().map(|e| e.label.as_str()).collect::<Vec<_>>(),
    });
    let with_filters = |indices: &[usize]| -> Value {
        let mut evidence = base.clone();
        if let Some(fields) = evidence.as_object_mut() {
            fields.insert(
                "Filters".to_owned(),
                indices
                    .iter()
                    .map(|&f| assessed[f].evidence(&matched_labels(f)))
                    .collect(),
            );
        }
        evidence
    };
    let fail_evidence = |indices: &[usize]| -> Value {
        let mut evidence = with_filters(indices);
        if let Some(fields) = evidence.as_object_mut() {
            fields.insert("CisPattern".to_owned(), json!(class.cis_pattern()));
        }
        evidence
    };

    if by_working.iter().all(|c| *c) {
        let contributing: Vec<usize> = (0..assessed.len())
            .filter(|&f| assessed[f].works() && matches[f].iter().any(|m| *m))
            .collect();
        let filter_names: Vec<&str> = contributing
            .iter()
            .map(|&f| assessed[f].filter.name.as_str())
            .collect();
        let alarm_names: BTreeSet<&str> = contributing
            .iter()
            .flat_map(|&f| assessed[f].alarms.iter())
            .filter(|a| alarm_notifies(a))
            .map(|a| a.name.as_str())
            .collect();
        let alarm_names: Vec<&str> = alarm_names.into_iter().collect();
        return outcome(Verdict::pass(
            format!(
                "{} alarmed: metric filter{} {} on log group {group} (trail {}), watched by \
                 alarm{} {} with notification actions",
                capitalized(class.description()),
                plural(filter_names.len()),
                list(&filter_names),
                trail.name,
                plural(alarm_names.len()),
                list(&alarm_names),
            ),
            with_filters(&contributing),
        ));
    }

    let all_indices: Vec<usize> = (0..assessed.len()).collect();
    let pattern_problems: Vec<String> = assessed
        .iter()
        .filter_map(FilterAssessment::pattern_problem)
        .collect();
    if by_any.iter().all(|c| !*c) {
        let mut message = format!(
            "no metric filter on log group {group} (trail {}) matches {} ({} filter{} on the \
             group); add the CIS filter ({}/{}; `hipaa-audit explain {check_id}` prints it) with \
             an alarm that has an action",
            trail.name,
            class.description(),
            assessed.len(),
            plural(assessed.len()),
            "CISBenchmark",
            class.cis_metric(),
        );
        if !pattern_problems.is_empty() {
            message.push_str(&format!("; {}", pattern_problems.join("; ")));
        }
        return outcome(Verdict::fail(message, fail_evidence(&all_indices)));
    }

    let mut parts = Vec::new();
    let missed_by_all: Vec<&str> = events
        .iter()
        .zip(&by_any)
        .filter(|(_, c)| !**c)
        .map(|(e, _)| e.label.as_str())
        .collect();
    if !missed_by_all.is_empty() {
        parts.push(format!("no metric filter matches {}", list(&missed_by_all)));
    }
    for (f, assessment) in assessed.iter().enumerate() {
        let helps = (0..events.len()).any(|e| matches[f][e] && !by_working[e]);
        if !helps {
            continue;
        }
        if let Some(problem) = assessment.alarm_problem() {
            let unalarmed: Vec<&str> = (0..events.len())
                .filter(|&e| matches[f][e] && !by_working[e])
                .map(|e| events[e].label.as_str())
                .collect();
            parts.push(format!("{problem} (it matches {})", list(&unalarmed)));
        }
    }
    parts.extend(pattern_problems);
    outcome(Verdict::fail(
        format!(
            "{} not fully alarmed on log group {group} (trail {}): {}",
            capitalized(class.description()),
            trail.name,
            parts.join("; ")
        ),
        fail_evidence(&all_indices),
    ))
}

/// `"s"` unless `n` is 1, for messages.
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::logging::cw_alarm_iam_changes::CHECK as IAM_CHANGES;
    use crate::logging::cw_alarm_root_usage::CHECK as ROOT_USAGE;
    use crate::logging::fixtures::*;
    use crate::snapshot::{CloudTrailSnapshot, Failure, MetricRef};

    fn only(findings: Vec<Finding>) -> Finding {
        assert_eq!(findings.len(), 1, "{findings:#?}");
        findings.into_iter().next().expect("one finding")
    }

    fn with_trails(mut region: RegionSnapshot, trails: Vec<Trail>) -> RegionSnapshot {
        region.cloudtrail = CloudTrailSnapshot {
            trails: Source::Collected(trails),
        };
        region
    }

    fn assert_fail_containing(finding: &Finding, needles: &[&str]) {
        assert_eq!(finding.status, Status::Fail, "{}", finding.message);
        for needle in needles {
            assert!(
                finding.message.contains(needle),
                "message lacks {needle:?}: {}",
                finding.message
            );
        }
    }

    #[test]
    fn every_cis_pattern_covers_its_class_and_records_look_like_cloudtrail() {
        for class in EventClass::ALL {
            let pattern = filter_pattern::parse(class.cis_pattern()).expect("CIS pattern parses");
            let events = class.events();
            assert!(!events.is_empty());
            let labels: BTreeSet<&str> = events.iter().map(|e| e.label.as_str()).collect();
            assert_eq!(labels.len(), events.len(), "{class:?}: duplicate labels");
            for event in &events {
                assert!(
                    pattern.matches_json(&event.record),
                    "{class:?}: {}",
                    event.label
                );
                for field in [
                    "eventVersion",
                    "eventSource",
                    "eventName",
                    "awsRegion",
                    "eventType",
                    "recipientAccountId",
                    "eventID",
                ] {
                    assert!(
                        event.record.get(field).is_some(),
                        "{}: no {field}",
                        event.label
                    );
                }
                assert!(event.record["userIdentity"]["type"].is_string());
                // Text patterns see the compact JSON line CloudTrail delivers.
                assert!(!serde_json::to_string(&event.record)
                    .expect("serializes")
                    .contains('\n'));
            }
            assert!(CIS_PATTERNS.contains(&(class.cis_metric(), class.cis_pattern())));
        }
        assert_eq!(EventClass::IamChanges.events().len(), 16);
    }

    #[test]
    fn pass_names_filters_alarms_and_actions() {
        let finding = grade_patterns(&ROOT_USAGE, &[EventClass::RootUsage.cis_pattern()]);
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert!(finding.message.contains("filter-0"), "{}", finding.message);
        assert!(
            finding.message.contains("metric-0-alarm"),
            "{}",
            finding.message
        );
        assert_eq!(finding.resource_id, LOG_GROUP);
        let filter = &finding.evidence["Filters"][0];
        assert_eq!(filter["FilterPattern"], EventClass::RootUsage.cis_pattern());
        assert_eq!(filter["Metrics"][0], "Custom/metric-0");
        assert_eq!(filter["Alarms"][0]["AlarmActions"][0], TOPIC_ARN);
        assert_eq!(filter["Matches"].as_array().map(Vec::len), Some(2));
        assert_eq!(finding.evidence["TrailARN"], TRAIL_ARN);
    }

    #[test]
    fn a_log_group_in_another_account_is_graded_there() {
        // An organization trail delivering to the management account's log group: the
        // member's own same-named group and alarms prove nothing.
        let mut trail = trail();
        trail.cloud_watch_logs_log_group_arn =
            Some("arn:aws:logs:us-east-1:999999999999:log-group:cloudtrail/management:*".into());
        let finding = only(evaluate(
            &ROOT_USAGE,
            with_trails(compliant_region(), vec![trail]),
        ));
        assert_eq!(finding.status, Status::Manual, "{}", finding.message);
        assert!(
            finding.message.contains("999999999999"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn fail_without_a_qualifying_trail() {
        let no_trails = with_trails(compliant_region(), vec![]);
        let finding = only(evaluate(&ROOT_USAGE, no_trails));
        assert_fail_containing(
            &finding,
            &["no logging multi-region trail with management events"],
        );
        assert_eq!(finding.region, "global");
        assert_eq!(finding.resource_type, "AWS::::Account");
        assert_eq!(finding.resource_id, ACCOUNT);

        let single_region = with_trails(
            compliant_region(),
            vec![Trail {
                is_multi_region: false,
                ..trail()
            }],
        );
        let finding = only(evaluate(&ROOT_USAGE, single_region));
        assert_fail_containing(&finding, &["no logging multi-region trail"]);
        assert_eq!(
            finding.evidence["Trails"][0]["Reasons"][0],
            "not multi-region"
        );
    }

    #[test]
    fn fail_when_the_trail_has_no_log_group() {
        let region = with_trails(
            compliant_region(),
            vec![Trail {
                cloud_watch_logs_log_group_arn: None,
                ..trail()
            }],
        );
        let finding = only(evaluate(&ROOT_USAGE, region));
        assert_fail_containing(&finding, &["does not deliver to CloudWatch Logs"]);
        assert_eq!(finding.region, "global");
    }

    #[test]
    fn fail_when_no_filter_matches() {
        let finding = grade_patterns(
            &ROOT_USAGE,
            &[r#"{ $.eventName = "CreateTrail" }"#, "ERROR"],
        );
        assert_fail_containing(
            &finding,
            &[
                "no metric filter on log group cloudtrail/management",
                "root account usage",
                "2 filters",
                "CISBenchmark/RootAccountUsage; `hipaa-audit explain cw-alarm-root-usage` prints it",
            ],
        );
        assert_eq!(
            finding.evidence["CisPattern"],
            EventClass::RootUsage.cis_pattern()
        );
        let no_filters = grade_patterns(&ROOT_USAGE, &[]);
        assert_fail_containing(&no_filters, &["(0 filters on the group)"]);
    }

    #[test]
    fn fail_lists_the_missed_events() {
        let without_detach = EventClass::IamChanges
            .cis_pattern()
            .replace("||($.eventName=DetachGroupPolicy)", "")
            .replace("||($.eventName=DeletePolicyVersion)", "");
        let finding = grade_patterns(&IAM_CHANGES, &[&without_detach]);
        assert_fail_containing(
            &finding,
            &["no metric filter matches DeletePolicyVersion and DetachGroupPolicy"],
        );
        assert_eq!(finding.resource_id, LOG_GROUP);
        assert_eq!(finding.region, REGION);
    }

    #[test]
    fn filters_on_other_log_groups_do_not_count() {
        let mut region = compliant_region();
        if let Source::Collected(filters) = &mut region.logs.metric_filters {
            for filter in filters.iter_mut() {
                filter.log_group_name = "/aws/lambda/app".into();
            }
        }
        let finding = only(evaluate(&ROOT_USAGE, region));
        assert_fail_containing(
            &finding,
            &["no metric filter on log group cloudtrail/management"],
        );
    }

    #[test]
    fn fail_when_no_alarm_watches_the_metric() {
        let mut region = compliant_region();
        region.cloudwatch.alarms = Source::Collected(vec![alarm("SomethingElse")]);
        let finding = only(evaluate(&ROOT_USAGE, region));
        assert_fail_containing(
            &finding,
            &[
                "no CloudWatch alarm watches filter RootAccountUsage-filter's metric CISBenchmark/RootAccountUsage",
                "Root console sign-in",
            ],
        );
    }

    #[test]
    fn fail_when_the_alarm_has_no_action_or_actions_are_disabled() {
        let mut region = compliant_region();
        region.cloudwatch.alarms = Source::Collected(vec![MetricAlarm {
            alarm_actions: vec![],
            ..alarm("RootAccountUsage")
        }]);
        let finding = only(evaluate(&ROOT_USAGE, region));
        assert_fail_containing(
            &finding,
            &["alarm RootAccountUsage-alarm has no alarm actions"],
        );

        let mut region = compliant_region();
        region.cloudwatch.alarms = Source::Collected(vec![MetricAlarm {
            actions_enabled: false,
            ..alarm("RootAccountUsage")
        }]);
        let finding = only(evaluate(&ROOT_USAGE, region));
        assert_fail_containing(&finding, &["has its actions disabled"]);
        let filters = finding.evidence["Filters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let root = filters
            .iter()
            .find(|f| f["FilterName"] == "RootAccountUsage-filter")
            .expect("every filter on the group is in the evidence");
        assert_eq!(root["Alarms"][0]["ActionsEnabled"], false);
    }

    #[test]
    fn one_notifying_alarm_is_enough_and_metric_math_alarms_count() {
        let mut region = compliant_region();
        region.cloudwatch.alarms = Source::Collected(vec![
            MetricAlarm {
                actions_enabled: false,
                ..alarm("RootAccountUsage")
            },
            MetricAlarm {
                name: "security-events".into(),
                metrics: vec![metric_ref("Other"), metric_ref("RootAccountUsage")],
                ..alarm("RootAccountUsage")
            },
        ]);
        let finding = only(evaluate(&ROOT_USAGE, region));
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert!(
            finding.message.contains("security-events"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn two_filters_cover_together_and_each_needs_its_alarm() {
        let split = [
            r#"{ $.userIdentity.type = "Root" && $.eventType = "AwsApiCall" }"#,
            r#"{ $.userIdentity.type = "Root" && $.eventType = "AwsConsoleSignIn" }"#,
        ];
        assert_eq!(grade_patterns(&ROOT_USAGE, &split).status, Status::Pass);
        let mut region = region_with_patterns(&split);
        if let Source::Collected(alarms) = &mut region.cloudwatch.alarms {
            alarms.retain(|a| a.metrics != vec![custom_metric(1)]);
        }
        let finding = only(evaluate(&ROOT_USAGE, region));
        assert_fail_containing(
            &finding,
            &[
                "no CloudWatch alarm watches filter filter-1's metric Custom/metric-1",
                "(it matches Root console sign-in (AwsConsoleSignIn))",
            ],
        );
        assert!(!finding.message.contains("filter-0"), "{}", finding.message);
    }

    #[test]
    fn unparseable_and_unsupported_patterns_are_named() {
        let finding = grade_patterns(
            &ROOT_USAGE,
            &[
                r#"{ $.userIdentity.type = "Root" "#,
                "[version, account, type=Root]",
            ],
        );
        assert_fail_containing(
            &finding,
            &[
                "filter-0's pattern could not be parsed (at character",
                "filter-1's pattern is an unsupported pattern form",
                "graded as matching nothing",
            ],
        );
        // Beside a filter that covers part of the class, the broken one is still named.
        let finding = grade_patterns(
            &ROOT_USAGE,
            &[
                r#"{ $.userIdentity.type = "Root" && $.eventType = "AwsApiCall" }"#,
                r#"{ $.userIdentity.type = "Root" && $.eventType = AwsConsoleSignIn "#,
            ],
        );
        assert_fail_containing(
            &finding,
            &[
                "no metric filter matches Root console sign-in",
                "could not be parsed",
            ],
        );
    }

    #[test]
    fn error_when_trails_cannot_be_read_anywhere() {
        let mut region = compliant_region();
        region.cloudtrail.trails = Source::Failed(failure("cloudtrail", "DescribeTrails"));
        let finding = only(evaluate(&ROOT_USAGE, region));
        assert_eq!(finding.status, Status::Error, "{}", finding.message);
        assert!(
            finding.message.contains("DescribeTrails"),
            "{}",
            finding.message
        );
        assert_eq!(finding.region, "global");
    }

    #[test]
    fn one_unreadable_region_does_not_hide_the_trail() {
        let mut other = RegionSnapshot::default();
        other.cloudtrail.trails = Source::Failed(Failure::new(
            "cloudtrail",
            "DescribeTrails",
            "eu-west-1",
            "AccessDenied",
            "denied",
        ));
        let snapshot = snapshot_of(
            vec![(REGION, compliant_region()), ("eu-west-1", other)],
            compliant_global(),
        );
        let finding = only(evaluate_snapshot(
            &ROOT_USAGE,
            &snapshot,
            &Config::default(),
        ));
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
    }

    #[test]
    fn error_when_the_only_candidate_trail_cannot_be_qualified() {
        let region = with_trails(
            compliant_region(),
            vec![Trail {
                status: Some(Source::Failed(failure("cloudtrail", "GetTrailStatus"))),
                ..trail()
            }],
        );
        let finding = only(evaluate(&ROOT_USAGE, region));
        assert_eq!(finding.status, Status::Error, "{}", finding.message);
        assert!(
            finding.message.contains("GetTrailStatus"),
            "{}",
            finding.message
        );
        // A shadow copy alone (home region not scanned) is not enough either.
        let shadow = with_trails(
            compliant_region(),
            vec![Trail {
                home_region: "eu-west-1".into(),
                status: None,
                event_selectors: None,
                ..trail()
            }],
        );
        let finding = only(evaluate(&ROOT_USAGE, shadow));
        assert_eq!(finding.status, Status::Error, "{}", finding.message);
        assert!(
            finding.message.contains("shadow copy"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn error_when_filters_or_alarms_of_the_log_group_region_failed() {
        let mut region = compliant_region();
        region.logs.metric_filters = Source::Failed(failure("logs", "DescribeMetricFilters"));
        let finding = only(evaluate(&ROOT_USAGE, region));
        assert_eq!(finding.status, Status::Error, "{}", finding.message);
        assert!(finding.message.contains("DescribeMetricFilters"));
        assert_eq!(finding.resource_id, LOG_GROUP);

        let mut region = compliant_region();
        region.cloudwatch.alarms = Source::Failed(failure("cloudwatch", "DescribeAlarms"));
        let finding = only(evaluate(&ROOT_USAGE, region));
        assert_eq!(finding.status, Status::Error, "{}", finding.message);
        assert!(finding.message.contains("DescribeAlarms"));
    }

    #[test]
    fn error_when_the_log_group_region_was_not_scanned() {
        let region = with_trails(
            compliant_region(),
            vec![Trail {
                cloud_watch_logs_log_group_arn: Some(
                    "arn:aws:logs:eu-central-1:111122223333:log-group:org-trail:*".into(),
                ),
                ..trail()
            }],
        );
        let finding = only(evaluate(&ROOT_USAGE, region));
        assert_eq!(finding.status, Status::Error, "{}", finding.message);
        assert!(
            finding
                .message
                .starts_with("region eu-central-1 not scanned; add --region eu-central-1"),
            "{}",
            finding.message
        );
        assert_eq!(finding.region, "eu-central-1");
        assert_eq!(finding.resource_id, "org-trail");
    }

    #[test]
    fn log_group_in_another_scanned_region_is_read_there() {
        let home = with_trails(
            RegionSnapshot::default(),
            vec![Trail {
                cloud_watch_logs_log_group_arn: Some(
                    "arn:aws:logs:eu-west-1:111122223333:log-group:cloudtrail/management:*".into(),
                ),
                ..trail()
            }],
        );
        let logs_region = with_trails(compliant_region(), vec![]);
        let snapshot = snapshot_of(
            vec![(REGION, home), ("eu-west-1", logs_region)],
            compliant_global(),
        );
        let finding = only(evaluate_snapshot(
            &ROOT_USAGE,
            &snapshot,
            &Config::default(),
        ));
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert_eq!(finding.region, "eu-west-1");
    }

    fn second_trail(log_group_arn: Option<&str>) -> Trail {
        Trail {
            name: "zz-second".into(),
            arn: "arn:aws:cloudtrail:us-east-1:111122223333:trail/zz-second".into(),
            cloud_watch_logs_log_group_arn: log_group_arn.map(str::to_owned),
            ..trail()
        }
    }

    #[test]
    fn any_covered_trail_passes() {
        let region = with_trails(
            compliant_region(),
            vec![
                Trail {
                    cloud_watch_logs_log_group_arn: None,
                    ..trail()
                },
                second_trail(Some(LOG_GROUP_ARN)),
            ],
        );
        let finding = only(evaluate(&ROOT_USAGE, region));
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert!(finding.message.contains("zz-second"), "{}", finding.message);
    }

    #[test]
    fn otherwise_the_first_trail_by_arn_is_reported_and_errors_win_over_fails() {
        let region = with_trails(
            compliant_region(),
            vec![
                second_trail(None),
                Trail {
                    cloud_watch_logs_log_group_arn: None,
                    ..trail()
                },
            ],
        );
        let finding = only(evaluate(&ROOT_USAGE, region));
        assert_fail_containing(&finding, &["trail management does not deliver"]);

        let region = with_trails(
            compliant_region(),
            vec![
                Trail {
                    cloud_watch_logs_log_group_arn: None,
                    ..trail()
                },
                second_trail(Some(
                    "arn:aws:logs:ap-south-1:111122223333:log-group:second:*",
                )),
            ],
        );
        let finding = only(evaluate(&ROOT_USAGE, region));
        assert_eq!(finding.status, Status::Error, "{}", finding.message);
        assert!(
            finding.message.contains("ap-south-1"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn shadow_copies_fold_into_one_finding() {
        let shadow = Trail {
            status: None,
            event_selectors: None,
            ..trail()
        };
        let snapshot = snapshot_of(
            vec![
                (REGION, compliant_region()),
                (
                    "eu-west-1",
                    with_trails(RegionSnapshot::default(), vec![shadow]),
                ),
            ],
            compliant_global(),
        );
        let finding = only(evaluate_snapshot(
            &ROOT_USAGE,
            &snapshot,
            &Config::default(),
        ));
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
    }

    #[test]
    fn alarm_problem_and_helpers() {
        let filter = metric_filter(LOG_GROUP, "X", "{ $.a = 1 }");
        let alarms = vec![MetricAlarm {
            metrics: vec![MetricRef {
                namespace: "CISBenchmark".into(),
                name: "Y".into(),
            }],
            ..alarm("Y")
        }];
        let assessment = FilterAssessment::new(&filter, &alarms);
        assert!(!assessment.works());
        assert!(assessment.alarms.is_empty());
        assert_eq!(assessment.metric_names(), "CISBenchmark/X");
        assert_eq!(list(&["a"]), "a");
        assert_eq!(list(&["a", "b", "c"]), "a, b and c");
        assert_eq!(list(&[]), "");
        assert_eq!(capitalized("root usage"), "Root usage");
    }
}
