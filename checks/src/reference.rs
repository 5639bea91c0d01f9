//! Reference data embedded at build time: the HIPAA Security Rule sections and the dated list
//! of HIPAA-eligible services. Data, not code: see `checks/reference/README.md` for sources.

use std::sync::OnceLock;

use serde::Deserialize;

/// The Security Rule sections file, as shipped.
pub const SECURITY_RULE_TOML: &str = include_str!("../reference/hipaa-security-rule.toml");
/// The HIPAA-eligible services list, as shipped.
pub const ELIGIBLE_SERVICES_TOML: &str = include_str!("../reference/hipaa-eligible-services.toml");

/// One standard or implementation specification of 45 CFR 164 Subpart C.
#[derive(Debug, Clone, Deserialize)]
pub struct Section {
    /// Citation (`164.312(a)(2)(iv)`).
    pub citation: String,
    /// Title (`Encryption and decryption`).
    pub title: String,
    /// administrative / physical / technical / ...
    pub category: String,
    /// `standard` or `implementation`.
    pub kind: String,
    /// `required`, `addressable`, or empty for standards with specifications.
    pub requirement: String,
}

#[derive(Deserialize)]
struct SecurityRuleFile {
    section: Vec<Section>,
}

#[derive(Deserialize)]
struct EligibleMeta {
    as_of: String,
}

#[derive(Deserialize)]
struct EligibleFile {
    meta: EligibleMeta,
}

fn sections() -> &'static [Section] {
    static SECTIONS: OnceLock<Vec<Section>> = OnceLock::new();
    SECTIONS.get_or_init(|| {
        // The file is part of the build; the test below proves it parses.
        toml::from_str::<SecurityRuleFile>(SECURITY_RULE_TOML)
            .map(|f| f.section)
            .unwrap_or_default()
    })
}

/// The Security Rule section for a citation, if it exists.
pub fn security_rule_section(citation: &str) -> Option<&'static Section> {
    sections().iter().find(|s| s.citation == citation)
}

/// The as-of date of the embedded HIPAA-eligible services list (YYYY-MM-DD).
pub fn eligible_services_as_of() -> &'static str {
    static AS_OF: OnceLock<String> = OnceLock::new();
    AS_OF.get_or_init(|| {
        toml::from_str::<EligibleFile>(ELIGIBLE_SERVICES_TOML)
            .map(|f| f.meta.as_of)
            .unwrap_or_else(|_| "unknown".to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_parse() {
        assert!(toml::from_str::<SecurityRuleFile>(SECURITY_RULE_TOML).is_ok());
        assert!(sections().len() > 40);
        assert_eq!(eligible_services_as_of(), "2025-04-16");
        let encryption = security_rule_section("164.312(a)(2)(iv)").expect("present");
        assert_eq!(encryption.requirement, "addressable");
    }
}
