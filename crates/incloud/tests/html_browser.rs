//! The HTML report in a real browser (Debian's headless Chromium): it loads without console errors, the
//! counts on the page match the JSON report, and a filter works. CI installs Chromium; elsewhere the test
//! says it was skipped when no Chromium is found.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

fn run_incloud(args: &[&str]) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(env!("CARGO_BIN_EXE_incloud"))
        .args(args)
        .current_dir(repo)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const HARNESS: &str = r##"<!doctype html><html><body><pre id="out">pending</pre>
<iframe id="f" src="report.html" width="1200" height="800"></iframe>
<script>
var f = document.getElementById("f");
f.addEventListener("load", function () {
  var d = f.contentDocument, res = {};
  var rows = function () { return Array.prototype.slice.call(d.querySelectorAll("#findings tbody tr")); };
  res.rows = rows().length;
  res.open = Number(d.querySelector(".totals b").textContent);
  var sev = d.getElementById("f-severity");
  sev.value = "high";
  sev.dispatchEvent(new Event("change"));
  res.high_shown = rows().filter(function (r) { return !r.hidden; }).length;
  res.shown_text = d.getElementById("shown").textContent;
  var text = d.getElementById("f-text");
  sev.value = ""; sev.dispatchEvent(new Event("change"));
  text.value = "StaticSiteBucket"; text.dispatchEvent(new Event("input"));
  res.text_shown = rows().filter(function (r) { return !r.hidden; }).length;
  document.getElementById("out").textContent = JSON.stringify(res);
});
</script></body></html>"##;

#[test]
fn html_report_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install Chromium (see .ci/run)"
        );
        eprintln!("skipped: no Chromium on this machine (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let html = d.join("report.html");
    let json = d.join("report.json");
    run_incloud(&[
        "scan",
        "-f",
        "html",
        "-o",
        html.to_str().unwrap(),
        "-f",
        "json",
        "-o",
        json.to_str().unwrap(),
        "examples",
    ]);
    std::fs::write(d.join("harness.html"), HARNESS).unwrap();
    let profile = d.join("profile");
    let common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--allow-file-access-from-files",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=10000",
    ];
    let out = Command::new(browser)
        .args(common)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", d.join("harness.html").display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let console: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    let start = dom.find("<pre id=\"out\">").expect("harness ran") + "<pre id=\"out\">".len();
    let end = dom[start..].find("</pre>").unwrap() + start;
    let res: Value = serde_json::from_str(&dom[start..end].replace("&quot;", "\""))
        .unwrap_or_else(|e| panic!("{e}: {}", &dom[start..end]));

    let report: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(res["rows"].as_u64().unwrap() as usize, findings.len());
    assert_eq!(res["open"], report["summary"]["findings"]);
    let high = findings
        .iter()
        .filter(|f| f["severity"] == "high" && f["suppression"].is_null())
        .count();
    assert!(high > 0);
    assert_eq!(res["high_shown"].as_u64().unwrap() as usize, high, "{res}");
    assert!(res["shown_text"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{high} of ")));
    // The search box matches the message, resource and location of a finding.
    let static_site = findings
        .iter()
        .filter(|f| {
            [&f["message"], &f["resource"]["id"], &f["location"]["file"]]
                .iter()
                .any(|v| {
                    v.as_str()
                        .unwrap_or("")
                        .to_lowercase()
                        .contains("staticsitebucket")
                })
        })
        .count();
    assert_eq!(res["text_shown"].as_u64().unwrap() as usize, static_site);

    let shot = d.join("report.png");
    let status = Command::new(browser)
        .args(common)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1280,1600")
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(status.status.success());
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 20_000,
        "a screenshot with content"
    );
    if let Ok(keep) = std::env::var("INCLOUD_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}
