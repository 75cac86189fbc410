//! Template loading end to end: YAML or JSON parsing, short-form tags, aliases, intrinsic functions,
//! conditions, the SAM transform. Any input must give a stack or a load error, never a panic or a hang.
#![no_main]
use incloud_ingest::{load_str, Inputs, Limits};
use incloud_model::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let limits = Limits {
        max_alias_nodes: 10_000,
        max_string_len: 64 * 1024,
        ..Limits::default()
    };
    let _ = load_str(&text, FileId(0), &Inputs::default(), &limits);
});
