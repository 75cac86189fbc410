//! What secret rules share: recognising credentials by their shape, telling placeholders from values, and
//! showing a secret without revealing it.
//!
//! A secret found in a template must never reach a report: messages, details and fingerprints name the kind
//! of secret and its length, and at most its first two characters when it is long enough that they give
//! little away ([`redact`]).

use regex::Regex;
use std::sync::LazyLock;

/// A secret as it may be shown: its first two characters when it is at least 12 characters long, and its
/// length (`AK…(20 chars)`, `…(9 chars)`).
pub(crate) fn redact(secret: &str) -> String {
    let n = secret.chars().count();
    let head: String = secret.chars().take(2).collect();
    if n >= 12 && head.chars().all(|c| c.is_ascii_graphic()) {
        format!("{head}…({n} chars)")
    } else {
        format!("…({n} chars)")
    }
}

pub(crate) const ACCESS_KEY_ID: &str = "an AWS access key ID";
pub(crate) const PRIVATE_KEY: &str = "a private key";

/// Credentials whose shape gives them away, whatever they are called: (kind, pattern).
static CREDENTIALS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    [
        (ACCESS_KEY_ID, r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"),
        (
            PRIVATE_KEY,
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
        ),
        (
            "a GitHub token",
            r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b",
        ),
        ("a GitHub token", r"\bgithub_pat_[A-Za-z0-9_]{22,}"),
        ("a Slack token", r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
        ("a Stripe live secret key", r"\b[sr]k_live_[A-Za-z0-9]{20,}"),
        ("a Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
        (
            "a JSON Web Token",
            r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*",
        ),
    ]
    .into_iter()
    .filter_map(|(kind, re)| Regex::new(re).ok().map(|re| (kind, re)))
    .collect()
});

/// An AWS secret access key: 40 characters of base64, which is only recognisable next to an access key ID.
static AWS_SECRET_KEY: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9/+]{40}$").ok());

/// The first credential found in `text`: its kind and the matched text (to redact, never to show).
pub(crate) fn credential(text: &str) -> Option<(&'static str, &str)> {
    CREDENTIALS
        .iter()
        .find_map(|(kind, re)| re.find(text).map(|m| (*kind, m.as_str())))
}

/// Whether `text` is shaped like an AWS secret access key (checked only beside an access key ID).
pub(crate) fn aws_secret_key(text: &str) -> bool {
    AWS_SECRET_KEY.as_ref().is_some_and(|re| re.is_match(text))
}

/// Words that mark a value as something to fill in rather than a secret.
const PLACEHOLDER_WORDS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "placeholder",
    "replaceme",
    "replace_me",
    "replace-me",
    "replace_with",
    "replace-with",
    "your_",
    "your-",
    "yoursecret",
    "yourpassword",
    "dummy",
    "todo",
    "tbd",
    "notset",
    "not_set",
    "not-set",
    "n/a",
];

/// Whether a value is obviously not a real secret: empty, a word such as `changeme` or `REPLACE_ME`, a
/// `<fill-in>` or an unexpanded `${VAR}` / `{{var}}`, or one character repeated (`xxxxxxxx`, `********`).
pub(crate) fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if matches!(lower.as_str(), "none" | "null" | "nil" | "na" | "-") {
        return true;
    }
    if (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with("${") && v.ends_with('}'))
        || (v.starts_with("{{") && v.ends_with("}}"))
    {
        return true;
    }
    let mut chars = v.chars();
    if let Some(first) = chars.next() {
        if chars.all(|c| c == first) {
            return true;
        }
    }
    PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w))
}

/// Whether a name says it holds a secret: a word of it (split at `_`, `-`, `.` and camelCase) contains
/// PASSWORD, PASSWD or SECRET, ends in TOKEN, or is APIKEY or PRIVATEKEY; or two words read API KEY or
/// PRIVATE KEY. `MAX_TOKENS`, `TOKENIZER` and `KEY_ID` are not secret names.
pub(crate) fn secret_name(name: &str) -> bool {
    let words = words(name);
    let single = words.iter().any(|w| {
        w.contains("PASSWORD")
            || w.contains("PASSWD")
            || w.contains("SECRET")
            || w.ends_with("TOKEN")
            || w.ends_with("APIKEY")
            || w.ends_with("PRIVATEKEY")
    });
    single
        || words
            .windows(2)
            .any(|p| matches!((p[0].as_str(), p[1].as_str()), ("API" | "PRIVATE", "KEY")))
}

/// The last word of a name, upper case (`SECRET_ARN` → `ARN`, `dbSecretName` → `NAME`).
pub(crate) fn last_word(name: &str) -> String {
    words(name).pop().unwrap_or_default()
}

/// A name in upper-case words: split at non-alphanumeric characters, where a lower-case letter or digit is
/// followed by an upper-case one, and before the last capital of an acronym followed by lower case
/// (`SSHPrivateKey` → SSH, PRIVATE, KEY).
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        let boundary = c.is_ascii_uppercase()
            && match prev {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                _ => false,
            };
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Last words of a name that say it points at a secret or describes it, rather than holding it
/// (`SECRET_ARN`, `TOKEN_TABLE`, `SecretUserName`).
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "ARN",
    "ARNS",
    "NAME",
    "NAMES",
    "ID",
    "IDS",
    "TABLE",
    "URL",
    "URI",
    "ENDPOINT",
    "PARAM",
    "PARAMETER",
    "PATH",
    "PREFIX",
    "BUCKET",
    "REGION",
    "HEADER",
    "TTL",
    "EXPIRY",
    "EXPIRATION",
    "LENGTH",
    "TIMEOUT",
    "ENABLED",
    "TYPE",
    "FILE",
    "LOCATION",
    "KEYID",
    "USER",
    "USERNAME",
];

/// Whether a name says it holds a secret itself ([`secret_name`], and its last word is not one of
/// [`NOT_SECRET_SUFFIXES`]).
pub(crate) fn holds_secret(name: &str) -> bool {
    secret_name(name) && !NOT_SECRET_SUFFIXES.contains(&last_word(name).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_at_most_two_characters() {
        assert_eq!(redact("AKIAIOSFODNN7EXAMPLE"), "AK…(20 chars)");
        assert_eq!(redact("hunter22"), "…(8 chars)");
        assert_eq!(redact("{\n  \"password\": \"x\"}"), "…(20 chars)");
    }

    #[test]
    fn credentials_by_shape() {
        assert_eq!(
            credential("AKIAIOSFODNN7EXAMPLE").map(|c| c.0),
            Some("an AWS access key ID")
        );
        assert_eq!(
            credential("key=-----BEGIN RSA PRIVATE KEY-----\nMII").map(|c| c.0),
            Some("a private key")
        );
        assert!(credential("ghp_0123456789abcdefghijABCDEFGHIJ012345").is_some());
        assert!(credential("xoxb-1234567890-abcdefghij").is_some());
        assert!(credential("AKIAIOSFODNN7EXAMPLEXX").is_none());
        assert!(credential("arn:aws:secretsmanager:eu-west-1:123456789012:secret:x").is_none());
        assert!(aws_secret_key("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    }

    #[test]
    fn names_and_placeholders() {
        for n in [
            "DB_PASSWORD",
            "dbPassword",
            "JWT_SECRET",
            "GITHUB_TOKEN",
            "API_KEY",
            "apiKey",
            "STRIPE_APIKEY",
            "PRIVATE_KEY",
            "ClientSecret",
        ] {
            assert!(secret_name(n), "{n}");
        }
        for n in ["MAX_TOKENS", "TOKENIZER", "TABLE_NAME", "KEY_ID", "MONKEY"] {
            assert!(!secret_name(n), "{n}");
        }
        assert_eq!(last_word("dbSecretArn"), "ARN");
        assert!(holds_secret("SSHPrivateKey"));
        assert!(!holds_secret("SecretUserName"));
        assert!(!holds_secret("MQSecretARN"));
        for p in [
            "",
            "changeme",
            "REPLACE_ME",
            "<your key>",
            "${TOKEN}",
            "xxxxxxxx",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        assert!(!is_placeholder("S3cr3t-Pa55w0rd"));
    }
}
