//! The config file: thresholds the checks grade against (`--config FILE`, TOML).

use serde::{Deserialize, Serialize};

/// A TLS protocol version, ordered oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TlsVersion {
    /// SSL 3.0 (never acceptable; parsed so it can be reported).
    #[serde(rename = "SSLv3")]
    Ssl3,
    /// TLS 1.0.
    #[serde(rename = "TLSv1")]
    Tls1_0,
    /// TLS 1.1.
    #[serde(rename = "TLSv1.1")]
    Tls1_1,
    /// TLS 1.2.
    #[serde(rename = "TLSv1.2")]
    Tls1_2,
    /// TLS 1.3.
    #[serde(rename = "TLSv1.3")]
    Tls1_3,
}

impl TlsVersion {
    /// Parses the spellings RDS parameters use (`TLSv1.2`, `tlsv1.2`, `TLSv1`, `TLSv1.0`).
    pub fn parse(text: &str) -> Option<TlsVersion> {
        match text.trim().to_ascii_lowercase().as_str() {
            "sslv3" => Some(TlsVersion::Ssl3),
            "tlsv1" | "tlsv1.0" => Some(TlsVersion::Tls1_0),
            "tlsv1.1" => Some(TlsVersion::Tls1_1),
            "tlsv1.2" => Some(TlsVersion::Tls1_2),
            "tlsv1.3" => Some(TlsVersion::Tls1_3),
            _ => None,
        }
    }

    /// The canonical spelling (`TLSv1.2`).
    pub fn as_str(self) -> &'static str {
        match self {
            TlsVersion::Ssl3 => "SSLv3",
            TlsVersion::Tls1_0 => "TLSv1",
            TlsVersion::Tls1_1 => "TLSv1.1",
            TlsVersion::Tls1_2 => "TLSv1.2",
            TlsVersion::Tls1_3 => "TLSv1.3",
        }
    }
}

/// Which tag marks PHI resources (used by the eligible-services checks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhiTag {
    /// Tag key.
    pub key: String,
    /// Tag values that mean "holds PHI".
    pub values: Vec<String>,
}

/// Thresholds and lists the checks use; every field has the spec's default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// rds-cluster-backup-retention: minimum BackupRetentionPeriod in days.
    pub min_backup_retention_days: i32,
    /// rds-param-min-tls: lowest acceptable TLS version.
    pub min_tls: TlsVersion,
    /// rds-param-ssl-ciphers: the only cipher suites a database may offer.
    pub allowed_ssl_ciphers: Vec<String>,
    /// ec2-sg-world-other-ports: ports that may be open to the world.
    pub authorized_ports: Vec<u16>,
    /// ec2-instance-required-tags: tags every instance and volume carries.
    pub required_tags: Vec<String>,
    /// Scopes the eligible-services checks to resources with this tag.
    pub phi_tag: Option<PhiTag>,
    /// config-required-rules: managed rule identifiers that must be deployed.
    pub required_config_rules: Vec<String>,
    /// IAM credential checks: maximum age / idle time in days.
    pub max_credential_age_days: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            min_backup_retention_days: 35,
            min_tls: TlsVersion::Tls1_2,
            allowed_ssl_ciphers: [
                "TLS_AES_256_GCM_SHA384",
                "TLS_AES_128_GCM_SHA256",
                "TLS_CHACHA20_POLY1305_SHA256",
            ]
            .map(String::from)
            .to_vec(),
            authorized_ports: vec![80, 443],
            required_tags: vec!["Owner".into(), "DataClass".into()],
            phi_tag: None,
            required_config_rules: [
                "REQUIRED_TAGS",
                "INCOMING_SSH_DISABLED",
                "RESTRICTED_INCOMING_TRAFFIC",
                "APPROVED_AMIS_BY_ID",
                "CLOUD_TRAIL_ENABLED",
                "RDS_STORAGE_ENCRYPTED",
                "VPC_FLOW_LOGS_ENABLED",
            ]
            .map(String::from)
            .to_vec(),
            max_credential_age_days: 90,
        }
    }
}

/// A config file that cannot be used; the text names the key and line.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// TOML syntax, unknown key or wrong type (toml's message carries line and column).
    #[error("{0}")]
    Parse(#[from] toml::de::Error),
    /// A value of the right type that makes no sense.
    #[error("invalid value for `{key}`: {problem}")]
    Invalid {
        /// The offending key.
        key: &'static str,
        /// What is wrong and what is accepted.
        problem: String,
    },
}

impl Config {
    /// Parses and validates a config file's text.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text)?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=35).contains(&self.min_backup_retention_days) {
            return Err(ConfigError::Invalid {
                key: "min_backup_retention_days",
                problem: format!(
                    "{} is outside RDS's range 1..=35",
                    self.min_backup_retention_days
                ),
            });
        }
        if self.allowed_ssl_ciphers.is_empty() {
            return Err(ConfigError::Invalid {
                key: "allowed_ssl_ciphers",
                problem: "the list is empty; name at least one cipher suite".into(),
            });
        }
        if self.max_credential_age_days == 0 {
            return Err(ConfigError::Invalid {
                key: "max_credential_age_days",
                problem: "must be at least 1".into(),
            });
        }
        Ok(())
    }

    /// The commented default config file (`hipaa-audit config --init`).
    pub fn default_toml() -> &'static str {
        include_str!("../reference/default-config.toml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_spec_defaults() {
        let config = Config::from_toml("").expect("empty config parses");
        assert_eq!(config, Config::default());
        assert_eq!(config.min_backup_retention_days, 35);
        assert_eq!(config.min_tls, TlsVersion::Tls1_2);
    }

    #[test]
    fn default_file_parses_to_defaults() {
        let config = Config::from_toml(Config::default_toml()).expect("default file parses");
        assert_eq!(config, Config::default());
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = Config::from_toml("min_tls = \"TLSv1.2\"\nmin_backup_days = 7\n")
            .expect_err("unknown key is rejected");
        let text = err.to_string();
        assert!(text.contains("min_backup_days"), "{text}");
        assert!(text.contains("line 2"), "{text}");
    }

    #[test]
    fn bad_tls_value_is_rejected() {
        let err = Config::from_toml("min_tls = \"TLS1.2\"").expect_err("bad value");
        assert!(err.to_string().contains("TLSv1.2"), "{err}");
    }

    #[test]
    fn out_of_range_retention_is_rejected() {
        let err = Config::from_toml("min_backup_retention_days = 90").expect_err("range");
        assert!(
            err.to_string().contains("min_backup_retention_days"),
            "{err}"
        );
    }

    #[test]
    fn tls_versions_order_and_parse() {
        assert!(TlsVersion::Tls1_3 > TlsVersion::Tls1_2);
        assert_eq!(TlsVersion::parse("tlsv1.0"), Some(TlsVersion::Tls1_0));
        assert_eq!(TlsVersion::parse("TLSv1.3"), Some(TlsVersion::Tls1_3));
        assert_eq!(TlsVersion::parse("TLS1.3"), None);
    }
}
