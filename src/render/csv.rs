//! CSV: one row per finding, for spreadsheets and the evidence bundle's `findings.csv`.

use std::io;

use hipaa_checks::Report;

/// The header row, in column order.
pub const COLUMNS: [&str; 14] = [
    "check_id",
    "status",
    "severity",
    "account",
    "region",
    "resource_type",
    "resource_id",
    "resource_arn",
    "message",
    "hipaa",
    "baa",
    "remediation",
    "waiver_owner",
    "waiver_expires",
];

/// Spreadsheets run a cell that starts with one of these as a formula (CSV injection); resource
/// names and messages come from the audited account, so such a cell gets a leading `'`.
const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(FORMULA_TRIGGERS) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// Renders every finding as a CSV row under a header row; quoting is the `csv` crate's.
pub fn render(report: &Report) -> Result<String, ::csv::Error> {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
    for f in &report.findings {
        let hipaa = f.hipaa.join("; ");
        let (owner, expires) = match &f.waiver {
            Some(w) => (w.owner.as_str(), w.expires.as_str()),
            None => ("", ""),
        };
        let row = [
            f.check_id.as_str(),
            f.status.as_str(),
            f.severity.as_str(),
            f.account.as_str(),
            f.region.as_str(),
            f.resource_type.as_str(),
            f.resource_id.as_str(),
            f.resource_arn.as_deref().unwrap_or(""),
            f.message.as_str(),
            hipaa.as_str(),
            f.baa.as_str(),
            f.remediation.as_str(),
            owner,
            expires,
        ];
        writer.write_record(row.iter().map(|text| cell(text).into_owned()))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ::csv::Error::from(e.into_error()))?;
    String::from_utf8(bytes)
        .map_err(|e| ::csv::Error::from(io::Error::new(io::ErrorKind::InvalidData, e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testing::{empty_report, sample_report};

    fn parse(text: &str) -> (::csv::StringRecord, Vec<::csv::StringRecord>) {
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let header = reader.headers().expect("header").clone();
        let rows = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .expect("rows");
        (header, rows)
    }

    #[test]
    fn one_row_per_finding_under_the_header() {
        let report = sample_report();
        let (header, rows) = parse(&render(&report).expect("renders"));
        assert_eq!(header.iter().collect::<Vec<_>>(), COLUMNS);
        assert_eq!(rows.len(), report.findings.len());
        for (row, finding) in rows.iter().zip(&report.findings) {
            assert_eq!(row.len(), COLUMNS.len());
            assert_eq!(&row[0], finding.check_id);
            assert_eq!(&row[1], finding.status.as_str());
            assert_eq!(&row[6], finding.resource_id);
        }
    }

    #[test]
    fn quotes_round_trip_and_formulas_are_neutralised() {
        let report = sample_report();
        let text = render(&report).expect("renders");
        let (_, rows) = parse(&text);
        let bucket = rows
            .iter()
            .find(|r| &r[6] == "phi-exports")
            .expect("bucket row");
        let original = &report
            .findings
            .iter()
            .find(|f| f.resource_id == "phi-exports")
            .expect("bucket finding")
            .message;
        // Commas, quotes and the newline survive inside one quoted cell; only the `'` is added.
        assert_eq!(bucket[8], format!("'{original}"));
        assert_eq!(&bucket[9], "164.312(a)(1); 164.312(e)(1)");
        assert_eq!(&bucket[7], "arn:aws:s3:::phi-exports");
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")"), "{text}");
    }

    #[test]
    fn waiver_columns_and_missing_arn_are_empty_or_filled() {
        let (_, rows) = parse(&render(&sample_report()).expect("renders"));
        let waived = rows.iter().find(|r| &r[1] == "waived").expect("waived row");
        assert_eq!(&waived[12], "secops@example.com");
        assert_eq!(&waived[13], "2027-03-31");
        let manual = rows.iter().find(|r| &r[1] == "manual").expect("manual row");
        assert_eq!((&manual[7], &manual[12], &manual[13]), ("", "", ""));
        assert_eq!(&manual[5], "AWS::::Account");
    }

    #[test]
    fn an_empty_report_is_the_header_alone() {
        let text = render(&empty_report()).expect("renders");
        assert_eq!(text, format!("{}\n", COLUMNS.join(",")));
    }
}
