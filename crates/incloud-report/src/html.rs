//! One self-contained HTML file: summary charts, a filterable findings table and the rules' documentation.
//! Inline CSS and JS only — no network, no fonts, nothing loaded — so it can be attached to a ticket or
//! opened offline. Rows are rendered as HTML (readable and printable without JS); the script filters them
//! using an embedded JSON blob.

use crate::escape::{attr, text};
use crate::{resource_label, rfc3339_ms, rule_doc_url, service_of, sorted_findings, Scan};
use incloud_model::{Area, Finding, RuleMeta, Severity};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

#[derive(Clone, Copy, Debug, Default)]
pub struct HtmlOptions {
    /// When the report was made, in milliseconds since the Unix epoch; no time is shown when `None`.
    pub time_ms: Option<i64>,
}

pub fn render_html(scan: &Scan<'_>, opts: HtmlOptions) -> String {
    let paths = scan.paths();
    let findings = sorted_findings(scan, &paths);
    let file_of = |f: &Finding| paths.get(&f.location.file).cloned().unwrap_or_default();
    let stack_of = |f: &Finding| f.resource.stack.clone().unwrap_or_else(|| file_of(f));
    let open: Vec<&Finding> = findings
        .iter()
        .copied()
        .filter(|f| f.suppression.is_none())
        .collect();
    let suppressed = findings.len() - open.len();

    let mut h = String::with_capacity(64 * 1024);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // Nothing outside this file may load, even if a future edit slips in a URL.
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n");
    h.push_str("<title>incloud report</title>\n<style>\n");
    h.push_str(CSS);
    h.push_str("</style>\n</head>\n<body>\n<header>\n<h1>incloud report</h1>\n<p class=\"meta\">");
    let _ = write!(
        h,
        "incloud {} · {} · {} · {}",
        text(scan.tool_version),
        plural(scan.scanned_files, "file", "files"),
        plural(scan.stacks, "stack", "stacks"),
        plural(scan.resources, "resource", "resources")
    );
    if let Some(ms) = opts.time_ms {
        let _ = write!(h, " · generated {}", rfc3339_ms(ms));
    }
    h.push_str("</p>\n</header>\n<main>\n");

    // Summary.
    h.push_str("<section class=\"summary\" aria-label=\"Summary\">\n<div class=\"totals\">");
    let _ = write!(
        h,
        "<div><b>{}</b>open findings</div><div><b>{}</b>suppressed</div><div><b>{}</b>files not loaded</div>",
        open.len(),
        suppressed,
        scan.errors.len()
    );
    h.push_str("</div>\n");
    let by_severity: Vec<(String, usize, String)> = Severity::ALL
        .iter()
        .map(|&s| {
            (
                s.as_str().to_string(),
                open.iter().filter(|f| f.severity == s).count(),
                format!("sev-{s}"),
            )
        })
        .collect();
    let by_area: Vec<(String, usize, String)> = Area::ALL
        .iter()
        .map(|&a| {
            (
                a.title().to_string(),
                open.iter().filter(|f| f.rule.area == a).count(),
                "area".to_string(),
            )
        })
        .collect();
    let mut services: BTreeMap<String, usize> = BTreeMap::new();
    for f in &open {
        *services.entry(service_of(&f.resource.rtype)).or_default() += 1;
    }
    let mut by_service: Vec<(String, usize, String)> = services
        .into_iter()
        .map(|(s, n)| (s, n, "service".to_string()))
        .collect();
    by_service.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    h.push_str(&chart("Open findings by severity", &by_severity));
    h.push_str(&chart("By shared-responsibility area", &by_area));
    h.push_str(&chart("By service", &by_service));
    h.push_str("</section>\n");

    // Filters: shown by the script, since without it they would do nothing.
    let rules: BTreeMap<&str, &RuleMeta> = findings.iter().map(|f| (f.rule.code, f.rule)).collect();
    let stacks: BTreeSet<String> = findings.iter().map(|f| stack_of(f)).collect();
    h.push_str("<section id=\"filters\" class=\"filters\" hidden aria-label=\"Filters\">\n");
    select(
        &mut h,
        "severity",
        "Severity",
        Severity::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), s.as_str().to_string())),
    );
    select(
        &mut h,
        "area",
        "Area",
        Area::ALL
            .iter()
            .map(|a| (a.as_str().to_string(), a.title().to_string())),
    );
    select(
        &mut h,
        "rule",
        "Rule",
        rules
            .values()
            .map(|r| (r.code.to_string(), format!("{} {}", r.code, r.name))),
    );
    select(
        &mut h,
        "stack",
        "Stack",
        stacks.iter().map(|s| (s.clone(), s.clone())),
    );
    h.push_str("<label>Search <input id=\"f-text\" type=\"search\" placeholder=\"message, resource, file…\"></label>\n");
    h.push_str(
        "<label><input id=\"f-suppressed\" type=\"checkbox\" checked> show suppressed</label>\n",
    );
    h.push_str("<span id=\"shown\" aria-live=\"polite\"></span>\n</section>\n");

    // Findings.
    h.push_str("<section aria-label=\"Findings\">\n<h2>Findings</h2>\n");
    if findings.is_empty() {
        h.push_str("<p>No findings.</p>\n");
    }
    h.push_str("<table id=\"findings\">\n<thead><tr><th>Severity</th><th>Rule</th><th>Resource</th><th>Location</th><th>Finding</th></tr></thead>\n<tbody>\n");
    let mut blob = Vec::with_capacity(findings.len());
    for (i, f) in findings.iter().enumerate() {
        let file = file_of(f);
        let resource = resource_label(&f.resource);
        let location = format!("{file}:{}:{}", f.location.line, f.location.col);
        let class = if f.suppression.is_some() {
            format!("sev-{} suppressed", f.severity)
        } else {
            format!("sev-{}", f.severity)
        };
        let _ = write!(
            h,
            "<tr data-i=\"{i}\" class=\"{class}\"><td><span class=\"badge sev-{sev}\">{sev}</span></td><td><code>{code}</code><br>{name}</td><td>{res}</td><td><code>{loc}</code></td><td>",
            sev = f.severity,
            code = text(f.rule.code),
            name = text(f.rule.name),
            res = text(&resource),
            loc = text(&location),
        );
        let _ = write!(
            h,
            "<details class=\"finding\" data-rule=\"{}\"><summary>{}{}</summary>\n<dl>",
            attr(f.rule.name),
            text(&f.message),
            if f.suppression.is_some() {
                " <span class=\"tag\">suppressed</span>"
            } else {
                ""
            }
        );
        dd(
            &mut h,
            "Rule",
            &format!("{} {} — {}", f.rule.code, f.rule.name, f.rule.title),
        );
        dd(
            &mut h,
            "Resource",
            &format!("{resource} ({})", f.resource.rtype),
        );
        dd(&mut h, "Location", &location);
        if !f.path.is_empty() {
            dd(&mut h, "Property", &f.path);
        }
        if let Some(cdk) = &f.resource.cdk_path {
            dd(&mut h, "CDK path", cdk);
        }
        if let Some(cond) = &f.condition {
            dd(&mut h, "When", cond);
        }
        if let Some(detail) = &f.detail {
            dd(&mut h, "Detail", detail);
        }
        if let Some(s) = &f.suppression {
            dd(
                &mut h,
                "Suppressed",
                &format!("{} ({})", s.reason, s.source),
            );
        }
        dd(&mut h, "Area", f.rule.area.title());
        let controls = controls_text(f.rule);
        if !controls.is_empty() {
            dd(&mut h, "Controls", &controls);
        }
        dd(&mut h, "Fingerprint", &f.fingerprint);
        h.push_str("</dl>\n");
        let _ = write!(
            h,
            "<p class=\"desc\">{}</p>\n<div class=\"rule-docs\"><a href=\"#rule-{}\">Why it matters and how to fix it</a></div>\n</details></td></tr>\n",
            text(f.rule.docs.description),
            attr(f.rule.name)
        );
        let haystack = [
            f.message.as_str(),
            &resource,
            &location,
            f.rule.code,
            f.rule.name,
            f.resource.rtype.as_str(),
            f.resource.cdk_path.as_deref().unwrap_or(""),
            f.condition.as_deref().unwrap_or(""),
            f.suppression
                .as_ref()
                .map(|s| s.reason.as_str())
                .unwrap_or(""),
        ]
        .join("\n")
        .to_lowercase();
        blob.push(json!({
            "i": i,
            "severity": f.severity.as_str(),
            "area": f.rule.area.as_str(),
            "rule": f.rule.code,
            "stack": stack_of(f),
            "suppressed": f.suppression.is_some(),
            "text": haystack,
        }));
    }
    h.push_str("</tbody>\n</table>\n<p id=\"none-shown\" hidden>No findings match the filters.</p>\n</section>\n");

    if !scan.errors.is_empty() {
        h.push_str("<section aria-label=\"Files not loaded\">\n<h2>Files not loaded</h2>\n<ul>\n");
        for e in scan.errors {
            let mut loc = e.file.clone();
            if let Some(l) = e.line {
                let _ = write!(loc, ":{l}");
                if let Some(c) = e.col {
                    let _ = write!(loc, ":{c}");
                }
            }
            let _ = writeln!(
                h,
                "<li><code>{}</code>: {}</li>",
                text(&loc),
                text(&e.message)
            );
        }
        h.push_str("</ul>\n</section>\n");
    }

    if !rules.is_empty() {
        h.push_str("<section aria-label=\"Rules\">\n<h2>Rules</h2>\n");
        for rule in rules.values() {
            rule_article(&mut h, rule);
        }
        h.push_str("</section>\n");
    }
    h.push_str("</main>\n");

    let _ = write!(
        h,
        "<script type=\"application/json\" id=\"incloud-data\">{}</script>\n<script>\n{}</script>\n</body>\n</html>\n",
        script_json(&serde_json::Value::Array(blob)),
        JS
    );
    h
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn dd(h: &mut String, term: &str, value: &str) {
    let _ = write!(h, "<dt>{}</dt><dd>{}</dd>", text(term), text(value));
}

fn select(h: &mut String, id: &str, label: &str, options: impl Iterator<Item = (String, String)>) {
    let _ = write!(
        h,
        "<label>{label} <select id=\"f-{id}\"><option value=\"\">all</option>"
    );
    for (value, name) in options {
        let _ = write!(
            h,
            "<option value=\"{}\">{}</option>",
            attr(&value),
            text(&name)
        );
    }
    h.push_str("</select></label>\n");
}

fn controls_text(rule: &RuleMeta) -> String {
    rule.controls
        .entries()
        .iter()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(key, ids)| format!("{key}: {}", ids.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A horizontal bar chart as inline SVG; bars scale to the largest count.
fn chart(title: &str, rows: &[(String, usize, String)]) -> String {
    const LABEL_W: usize = 190;
    const BAR_W: usize = 240;
    const ROW_H: usize = 22;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let height = ROW_H * rows.len().max(1) + 4;
    let mut s = String::new();
    let _ = write!(
        s,
        "<figure class=\"chart\"><figcaption>{}</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" role=\"img\" aria-label=\"{}\">",
        text(title),
        attr(title),
        w = LABEL_W + BAR_W + 50,
    );
    if rows.is_empty() {
        s.push_str("<text x=\"0\" y=\"16\">none</text>");
    }
    for (i, (label, n, class)) in rows.iter().enumerate() {
        let y = i * ROW_H + 2;
        let w = n * BAR_W / max;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect class=\"{}\" x=\"{LABEL_W}\" y=\"{y}\" width=\"{w}\" height=\"{}\" rx=\"2\"></rect><text x=\"{}\" y=\"{}\">{n}</text>",
            LABEL_W - 8,
            y + 15,
            text(label),
            attr(class),
            ROW_H - 6,
            LABEL_W + w + 6,
            y + 15,
        );
    }
    s.push_str("</svg></figure>\n");
    s
}

fn rule_article(h: &mut String, rule: &RuleMeta) {
    let _ = write!(
        h,
        "<article class=\"rule\" id=\"rule-{}\">\n<h3><code>{}</code> {} — {}</h3>\n<p class=\"meta\">severity {} · {} · <a href=\"{}\">documentation</a></p>\n<div class=\"docs\">\n",
        attr(rule.name),
        text(rule.code),
        text(rule.name),
        text(rule.title),
        rule.severity,
        text(rule.area.title()),
        attr(&rule_doc_url(rule.name)),
    );
    h.push_str(&doc_html(rule.docs.description));
    let sections = [
        ("Why it matters", rule.docs.why),
        ("When a value is unknown", rule.docs.unknown),
        ("Fix it in CloudFormation", rule.docs.fix_cloudformation),
        ("Fix it in CDK", rule.docs.fix_cdk),
        ("Fix it in Terraform", rule.docs.fix_terraform),
        ("Fix it in the console or CLI", rule.docs.fix_cli),
    ];
    for (title, body) in sections {
        if !body.is_empty() {
            let _ = writeln!(h, "<h4>{title}</h4>");
            h.push_str(&doc_html(body));
        }
    }
    let controls: Vec<String> = rule
        .controls
        .entries()
        .iter()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(key, ids)| format!("<li>{}: {}</li>", text(key), text(&ids.join(", "))))
        .collect();
    if !controls.is_empty() {
        let _ = write!(h, "<h4>Controls</h4>\n<ul>{}</ul>\n", controls.join(""));
    }
    h.push_str("</div>\n</article>\n");
}

/// Rule docs are plain text: paragraphs split by blank lines, indented lines are code (blank lines inside a
/// code block belong to it).
fn doc_html(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let indented = |l: &str| l.starts_with("    ") || l.starts_with('\t');
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            i += 1;
        } else if indented(line) {
            let mut code = Vec::new();
            while i < lines.len() {
                let l = lines[i];
                let continues = indented(l)
                    || (l.trim().is_empty()
                        && lines[i + 1..]
                            .iter()
                            .find(|n| !n.trim().is_empty())
                            .is_some_and(|n| indented(n)));
                if !continues {
                    break;
                }
                code.push(l.strip_prefix("    ").unwrap_or(l.trim_start_matches('\t')));
                i += 1;
            }
            let _ = writeln!(out, "<pre><code>{}</code></pre>", text(&code.join("\n")));
        } else {
            let mut para = Vec::new();
            while i < lines.len() && !lines[i].trim().is_empty() && !indented(lines[i]) {
                para.push(lines[i].trim());
                i += 1;
            }
            let _ = writeln!(out, "<p>{}</p>", text(&para.join(" ")));
        }
    }
    out
}

/// JSON that is safe inside a `<script>` element: no `<`, `>` or `&` survive (so no `</script>` or `<!--`),
/// and the line separators that older JS engines choke on are escaped. JSON.parse reads it unchanged.
fn script_json(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "[]".to_string())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

const CSS: &str = r#":root { color-scheme: light; --fg: #1b1f23; --muted: #5f6b76; --line: #d9dee3; --bg: #fff; --soft: #f5f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--fg); background: var(--bg); }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 16px; border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 24px 0 8px; }
.meta { color: var(--muted); margin: 0 0 12px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: var(--soft); padding: 8px 10px; overflow-x: auto; border-radius: 4px; }
.summary { display: flex; flex-wrap: wrap; gap: 16px 32px; margin-top: 16px; }
.totals { display: flex; gap: 24px; width: 100%; }
.totals div { color: var(--muted); }
.totals b { display: block; font-size: 26px; color: var(--fg); }
.chart { margin: 0; }
.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.chart text { font-size: 12px; fill: var(--fg); }
.chart rect.area { fill: #455a64; }
.chart rect.service { fill: #00796b; }
.sev-critical { --sev: #7b1fa2; } .sev-high { --sev: #c62828; } .sev-medium { --sev: #ef6c00; } .sev-low { --sev: #0277bd; } .sev-info { --sev: #616161; }
.chart rect[class^="sev-"] { fill: var(--sev); }
.badge { display: inline-block; min-width: 64px; text-align: center; padding: 1px 6px; border-radius: 10px; color: #fff; background: var(--sev); font-size: 12px; }
.tag { font-size: 11px; padding: 0 5px; border: 1px solid var(--muted); border-radius: 8px; color: var(--muted); }
.filters { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin: 20px 0 0; padding: 10px; background: var(--soft); border-radius: 4px; }
.filters select, .filters input[type=search] { font: inherit; padding: 2px 4px; }
#shown { color: var(--muted); margin-left: auto; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); position: sticky; top: 0; }
tr.suppressed td { color: var(--muted); }
tr.suppressed .badge { opacity: .55; }
summary { cursor: pointer; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; }
dt { color: var(--muted); }
dd { margin: 0; word-break: break-word; }
.rule { border-top: 1px solid var(--line); padding-top: 4px; }
.rule h3 { font-size: 16px; }
.rule-docs .docs h4 { font-size: 13px; margin: 10px 0 4px; }
@media print {
  body { font-size: 10pt; }
  .filters, #shown { display: none !important; }
  th { position: static; }
  tr { break-inside: avoid; }
  .chart, .badge, .chart rect { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  .rule { break-before: auto; break-inside: avoid-page; }
}
"#;

const JS: &str = r##"(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("incloud-data").textContent);
  var byId = function (id) { return document.getElementById(id); };
  var rows = Array.prototype.slice.call(document.querySelectorAll("#findings tbody tr"));
  var controls = {
    severity: byId("f-severity"), area: byId("f-area"), rule: byId("f-rule"),
    stack: byId("f-stack"), text: byId("f-text"), suppressed: byId("f-suppressed")
  };
  function apply() {
    var q = controls.text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var d = data[Number(row.getAttribute("data-i"))];
      var ok = !!d &&
        (!controls.severity.value || d.severity === controls.severity.value) &&
        (!controls.area.value || d.area === controls.area.value) &&
        (!controls.rule.value || d.rule === controls.rule.value) &&
        (!controls.stack.value || d.stack === controls.stack.value) &&
        (controls.suppressed.checked || !d.suppressed) &&
        (!q || d.text.indexOf(q) !== -1);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    byId("shown").textContent = shown + " of " + rows.length + " shown";
    byId("none-shown").hidden = shown > 0 || rows.length === 0;
  }
  // The rule's docs are written once, in the Rules section; a finding copies them in when first opened.
  function fill(details) {
    if (details.getAttribute("data-filled")) { return; }
    details.setAttribute("data-filled", "1");
    var source = byId("rule-" + details.getAttribute("data-rule"));
    var slot = details.querySelector(".rule-docs");
    var docs = source && source.querySelector(".docs");
    if (slot && docs) {
      slot.insertBefore(docs.cloneNode(true), slot.firstChild);
      // The copied docs open with the same description.
      var desc = details.querySelector("p.desc");
      if (desc) { desc.hidden = true; }
    }
  }
  Object.keys(controls).forEach(function (k) {
    controls[k].addEventListener("input", apply);
    controls[k].addEventListener("change", apply);
  });
  Array.prototype.forEach.call(document.querySelectorAll("details.finding"), function (d) {
    d.addEventListener("toggle", function () { if (d.open) { fill(d); } });
  });
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details.finding"), function (d) {
      d.open = true; fill(d);
    });
  });
  byId("filters").hidden = false;
  apply();
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{fixture, Fixture};

    fn html(fx: &Fixture) -> String {
        render_html(&fx.scan(), HtmlOptions::default())
    }

    #[test]
    fn self_contained() {
        let out = html(&fixture());
        assert!(out.starts_with("<!DOCTYPE html>"));
        assert!(out.ends_with("</html>\n"));
        for banned in [
            "<link",
            " src=",
            "url(",
            "@import",
            "@font-face",
            "<iframe",
            "<img",
        ] {
            assert!(!out.contains(banned), "{banned} in the report");
        }
        // Links to the docs are fine; nothing is fetched from anywhere.
        for (i, _) in out.match_indices("https://") {
            let before = &out[i.saturating_sub(6)..i];
            assert_eq!(before, "href=\"", "a URL outside a link at {i}");
        }
    }

    #[test]
    fn summary_table_and_rule_docs() {
        let out = html(&fixture());
        assert!(out.contains("<div><b>3</b>open findings</div><div><b>1</b>suppressed</div><div><b>1</b>files not loaded</div>"));
        assert!(out.contains("aria-label=\"Open findings by severity\""));
        for area in Area::ALL {
            assert!(out.contains(&format!(">{}</text>", area.title())), "{area}");
        }
        assert!(out.contains(">S3</text>"));
        assert_eq!(out.matches("<tr data-i=").count(), 4);
        assert!(out.contains("<dt>CDK path</dt><dd>Prod/Assets/Resource</dd>"));
        assert!(out.contains("<dt>When</dt><dd>IsProd &amp;&amp; !UseKms</dd>"));
        assert!(out.contains("<dt>Suppressed</dt><dd>Served only through CloudFront, &lt;internal&gt; &amp; \"audited\" (template metadata)</dd>"));
        assert!(out.contains("class=\"sev-medium suppressed\""));
        assert!(out.contains("<dt>Controls</dt><dd>security-hub: S3.8; aws-config: s3-bucket-level-public-access-prohibited;"));
        assert!(out.contains("<article class=\"rule\" id=\"rule-s3-bucket-public-access-block\">"));
        assert!(out.contains("<pre><code>BlockPublicAcls: true</code></pre>"));
        assert!(out.contains(
            "<code>templates/broken.yaml:3:1</code>: mapping values are not allowed here"
        ));
        assert!(out.contains("<option value=\"Prod\">Prod</option>"));
    }

    #[test]
    fn script_breakout_is_escaped() {
        let mut fx = fixture();
        fx.findings[0].message = "</script><script>alert(1)</script><!--".to_string();
        fx.findings[1].resource.stack = Some("</SCRIPT>\u{2028}".to_string());
        let out = html(&fx);
        assert_eq!(
            out.matches("</script>").count(),
            2,
            "only the two real script ends"
        );
        assert!(!out.to_lowercase().contains("</script><script>alert"));
        assert!(!out.contains("<!--"));
        let start = out.find("id=\"incloud-data\">").unwrap() + "id=\"incloud-data\">".len();
        let end = start + out[start..].find("</script>").unwrap();
        let data: serde_json::Value = serde_json::from_str(&out[start..end]).unwrap();
        assert_eq!(data.as_array().unwrap().len(), 4);
        assert!(data.to_string().contains("</script><script>alert(1)"));
    }

    #[test]
    fn deterministic_and_time_only_when_given() {
        let fx = fixture();
        let mut reversed = fixture();
        reversed.findings.reverse();
        assert_eq!(html(&fx), html(&reversed));
        assert!(!html(&fx).contains("generated"));
        let timed = render_html(
            &fx.scan(),
            HtmlOptions {
                time_ms: Some(1_714_564_800_000),
            },
        );
        assert!(timed.contains("generated 2024-05-01T12:00:00.000Z"));
    }

    #[test]
    fn docs_text_to_html() {
        assert_eq!(
            doc_html("One\nline.\n\nCode:\n\n    a: 1\n\n    b: <2>\nAfter."),
            "<p>One line.</p>\n<p>Code:</p>\n<pre><code>a: 1\n\nb: &lt;2&gt;</code></pre>\n<p>After.</p>\n"
        );
    }

    #[test]
    fn empty_scan() {
        let fx = Fixture {
            files: vec![],
            findings: vec![],
            errors: vec![],
        };
        let out = html(&fx);
        assert!(out.contains("<p>No findings.</p>"));
        assert!(out.contains("<script type=\"application/json\" id=\"incloud-data\">[]</script>"));
    }
}
