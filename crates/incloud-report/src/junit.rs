//! JUnit XML for CI dashboards: one test suite per rule, one test case per resource that a rule found
//! something on. A suppressed finding is a skipped test; a file that could not be loaded is an errored test.

use crate::escape::{attr, text};
use crate::{resource_label, sorted_findings, Scan};
use incloud_model::{Finding, RuleMeta};
use std::collections::BTreeMap;
use std::fmt::Write;

pub fn render_junit(scan: &Scan<'_>) -> String {
    let paths = scan.paths();
    let findings = sorted_findings(scan, &paths);
    // rule code → (rule, resource label → findings); ordered maps keep the output stable.
    let mut suites: BTreeMap<&str, (&RuleMeta, BTreeMap<String, Vec<&Finding>>)> = BTreeMap::new();
    for f in findings {
        suites
            .entry(f.rule.code)
            .or_insert_with(|| (f.rule, BTreeMap::new()))
            .1
            .entry(resource_label(&f.resource))
            .or_default()
            .push(f);
    }
    let location = |f: &Finding| {
        format!(
            "{}:{}:{}",
            paths
                .get(&f.location.file)
                .map(String::as_str)
                .unwrap_or(""),
            f.location.line,
            f.location.col
        )
    };

    let mut body = String::new();
    let (mut tests, mut failures, mut skipped) = (0usize, 0usize, 0usize);
    for (code, (rule, cases)) in &suites {
        let suite_failures = cases
            .values()
            .filter(|fs| fs.iter().any(|f| f.suppression.is_none()))
            .count();
        let suite_skipped = cases.len() - suite_failures;
        tests += cases.len();
        failures += suite_failures;
        skipped += suite_skipped;
        let _ = writeln!(
            body,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">",
            attr(&format!("{code} {}", rule.name)),
            cases.len(),
            suite_failures,
            suite_skipped
        );
        for (resource, fs) in cases {
            let file = fs
                .first()
                .and_then(|f| paths.get(&f.location.file))
                .map(String::as_str)
                .unwrap_or("");
            let _ = write!(
                body,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\">",
                attr(resource),
                attr(rule.name),
                attr(file)
            );
            let open: Vec<&&Finding> = fs.iter().filter(|f| f.suppression.is_none()).collect();
            if let Some(worst) = open.iter().map(|f| f.severity).max() {
                let mut detail = String::new();
                for f in &open {
                    let _ = writeln!(detail, "{}: {} [{}]", location(f), f.message, f.severity);
                    if let Some(cond) = &f.condition {
                        let _ = writeln!(detail, "  when: {cond}");
                    }
                    if let Some(cdk) = &f.resource.cdk_path {
                        let _ = writeln!(detail, "  cdk path: {cdk}");
                    }
                }
                let message = open
                    .iter()
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ");
                let _ = write!(
                    body,
                    "\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    ",
                    attr(&message),
                    worst,
                    text(&detail)
                );
            } else {
                let reasons = fs
                    .iter()
                    .filter_map(|f| f.suppression.as_ref())
                    .map(|s| format!("{} ({})", s.reason, s.source))
                    .collect::<Vec<_>>()
                    .join("; ");
                let _ = write!(body, "<skipped message=\"{}\"/>", attr(&reasons));
            }
            body.push_str("</testcase>\n");
        }
        body.push_str("  </testsuite>\n");
    }
    if !scan.errors.is_empty() {
        let _ = writeln!(
            body,
            "  <testsuite name=\"load\" tests=\"{0}\" failures=\"0\" errors=\"{0}\" skipped=\"0\">",
            scan.errors.len()
        );
        for e in scan.errors {
            let mut loc = e.file.clone();
            if let Some(l) = e.line {
                let _ = write!(loc, ":{l}");
                if let Some(c) = e.col {
                    let _ = write!(loc, ":{c}");
                }
            }
            let _ = writeln!(
                body,
                "    <testcase name=\"{}\" classname=\"load\" file=\"{}\"><error message=\"{}\" type=\"load-error\">{}</error></testcase>",
                attr(&e.file),
                attr(&e.file),
                attr(&e.message),
                text(&format!("{loc}: {}", e.message))
            );
        }
        body.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"incloud\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n{}</testsuites>\n",
        tests + scan.errors.len(),
        failures,
        scan.errors.len(),
        skipped,
        body
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::fixture;

    #[test]
    fn suites_per_rule_cases_per_resource() {
        let fx = fixture();
        let xml = render_junit(&fx.scan());
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"incloud\" tests=\"5\" failures=\"3\" errors=\"1\" skipped=\"1\">"));
        assert!(xml.contains(
            "<testsuite name=\"IN-S3-001 s3-bucket-public-access-block\" tests=\"2\" failures=\"2\" errors=\"0\" skipped=\"0\">"
        ));
        assert!(xml.contains(
            "<testsuite name=\"IN-S3-002 s3-bucket-tls-only\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"1\">"
        ));
        assert!(xml.contains("<testcase name=\"Prod/Assets1234\" classname=\"s3-bucket-public-access-block\" file=\"cdk.out/Prod.template.json\">"));
        assert!(xml.contains("<failure message=\"BlockPublicAcls is false\" type=\"critical\">cdk.out/Prod.template.json:30:7: BlockPublicAcls is false [critical]\n  cdk path: Prod/Assets/Resource\n</failure>"));
        assert!(xml.contains("when: IsProd &amp;&amp; !UseKms"));
        assert!(xml.contains(
            "<skipped message=\"Served only through CloudFront, &lt;internal&gt; &amp; &quot;audited&quot; (template metadata)\"/>"
        ));
        assert!(xml.contains("<error message=\"mapping values are not allowed here\" type=\"load-error\">templates/broken.yaml:3:1: mapping values are not allowed here</error>"));
    }

    #[test]
    fn hostile_text_stays_well_formed() {
        let mut fx = fixture();
        fx.findings[0].message = "bad \u{1b}[31m<tag attr='x'>&\"\u{0}".to_string();
        let xml = render_junit(&fx.scan());
        assert!(!xml.contains('\u{1b}') && !xml.contains('\u{0}'));
        assert!(xml.contains("bad [31m&lt;tag attr=&#39;x&#39;&gt;&amp;&quot;"));
        assert!(xml.contains("bad [31m&lt;tag attr='x'&gt;&amp;\""));
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let failure = doc
            .descendants()
            .find(|n| n.has_tag_name("failure"))
            .unwrap();
        assert_eq!(
            failure.attribute("message"),
            Some("bad [31m<tag attr='x'>&\"")
        );
    }

    #[test]
    fn parses_as_xml_with_the_counts_it_claims() {
        let fx = fixture();
        let xml = render_junit(&fx.scan());
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        let cases = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count();
        assert_eq!(root.attribute("tests"), Some(cases.to_string().as_str()));
        let skipped = doc
            .descendants()
            .filter(|n| n.has_tag_name("skipped"))
            .count();
        assert_eq!(
            root.attribute("skipped"),
            Some(skipped.to_string().as_str())
        );
    }

    #[test]
    fn nothing_found_is_an_empty_run() {
        let fx = crate::testutil::Fixture {
            files: vec![],
            findings: vec![],
            errors: vec![],
        };
        assert_eq!(
            render_junit(&fx.scan()),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"incloud\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\">\n</testsuites>\n"
        );
    }
}
