//! JUnit XML, for CI systems that show test results: one suite per check, one case per finding.

use std::io;

use hipaa_checks::{Finding, Report, Status};
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

/// Counts shown on a `<testsuite>` and on the `<testsuites>` root.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut counts = Counts::default();
        for finding in findings {
            counts.tests += 1;
            match finding.status {
                Status::Fail => counts.failures += 1,
                Status::Error => counts.errors += 1,
                Status::Manual | Status::NotApplicable | Status::Waived => counts.skipped += 1,
                Status::Pass => {}
            }
        }
        counts
    }

    fn attributes(&self) -> [(&'static str, String); 4] {
        [
            ("tests", self.tests.to_string()),
            ("failures", self.failures.to_string()),
            ("errors", self.errors.to_string()),
            ("skipped", self.skipped.to_string()),
        ]
    }
}

/// XML 1.0 cannot carry most control characters even escaped; API text could hold one.
fn xml_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// The body of a `<failure>`/`<error>`/`<skipped>`: what a reader needs beyond the message.
fn details(finding: &Finding) -> String {
    let mut lines = vec![
        finding.message.clone(),
        format!("severity: {}", finding.severity),
        format!("account: {}", finding.account),
        format!(
            "resource: {} {}",
            finding.resource_type, finding.resource_id
        ),
    ];
    if let Some(arn) = &finding.resource_arn {
        lines.push(format!("arn: {arn}"));
    }
    lines.push(format!("hipaa: {}", finding.hipaa.join(", ")));
    lines.push(format!("baa: {}", finding.baa));
    if let Some(waiver) = &finding.waiver {
        lines.push(format!(
            "waiver: {} (owner {}, expires {})",
            waiver.reason, waiver.owner, waiver.expires
        ));
    }
    lines.push(format!("remediation: {}", finding.remediation));
    xml_text(&lines.join("\n"))
}

/// The message attribute: the finding's sentence on one line (a parser would fold line breaks
/// in an attribute anyway); a waived finding says why it is waived. The body has the rest.
fn message(finding: &Finding) -> String {
    let text = match (&finding.waiver, finding.status) {
        (Some(waiver), Status::Waived) => format!("waived: {}", waiver.reason),
        _ => finding.message.clone(),
    };
    xml_text(&text.replace("\r\n", " ").replace(['\n', '\r'], " "))
}

fn write_case<W: io::Write>(writer: &mut Writer<W>, finding: &Finding) -> io::Result<()> {
    let name = xml_text(&format!("{}/{}", finding.region, finding.resource_id));
    let classname = xml_text(&finding.check_id);
    let case = writer
        .create_element("testcase")
        .with_attribute(("classname", classname.as_str()))
        .with_attribute(("name", name.as_str()));
    let outcome = match finding.status {
        Status::Pass => None,
        Status::Fail => Some("failure"),
        Status::Error => Some("error"),
        Status::Manual | Status::NotApplicable | Status::Waived => Some("skipped"),
    };
    let Some(outcome) = outcome else {
        case.write_empty()?;
        return Ok(());
    };
    case.write_inner_content(|writer| {
        let message = message(finding);
        let body = details(finding);
        let mut element = writer
            .create_element(outcome)
            .with_attribute(("message", message.as_str()));
        if outcome != "skipped" {
            element = element.with_attribute(("type", finding.severity.as_str()));
        }
        element.write_text_content(BytesText::new(&body))?;
        Ok(())
    })?;
    Ok(())
}

/// Renders the report as JUnit XML; checks in report order, findings in report order within.
pub fn render(report: &Report) -> io::Result<String> {
    // Suites in the order their first finding appears (the report's: most severe check first).
    let mut suites: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for finding in &report.findings {
        match suites.iter_mut().find(|(id, _)| *id == finding.check_id) {
            Some((_, cases)) => cases.push(finding),
            None => suites.push((&finding.check_id, vec![finding])),
        }
    }
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let root_name = xml_text(&format!("{} {}", report.tool.name, report.scan.id));
    writer
        .create_element("testsuites")
        .with_attribute(("name", root_name.as_str()))
        .with_attributes(
            Counts::of(&report.findings)
                .attributes()
                .iter()
                .map(|(k, v)| (*k, v.as_str())),
        )
        .write_inner_content(|writer| {
            for (check_id, cases) in &suites {
                let name = xml_text(check_id);
                writer
                    .create_element("testsuite")
                    .with_attribute(("name", name.as_str()))
                    .with_attributes(
                        Counts::of(cases.iter().copied())
                            .attributes()
                            .iter()
                            .map(|(k, v)| (*k, v.as_str())),
                    )
                    .write_inner_content(|writer| {
                        cases
                            .iter()
                            .try_for_each(|finding| write_case(writer, finding))
                    })?;
            }
            Ok(())
        })?;
    let mut text = String::from_utf8(writer.into_inner())
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testing::{empty_report, sample_report};
    use quick_xml::events::BytesStart;
    use quick_xml::{Reader, XmlVersion};
    use std::collections::BTreeMap;

    /// One element as parsed back: its name, attributes and the text directly inside it.
    #[derive(Debug, Clone, Default)]
    struct Element {
        name: String,
        attributes: BTreeMap<String, String>,
        text: String,
        parent: Option<usize>,
    }

    fn element(start: &BytesStart, parent: Option<usize>) -> Element {
        Element {
            name: String::from_utf8(start.name().as_ref().to_vec()).expect("utf-8 name"),
            attributes: start
                .attributes()
                .map(|a| {
                    let a = a.expect("well-formed attribute");
                    (
                        String::from_utf8(a.key.as_ref().to_vec()).expect("utf-8 key"),
                        a.normalized_value(XmlVersion::Explicit1_0)
                            .expect("escaped value")
                            .into_owned(),
                    )
                })
                .collect(),
            text: String::new(),
            parent,
        }
    }

    /// Parses the whole document with quick-xml's reader; panics on anything ill-formed.
    fn parse(xml: &str) -> Vec<Element> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut elements: Vec<Element> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(start) => {
                    elements.push(element(&start, open.last().copied()));
                    open.push(elements.len() - 1);
                }
                Event::Empty(start) => elements.push(element(&start, open.last().copied())),
                Event::End(_) => {
                    open.pop().expect("balanced");
                }
                Event::Text(text) => {
                    if let Some(&i) = open.last() {
                        elements[i].text += &text.decode().expect("utf-8 text");
                    }
                }
                Event::GeneralRef(r) => {
                    // quick-xml reports `&amp;` and `&#10;` in text as separate events.
                    let resolved = match r.resolve_char_ref().expect("valid reference") {
                        Some(c) => c.to_string(),
                        None => {
                            let name = r.decode().expect("utf-8 reference");
                            quick_xml::escape::resolve_predefined_entity(&name)
                                .expect("a predefined entity")
                                .to_owned()
                        }
                    };
                    if let Some(&i) = open.last() {
                        elements[i].text += &resolved;
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert!(open.is_empty(), "unclosed elements");
        elements
    }

    fn count(e: &Element, key: &str) -> usize {
        e.attributes[key].parse().expect("a count")
    }

    #[test]
    fn counts_on_suites_and_root_match_the_findings() {
        let report = sample_report();
        let xml = render(&report).expect("renders");
        let elements = parse(&xml);
        let root = &elements[0];
        assert_eq!(root.name, "testsuites");
        assert_eq!(count(root, "tests"), report.findings.len());
        assert_eq!(count(root, "failures"), report.summary.fail);
        assert_eq!(count(root, "errors"), report.summary.error);
        assert_eq!(
            count(root, "skipped"),
            report.summary.manual + report.summary.not_applicable + report.summary.waived
        );
        let suites: Vec<(usize, &Element)> = elements
            .iter()
            .enumerate()
            .filter(|(_, e)| e.name == "testsuite")
            .collect();
        let checks: std::collections::BTreeSet<&str> = report
            .findings
            .iter()
            .map(|f| f.check_id.as_str())
            .collect();
        assert_eq!(suites.len(), checks.len());
        for (index, suite) in &suites {
            let name = &suite.attributes["name"];
            let cases: Vec<(usize, &Element)> = elements
                .iter()
                .enumerate()
                .filter(|(_, e)| e.name == "testcase" && e.parent == Some(*index))
                .collect();
            let findings: Vec<&Finding> = report
                .findings
                .iter()
                .filter(|f| &f.check_id == name)
                .collect();
            assert_eq!(count(suite, "tests"), cases.len(), "{name}");
            assert_eq!(cases.len(), findings.len(), "{name}");
            let outcomes = |kind: &str| {
                cases
                    .iter()
                    .filter(|(i, _)| {
                        elements
                            .iter()
                            .any(|e| e.name == kind && e.parent == Some(*i))
                    })
                    .count()
            };
            assert_eq!(count(suite, "failures"), outcomes("failure"), "{name}");
            assert_eq!(count(suite, "errors"), outcomes("error"), "{name}");
            assert_eq!(count(suite, "skipped"), outcomes("skipped"), "{name}");
            for (_, case) in &cases {
                assert_eq!(&case.attributes["classname"], name);
            }
        }
    }

    #[test]
    fn each_status_maps_to_its_element_and_text_survives_escaping() {
        let report = sample_report();
        let elements = parse(&render(&report).expect("renders"));
        let case = |name: &str| {
            elements
                .iter()
                .position(|e| e.name == "testcase" && e.attributes["name"] == name)
                .unwrap_or_else(|| panic!("no testcase {name}"))
        };
        let child = |case: usize| elements.iter().find(|e| e.parent == Some(case));
        let bucket = child(case("us-east-1/phi-exports")).expect("failure element");
        assert_eq!(bucket.name, "failure");
        let original = &report
            .findings
            .iter()
            .find(|f| f.resource_id == "phi-exports")
            .expect("bucket")
            .message;
        // Quotes, `<&>` and the pipe come back as written (the newline is normalised in the
        // attribute, as XML requires, but kept in the body).
        assert_eq!(bucket.attributes["message"], original.replace('\n', " "));
        assert!(
            bucket.text.starts_with(original.as_str()),
            "{}",
            bucket.text
        );
        assert_eq!(bucket.attributes["type"], "critical");
        assert_eq!(
            child(case("us-east-1/us-east-1")).expect("error").name,
            "error"
        );
        assert_eq!(
            child(case("global/123456789012")).expect("manual").name,
            "skipped"
        );
        let waived = child(case("us-west-2/analytics")).expect("waived");
        assert_eq!(waived.name, "skipped");
        assert_eq!(
            waived.attributes["message"],
            "waived: Analytics copy holds no PHI"
        );
        assert_eq!(
            child(case("us-west-2/vpc-0abc")).expect("n/a").name,
            "skipped"
        );
        assert!(
            child(case("us-west-2/billing")).is_none(),
            "a pass has no child"
        );
    }

    #[test]
    fn control_characters_cannot_break_the_document() {
        let mut report = sample_report();
        report.findings[0].message = "bell \u{7} and nul \u{0} here".to_owned();
        let elements = parse(&render(&report).expect("renders"));
        assert!(elements
            .iter()
            .any(|e| e.attributes.get("message").map(String::as_str)
                == Some("bell \u{FFFD} and nul \u{FFFD} here")));
    }

    #[test]
    fn an_empty_report_is_an_empty_root() {
        let elements = parse(&render(&empty_report()).expect("renders"));
        assert_eq!(elements.len(), 1);
        assert_eq!(count(&elements[0], "tests"), 0);
    }

    #[test]
    fn output_is_deterministic() {
        let report = sample_report();
        assert_eq!(render(&report).expect("a"), render(&report).expect("b"));
    }
}
