//! The JSON report renderer (schema_version 1).

use hipaa_checks::Report;

/// Pretty-printed JSON with a trailing newline; field order is the spec's.
pub fn render(report: &Report) -> serde_json::Result<String> {
    let mut text = serde_json::to_string_pretty(report)?;
    text.push('\n');
    Ok(text)
}
