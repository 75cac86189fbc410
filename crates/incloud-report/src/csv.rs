//! CSV for spreadsheets: one row per finding, RFC 4180 quoting, and no cell that a spreadsheet would run as
//! a formula.

use crate::{sorted_findings, Scan};

const HEADER: [&str; 17] = [
    "rule",
    "name",
    "severity",
    "area",
    "resource",
    "type",
    "stack",
    "cdk_path",
    "file",
    "line",
    "column",
    "path",
    "condition",
    "message",
    "fingerprint",
    "suppressed",
    "suppression_reason",
];

pub fn render_csv(scan: &Scan<'_>) -> String {
    let paths = scan.paths();
    let mut out = String::new();
    row(&mut out, HEADER.iter().map(|h| h.to_string()));
    for f in sorted_findings(scan, &paths) {
        row(
            &mut out,
            [
                f.rule.code.to_string(),
                f.rule.name.to_string(),
                f.severity.to_string(),
                f.rule.area.to_string(),
                f.resource.id.clone(),
                f.resource.rtype.clone(),
                f.resource.stack.clone().unwrap_or_default(),
                f.resource.cdk_path.clone().unwrap_or_default(),
                paths.get(&f.location.file).cloned().unwrap_or_default(),
                f.location.line.to_string(),
                f.location.col.to_string(),
                f.path.clone(),
                f.condition.clone().unwrap_or_default(),
                f.message.clone(),
                f.fingerprint.clone(),
                f.suppression.is_some().to_string(),
                f.suppression
                    .as_ref()
                    .map(|s| s.reason.clone())
                    .unwrap_or_default(),
            ],
        );
    }
    out
}

/// One record, CRLF-terminated as RFC 4180 says.
fn row(out: &mut String, cells: impl IntoIterator<Item = String>) {
    let mut first = true;
    for cell in cells {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&cell_text(&cell));
    }
    out.push_str("\r\n");
}

/// A cell that a spreadsheet would evaluate (starting with `=`, `+`, `-`, `@`, or a tab or carriage return
/// that hides one) gets a leading `'`, as OWASP recommends against CSV injection; then RFC 4180 quoting.
fn cell_text(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r'])
        || guarded.starts_with(' ')
        || guarded.ends_with(' ')
    {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::fixture;

    #[test]
    fn quoting() {
        assert_eq!(cell_text("plain"), "plain");
        assert_eq!(cell_text("a,b"), "\"a,b\"");
        assert_eq!(cell_text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell_text("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell_text("cr\r\nlf"), "\"cr\r\nlf\"");
        assert_eq!(cell_text(""), "");
    }

    #[test]
    fn formula_injection_guarded() {
        assert_eq!(
            cell_text("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(cell_text("+1"), "'+1");
        assert_eq!(cell_text("-2+3"), "'-2+3");
        assert_eq!(cell_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell_text("\t=1"), "'\t=1");
        assert_eq!(cell_text("a=b"), "a=b");
    }

    #[test]
    fn header_and_one_row_per_finding() {
        let fx = fixture();
        let csv = render_csv(&fx.scan());
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], "rule,name,severity,area,resource,type,stack,cdk_path,file,line,column,path,condition,message,fingerprint,suppressed,suppression_reason");
        assert_eq!(lines.len(), 6, "header, 4 findings, trailing empty");
        assert_eq!(
            lines[1],
            "IN-S3-001,s3-bucket-public-access-block,critical,data-at-rest,Assets1234,AWS::S3::Bucket,Prod,Prod/Assets/Resource,cdk.out/Prod.template.json,30,7,Properties,,BlockPublicAcls is false,IN-S3-001-Assets1234-30,false,"
        );
        assert!(csv.contains(
            ",true,\"Served only through CloudFront, <internal> & \"\"audited\"\"\"\r\n"
        ));
        assert!(csv.contains(
            ",IsProd && !UseKms,\"no bucket policy denies aws:SecureTransport = \"\"false\"\"\","
        ));
    }
}
