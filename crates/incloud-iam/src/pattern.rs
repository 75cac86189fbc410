//! Wildcard patterns, policy variables and ARN matching, over values that may be partly unknown.

use crate::eval::Context;
use crate::policy::{PolicyStr, StrPart};

/// Three-valued truth: a policy value that is not known yet can make a match undecidable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tri {
    False,
    Unknown,
    True,
}

impl Tri {
    pub(crate) fn from_bool(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }

    pub(crate) fn not(self) -> Tri {
        match self {
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
            Tri::True => Tri::False,
        }
    }

    pub(crate) fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    pub(crate) fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }

    /// True if any is true; unknown if none is true but one is unknown.
    pub(crate) fn any(items: impl IntoIterator<Item = Tri>) -> Tri {
        items.into_iter().fold(Tri::False, Tri::or)
    }

    pub(crate) fn all(items: impl IntoIterator<Item = Tri>) -> Tri {
        items.into_iter().fold(Tri::True, Tri::and)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    Lit(char),
    /// `*`: any run of characters (within one ARN segment when matching ARNs).
    Star,
    /// `?`: any one character.
    One,
    /// A part of the policy value that is not known.
    Hole,
}

/// How to read a policy value into tokens.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reading {
    /// `*` and `?` are wildcards (StringLike, ArnLike, Action, Resource), not literal characters.
    pub wildcards: bool,
    /// `${...}` is a policy variable (2012-10-17 policies, in elements and operators that take them).
    pub variables: bool,
}

/// The tokens of a policy value, or `None` when a variable in it has no value in the request (AWS: the
/// value then matches nothing).
pub(crate) fn tokens(value: &PolicyStr, reading: Reading, ctx: &Context) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    match value {
        PolicyStr::Known(s) => push_text(s, reading, ctx, &mut out)?,
        PolicyStr::Unknown(_) => out.push(Tok::Hole),
        PolicyStr::Partial(parts) => {
            for part in parts {
                match part {
                    StrPart::Lit(s) => push_text(s, reading, ctx, &mut out)?,
                    StrPart::Unknown(_) => out.push(Tok::Hole),
                }
            }
        }
    }
    Some(out)
}

fn push_text(s: &str, reading: Reading, ctx: &Context, out: &mut Vec<Tok>) -> Option<()> {
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if reading.variables && rest.starts_with("${") {
            if let Some(end) = rest.find('}') {
                let inner = rest.get(2..end).unwrap_or("");
                rest = rest.get(end + 1..).unwrap_or("");
                match inner {
                    "*" => out.push(Tok::Lit('*')),
                    "?" => out.push(Tok::Lit('?')),
                    "$" => out.push(Tok::Lit('$')),
                    _ => out.extend(resolve_variable(inner, ctx)?.chars().map(Tok::Lit)),
                }
                continue;
            }
        }
        out.push(match c {
            '*' if reading.wildcards => Tok::Star,
            '?' if reading.wildcards => Tok::One,
            _ => Tok::Lit(c),
        });
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    Some(())
}

/// What `substitute` made of a known value.
pub(crate) enum Substituted {
    /// The value with its variables substituted reads as a plain pattern (written to the buffer).
    Text,
    /// A variable in it has no value: the value matches nothing, as `tokens` returning `None`.
    NoValue,
    /// Substituted text would bring a `*` or `?` that `tokens` keeps literal: use `tokens`.
    Tokens,
}

/// Substitutes the policy variables of a known value into `out`, reading `${...}` exactly as
/// `push_text` does, so that matching the text as a pattern gives the same answer as its tokens; no
/// token vector, and the values are borrowed from the context.
pub(crate) fn substitute(s: &str, ctx: &Context, out: &mut String) -> Substituted {
    out.clear();
    let mut rest = s;
    loop {
        let Some(start) = rest.find("${") else {
            out.push_str(rest);
            return Substituted::Text;
        };
        out.push_str(rest.get(..start).unwrap_or(""));
        let var = rest.get(start..).unwrap_or("");
        // Without a closing brace, `${` and all that follows are literal text.
        let Some(end) = var.find('}') else {
            out.push_str(var);
            return Substituted::Text;
        };
        let inner = var.get(2..end).unwrap_or("");
        let value = match inner {
            "*" | "?" => return Substituted::Tokens,
            "$" => "$",
            _ => match resolve_variable(inner, ctx) {
                Some(v) => v,
                None => return Substituted::NoValue,
            },
        };
        if value.contains(['*', '?']) {
            return Substituted::Tokens;
        }
        out.push_str(value);
        rest = var.get(end + 1..).unwrap_or("");
    }
}

/// `key` or `key, 'default'`. A variable needs exactly one value: multivalued keys cannot be variables.
fn resolve_variable<'a>(inner: &'a str, ctx: &'a Context) -> Option<&'a str> {
    let (key, default) = match inner.split_once(',') {
        Some((key, default)) => {
            let default = default.trim();
            let default = default
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''));
            (key.trim(), default)
        }
        None => (inner.trim(), None),
    };
    match ctx.get(key) {
        Some([one]) => Some(one.as_str()),
        Some([]) | None => default,
        Some(_) => None,
    }
}

/// Whether the tokens match the text: `Unknown` when that depends on a hole.
pub(crate) fn glob(toks: &[Tok], text: &str, ignore_case: bool) -> Tri {
    let chars: Vec<char> = text.chars().collect();
    if !glob_possible(toks, &chars, ignore_case) {
        return Tri::False;
    }
    if toks.contains(&Tok::Hole) {
        Tri::Unknown
    } else {
        Tri::True
    }
}

/// Iterative wildcard match with one backtrack point; a hole is read as `*` (it could be anything).
fn glob_possible(toks: &[Tok], text: &[char], ignore_case: bool) -> bool {
    let eq = |a: char, b: char| {
        if ignore_case {
            a.to_lowercase().eq(b.to_lowercase())
        } else {
            a == b
        }
    };
    let (mut t, mut s) = (0usize, 0usize);
    let mut backtrack: Option<(usize, usize)> = None;
    while s < text.len() {
        match (toks.get(t), text.get(s)) {
            (Some(Tok::Star | Tok::Hole), _) => {
                backtrack = Some((t, s));
                t += 1;
            }
            (Some(Tok::One), Some(_)) => {
                t += 1;
                s += 1;
            }
            (Some(Tok::Lit(p)), Some(&c)) if eq(*p, c) => {
                t += 1;
                s += 1;
            }
            _ => match backtrack {
                Some((bt, bs)) => {
                    t = bt + 1;
                    s = bs + 1;
                    backtrack = Some((bt, bs + 1));
                }
                None => return false,
            },
        }
    }
    toks.get(t..)
        .unwrap_or(&[])
        .iter()
        .all(|tok| matches!(tok, Tok::Star | Tok::Hole))
}

/// `*`/`?` matching straight on the text, for the common case of a fully known ASCII policy value
/// without variables: the same answer as `tokens` + `glob`, without allocating. `None` when the fast
/// path does not apply.
pub(crate) fn glob_str(pattern: &str, text: &str, ignore_case: bool) -> Option<bool> {
    if !pattern.is_ascii() || !text.is_ascii() {
        return None;
    }
    Some(glob_bytes(pattern.as_bytes(), text.as_bytes(), ignore_case))
}

/// `glob_str` once both sides are known to be ASCII.
pub(crate) fn glob_bytes(p: &[u8], t: &[u8], ignore_case: bool) -> bool {
    let eq = |a: u8, b: u8| {
        if ignore_case {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    // The literal text before the first wildcard must match as it is: most patterns are literal
    // (`s3:GetObject`) or end in one `*` (`s3:Get*`), and most mismatches show in the first bytes,
    // so this settles nearly every comparison without the backtracking loop.
    let mut i = 0;
    loop {
        match (p.get(i), t.get(i)) {
            (None, None) => return true,
            (None, Some(_)) => return false,
            (Some(b'*' | b'?'), _) => break,
            (Some(a), Some(b)) if eq(*a, *b) => i += 1,
            (Some(_), _) => return false,
        }
    }
    if p.get(i..) == Some(b"*") {
        return true;
    }
    let (mut pi, mut ti) = (i, i);
    let mut backtrack: Option<(usize, usize)> = None;
    while ti < t.len() {
        match (p.get(pi), t.get(ti)) {
            (Some(b'*'), _) => {
                backtrack = Some((pi, ti));
                pi += 1;
            }
            (Some(b'?'), Some(_)) => {
                pi += 1;
                ti += 1;
            }
            (Some(a), Some(b)) if eq(*a, *b) => {
                pi += 1;
                ti += 1;
            }
            _ => match backtrack {
                Some((bp, bt)) => {
                    pi = bp + 1;
                    ti = bt + 1;
                    backtrack = Some((bp, bt + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..).unwrap_or(&[]).iter().all(|c| *c == b'*')
}

/// `arn_match` for a fully known ASCII pattern without variables, without allocating.
pub(crate) fn arn_match_str(pattern: &str, arn: &str) -> Option<bool> {
    if pattern == "*" {
        return Some(true);
    }
    if !pattern.is_ascii() || !arn.is_ascii() {
        return None;
    }
    Some(arn_match_split(pattern, arn, six_parts(arn).as_ref()))
}

/// `arn_match_str` for an ASCII pattern and an ASCII ARN already split by `six_parts` (an evaluation
/// splits the request's resource once, not once per Resource value).
pub(crate) fn arn_match_split(pattern: &str, arn: &str, arn_parts: Option<&[&str; 6]>) -> bool {
    if pattern == "*" {
        return true;
    }
    let Some(arn_parts) = arn_parts else {
        return glob_bytes(pattern.as_bytes(), arn.as_bytes(), false);
    };
    // The pattern's parts are split as they are compared: most patterns fail on the service or the
    // account, and a pattern with fewer than six parts matches nothing, whichever part fails first.
    let (last, firsts) = arn_parts.split_last().unwrap_or((&"", &[]));
    let mut rest = pattern.as_bytes();
    for a in firsts {
        // A byte loop: parts are a few bytes long, too short for `memchr` to pay off.
        let Some(colon) = rest.iter().position(|b| *b == b':') else {
            return false;
        };
        let (p, tail) = (
            rest.get(..colon).unwrap_or(&[]),
            rest.get(colon + 1..).unwrap_or(&[]),
        );
        if !glob_bytes(p, a.as_bytes(), false) {
            return false;
        }
        rest = tail;
    }
    glob_bytes(rest, last.as_bytes(), false)
}

/// `splitn(6, ':')` into an array, or `None` with fewer than six parts; stops at the fifth colon.
pub(crate) fn six_parts(s: &str) -> Option<[&str; 6]> {
    let mut parts = [""; 6];
    let mut start = 0;
    let mut n = 0;
    for (i, b) in s.bytes().enumerate() {
        if b == b':' {
            *parts.get_mut(n)? = s.get(start..i)?;
            n += 1;
            start = i + 1;
            if n == 5 {
                break;
            }
        }
    }
    if n < 5 {
        return None;
    }
    *parts.get_mut(5)? = s.get(start..)?;
    Some(parts)
}

/// ARN matching as AWS does it for Resource and the Arn operators: the six colon-separated parts are
/// matched one by one, so a `*` in the first five never spans a colon; the last part (the resource) takes
/// the rest of the ARN, colons included.
pub(crate) fn arn_match(toks: &[Tok], arn: &str) -> Tri {
    if toks == [Tok::Star] {
        return Tri::True;
    }
    // A hole may hide colons, so parts cannot be lined up: only the whole text can rule a match out.
    if toks.contains(&Tok::Hole) {
        return glob(toks, arn, false);
    }
    let pattern_parts: Vec<&[Tok]> = split_tokens(toks);
    let arn_parts: Vec<&str> = arn.splitn(6, ':').collect();
    if arn_parts.len() != 6 {
        // The request's resource is not an ARN (e.g. "*" for actions without resource-level
        // permissions): plain wildcard match.
        return glob(toks, arn, false);
    }
    if pattern_parts.len() != 6 {
        // A pattern with fewer parts cannot line up with an ARN; a `*` never stands for colons here.
        return Tri::False;
    }
    Tri::from_bool(
        pattern_parts
            .iter()
            .zip(arn_parts.iter())
            .all(|(p, a)| glob(p, a, false) == Tri::True),
    )
}

/// Splits at the first five literal colons, like `str::splitn(6, ':')`.
fn split_tokens(toks: &[Tok]) -> Vec<&[Tok]> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, tok) in toks.iter().enumerate() {
        if parts.len() == 5 {
            break;
        }
        if *tok == Tok::Lit(':') {
            parts.push(toks.get(start..i).unwrap_or(&[]));
            start = i + 1;
        }
    }
    parts.push(toks.get(start..).unwrap_or(&[]));
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        let reading = Reading {
            wildcards: true,
            variables: false,
        };
        tokens(&PolicyStr::known(s), reading, &Context::default()).unwrap_or_default()
    }

    #[test]
    fn wildcards() {
        assert_eq!(glob(&toks("s3:Get*"), "s3:GetObject", false), Tri::True);
        assert_eq!(glob(&toks("s3:get*"), "s3:GetObject", true), Tri::True);
        assert_eq!(glob(&toks("s3:get*"), "s3:GetObject", false), Tri::False);
        assert_eq!(glob(&toks("a?c"), "abc", false), Tri::True);
        assert_eq!(glob(&toks("a?c"), "ac", false), Tri::False);
        assert_eq!(glob(&toks("*a*b*"), "xxaxxbxx", false), Tri::True);
        assert_eq!(glob(&toks(""), "", false), Tri::True);
    }

    #[test]
    fn arn_segments() {
        let arn = "arn:aws:iam::123456789012:user/a:b";
        assert_eq!(arn_match(&toks("arn:aws:iam::*:user/*"), arn), Tri::True);
        assert_eq!(arn_match(&toks("arn:aws:*:user/*"), arn), Tri::False);
        assert_eq!(arn_match(&toks("arn:aws:iam::*"), arn), Tri::False);
        assert_eq!(arn_match(&toks("*"), arn), Tri::True);
    }

    #[test]
    fn substitution_agrees_with_tokens() {
        let mut ctx = Context::default();
        ctx.push("aws:username", "alice");
        ctx.push("aws:star", "a*b");
        ctx.push("aws:colon", "x:y");
        ctx.push("aws:multi", "1");
        ctx.push("aws:multi", "2");
        let reading = Reading {
            wildcards: true,
            variables: true,
        };
        let values = [
            "arn:aws:s3:::b/${aws:username}/*",
            "${aws:username}",
            "a${aws:missing}b",
            "a${aws:missing, 'dflt'}b",
            "${aws:multi}",
            "${aws:star}",
            "${*}x",
            "${$}${aws:username}",
            "x${aws:username",
            "${aws:colon}:*",
            "arn:aws:s3:::${aws:username}",
            "${}",
        ];
        let texts = [
            "arn:aws:s3:::b/alice/k",
            "alice",
            "ab",
            "adfltb",
            "a*b",
            "$alice",
            "x${aws:username",
            "x:y:z",
            "arn:aws:s3:::alice",
            "",
        ];
        let mut buf = String::new();
        for v in values {
            let toks = tokens(&PolicyStr::known(v), reading, &ctx);
            for t in texts {
                let expected = toks.as_ref().map(|k| arn_match(k, t) == Tri::True);
                match substitute(v, &ctx, &mut buf) {
                    Substituted::Text => {
                        assert_eq!(
                            Some(arn_match_str(&buf, t).unwrap_or(false)),
                            expected,
                            "{v} {t}"
                        )
                    }
                    Substituted::NoValue => assert_eq!(expected, None, "{v}"),
                    Substituted::Tokens => {}
                }
            }
        }
    }

    #[test]
    fn fast_paths_agree_with_tokens() {
        let patterns = [
            "*",
            "s3:Get*",
            "a?c",
            "*a*b*",
            "",
            "arn:aws:iam::*:user/*",
            "arn:aws:*:user/*",
            "arn:aws:iam::*",
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b",
            "*:*",
            "x:*:y",
            "s3:get*",
            "S3:GetObject",
            "arn:aws:s3:::b*",
            "arn:aws:s3:::b/?",
            "*:*:*:*:*:*",
            "arn:aws:iam::*:user/*/x",
            "arn:aws:iam::123456789012:user/a:*",
        ];
        let texts = [
            "s3:GetObject",
            "S3:getobject",
            "abc",
            "ac",
            "xxaxxbxx",
            "",
            "*",
            "arn:aws:iam::123456789012:user/a:b",
            "arn:aws:s3:::b/k",
            "arn:aws:s3:::b",
            "x:1:y",
        ];
        for p in patterns {
            for t in texts {
                for ic in [false, true] {
                    assert_eq!(
                        glob_str(p, t, ic),
                        Some(glob(&toks(p), t, ic) == Tri::True),
                        "{p} {t}"
                    );
                }
                assert_eq!(
                    arn_match_str(p, t),
                    Some(arn_match(&toks(p), t) == Tri::True),
                    "{p} {t}"
                );
            }
        }
    }
}
