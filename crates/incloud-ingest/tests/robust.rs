//! No input makes loading panic: arbitrary text, and token soups built from template syntax.

use incloud_ingest::{load_str, Inputs, Limits};
use incloud_model::FileId;
use proptest::prelude::*;

const TOKENS: &[&str] = &[
    "Resources:",
    "\n",
    "  ",
    "    ",
    "R:",
    "Type: AWS::S3::Bucket",
    "Properties:",
    "P:",
    "!Ref",
    "!Sub",
    "!If",
    "!GetAtt",
    "!Join",
    "!Select",
    "!Split",
    "!FindInMap",
    "!Equals",
    "!Not",
    "!Condition",
    "Conditions:",
    "C:",
    "Parameters:",
    "Default: x",
    "[",
    "]",
    "{",
    "}",
    ",",
    "-",
    "&a",
    "*a",
    "'",
    "\"",
    "${R.Arn}",
    "${!x}",
    "AWS::NoValue",
    "Fn::If",
    "Ref",
    "0",
    "true",
    "#",
    ":",
    "|",
    ">",
    "\t",
    "\u{feff}",
    "{{resolve:ssm:x}}",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..200).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn token_soup_never_panics(text in soup()) {
        let _ = load_str(&text, FileId(0), &Inputs::default(), &Limits::default());
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        let _ = load_str(&text, FileId(0), &Inputs::default(), &Limits::default());
    }

    #[test]
    fn json_soup_never_panics(text in prop::collection::vec(prop::sample::select(&["{", "}", "[", "]", ",", ":", "\"Resources\"", "\"Type\"", "\"AWS::S3::Bucket\"", "\"Ref\"", "\"Fn::If\"", "1", "null", " "][..]), 0..150).prop_map(|t| t.concat())) {
        let _ = load_str(&text, FileId(0), &Inputs::default(), &Limits::default());
    }
}
