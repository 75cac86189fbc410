//! Cloud assembly reading: the input is split into a manifest and a template, written to a temporary
//! cdk.out, and loaded through discovery as a user's `incloud scan cdk.out` would.
#![no_main]
use incloud_ingest::{load, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (manifest, template) = text.split_once("\n---\n").unwrap_or((&text, "{}"));
    let Ok(dir) = tempfile::tempdir() else { return };
    let out = dir.path().join("cdk.out");
    if std::fs::create_dir_all(out.join("nested")).is_err() {
        return;
    }
    let _ = std::fs::write(out.join("cdk.out"), r#"{"version":"36.0.0"}"#);
    let _ = std::fs::write(out.join("manifest.json"), manifest);
    let _ = std::fs::write(out.join("Stack.template.json"), template);
    let _ = std::fs::write(out.join("nested/manifest.json"), manifest);
    let _ = load(&[out], &LoadOptions::default(), |stack, _| stack.resources.len());
});
