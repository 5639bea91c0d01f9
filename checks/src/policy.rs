//! IAM policy documents (identity policies, SCPs and S3 bucket policies): a small model of the
//! policy grammar and the few questions the checks ask of it.
//!
//! Documents arrive as JSON text, normally already URL-decoded by the collector; a text that
//! still starts with `%` is percent-decoded first. `Statement` may be one object or an array;
//! `Action`, `NotAction`, `Resource` and `NotResource` may each be one string or a list.
//! Action matching follows IAM: `*` matches any run of characters, `?` exactly one, and action
//! names compare case-insensitively. Resource (ARN) matching uses the same wildcards but is
//! case-sensitive.

use serde_json::Value;

/// Why a policy document could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Percent-decoding produced bytes that are not UTF-8.
    #[error("the percent-encoded document does not decode to UTF-8")]
    Encoding,
    /// The text is not JSON.
    #[error("the document is not valid JSON: {0}")]
    Json(String),
    /// Valid JSON, but not the shape of an IAM policy.
    #[error("the document is not an IAM policy: {0}")]
    Shape(String),
}

/// A statement's Effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// `Allow`.
    Allow,
    /// `Deny`.
    Deny,
}

/// One statement of a policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Sid, when present.
    pub sid: Option<String>,
    /// Effect.
    pub effect: Effect,
    /// Action patterns (`None` when the element is absent).
    pub action: Option<Vec<String>>,
    /// NotAction patterns.
    pub not_action: Option<Vec<String>>,
    /// Resource patterns.
    pub resource: Option<Vec<String>>,
    /// NotResource patterns.
    pub not_resource: Option<Vec<String>>,
    /// Principal as written (resource policies only: `"*"`, `{"AWS": ...}`, `{"Service": ...}`).
    pub principal: Option<Value>,
    /// NotPrincipal as written (resource policies only).
    pub not_principal: Option<Value>,
    /// Condition block as written (`{operator: {key: value}}`).
    pub condition: Option<Value>,
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDocument {
    /// Version, when present.
    pub version: Option<String>,
    /// Statements in document order.
    pub statements: Vec<Statement>,
}

/// The RDS create actions `rds-deny-unencrypted-create` looks for.
pub const RDS_CREATE_ACTIONS: [&str; 2] = ["rds:CreateDBCluster", "rds:CreateDBInstance"];

/// Decodes `%XX` escapes (RFC 3986; `+` stays a plus). A `%` not followed by two hex digits is
/// kept as written.
pub fn percent_decode(text: &str) -> Result<String, PolicyError> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| PolicyError::Encoding)
}

/// Parses a policy document, percent-decoding it first when it starts with `%`.
pub fn parse(text: &str) -> Result<PolicyDocument, PolicyError> {
    let trimmed = text.trim();
    let decoded;
    let json_text = if trimmed.starts_with('%') {
        decoded = percent_decode(trimmed)?;
        decoded.as_str()
    } else {
        trimmed
    };
    let value: Value =
        serde_json::from_str(json_text).map_err(|e| PolicyError::Json(e.to_string()))?;
    let Value::Object(map) = &value else {
        return Err(PolicyError::Shape("the top level is not an object".into()));
    };
    let version = element(map, "Version")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let statements = match element(map, "Statement") {
        Some(Value::Array(items)) => items
            .iter()
            .map(parse_statement)
            .collect::<Result<Vec<_>, _>>()?,
        Some(item @ Value::Object(_)) => vec![parse_statement(item)?],
        Some(_) => {
            return Err(PolicyError::Shape(
                "Statement is neither an object nor a list".into(),
            ))
        }
        None => return Err(PolicyError::Shape("there is no Statement".into())),
    };
    Ok(PolicyDocument {
        version,
        statements,
    })
}

/// The statements of a policy document's text.
pub fn statements(text: &str) -> Result<Vec<Statement>, PolicyError> {
    parse(text).map(|doc| doc.statements)
}

/// Looks an element up by name, exact spelling first, then ignoring case.
fn element<'v>(map: &'v serde_json::Map<String, Value>, name: &str) -> Option<&'v Value> {
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn parse_statement(value: &Value) -> Result<Statement, PolicyError> {
    let Value::Object(map) = value else {
        return Err(PolicyError::Shape("a statement is not an object".into()));
    };
    let effect = match element(map, "Effect")
        .and_then(Value::as_str)
        .map(str::trim)
    {
        Some(e) if e.eq_ignore_ascii_case("allow") => Effect::Allow,
        Some(e) if e.eq_ignore_ascii_case("deny") => Effect::Deny,
        Some(other) => {
            return Err(PolicyError::Shape(format!(
                "unknown Effect `{other}` in a statement"
            )))
        }
        None => return Err(PolicyError::Shape("a statement has no Effect".into())),
    };
    Ok(Statement {
        sid: element(map, "Sid")
            .and_then(Value::as_str)
            .map(str::to_owned),
        effect,
        action: string_list(map, "Action")?,
        not_action: string_list(map, "NotAction")?,
        resource: string_list(map, "Resource")?,
        not_resource: string_list(map, "NotResource")?,
        principal: element(map, "Principal").cloned(),
        not_principal: element(map, "NotPrincipal").cloned(),
        condition: element(map, "Condition").cloned(),
    })
}

/// An element that is one string or a list of strings.
fn string_list(
    map: &serde_json::Map<String, Value>,
    name: &str,
) -> Result<Option<Vec<String>>, PolicyError> {
    match element(map, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(vec![s.trim().to_owned()])),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.trim().to_owned()),
                _ => Err(PolicyError::Shape(format!(
                    "{name} holds something other than strings"
                ))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(PolicyError::Shape(format!(
            "{name} is neither a string nor a list"
        ))),
    }
}

/// IAM wildcard match: `*` is any run of characters (empty included), `?` exactly one.
/// Case-sensitive; see [`action_matches`] for actions.
pub fn wildcard_match(pattern: &str, value: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let v: Vec<char> = value.chars().collect();
    let (mut pi, mut vi) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while vi < v.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == v[vi]) {
            pi += 1;
            vi += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, vi));
            pi += 1;
        } else if let Some((star_p, star_v)) = star {
            pi = star_p + 1;
            vi = star_v + 1;
            star = Some((star_p, star_v + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// True when an Action pattern (`rds:Create*`, `rds:*`, `*`) matches an action name; action
/// names and service prefixes compare case-insensitively.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    wildcard_match(
        &pattern.trim().to_ascii_lowercase(),
        &action.trim().to_ascii_lowercase(),
    )
}

/// True for `"*"` or `"*:*"`, the two spellings of "every action".
fn is_every_action(pattern: &str) -> bool {
    matches!(pattern.trim(), "*" | "*:*")
}

impl Statement {
    /// True when the statement covers `action`: some Action pattern matches it, or NotAction is
    /// used and no NotAction pattern matches it.
    pub fn applies_to_action(&self, action: &str) -> bool {
        if let Some(patterns) = &self.action {
            return patterns.iter().any(|p| action_matches(p, action));
        }
        if let Some(patterns) = &self.not_action {
            return !patterns.iter().any(|p| action_matches(p, action));
        }
        false
    }

    /// True when the statement covers the resource ARN `arn`: some Resource pattern matches it,
    /// or NotResource is used and none matches it. A statement with neither element (allowed in
    /// SCPs) covers every resource.
    pub fn applies_to_resource(&self, arn: &str) -> bool {
        if let Some(patterns) = &self.resource {
            return patterns.iter().any(|p| wildcard_match(p, arn));
        }
        if let Some(patterns) = &self.not_resource {
            return !patterns.iter().any(|p| wildcard_match(p, arn));
        }
        true
    }

    /// True for an administrator grant: `Allow` of every action (`"*"` / `"*:*"`), or of
    /// everything but a NotAction list, on every resource (`"*"`, or a NotResource exclusion
    /// list, or no resource element). Conditions do not make it less of a grant.
    pub fn is_admin_grant(&self) -> bool {
        if self.effect != Effect::Allow {
            return false;
        }
        let every_action = match (&self.action, &self.not_action) {
            (Some(actions), _) => actions.iter().any(|a| is_every_action(a)),
            (None, Some(_)) => true,
            (None, None) => false,
        };
        let every_resource = match (&self.resource, &self.not_resource) {
            (Some(resources), _) => resources.iter().any(|r| r.trim() == "*"),
            (None, _) => true,
        };
        every_action && every_resource
    }

    /// True when the statement is a `Deny` whose Condition holds `Bool` or `BoolIfExists`
    /// `rds:StorageEncrypted` = false (string `"false"` or JSON `false`; operator and key names
    /// compare case-insensitively).
    pub fn denies_when_unencrypted(&self) -> bool {
        self.effect == Effect::Deny && self.bool_condition_false("rds:StorageEncrypted")
    }

    /// Which of [`RDS_CREATE_ACTIONS`] this statement denies when storage is not encrypted,
    /// for every new cluster / instance of the account (probed with a made-up ARN in
    /// `partition` and `account`, so region- or name-scoped denies do not count).
    pub fn unencrypted_creates_denied(&self, partition: &str, account: &str) -> Vec<&'static str> {
        if !self.denies_when_unencrypted() {
            return Vec::new();
        }
        RDS_CREATE_ACTIONS
            .iter()
            .copied()
            .filter(|action| {
                let kind = if *action == "rds:CreateDBCluster" {
                    "cluster"
                } else {
                    "db"
                };
                let probe =
                    format!("arn:{partition}:rds:zz-probe-9:{account}:{kind}:zz-probe-name");
                self.applies_to_action(action) && self.applies_to_resource(&probe)
            })
            .collect()
    }

    /// Condition keys other than `rds:StorageEncrypted` (`Operator:key`), which narrow a deny.
    pub fn other_condition_keys(&self) -> Vec<String> {
        self.condition_keys_except(&["rds:StorageEncrypted"])
    }

    /// Condition keys (`Operator:key`) other than those in `expected` (compared
    /// case-insensitively); a malformed operator block is listed by its operator name.
    pub fn condition_keys_except(&self, expected: &[&str]) -> Vec<String> {
        let Some(Value::Object(operators)) = &self.condition else {
            return Vec::new();
        };
        operators
            .iter()
            .flat_map(|(operator, keys)| match keys {
                Value::Object(keys) => keys
                    .keys()
                    .filter(|k| !expected.iter().any(|e| k.eq_ignore_ascii_case(e)))
                    .map(|k| format!("{operator}:{k}"))
                    .collect::<Vec<_>>(),
                _ => vec![operator.clone()],
            })
            .collect()
    }

    /// True when the Condition holds `Bool` or `BoolIfExists` `key` = false (string `"false"`
    /// or JSON `false`, alone or in a list; operator and key names compare case-insensitively).
    pub fn bool_condition_false(&self, key: &str) -> bool {
        self.condition_values(&["Bool", "BoolIfExists"], key)
            .into_iter()
            .any(is_false)
    }

    /// The values a Condition gives `key` under any of the `operators` (case-insensitive).
    pub fn condition_values(&self, operators: &[&str], key: &str) -> Vec<&Value> {
        let Some(Value::Object(blocks)) = &self.condition else {
            return Vec::new();
        };
        blocks
            .iter()
            .filter(|(op, _)| operators.iter().any(|o| op.eq_ignore_ascii_case(o)))
            .filter_map(|(_, keys)| keys.as_object())
            .flat_map(|keys| keys.iter())
            .filter(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, value)| value)
            .collect()
    }

    /// True when the statement has a Condition with at least one operator.
    pub fn is_conditioned(&self) -> bool {
        self.condition
            .as_ref()
            .is_some_and(|c| c.as_object().is_none_or(|map| !map.is_empty()))
    }

    /// True when Principal names everyone: `"*"`, or `{"AWS": "*"}` (alone or in a list).
    pub fn principal_is_everyone(&self) -> bool {
        self.principal.as_ref().is_some_and(is_everyone)
    }

    /// True for a statement that lets anyone in: `Allow` to Principal everyone (or to any
    /// NotPrincipal, i.e. everyone but a few) without a Condition.
    pub fn allows_anyone(&self) -> bool {
        self.effect == Effect::Allow
            && (self.principal_is_everyone() || self.not_principal.is_some())
            && !self.is_conditioned()
    }

    /// True when the statement covers every action of `service` (`s3`): an Action pattern
    /// `*`, `*:*` or `<service>:*`, or a NotAction list none of whose patterns can match an
    /// action of that service.
    pub fn covers_every_action_of(&self, service: &str) -> bool {
        let service = service.to_ascii_lowercase();
        if let Some(patterns) = &self.action {
            return patterns.iter().any(|p| {
                let p = p.trim().to_ascii_lowercase();
                is_every_action(&p) || p == format!("{service}:*")
            });
        }
        if let Some(patterns) = &self.not_action {
            return !patterns.iter().any(|p| {
                let p = p.trim().to_ascii_lowercase();
                let service_part = p.split_once(':').map_or(p.as_str(), |(s, _)| s);
                wildcard_match(service_part, &service)
            });
        }
        false
    }

    /// How a report names the statement: its Sid, else its 1-based position in the document.
    pub fn label(&self, index: usize) -> String {
        match self.sid.as_deref().map(str::trim) {
            Some(sid) if !sid.is_empty() => sid.to_owned(),
            _ => format!("statement {}", index + 1),
        }
    }
}

/// The statements of a resource policy (an S3 bucket policy) that allow anyone: Effect Allow,
/// Principal `"*"` or `{"AWS": "*"}` (or any NotPrincipal), and no Condition; labelled by Sid,
/// else by position.
pub fn public_statements(text: &str) -> Result<Vec<String>, PolicyError> {
    Ok(statements(text)?
        .iter()
        .enumerate()
        .filter(|(_, s)| s.allows_anyone())
        .map(|(index, s)| s.label(index))
        .collect())
}

/// `"*"`, or an object whose `AWS` member is `"*"` or a list holding `"*"`.
fn is_everyone(principal: &Value) -> bool {
    let star = |v: &Value| v.as_str().is_some_and(|s| s.trim() == "*");
    match principal {
        Value::String(_) => star(principal),
        Value::Object(map) => element(map, "AWS").is_some_and(|aws| match aws {
            Value::Array(items) => items.iter().any(star),
            other => star(other),
        }),
        _ => false,
    }
}

fn is_false(value: &Value) -> bool {
    match value {
        Value::Bool(b) => !b,
        Value::String(s) => s.trim().eq_ignore_ascii_case("false"),
        Value::Array(items) => items.iter().any(is_false),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DENY_UNENCRYPTED: &str = r#"{
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DenyUnencrypted",
            "Effect": "Deny",
            "Action": ["rds:CreateDBCluster", "rds:CreateDBInstance"],
            "Resource": "*",
            "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}
        }]
    }"#;

    fn one(text: &str) -> Statement {
        let mut all = statements(text).expect("parses");
        assert_eq!(all.len(), 1, "{all:?}");
        all.remove(0)
    }

    /// RFC 3986 encoding of every byte that is not unreserved, as IAM returns documents.
    fn encode(text: &str) -> String {
        text.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }

    #[test]
    fn statement_object_or_array() {
        let object =
            one(r#"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#);
        assert_eq!(object.effect, Effect::Allow);
        assert_eq!(object.action, Some(vec!["s3:GetObject".to_owned()]));
        let doc = parse(
            r#"{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                {"Effect": "Deny", "NotAction": ["iam:*"], "NotResource": "arn:aws:s3:::b"}
            ]}"#,
        )
        .expect("parses");
        assert_eq!(doc.version.as_deref(), Some("2012-10-17"));
        assert_eq!(doc.statements.len(), 2);
        assert_eq!(doc.statements[1].effect, Effect::Deny);
        assert_eq!(doc.statements[1].not_action, Some(vec!["iam:*".to_owned()]));
        assert_eq!(
            doc.statements[1].not_resource,
            Some(vec!["arn:aws:s3:::b".to_owned()])
        );
        assert_eq!(doc.statements[1].action, None);
    }

    #[test]
    fn action_and_resource_as_string_or_list() {
        let s = one(
            r#"{"Statement": [{"Effect": "Allow", "Action": ["a:B", "c:D"], "Resource": ["x", "y"]}]}"#,
        );
        assert_eq!(s.action, Some(vec!["a:B".to_owned(), "c:D".to_owned()]));
        assert_eq!(s.resource, Some(vec!["x".to_owned(), "y".to_owned()]));
        let s = one(r#"{"Statement": [{"Effect": "Allow", "NotAction": "a:B", "Resource": "x"}]}"#);
        assert_eq!(s.not_action, Some(vec!["a:B".to_owned()]));
        assert_eq!(s.resource, Some(vec!["x".to_owned()]));
    }

    #[test]
    fn url_encoded_documents_are_decoded() {
        let encoded = encode(DENY_UNENCRYPTED);
        assert!(encoded.starts_with('%'));
        let s = one(&encoded);
        assert_eq!(s.sid.as_deref(), Some("DenyUnencrypted"));
        assert!(s.denies_when_unencrypted());
        // `+` stays a plus; a stray `%` stays itself.
        assert_eq!(percent_decode("a+b%2").expect("decodes"), "a+b%2");
        assert_eq!(percent_decode("%7B%22x%22%7D").expect("decodes"), "{\"x\"}");
        assert_eq!(percent_decode("%E2%9C%93").expect("decodes"), "\u{2713}");
        assert_eq!(percent_decode("%FF"), Err(PolicyError::Encoding));
    }

    #[test]
    fn malformed_documents_are_errors() {
        assert!(matches!(parse("not json"), Err(PolicyError::Json(_))));
        assert!(matches!(parse("[]"), Err(PolicyError::Shape(_))));
        assert!(matches!(
            parse(r#"{"Version": "2012-10-17"}"#),
            Err(PolicyError::Shape(_))
        ));
        assert!(matches!(
            parse(r#"{"Statement": "x"}"#),
            Err(PolicyError::Shape(_))
        ));
        assert!(matches!(
            parse(r#"{"Statement": {"Effect": "Maybe", "Action": "*"}}"#),
            Err(PolicyError::Shape(_))
        ));
        assert!(matches!(
            parse(r#"{"Statement": {"Effect": "Allow", "Action": 3}}"#),
            Err(PolicyError::Shape(_))
        ));
        assert!(matches!(
            parse(r#"{"Statement": {"Effect": "Allow", "Action": ["a", 3]}}"#),
            Err(PolicyError::Shape(_))
        ));
    }

    #[test]
    fn wildcards_follow_iam() {
        assert!(action_matches("*", "rds:CreateDBCluster"));
        assert!(action_matches("*:*", "rds:CreateDBCluster"));
        assert!(action_matches("rds:*", "rds:CreateDBCluster"));
        assert!(action_matches("rds:Create*", "rds:CreateDBCluster"));
        assert!(action_matches("RDS:createdbcluster", "rds:CreateDBCluster"));
        assert!(action_matches("rds:CreateDB?luster", "rds:CreateDBCluster"));
        assert!(action_matches("rds:*DB*", "rds:CreateDBInstance"));
        assert!(!action_matches("rds:Delete*", "rds:CreateDBCluster"));
        assert!(!action_matches(
            "rds:CreateDBCluster?",
            "rds:CreateDBCluster"
        ));
        assert!(!action_matches("ec2:*", "rds:CreateDBCluster"));
        assert!(wildcard_match("", ""));
        assert!(!wildcard_match("", "x"));
        assert!(wildcard_match("a*b*c", "aXXbYYc"));
        assert!(!wildcard_match("a*b*c", "aXXbYY"));
        // Resources are case-sensitive.
        assert!(!wildcard_match(
            "arn:aws:s3:::Bucket",
            "arn:aws:s3:::bucket"
        ));
    }

    #[test]
    fn admin_grants() {
        let admin = |text: &str| one(text).is_admin_grant();
        assert!(admin(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#
        ));
        assert!(admin(
            r#"{"Statement": [{"Effect": "Allow", "Action": ["*:*"], "Resource": ["*"]}]}"#
        ));
        assert!(admin(
            r#"{"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}"#
        ));
        assert!(admin(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::logs"}}"#
        ));
        assert!(!admin(
            r#"{"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}"#
        ));
        assert!(!admin(
            r#"{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}"#
        ));
        assert!(!admin(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}}"#
        ));
        assert!(!admin(
            r#"{"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::b"}}"#
        ));
    }

    #[test]
    fn deny_unencrypted_create_shapes() {
        let s = one(DENY_UNENCRYPTED);
        assert_eq!(
            s.unencrypted_creates_denied("aws", "111122223333"),
            RDS_CREATE_ACTIONS.to_vec()
        );
        let wildcard = one(
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:Create*", "Resource": "*",
                "Condition": {"BoolIfExists": {"RDS:StorageEncrypted": false}}}}"#,
        );
        assert_eq!(wildcard.unencrypted_creates_denied("aws", "1").len(), 2);
        let only_cluster = one(
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:createdbcluster",
                "Resource": "arn:aws:rds:*:111122223333:cluster:*",
                "Condition": {"Bool": {"rds:StorageEncrypted": ["false"]}}}}"#,
        );
        assert_eq!(
            only_cluster.unencrypted_creates_denied("aws", "111122223333"),
            vec!["rds:CreateDBCluster"]
        );
        let star = one(r#"{"Statement": {"Effect": "Deny", "Action": ["rds:*"],
                "Condition": {"bool": {"rds:StorageEncrypted": "False"}}}}"#);
        assert_eq!(star.unencrypted_creates_denied("aws", "1").len(), 2);
        let not_action = one(
            r#"{"Statement": {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*",
                "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}}}"#,
        );
        assert_eq!(not_action.unencrypted_creates_denied("aws", "1").len(), 2);
    }

    #[test]
    fn not_a_deny_of_unencrypted_create() {
        let none = |text: &str| one(text).unencrypted_creates_denied("aws", "111122223333");
        // Allow, not Deny.
        assert!(none(
            r#"{"Statement": {"Effect": "Allow", "Action": "rds:*", "Resource": "*",
            "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}}}"#
        )
        .is_empty());
        // Condition on "true".
        assert!(none(
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:*", "Resource": "*",
            "Condition": {"Bool": {"rds:StorageEncrypted": "true"}}}}"#
        )
        .is_empty());
        // No condition: a plain deny of every create is a different control.
        assert!(
            none(r#"{"Statement": {"Effect": "Deny", "Action": "rds:*", "Resource": "*"}}"#)
                .is_empty()
        );
        // Wrong operator.
        assert!(none(
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:*", "Resource": "*",
            "Condition": {"StringEquals": {"rds:StorageEncrypted": "false"}}}}"#
        )
        .is_empty());
        // Other actions.
        assert!(none(
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:Delete*", "Resource": "*",
            "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}}}"#
        )
        .is_empty());
        // Scoped to one cluster name or one region.
        assert!(none(
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:*",
            "Resource": "arn:aws:rds:*:*:cluster:prod-*",
            "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}}}"#
        )
        .is_empty());
        assert!(none(
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:*",
            "Resource": ["arn:aws:rds:us-east-1:*:cluster:*", "arn:aws:rds:us-east-1:*:db:*"],
            "Condition": {"Bool": {"rds:StorageEncrypted": "false"}}}}"#
        )
        .is_empty());
    }

    #[test]
    fn other_condition_keys_are_listed() {
        let s = one(
            r#"{"Statement": {"Effect": "Deny", "Action": "rds:*", "Resource": "*",
                "Condition": {"Bool": {"rds:StorageEncrypted": "false"},
                              "StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/breakglass"}}}}"#,
        );
        assert!(s.denies_when_unencrypted());
        assert_eq!(
            s.other_condition_keys(),
            vec!["StringNotLike:aws:PrincipalArn"]
        );
    }

    #[test]
    fn principals_and_public_statements() {
        let doc = r#"{"Statement":[
            {"Sid":"Open","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"},
            {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root","*"]},"Action":"s3:*"},
            {"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"Action":"s3:*"},
            {"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}},
            {"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{}},
            {"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject"},
            {"Effect":"Deny","Principal":"*","Action":"s3:*"}
        ]}"#;
        assert_eq!(
            public_statements(doc),
            Ok(vec![
                "Open".to_owned(),
                "statement 2".to_owned(),
                "statement 3".to_owned(),
                "statement 5".to_owned(),
            ])
        );
        assert!(public_statements("not json").is_err());
        let s = one(r#"{"Statement":{"Effect":"Deny","principal":{"aws":"*"},"Action":"s3:*"}}"#);
        assert!(s.principal_is_everyone());
    }

    #[test]
    fn every_action_of_a_service() {
        let covers = |text: &str| one(text).covers_every_action_of("s3");
        assert!(covers(r#"{"Statement":{"Effect":"Deny","Action":"s3:*"}}"#));
        assert!(covers(
            r#"{"Statement":{"Effect":"Deny","Action":["S3:*"]}}"#
        ));
        assert!(covers(r#"{"Statement":{"Effect":"Deny","Action":"*"}}"#));
        assert!(covers(
            r#"{"Statement":{"Effect":"Deny","NotAction":"iam:*"}}"#
        ));
        assert!(!covers(
            r#"{"Statement":{"Effect":"Deny","Action":["s3:GetObject","s3:PutObject"]}}"#
        ));
        assert!(!covers(
            r#"{"Statement":{"Effect":"Deny","Action":"s3:Get*"}}"#
        ));
        assert!(!covers(
            r#"{"Statement":{"Effect":"Deny","NotAction":"s3:ListBucket"}}"#
        ));
        assert!(!covers(
            r#"{"Statement":{"Effect":"Deny","NotAction":"s*:*"}}"#
        ));
    }

    #[test]
    fn condition_helpers() {
        let s = one(
            r#"{"Statement":{"Effect":"Deny","Action":"s3:*","Condition":{
                "BoolIfExists":{"aws:SecureTransport":[false]},
                "NumericLessThan":{"s3:TlsVersion":"1.2"}}}}"#,
        );
        assert!(s.bool_condition_false("AWS:securetransport"));
        assert!(!s.bool_condition_false("rds:StorageEncrypted"));
        assert_eq!(
            s.condition_values(&["numericlessthan"], "s3:TlsVersion"),
            vec![&Value::String("1.2".into())]
        );
        assert_eq!(
            s.condition_keys_except(&["aws:SecureTransport"]),
            vec!["NumericLessThan:s3:TlsVersion"]
        );
        assert!(s.is_conditioned());
        assert_eq!(s.label(2), "statement 3");
    }
}
