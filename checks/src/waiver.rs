//! Waivers (`--waivers FILE`, TOML): failures someone accepted, who accepted them, until when.
//!
//! A `[[waiver]]` entry names a check id and a resource (an exact ARN/id or a glob with `*` and
//! `?`). [`parse`] validates the file and names the waiver, key and line of every problem;
//! [`apply`] turns matching `fail` findings into `waived` and reports what became of each waiver.

use std::ops::Range;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::finding::{Finding, Status, WaiverRef};
use crate::registry;

/// The keys of a `[[waiver]]` entry, all required, in the spec's order.
pub const KEYS: [&str; 5] = ["check", "resource", "reason", "owner", "expires"];

/// One validated `[[waiver]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// Catalog id of the waived check (a known id).
    pub check: String,
    /// Exact resource ARN or id, or a glob over them (`*` any run, `?` one character).
    pub resource: String,
    /// Why the failure is accepted.
    pub reason: String,
    /// Who accepted it.
    pub owner: String,
    /// Last day the waiver applies (it is expired from the next day on).
    pub expires: Date,
    /// Line of the entry in the waivers file (1-based), for messages.
    pub line: usize,
}

impl Waiver {
    /// True when the check ids are equal and the pattern matches the resource's ARN or id.
    pub fn matches(&self, finding: &Finding) -> bool {
        finding.check_id == self.check
            && (glob_match(&self.resource, &finding.resource_id)
                || finding
                    .resource_arn
                    .as_deref()
                    .is_some_and(|arn| glob_match(&self.resource, arn)))
    }

    /// True when `today` is after the expiry date (a waiver is valid through `expires`).
    pub fn is_expired(&self, today: Date) -> bool {
        self.expires < today
    }

    /// The reference recorded on the findings this waiver covers.
    pub fn reference(&self) -> WaiverRef {
        WaiverRef {
            reason: self.reason.clone(),
            owner: self.owner.clone(),
            expires: self.expires.to_string(),
        }
    }
}

/// What became of one waiver in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaiverState {
    /// In force and matched at least one finding.
    Applied,
    /// Past its expiry date: it waived nothing (reported whether or not it matched).
    Expired,
    /// In force but matched no finding: the resource or check is gone, or the pattern is wrong.
    Stale,
}

/// One waiver's outcome, as in the report's `waivers[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverStatus {
    /// Catalog id of the waived check.
    pub check: String,
    /// The resource pattern as written.
    pub resource: String,
    /// Who accepted the failure.
    pub owner: String,
    /// Expiry date (YYYY-MM-DD).
    pub expires: String,
    /// Applied, expired or stale.
    pub state: WaiverState,
    /// Findings of any status the waiver's check and pattern matched.
    pub matched: usize,
    /// Of those, `fail` findings it turned into `waived` (0 unless applied).
    pub waived: usize,
}

/// A waivers file that cannot be used; the text names the waiver, the key and the line.
#[derive(Debug, thiserror::Error)]
pub enum WaiverError {
    /// TOML syntax (toml's message carries line and column).
    #[error("{0}")]
    Parse(#[from] toml::de::Error),
    /// A key that is missing, unknown, of the wrong type or with an unusable value.
    #[error("{}, key `{key}`, line {line}: {problem}", place(*.waiver, .check.as_deref()))]
    Invalid {
        /// 1-based position of the `[[waiver]]` entry; `None` for the file's top level.
        waiver: Option<usize>,
        /// The entry's `check` value when it is a string, to recognise the entry by.
        check: Option<String>,
        /// The offending key.
        key: String,
        /// 1-based line in the file.
        line: usize,
        /// What is wrong and what is accepted.
        problem: String,
    },
}

fn place(waiver: Option<usize>, check: Option<&str>) -> String {
    match (waiver, check) {
        (Some(n), Some(check)) => format!("waiver #{n} (check `{check}`)"),
        (Some(n), None) => format!("waiver #{n}"),
        (None, _) => "waivers file".to_owned(),
    }
}

/// Parses and validates a waivers file's text; waivers come back in file order.
pub fn parse(text: &str) -> Result<Vec<Waiver>, WaiverError> {
    let root = DeTable::parse(text)?;
    let mut entries = None;
    for (key, value) in in_file_order(root.get_ref()) {
        if key.get_ref() == "waiver" {
            entries = Some(value);
        } else {
            return Err(WaiverError::Invalid {
                waiver: None,
                check: None,
                key: key.get_ref().to_string(),
                line: line_of(text, key.span()),
                problem: "unknown key; the file holds only [[waiver]] entries".into(),
            });
        }
    }
    let Some(entries) = entries else {
        return Ok(Vec::new());
    };
    let DeValue::Array(array) = entries.get_ref() else {
        return Err(WaiverError::Invalid {
            waiver: None,
            check: None,
            key: "waiver".into(),
            line: line_of(text, entries.span()),
            problem: format!(
                "must be a list of tables written as [[waiver]] entries, found {}",
                article(entries.get_ref().type_str())
            ),
        });
    };
    array
        .iter()
        .enumerate()
        .map(|(i, entry)| parse_entry(text, i + 1, entry))
        .collect()
}

/// A table's entries in the order they appear in the file (toml sorts them by key).
fn in_file_order<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(
    &'t Spanned<toml::de::DeString<'i>>,
    &'t Spanned<DeValue<'i>>,
)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

/// "an integer", "a string": a TOML type name with its article.
fn article(kind: &str) -> String {
    let an = kind.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {kind}", if an { "an" } else { "a" })
}

/// 1-based line of a byte offset.
fn line_of(text: &str, span: Range<usize>) -> usize {
    let end = span.start.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn parse_entry(
    text: &str,
    index: usize,
    entry: &Spanned<DeValue<'_>>,
) -> Result<Waiver, WaiverError> {
    let entry_line = line_of(text, entry.span());
    let DeValue::Table(table) = entry.get_ref() else {
        return Err(WaiverError::Invalid {
            waiver: Some(index),
            check: None,
            key: "waiver".into(),
            line: entry_line,
            problem: format!(
                "each entry must be a table written under a [[waiver]] header, found {}",
                article(entry.get_ref().type_str())
            ),
        });
    };
    let check_name = table
        .iter()
        .find(|(key, _)| key.get_ref() == "check")
        .and_then(|(_, value)| value.get_ref().as_str())
        .map(str::to_owned);
    let invalid = |key: &str, line: usize, problem: String| WaiverError::Invalid {
        waiver: Some(index),
        check: check_name.clone(),
        key: key.to_owned(),
        line,
        problem,
    };

    let mut fields: [Option<&Spanned<DeValue<'_>>>; 5] = [None; 5];
    for (key, value) in in_file_order(table) {
        match KEYS.iter().position(|known| *known == key.get_ref()) {
            Some(slot) => fields[slot] = Some(value),
            None => {
                return Err(invalid(
                    key.get_ref(),
                    line_of(text, key.span()),
                    format!("unknown key; a waiver has exactly {}", KEYS.join(", ")),
                ))
            }
        }
    }
    // Missing keys are reported in the spec's order, before any value is judged.
    let require = |slot: usize| {
        fields[slot].ok_or_else(|| {
            invalid(
                KEYS[slot],
                entry_line,
                format!("missing; every waiver needs {}", KEYS.join(", ")),
            )
        })
    };
    let (check, resource, reason, owner, expires) = (
        require(0)?,
        require(1)?,
        require(2)?,
        require(3)?,
        require(4)?,
    );

    let string = |key: &str, value: &Spanned<DeValue<'_>>| -> Result<String, WaiverError> {
        let line = line_of(text, value.span());
        let Some(s) = value.get_ref().as_str() else {
            return Err(invalid(
                key,
                line,
                format!(
                    "must be a string, found {}",
                    article(value.get_ref().type_str())
                ),
            ));
        };
        if s.trim().is_empty() {
            let wanted = match key {
                "check" => "name a check id",
                "resource" => "give an ARN, a resource id or a glob",
                "reason" => "say why the failure is accepted",
                _ => "say who accepted the failure",
            };
            return Err(invalid(key, line, format!("is empty; {wanted}")));
        }
        if s.trim() != s {
            return Err(invalid(
                key,
                line,
                format!("`{s}` has leading or trailing whitespace"),
            ));
        }
        Ok(s.to_owned())
    };

    let check_id = string("check", check)?;
    if registry::find(&check_id).is_none() {
        let near = registry::suggestions(&check_id);
        let hint = if near.is_empty() {
            String::new()
        } else {
            format!(" (did you mean {}?)", near.join(", "))
        };
        return Err(invalid(
            "check",
            line_of(text, check.span()),
            format!("unknown check id `{check_id}`{hint}; `hipaa-audit checks` lists every id"),
        ));
    }
    Ok(Waiver {
        check: check_id,
        resource: string("resource", resource)?,
        reason: string("reason", reason)?,
        owner: string("owner", owner)?,
        expires: parse_expires(expires)
            .map_err(|problem| invalid("expires", line_of(text, expires.span()), problem))?,
        line: entry_line,
    })
}

/// `expires`: a "YYYY-MM-DD" string, or a bare TOML local date (`expires = 2027-03-31`).
fn parse_expires(value: &Spanned<DeValue<'_>>) -> Result<Date, String> {
    const EXPECTED: &str = "expected a date \"YYYY-MM-DD\" such as \"2027-03-31\"";
    let text = match value.get_ref() {
        DeValue::String(s) => s.to_string(),
        DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
            _ => return Err(format!("`{dt}` is not a plain date; {EXPECTED}")),
        },
        other => {
            return Err(format!(
                "must be a date, found {}; {EXPECTED}",
                article(other.type_str())
            ))
        }
    };
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    match text.parse::<Date>() {
        Ok(date) if shaped => Ok(date),
        _ => Err(format!("`{text}` is not a valid date; {EXPECTED}")),
    }
}

/// True when `text` matches `pattern`: `*` is any run of characters (also none, also `:` and
/// `/`), `?` exactly one character; everything else is literal and case-sensitive.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    // After a `*`: where the pattern resumes and the text position the star has reached.
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                backtrack = Some((p + 1, t));
                p += 1;
            }
            Some(c) if *c == '?' || *c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match backtrack {
                // Let the last star swallow one more character and retry.
                Some((resume, reached)) => {
                    backtrack = Some((resume, reached + 1));
                    p = resume;
                    t = reached + 1;
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// Waives matching `fail` findings and reports each waiver's state, in file order.
///
/// A waiver in force turns a matching `fail` finding into `waived` and records it in
/// `finding.waiver`; evidence and message are kept, and when several waivers match, the first in
/// file order is recorded. Findings of any other status are never changed. An expired waiver
/// waives nothing: a `fail` finding it matches (and no waiver in force covers) stays `fail` and
/// its message gains " (waiver expired YYYY-MM-DD, owner X)" so the reader of any format sees
/// why it is back.
pub fn apply(findings: &mut [Finding], waivers: &[Waiver], today: Date) -> Vec<WaiverStatus> {
    let mut matched = vec![0usize; waivers.len()];
    let mut waived = vec![0usize; waivers.len()];
    for finding in findings.iter_mut() {
        let mut expired: Option<&Waiver> = None;
        for (i, waiver) in waivers.iter().enumerate() {
            if !waiver.matches(finding) {
                continue;
            }
            // A waiver is in use while what it covers fails (or cannot be read this time); one
            // whose resources all pass now is stale: nothing is left to accept.
            if matches!(
                finding.status,
                Status::Fail | Status::Waived | Status::Error
            ) {
                matched[i] += 1;
            }
            if finding.status != Status::Fail {
                continue;
            }
            if waiver.is_expired(today) {
                expired.get_or_insert(waiver);
            } else {
                finding.status = Status::Waived;
                finding.waiver = Some(waiver.reference());
                waived[i] += 1;
            }
        }
        if let (Status::Fail, Some(waiver)) = (finding.status, expired) {
            let note = format!(
                " (waiver expired {}, owner {})",
                waiver.expires, waiver.owner
            );
            if !finding.message.ends_with(&note) {
                finding.message.push_str(&note);
            }
        }
    }
    waivers
        .iter()
        .enumerate()
        .map(|(i, waiver)| WaiverStatus {
            check: waiver.check.clone(),
            resource: waiver.resource.clone(),
            owner: waiver.owner.clone(),
            expires: waiver.expires.to_string(),
            state: if waiver.is_expired(today) {
                WaiverState::Expired
            } else if matched[i] == 0 {
                WaiverState::Stale
            } else {
                WaiverState::Applied
            },
            matched: matched[i],
            waived: waived[i],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{BaaRule, Severity};
    use jiff::civil::date;

    const RETENTION: &str = "rds-cluster-backup-retention";
    const ARN_PREFIX: &str = "arn:aws:rds:us-east-1:111122223333:cluster:";

    fn finding(check: &str, status: Status, id: &str) -> Finding {
        Finding {
            check_id: check.into(),
            status,
            severity: Severity::High,
            account: "111122223333".into(),
            region: "us-east-1".into(),
            resource_type: "AWS::RDS::DBCluster".into(),
            resource_id: id.into(),
            resource_arn: Some(format!("{ARN_PREFIX}{id}")),
            message: format!("Cluster {id} keeps backups for 7 days."),
            hipaa: vec!["164.308(a)(7)(ii)(A)".into()],
            baa: BaaRule::Backup,
            evidence: serde_json::json!({"BackupRetentionPeriod": 7}),
            remediation: "Raise the retention.".into(),
            waiver: None,
        }
    }

    fn waiver(check: &str, resource: &str, expires: Date) -> Waiver {
        Waiver {
            check: check.into(),
            resource: resource.into(),
            reason: "Analytics copy holds no PHI".into(),
            owner: "secops@example.com".into(),
            expires,
            line: 1,
        }
    }

    const TODAY: Date = date(2026, 6, 1);

    const SPEC_EXAMPLE: &str = r#"# accepted failures
[[waiver]]
check = "rds-cluster-backup-retention"
resource = "arn:aws:rds:us-east-1:123456789012:cluster:analytics"   # or a glob
reason = "Analytics copy holds no PHI"
owner = "secops@example.com"
expires = "2027-03-31"

[[waiver]]
check = "rds-cluster-storage-encrypted"
resource = "arn:aws:rds:*:cluster:analytics-*"
reason = "Scratch clusters"
owner = "dba@example.com"
expires = 2026-12-31
"#;

    fn parse_err(text: &str) -> String {
        parse(text).expect_err("rejected").to_string()
    }

    /// The spec example with one line replaced (or removed when `with` is empty).
    fn spec_with(line: &str, with: &str) -> String {
        SPEC_EXAMPLE
            .lines()
            .filter_map(|l| {
                if l.starts_with(line) {
                    (!with.is_empty()).then_some(with)
                } else {
                    Some(l)
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    // --- glob ---

    #[test]
    fn glob_star_and_question_mark() {
        let pattern = "arn:aws:rds:*:cluster:analytics-*";
        assert!(glob_match(
            pattern,
            "arn:aws:rds:us-east-1:111122223333:cluster:analytics-eu"
        ));
        assert!(glob_match(
            pattern,
            "arn:aws:rds:eu-west-1:1:cluster:analytics-"
        ));
        assert!(!glob_match(
            pattern,
            "arn:aws:rds:us-east-1:1:cluster:analytics"
        ));
        assert!(!glob_match(
            pattern,
            "arn:aws:rds:us-east-1:1:db:analytics-eu"
        ));
        assert!(glob_match("db-?", "db-1"));
        assert!(!glob_match("db-?", "db-"));
        assert!(!glob_match("db-?", "db-12"));
        assert!(
            glob_match("db-??", "db-é1"),
            "? is one character, not one byte"
        );
        assert!(glob_match("*", ""));
        assert!(glob_match("*", "anything/at:all"));
        assert!(glob_match("a*b*c", "a-b-b-c"));
        assert!(!glob_match("a*b*c", "a-b-b-"));
        assert!(glob_match("**x", "yyx"));
        assert!(glob_match("*x", "*x"), "a literal star in the text is text");
    }

    #[test]
    fn glob_is_exact_and_case_sensitive_without_wildcards() {
        assert!(glob_match("analytics", "analytics"));
        assert!(!glob_match("analytics", "analytics-2"));
        assert!(!glob_match("analytics", "Analytics"));
        assert!(!glob_match("", "x"));
        assert!(glob_match("", ""));
    }

    #[test]
    fn glob_with_many_stars_stays_fast() {
        let text = "a".repeat(5000);
        let pattern = format!("{}b", "*a".repeat(50));
        assert!(!glob_match(&pattern, &text));
    }

    // --- matching ---

    #[test]
    fn matches_arn_or_id_of_the_same_check_only() {
        let f = finding(RETENTION, Status::Fail, "analytics");
        assert!(waiver(RETENTION, "analytics", TODAY).matches(&f));
        assert!(waiver(RETENTION, &format!("{ARN_PREFIX}analytics"), TODAY).matches(&f));
        assert!(waiver(RETENTION, "arn:aws:rds:*:cluster:analytic?", TODAY).matches(&f));
        assert!(!waiver("rds-cluster-iam-auth", "analytics", TODAY).matches(&f));
        assert!(!waiver(RETENTION, "ANALYTICS", TODAY).matches(&f));
        let mut no_arn = f.clone();
        no_arn.resource_arn = None;
        assert!(waiver(RETENTION, "analytics", TODAY).matches(&no_arn));
        assert!(!waiver(RETENTION, "arn:*", TODAY).matches(&no_arn));
    }

    // --- apply ---

    #[test]
    fn applied_waiver_waives_fail_and_keeps_message_and_evidence() {
        let mut findings = vec![finding(RETENTION, Status::Fail, "analytics")];
        let before = findings[0].clone();
        let w = waiver(RETENTION, "analytics", date(2027, 3, 31));
        let states = apply(&mut findings, &[w], TODAY);
        assert_eq!(findings[0].status, Status::Waived);
        assert_eq!(findings[0].message, before.message);
        assert_eq!(findings[0].evidence, before.evidence);
        assert_eq!(
            findings[0].waiver,
            Some(WaiverRef {
                reason: "Analytics copy holds no PHI".into(),
                owner: "secops@example.com".into(),
                expires: "2027-03-31".into(),
            })
        );
        assert_eq!(
            states,
            [WaiverStatus {
                check: RETENTION.into(),
                resource: "analytics".into(),
                owner: "secops@example.com".into(),
                expires: "2027-03-31".into(),
                state: WaiverState::Applied,
                matched: 1,
                waived: 1,
            }]
        );
    }

    #[test]
    fn only_fail_findings_are_waived() {
        let mut findings: Vec<Finding> = [
            Status::Pass,
            Status::Fail,
            Status::Manual,
            Status::Error,
            Status::NotApplicable,
        ]
        .iter()
        .map(|s| finding(RETENTION, *s, &format!("analytics-{s}")))
        .collect();
        let before = findings.clone();
        let states = apply(
            &mut findings,
            &[waiver(RETENTION, "analytics-*", TODAY)],
            TODAY,
        );
        for (after, before) in findings.iter().zip(&before) {
            if before.status == Status::Fail {
                assert_eq!(after.status, Status::Waived);
            } else {
                assert_eq!(after, before, "{} untouched", before.status);
            }
        }
        // Matched counts what is still failing or unreadable: the fail and the error.
        assert_eq!((states[0].matched, states[0].waived), (2, 1));
        assert_eq!(states[0].state, WaiverState::Applied);
    }

    #[test]
    fn a_waiver_whose_resources_all_pass_is_stale() {
        let mut findings = vec![finding(RETENTION, Status::Pass, "analytics")];
        let states = apply(
            &mut findings,
            &[waiver(RETENTION, "analytics", TODAY)],
            TODAY,
        );
        assert_eq!(states[0].state, WaiverState::Stale);
    }

    #[test]
    fn waiver_is_valid_through_its_expiry_day() {
        let mut findings = vec![finding(RETENTION, Status::Fail, "analytics")];
        let states = apply(
            &mut findings,
            &[waiver(RETENTION, "analytics", TODAY)],
            TODAY,
        );
        assert_eq!(states[0].state, WaiverState::Applied);
        assert_eq!(findings[0].status, Status::Waived);
    }

    #[test]
    fn expired_waiver_does_not_apply_and_says_so_in_the_message() {
        let mut findings = vec![
            finding(RETENTION, Status::Fail, "analytics"),
            finding(RETENTION, Status::Pass, "analytics-2"),
        ];
        let expired = waiver(RETENTION, "analytics*", date(2026, 5, 31));
        let states = apply(&mut findings, std::slice::from_ref(&expired), TODAY);
        assert_eq!(findings[0].status, Status::Fail);
        assert_eq!(findings[0].waiver, None);
        assert_eq!(
            findings[0].message,
            "Cluster analytics keeps backups for 7 days. \
             (waiver expired 2026-05-31, owner secops@example.com)"
        );
        assert_eq!(
            findings[1].message,
            "Cluster analytics-2 keeps backups for 7 days."
        );
        assert_eq!(states[0].state, WaiverState::Expired);
        assert_eq!((states[0].matched, states[0].waived), (1, 0));

        // Applying again does not repeat the note.
        apply(&mut findings, &[expired], TODAY);
        assert_eq!(findings[0].message.matches("waiver expired").count(), 1);
    }

    #[test]
    fn expired_waiver_matching_nothing_is_expired_not_stale() {
        let mut findings = vec![finding(RETENTION, Status::Fail, "analytics")];
        let states = apply(
            &mut findings,
            &[waiver(RETENTION, "gone", date(2020, 1, 1))],
            TODAY,
        );
        assert_eq!(states[0].state, WaiverState::Expired);
        assert_eq!(states[0].matched, 0);
    }

    #[test]
    fn a_waiver_in_force_wins_over_an_expired_one() {
        let mut findings = vec![finding(RETENTION, Status::Fail, "analytics")];
        let waivers = [
            waiver(RETENTION, "analytics", date(2026, 1, 1)),
            waiver(RETENTION, "analytic?", date(2027, 1, 1)),
        ];
        let states = apply(&mut findings, &waivers, TODAY);
        assert_eq!(findings[0].status, Status::Waived);
        assert_eq!(
            findings[0].message,
            "Cluster analytics keeps backups for 7 days."
        );
        assert_eq!(
            findings[0].waiver.as_ref().map(|w| w.expires.as_str()),
            Some("2027-01-01")
        );
        assert_eq!(states[0].state, WaiverState::Expired);
        assert_eq!(states[1].state, WaiverState::Applied);
    }

    #[test]
    fn first_waiver_in_file_order_is_recorded() {
        let mut findings = vec![finding(RETENTION, Status::Fail, "analytics")];
        let mut second = waiver(RETENTION, "*", date(2028, 1, 1));
        second.owner = "other@example.com".into();
        let waivers = [waiver(RETENTION, "analytics", date(2027, 1, 1)), second];
        let states = apply(&mut findings, &waivers, TODAY);
        assert_eq!(
            findings[0].waiver.as_ref().map(|w| w.owner.as_str()),
            Some("secops@example.com")
        );
        assert_eq!((states[0].matched, states[0].waived), (1, 1));
        assert_eq!((states[1].matched, states[1].waived), (1, 0));
        assert_eq!(states[1].state, WaiverState::Applied);
    }

    #[test]
    fn waiver_matching_no_finding_is_stale() {
        let mut findings = vec![
            finding(RETENTION, Status::Fail, "analytics"),
            finding("rds-cluster-iam-auth", Status::Fail, "billing"),
        ];
        let waivers = [
            waiver(RETENTION, "billing", TODAY),
            waiver("rds-cluster-deletion-protection", "*", TODAY),
        ];
        let states = apply(&mut findings, &waivers, TODAY);
        assert!(states.iter().all(|s| s.state == WaiverState::Stale));
        assert!(states.iter().all(|s| s.matched == 0));
        assert!(findings.iter().all(|f| f.status == Status::Fail));
    }

    #[test]
    fn statuses_come_back_in_file_order_and_serialize_snake_case() {
        let mut findings = vec![finding(RETENTION, Status::Fail, "analytics")];
        let waivers = [
            waiver(RETENTION, "zzz", TODAY),
            waiver(RETENTION, "analytics", TODAY),
            waiver(RETENTION, "aaa", date(2000, 1, 1)),
        ];
        let states = apply(&mut findings, &waivers, TODAY);
        let json = serde_json::to_value(&states).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!([
                {"check": RETENTION, "resource": "zzz", "owner": "secops@example.com",
                 "expires": "2026-06-01", "state": "stale", "matched": 0, "waived": 0},
                {"check": RETENTION, "resource": "analytics", "owner": "secops@example.com",
                 "expires": "2026-06-01", "state": "applied", "matched": 1, "waived": 1},
                {"check": RETENTION, "resource": "aaa", "owner": "secops@example.com",
                 "expires": "2000-01-01", "state": "expired", "matched": 0, "waived": 0},
            ])
        );
    }

    // --- parse ---

    #[test]
    fn spec_example_parses_with_lines() {
        let waivers = parse(SPEC_EXAMPLE).expect("parses");
        assert_eq!(
            waivers,
            [
                Waiver {
                    check: RETENTION.into(),
                    resource: "arn:aws:rds:us-east-1:123456789012:cluster:analytics".into(),
                    reason: "Analytics copy holds no PHI".into(),
                    owner: "secops@example.com".into(),
                    expires: date(2027, 3, 31),
                    line: 2,
                },
                Waiver {
                    check: "rds-cluster-storage-encrypted".into(),
                    resource: "arn:aws:rds:*:cluster:analytics-*".into(),
                    reason: "Scratch clusters".into(),
                    owner: "dba@example.com".into(),
                    expires: date(2026, 12, 31),
                    line: 9,
                },
            ]
        );
    }

    #[test]
    fn empty_file_has_no_waivers() {
        assert_eq!(parse("").expect("parses"), []);
        assert_eq!(parse("# nothing waived yet\n").expect("parses"), []);
    }

    #[test]
    fn inline_table_array_is_accepted() {
        let text = "waiver = [{ check = \"rds-cluster-iam-auth\", resource = \"*\", \
                    reason = \"r\", owner = \"o\", expires = \"2027-01-01\" }]\n";
        assert_eq!(parse(text).expect("parses").len(), 1);
    }

    #[test]
    fn missing_owner_names_waiver_key_and_line() {
        let text = spec_with("owner = \"dba@", "");
        let err = parse_err(&text);
        assert_eq!(
            err,
            "waiver #2 (check `rds-cluster-storage-encrypted`), key `owner`, line 9: missing; \
             every waiver needs check, resource, reason, owner, expires"
        );
    }

    #[test]
    fn missing_check_names_the_waiver_by_index() {
        let err = parse_err(&spec_with("check = \"rds-cluster-backup", ""));
        assert!(
            err.starts_with("waiver #1, key `check`, line 2: missing"),
            "{err}"
        );
    }

    #[test]
    fn bad_dates_are_rejected_with_line() {
        for bad in [
            "\"2027-02-30\"",
            "\"2027-3-31\"",
            "\"31/03/2027\"",
            "\"2027-03-31T00:00:00\"",
            "\"\"",
            "2027-03-31T10:00:00Z",
            "20270331",
        ] {
            let err = parse_err(&spec_with("expires = \"2027", &format!("expires = {bad}")));
            assert!(
                err.starts_with(
                    "waiver #1 (check `rds-cluster-backup-retention`), key `expires`, line 7: "
                ),
                "{bad}: {err}"
            );
            assert!(err.contains("YYYY-MM-DD"), "{bad}: {err}");
        }
    }

    #[test]
    fn unknown_key_in_a_waiver_names_key_and_line() {
        let text = spec_with(
            "reason = \"Scratch",
            "reason = \"Scratch\"\nticket = \"SEC-1\"",
        );
        let err = parse_err(&text);
        assert_eq!(
            err,
            "waiver #2 (check `rds-cluster-storage-encrypted`), key `ticket`, line 13: \
             unknown key; a waiver has exactly check, resource, reason, owner, expires"
        );
    }

    #[test]
    fn unknown_top_level_key_names_key_and_line() {
        let err = parse_err(&format!("{SPEC_EXAMPLE}\n[[waivers]]\ncheck = \"x\"\n"));
        assert_eq!(
            err,
            "waivers file, key `waivers`, line 16: unknown key; the file holds only [[waiver]] entries"
        );
        let err = parse_err("waiver = \"all\"\n");
        assert!(
            err.starts_with("waivers file, key `waiver`, line 1: must be a list"),
            "{err}"
        );
        let err = parse_err("\nwaiver = [\"all\"]\n");
        assert_eq!(
            err,
            "waiver #1, key `waiver`, line 2: each entry must be a table written under a \
             [[waiver]] header, found a string"
        );
    }

    #[test]
    fn unknown_check_id_suggests_near_ids() {
        let err = parse_err(&spec_with(
            "check = \"rds-cluster-storage",
            "check = \"rds-storage-encrypted\"",
        ));
        assert!(
            err.starts_with(
                "waiver #2 (check `rds-storage-encrypted`), key `check`, line 10: \
                 unknown check id `rds-storage-encrypted` (did you mean "
            ),
            "{err}"
        );
        assert!(err.contains("rds-cluster-storage-encrypted"), "{err}");
        assert!(err.contains("`hipaa-audit checks` lists every id"), "{err}");
    }

    #[test]
    fn empty_reason_or_owner_and_wrong_types_are_rejected() {
        let err = parse_err(&spec_with("reason = \"Analytics", "reason = \"  \""));
        assert!(err.contains("key `reason`, line 5: is empty"), "{err}");
        let err = parse_err(&spec_with("owner = \"secops", "owner = \"\""));
        assert!(
            err.contains("key `owner`, line 6: is empty; say who"),
            "{err}"
        );
        let err = parse_err(&spec_with("resource = \"arn:aws:rds:us", "resource = \"\""));
        assert!(
            err.contains("key `resource`, line 4: is empty; give an ARN"),
            "{err}"
        );
        let err = parse_err(&spec_with("owner = \"secops", "owner = 42"));
        assert!(
            err.contains("key `owner`, line 6: must be a string, found an integer"),
            "{err}"
        );
        let err = parse_err(&spec_with(
            "resource = \"arn:aws:rds:us",
            "resource = \" analytics\"",
        ));
        assert!(
            err.contains("key `resource`, line 4: ` analytics` has leading"),
            "{err}"
        );
    }

    #[test]
    fn toml_syntax_errors_carry_the_line() {
        let err = parse_err("[[waiver]]\ncheck = \"rds-cluster-iam-auth\nowner = \"x\"\n");
        assert!(err.contains("line 2"), "{err}");
    }
}
