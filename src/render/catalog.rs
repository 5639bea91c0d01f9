//! Renders the catalog: `checks` (table, JSON, Markdown) and `explain ID`.

use std::fmt::Write as _;

use comfy_table::{presets, Table};
use hipaa_checks::eligible::EligibleServices;
use hipaa_checks::reference::security_rule_section;
use hipaa_checks::{registry, CheckMeta};

/// Catalog as a plain table.
pub fn table() -> String {
    let mut table = Table::new();
    table
        .load_preset(presets::ASCII_FULL_CONDENSED)
        .force_no_tty();
    table.set_header(vec!["id", "severity", "title", "hipaa", "baa"]);
    for check in registry::ALL {
        let m = &check.meta;
        table.add_row(vec![
            m.id,
            m.severity.as_str(),
            m.title,
            &m.hipaa.join(", "),
            m.baa.as_str(),
        ]);
    }
    format!(
        "{table}\n{} checks; `hipaa-audit explain ID` for one in full\n",
        registry::ALL.len()
    )
}

/// Catalog as JSON (an array of entries).
pub fn json() -> serde_json::Result<String> {
    let entries: Vec<&CheckMeta> = registry::ALL.iter().map(|c| &c.meta).collect();
    let mut text = serde_json::to_string_pretty(&entries)?;
    text.push('\n');
    Ok(text)
}

/// Catalog as the Markdown table the README embeds.
pub fn markdown() -> String {
    let mut out =
        String::from("| id | severity | requirement | HIPAA | BAA |\n|---|---|---|---|---|\n");
    for check in registry::ALL {
        let m = &check.meta;
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            m.id,
            m.severity,
            m.title,
            m.hipaa.join(", "),
            m.baa
        );
    }
    out
}

/// One check in full.
pub fn explain(meta: &CheckMeta) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", meta.id, meta.title);
    let _ = writeln!(out, "severity: {}    BAA rule: {}", meta.severity, meta.baa);
    let _ = writeln!(out, "resources: {}", meta.resource_types.join(", "));
    let _ = writeln!(out, "\nHIPAA (45 CFR):");
    for citation in meta.hipaa {
        match security_rule_section(citation) {
            Some(s) if !s.requirement.is_empty() => {
                let _ = writeln!(
                    out,
                    "  {citation} {} ({}, {})",
                    s.title, s.category, s.requirement
                );
            }
            Some(s) => {
                let _ = writeln!(out, "  {citation} {} ({} {})", s.title, s.category, s.kind);
            }
            None => {
                let _ = writeln!(out, "  {citation}");
            }
        }
    }
    let _ = writeln!(out, "\nWhy:\n  {}", meta.requirement);
    let _ = writeln!(out, "\nEvidence (API calls read):");
    for evidence in meta.evidence {
        let _ = writeln!(out, "  - {evidence}");
    }
    let r = &meta.remediation;
    let _ = writeln!(out, "\nRemediation:\n  {}", r.summary);
    let _ = writeln!(out, "\n  Console:\n    {}", r.console);
    let _ = writeln!(out, "\n  AWS CLI:");
    for line in r.cli.lines() {
        let _ = writeln!(out, "    {}", line.trim());
    }
    let _ = writeln!(out, "\n  CloudFormation:\n    {}", r.cloudformation);
    let _ = writeln!(out, "\nSources: {}", meta.seeds.join(", "));
    let _ = writeln!(out, "Code and tests: {}", meta.source_file);
    out
}

/// The HIPAA-eligible services list (`hipaa-audit services`) as a table.
pub fn services_table(list: &EligibleServices) -> String {
    let mut table = Table::new();
    table
        .load_preset(presets::ASCII_FULL_CONDENSED)
        .force_no_tty();
    table.set_header(vec!["service", "restriction"]);
    for service in &list.services {
        table.add_row(vec![
            service.name.as_str(),
            service.restriction.as_deref().unwrap_or(""),
        ]);
    }
    format!(
        "{table}\n{} HIPAA-eligible services, list dated {} ({}); eligible IAM prefixes: {}\n\
         supporting tools that hold no PHI: {}\n",
        list.services.len(),
        list.as_of,
        list.origin,
        list.eligible_prefixes
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        list.non_phi_tools
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// The list as JSON: date, origin, services, prefixes.
pub fn services_json(list: &EligibleServices) -> serde_json::Result<String> {
    let mut text = serde_json::to_string_pretty(list)?;
    text.push('\n');
    Ok(text)
}

/// The list as a Markdown table.
pub fn services_markdown(list: &EligibleServices) -> String {
    let mut out = format!(
        "HIPAA-eligible services, list dated {} ({}):\n\n| service | restriction |\n|---|---|\n",
        list.as_of, list.origin
    );
    for service in &list.services {
        let _ = writeln!(
            out,
            "| {} | {} |",
            service.name,
            service.restriction.as_deref().unwrap_or("")
        );
    }
    out
}
