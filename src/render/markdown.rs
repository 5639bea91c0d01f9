//! Markdown for tickets and pull requests: summary tables, then failures grouped by check.

use std::fmt::Write as _;

use hipaa_checks::{registry, Finding, Report, Severity, Status};

/// Text made safe for a table cell or a line of prose: CommonMark punctuation that would change
/// the rendering (`|` above all, which would split the cell) is backslash-escaped, and line
/// breaks become `<br>` so a cell stays on its row.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            '\\' | '|' | '`' | '*' | '_' | '<' | '>' | '[' | ']' | '#' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A check id in a code span; ids are kebab-case, anything else is escaped text instead.
fn code(id: &str) -> String {
    if id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        format!("`{id}`")
    } else {
        escape(id)
    }
}

/// `resource_id` and, when known, its ARN.
fn resource(finding: &Finding) -> String {
    match &finding.resource_arn {
        Some(arn) if arn != &finding.resource_id => {
            format!("{}<br>{}", escape(&finding.resource_id), escape(arn))
        }
        _ => escape(&finding.resource_id),
    }
}

/// Findings with one of `statuses`, grouped by check in report order.
fn by_check<'a>(report: &'a Report, statuses: &[Status]) -> Vec<(&'a str, Vec<&'a Finding>)> {
    let mut groups: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for finding in report
        .findings
        .iter()
        .filter(|f| statuses.contains(&f.status))
    {
        match groups.iter_mut().find(|(id, _)| *id == finding.check_id) {
            Some((_, rows)) => rows.push(finding),
            None => groups.push((&finding.check_id, vec![finding])),
        }
    }
    groups
}

fn summary(out: &mut String, report: &Report) {
    let s = &report.summary;
    out.push_str("| status | findings |\n|---|---:|\n");
    for status in Status::ALL {
        let _ = writeln!(out, "| {} | {} |", status.as_str(), s.count(status));
    }
    out.push_str("\n| failures by severity | findings |\n|---|---:|\n");
    for severity in Severity::ALL {
        let n = s.by_severity.get(&severity).copied().unwrap_or(0);
        let _ = writeln!(out, "| {} | {n} |", severity.as_str());
    }
    let _ = writeln!(
        out,
        "\n{} API call(s) could not be collected; HIPAA-eligible services list as of {}.\n",
        report.collection_errors.len(),
        escape(&report.scan.eligible_services_as_of),
    );
}

fn failures(out: &mut String, report: &Report) {
    let groups = by_check(report, &[Status::Fail]);
    if groups.is_empty() {
        out.push_str("## Failures\n\nNone.\n\n");
        return;
    }
    out.push_str("## Failures\n\n");
    for (check_id, rows) in groups {
        let first = rows[0];
        let title = registry::find(check_id)
            .map(|c| format!(": {}", escape(c.meta.title)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "### {}{title}\n\nSeverity **{}** · HIPAA {} · BAA {} · {} resource(s)\n",
            code(check_id),
            first.severity.as_str(),
            escape(&first.hipaa.join(", ")),
            escape(first.baa.as_str()),
            rows.len(),
        );
        out.push_str(
            "| severity | account | region | resource | finding |\n|---|---|---|---|---|\n",
        );
        for f in &rows {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                f.severity.as_str(),
                escape(&f.account),
                escape(&f.region),
                resource(f),
                escape(&f.message),
            );
        }
        let _ = writeln!(out, "\n**Fix:** {}\n", escape(&first.remediation));
    }
}

/// A plain table of findings with the given status (errors, manual reviews, waivers).
fn listing(out: &mut String, report: &Report, status: Status, heading: &str, intro: &str) {
    let rows: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.status == status)
        .collect();
    if rows.is_empty() {
        return;
    }
    let waived = status == Status::Waived;
    let _ = writeln!(out, "## {heading}\n\n{intro}\n");
    out.push_str("| check | severity | region | resource | finding |");
    out.push_str(if waived {
        " waiver |\n|---|---|---|---|---|---|\n"
    } else {
        "\n|---|---|---|---|---|\n"
    });
    for f in rows {
        let _ = write!(
            out,
            "| {} | {} | {} | {} | {} |",
            code(&f.check_id),
            f.severity.as_str(),
            escape(&f.region),
            resource(f),
            escape(&f.message),
        );
        if waived {
            let waiver = f
                .waiver
                .as_ref()
                .map(|w| {
                    format!(
                        "{} ({}, until {})",
                        escape(&w.reason),
                        escape(&w.owner),
                        escape(&w.expires)
                    )
                })
                .unwrap_or_default();
            let _ = write!(out, " {waiver} |");
        }
        out.push('\n');
    }
    out.push('\n');
}

/// Renders the report as GitHub-flavoured Markdown, ending with one newline.
pub fn render(report: &Report) -> String {
    let scan = &report.scan;
    let mut out = format!(
        "# HIPAA audit {}: account {}, {}\n\n",
        escape(&scan.id),
        escape(&scan.accounts.join(", ")),
        match scan.regions.as_slice() {
            [] => "no regions".to_owned(),
            regions => escape(&regions.join(", ")),
        },
    );
    let _ = writeln!(
        out,
        "{} {} · finished {}\n",
        escape(&report.tool.name),
        escape(&report.tool.version),
        escape(&scan.finished_at),
    );
    summary(&mut out, report);
    failures(&mut out, report);
    listing(
        &mut out,
        report,
        Status::Error,
        "Errors",
        "The evidence for these could not be collected: they are neither passed nor failed.",
    );
    listing(
        &mut out,
        report,
        Status::Manual,
        "Manual review",
        "The API cannot decide these; a person must look.",
    );
    listing(
        &mut out,
        report,
        Status::Waived,
        "Waived",
        "Failures accepted by a waiver.",
    );
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testing::{empty_report, sample_report};

    #[test]
    fn title_names_scan_account_and_regions() {
        let text = render(&sample_report());
        let title = text.lines().next().expect("a title");
        assert_eq!(
            title,
            "# HIPAA audit 123456789012-20260102T030405Z: account 123456789012, us-east-1, us-west-2"
        );
    }

    #[test]
    fn summary_tables_hold_every_status_and_severity() {
        let report = sample_report();
        let text = render(&report);
        for status in Status::ALL {
            let row = format!("| {} | {} |", status.as_str(), report.summary.count(status));
            assert!(text.contains(&row), "missing {row}");
        }
        assert!(text.contains("| critical | 2 |"), "{text}");
        assert!(text.contains("| high | 0 |"), "{text}");
    }

    #[test]
    fn failures_are_grouped_by_check_with_citation_and_fix() {
        let text = render(&sample_report());
        let failures = &text[text.find("## Failures").expect("section")..];
        let storage = failures
            .find("### `rds-cluster-storage-encrypted`: DB cluster storage is encrypted at rest")
            .expect("storage group");
        let bucket = failures
            .find("### `s3-bucket-not-public`")
            .expect("bucket group");
        assert!(storage < bucket, "groups keep report order");
        assert!(failures.contains("Severity **critical** · HIPAA 164.312(a)(1), 164.312(e)(1)"));
        assert!(failures.contains("**Fix:** Restore from an encrypted snapshot."));
        // A pass is not a failure.
        assert!(!failures[..failures.find("## Errors").expect("errors")].contains("billing"));
    }

    #[test]
    fn cells_cannot_break_the_table() {
        let text = render(&sample_report());
        let row = text
            .lines()
            .find(|l| l.contains("phi\\-exports") || l.contains("phi-exports"))
            .expect("bucket row");
        assert!(
            row.contains("bucket \\| policy allows \"\\*\" \\<\\&\\><br>second line"),
            "{row}"
        );
        // Exactly the six unescaped pipes of a five-column row.
        let bare_pipes = row
            .char_indices()
            .filter(|&(i, c)| c == '|' && !row[..i].ends_with('\\'))
            .count();
        assert_eq!(bare_pipes, 6, "{row}");
    }

    #[test]
    fn errors_manual_and_waived_are_listed_after_failures() {
        let text = render(&sample_report());
        let failures = text.find("## Failures").expect("failures");
        let errors = text.find("## Errors").expect("errors");
        let manual = text.find("## Manual review").expect("manual");
        let waived = text.find("## Waived").expect("waived");
        assert!(failures < errors && errors < manual && manual < waived);
        assert!(text.contains("Analytics copy holds no PHI (secops@example.com, until 2027-03-31)"));
        assert!(text.ends_with("|\n"), "one trailing newline");
    }

    #[test]
    fn an_empty_report_says_none() {
        let text = render(&empty_report());
        assert!(text.contains("## Failures\n\nNone."), "{text}");
        assert!(!text.contains("## Errors"));
        assert!(text.ends_with("None.\n"), "{text}");
    }
}
