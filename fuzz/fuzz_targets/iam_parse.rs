//! IAM policy parsing and the round trip through `policy_to_json`: any JSON gives a policy or an error,
//! and a parsed policy prints and parses back to the same policy.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    if let Ok(policy) = incloud_iam::parse_policy(&value) {
        let printed = incloud_iam::policy_to_json(&policy);
        let again = incloud_iam::parse_policy(&printed).expect("a printed policy parses");
        assert_eq!(policy, again, "parse -> print -> parse is the identity");
    }
});
