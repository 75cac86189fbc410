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

/// `key` or `key, 'default'`. A variable needs exactly one value: multivalued keys cannot be variables.
fn resolve_variable(inner: &str, ctx: &Context) -> Option<String> {
    let (key, default) = match inner.split_once(',') {
        Some((key, default)) => {
            let default = default.trim();
            let default = default
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))
                .map(str::to_string);
            (key.trim(), default)
        }
        None => (inner.trim(), None),
    };
    match ctx.get(key) {
        Some([one]) => Some(one.clone()),
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
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let eq = |a: u8, b: u8| {
        if ignore_case {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut pi, mut ti) = (0usize, 0usize);
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
                None => return Some(false),
            },
        }
    }
    Some(p.get(pi..).unwrap_or(&[]).iter().all(|c| *c == b'*'))
}

/// `arn_match` for a fully known ASCII pattern without variables, without allocating.
pub(crate) fn arn_match_str(pattern: &str, arn: &str) -> Option<bool> {
    if pattern == "*" {
        return Some(true);
    }
    if !pattern.is_ascii() || !arn.is_ascii() {
        return None;
    }
    let Some(arn_parts) = six_parts(arn) else {
        return glob_str(pattern, arn, false);
    };
    let Some(pattern_parts) = six_parts(pattern) else {
        return Some(false);
    };
    for (p, a) in pattern_parts.iter().zip(arn_parts.iter()) {
        if !glob_str(p, a, false)? {
            return Some(false);
        }
    }
    Some(true)
}

/// `splitn(6, ':')` into an array, or `None` with fewer than six parts; a byte scan, since the
/// generic splitter dominates matching time on short ARNs.
fn six_parts(s: &str) -> Option<[&str; 6]> {
    let mut parts = [""; 6];
    let mut start = 0;
    let mut n = 0;
    for (i, b) in s.bytes().enumerate() {
        if b == b':' && n < 5 {
            *parts.get_mut(n)? = s.get(start..i)?;
            n += 1;
            start = i + 1;
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
