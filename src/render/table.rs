//! The terminal table: grouped by check, one row per resource, then the summary line.

use comfy_table::{presets, Attribute, Cell, Color, ContentArrangement, Table};
use hipaa_checks::{Finding, Report, Status};

/// Whether to draw for a terminal (colours, box drawing, wrapping) or for a pipe/file (plain).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Colours and UTF-8 borders, wrapped to the terminal width.
    Terminal,
    /// ASCII, no colours, no wrapping: stable for files, pipes and snapshot tests.
    Plain,
}

fn status_cell(finding: &Finding, style: Style) -> Cell {
    let cell = Cell::new(finding.status.as_str());
    if style == Style::Plain {
        return cell;
    }
    match finding.status {
        Status::Pass => cell.fg(Color::Green),
        Status::Fail => match finding.severity {
            hipaa_checks::Severity::Critical | hipaa_checks::Severity::High => {
                cell.fg(Color::Red).add_attribute(Attribute::Bold)
            }
            hipaa_checks::Severity::Medium => cell.fg(Color::Red),
            _ => cell.fg(Color::DarkYellow),
        },
        Status::Error => cell.fg(Color::Magenta),
        Status::Manual => cell.fg(Color::Yellow),
        Status::NotApplicable | Status::Waived => cell.fg(Color::DarkGrey),
    }
}

/// Rows of one check shown worst first: fail, error, manual, waived, pass, not applicable.
fn status_rank(status: Status) -> u8 {
    match status {
        Status::Fail => 0,
        Status::Error => 1,
        Status::Manual => 2,
        Status::Waived => 3,
        Status::Pass => 4,
        Status::NotApplicable => 5,
    }
}

/// Renders the report as a table followed by the summary line.
pub fn render(report: &Report, style: Style) -> String {
    if report.findings.is_empty() {
        return format!("No findings.\n{}\n", super::summary_line(report));
    }
    let multi_region = report.scan.regions.len() > 1;
    let multi_account = report.scan.accounts.len() > 1;
    // Groups in report order (most severe check first); rows worst first inside a group.
    let mut groups: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for finding in &report.findings {
        match groups.iter_mut().find(|(id, _)| *id == finding.check_id) {
            Some((_, rows)) => rows.push(finding),
            None => groups.push((&finding.check_id, vec![finding])),
        }
    }
    let mut table = Table::new();
    match style {
        Style::Terminal => {
            table
                .load_preset(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .enforce_styling();
        }
        Style::Plain => {
            table
                .load_preset(presets::ASCII_FULL_CONDENSED)
                .force_no_tty();
        }
    }
    let mut header = vec!["check", "severity", "status"];
    if multi_account {
        header.push("account");
    }
    if multi_region {
        header.push("region");
    }
    header.extend(["resource", "finding"]);
    table.set_header(header);
    for (check_id, mut rows) in groups {
        rows.sort_by(|a, b| {
            (status_rank(a.status), &a.account, &a.region, &a.resource_id).cmp(&(
                status_rank(b.status),
                &b.account,
                &b.region,
                &b.resource_id,
            ))
        });
        for (i, finding) in rows.iter().enumerate() {
            let first = i == 0;
            let mut row = vec![
                Cell::new(if first { check_id } else { "" }),
                Cell::new(if first { finding.severity.as_str() } else { "" }),
                status_cell(finding, style),
            ];
            if multi_account {
                row.push(Cell::new(&finding.account));
            }
            if multi_region {
                row.push(Cell::new(&finding.region));
            }
            row.push(Cell::new(&finding.resource_id));
            // A waived failure keeps its message and says who accepted it, until when.
            let message = match &finding.waiver {
                Some(w) => format!(
                    "{} [waived by {} until {}: {}]",
                    finding.message, w.owner, w.expires, w.reason
                ),
                None => finding.message.clone(),
            };
            row.push(Cell::new(message));
            table.add_row(row);
        }
    }
    format!("{table}\n{}\n", super::summary_line(report))
}
