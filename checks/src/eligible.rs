//! The dated list of HIPAA-eligible services: data (`reference/hipaa-eligible-services.toml`),
//! loaded once, replaceable with a newer file (`--eligible-services FILE`).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::reference::ELIGIBLE_SERVICES_TOML;

/// One service on the list, with the restriction AWS states for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EligibleService {
    /// Service name as AWS lists it (`Amazon Aurora`).
    pub name: String,
    /// Restriction text (`for healthcare skills only ...`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restriction: Option<String>,
}

/// The list: its date, its services and the IAM prefixes (ARN namespaces) they use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EligibleServices {
    /// The "last updated" date of the list (YYYY-MM-DD).
    pub as_of: String,
    /// Where the list came from (file path or "embedded").
    pub origin: String,
    /// The eligible services.
    pub services: Vec<EligibleService>,
    /// IAM prefixes of eligible services.
    pub eligible_prefixes: BTreeSet<String>,
    /// IAM prefixes of supporting tools that hold no PHI (billing, support, identity).
    pub non_phi_tools: BTreeSet<String>,
}

/// How a service prefix is classified against the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eligibility {
    /// On the list: may hold PHI under the BAA.
    Eligible,
    /// A supporting tool that stores no PHI (cost, support, identity); never graded.
    NonPhiTool,
    /// Not on the list: must not store, process or transmit PHI.
    NotEligible,
}

/// Why a list file was rejected.
#[derive(Debug, thiserror::Error)]
pub enum EligibleError {
    /// Not valid TOML or missing/unknown fields.
    #[error("{0}")]
    Parse(String),
    /// Parsed but inconsistent.
    #[error("{0}")]
    Invalid(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    as_of: String,
    #[serde(default)]
    source_names: Option<String>,
    #[serde(default)]
    source_prefixes: Option<String>,
    #[serde(default)]
    authoritative: Option<String>,
    #[serde(default)]
    service_count: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Prefixes {
    eligible: Vec<String>,
    #[serde(default)]
    non_phi_tools: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    meta: Meta,
    prefixes: Prefixes,
    service: Vec<EligibleService>,
}

impl EligibleServices {
    /// The list shipped with this version (parsed once; a test proves it parses).
    pub fn embedded() -> &'static EligibleServices {
        static LIST: OnceLock<EligibleServices> = OnceLock::new();
        LIST.get_or_init(|| {
            EligibleServices::from_toml(ELIGIBLE_SERVICES_TOML, "embedded").unwrap_or_else(|_| {
                EligibleServices {
                    as_of: "unknown".into(),
                    origin: "embedded (unreadable)".into(),
                    services: Vec::new(),
                    eligible_prefixes: BTreeSet::new(),
                    non_phi_tools: BTreeSet::new(),
                }
            })
        })
    }

    /// Parses and validates a list file in the shipped format; `origin` names it in messages.
    pub fn from_toml(text: &str, origin: &str) -> Result<EligibleServices, EligibleError> {
        let file: ListFile =
            toml::from_str(text).map_err(|e| EligibleError::Parse(e.to_string()))?;
        let meta = &file.meta;
        let _ = (
            &meta.source_names,
            &meta.source_prefixes,
            &meta.authoritative,
        );
        if jiff::civil::Date::strptime("%Y-%m-%d", &meta.as_of).is_err() {
            return Err(EligibleError::Invalid(format!(
                "meta.as_of = {:?} is not a YYYY-MM-DD date",
                meta.as_of
            )));
        }
        if file.service.is_empty() {
            return Err(EligibleError::Invalid(
                "the list has no [[service]] entries".into(),
            ));
        }
        if let Some(count) = meta.service_count {
            if count != file.service.len() {
                return Err(EligibleError::Invalid(format!(
                    "meta.service_count = {count} but the file lists {} [[service]] entries",
                    file.service.len()
                )));
            }
        }
        let valid = |p: &String| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        };
        for prefix in file
            .prefixes
            .eligible
            .iter()
            .chain(&file.prefixes.non_phi_tools)
        {
            if !valid(prefix) {
                return Err(EligibleError::Invalid(format!(
                    "{prefix:?} is not an IAM service prefix (lowercase letters, digits, '-')"
                )));
            }
        }
        let eligible_prefixes: BTreeSet<String> = file.prefixes.eligible.into_iter().collect();
        let non_phi_tools: BTreeSet<String> = file.prefixes.non_phi_tools.into_iter().collect();
        if eligible_prefixes.is_empty() {
            return Err(EligibleError::Invalid("prefixes.eligible is empty".into()));
        }
        if let Some(both) = eligible_prefixes.intersection(&non_phi_tools).next() {
            return Err(EligibleError::Invalid(format!(
                "{both:?} is both in prefixes.eligible and prefixes.non_phi_tools"
            )));
        }
        Ok(EligibleServices {
            as_of: file.meta.as_of,
            origin: origin.to_owned(),
            services: file.service,
            eligible_prefixes,
            non_phi_tools,
        })
    }

    /// Classifies an IAM prefix / ARN service namespace (`rds`, `gamelift`).
    pub fn classify(&self, prefix: &str) -> Eligibility {
        if self.eligible_prefixes.contains(prefix) {
            Eligibility::Eligible
        } else if self.non_phi_tools.contains(prefix) {
            Eligibility::NonPhiTool
        } else {
            Eligibility::NotEligible
        }
    }
}

/// The service namespace of an ARN (`arn:aws:dynamodb:...` -> `dynamodb`).
pub fn arn_service(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    (parts.next()? == "arn").then_some(())?;
    parts.next()?;
    parts.next().filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_list_parses_with_its_date() {
        let list = EligibleServices::embedded();
        assert_eq!(list.as_of, "2025-04-16");
        assert_eq!(list.services.len(), 166);
        assert!(list.eligible_prefixes.len() > 100);
    }

    #[test]
    fn every_listed_prefix_resolves_from_an_arn() {
        let list = EligibleServices::embedded();
        for prefix in &list.eligible_prefixes {
            let arn = format!("arn:aws:{prefix}:us-east-1:111122223333:thing/x");
            let service = arn_service(&arn).expect("namespace");
            assert_eq!(list.classify(service), Eligibility::Eligible, "{prefix}");
        }
        for prefix in &list.non_phi_tools {
            let arn = format!("arn:aws:{prefix}::111122223333:thing/x");
            let service = arn_service(&arn).expect("namespace");
            assert_eq!(list.classify(service), Eligibility::NonPhiTool, "{prefix}");
        }
    }

    #[test]
    fn a_service_absent_from_the_list_is_not_eligible() {
        let list = EligibleServices::embedded();
        let arn = "arn:aws:gamelift:us-east-1:111122223333:fleet/fleet-1";
        assert_eq!(
            list.classify(arn_service(arn).expect("ns")),
            Eligibility::NotEligible
        );
    }

    #[test]
    fn bad_files_are_rejected_with_the_reason() {
        let err = EligibleServices::from_toml("meta = 1", "x").expect_err("rejected");
        assert!(matches!(err, EligibleError::Parse(_)));
        let text = r#"
[meta]
as_of = "2026-13-01"
[prefixes]
eligible = ["rds"]
[[service]]
name = "Amazon RDS"
"#;
        let err = EligibleServices::from_toml(text, "x").expect_err("bad date");
        assert!(err.to_string().contains("as_of"), "{err}");
        let text = text
            .replace("2026-13-01", "2026-11-01")
            .replace("\"rds\"", "\"RDS\"");
        let err = EligibleServices::from_toml(&text, "x").expect_err("bad prefix");
        assert!(err.to_string().contains("RDS"), "{err}");
        let ok = text.replace("\"RDS\"", "\"rds\"");
        let list = EligibleServices::from_toml(&ok, "newer.toml").expect("valid");
        assert_eq!(list.as_of, "2026-11-01");
        assert_eq!(list.classify("rds"), Eligibility::Eligible);
    }

    #[test]
    fn arn_namespaces() {
        assert_eq!(arn_service("arn:aws:s3:::bucket"), Some("s3"));
        assert_eq!(
            arn_service("arn:aws-us-gov:rds:us-gov-west-1:1:db:x"),
            Some("rds")
        );
        assert_eq!(arn_service("not-an-arn"), None);
    }
}
