//! Renderers: turn a [`Report`] into bytes. They know the report's shape, never a check.

use hipaa_checks::report::Summary;
use hipaa_checks::{Report, Severity};

pub mod catalog;
pub mod csv;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod ocsf;
pub mod sarif;
pub mod table;
#[cfg(test)]
pub mod testing;

/// The one-line summary printed after every scan (and alone with `--quiet`).
pub fn summary_line(report: &Report) -> String {
    let s: &Summary = &report.summary;
    let by_severity: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|sev| {
            let n = s.by_severity.get(sev).copied().unwrap_or(0);
            (n > 0).then(|| format!("{n} {sev}"))
        })
        .collect();
    let failures = if by_severity.is_empty() {
        format!("{} fail", s.fail)
    } else {
        format!("{} fail ({})", s.fail, by_severity.join(", "))
    };
    format!(
        "{} pass, {failures}, {} manual, {} error, {} not applicable, {} waived; account {}, {} region(s), {} collection error(s)",
        s.pass,
        s.manual,
        s.error,
        s.not_applicable,
        s.waived,
        report.scan.accounts.join(","),
        report.scan.regions.len(),
        report.collection_errors.len(),
    )
}
