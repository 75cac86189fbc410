//! The Condition element: every operator family, `IfExists`, `ForAllValues:`/`ForAnyValue:`, missing
//! keys and multivalued keys, as the IAM User Guide's "Condition operators" and "Single-valued vs.
//! multivalued context keys" pages describe them.

use std::net::IpAddr;

use crate::eval::Context;
use crate::pattern::{
    arn_match, arn_match_str, glob, glob_str, substitute, tokens, Reading, Substituted, Tri,
};
use crate::policy::{ConditionBlock, ConditionEntry, OperatorKind, PolicyStr, SetQualifier};

/// All blocks and all keys in a block must hold.
pub(crate) fn eval_condition(blocks: &[ConditionBlock], ctx: &Context, variables: bool) -> Tri {
    Tri::all(blocks.iter().flat_map(|block| {
        block
            .entries
            .iter()
            .map(move |entry| eval_entry(block, entry, ctx, variables))
    }))
}

fn eval_entry(
    block: &ConditionBlock,
    entry: &ConditionEntry,
    ctx: &Context,
    variables: bool,
) -> Tri {
    let op = block.operator;
    // An empty value list is read as a missing key: AWS treats empty values as null.
    let present = ctx.get(&entry.key).filter(|v| !v.is_empty());
    if op.kind == OperatorKind::Null {
        return Tri::any(entry.values.iter().map(|v| match v {
            PolicyStr::Known(s) => {
                Tri::from_bool(s.eq_ignore_ascii_case("true") == present.is_none())
            }
            _ => Tri::Unknown,
        }));
    }
    let negated = op.kind.is_negated();
    let Some(request_values) = present else {
        if op.if_exists {
            return Tri::True;
        }
        return match op.set {
            // "ForAllValues also returns true if there are no context keys in the request."
            Some(SetQualifier::ForAllValues) => Tri::True,
            Some(SetQualifier::ForAnyValue) => Tri::False,
            // A missing key does not match; the negated operators are then true.
            None => Tri::from_bool(negated),
        };
    };
    let positive = positive_of(op.kind);
    let variables = variables && op.kind.takes_variables();
    // Values in the policy are ORed: one request value matches if it matches any of them.
    let matches_one = |r: &str| {
        Tri::any(
            entry
                .values
                .iter()
                .map(|p| compare(positive, p, r, ctx, variables)),
        )
    };
    let per_value = |r: &String| {
        let m = matches_one(r);
        if negated {
            m.not()
        } else {
            m
        }
    };
    match op.set {
        Some(SetQualifier::ForAllValues) => Tri::all(request_values.iter().map(per_value)),
        Some(SetQualifier::ForAnyValue) => Tri::any(request_values.iter().map(per_value)),
        None => {
            let any = Tri::any(request_values.iter().map(|r| matches_one(r)));
            if negated {
                any.not()
            } else {
                any
            }
        }
    }
}

fn positive_of(kind: OperatorKind) -> OperatorKind {
    match kind {
        OperatorKind::StringNotEquals => OperatorKind::StringEquals,
        OperatorKind::StringNotEqualsIgnoreCase => OperatorKind::StringEqualsIgnoreCase,
        OperatorKind::StringNotLike => OperatorKind::StringLike,
        OperatorKind::NumericNotEquals => OperatorKind::NumericEquals,
        OperatorKind::DateNotEquals => OperatorKind::DateEquals,
        OperatorKind::NotIpAddress => OperatorKind::IpAddress,
        OperatorKind::ArnNotEquals => OperatorKind::ArnEquals,
        OperatorKind::ArnNotLike => OperatorKind::ArnLike,
        other => other,
    }
}

/// One policy value against one request value, for a positive operator.
fn compare(
    kind: OperatorKind,
    policy: &PolicyStr,
    request: &str,
    ctx: &Context,
    variables: bool,
) -> Tri {
    // A fully known ASCII value without variables (nearly all of them) is compared in place; the
    // general path below reads it into tokens first.
    let mut substituted = String::new();
    let text = match policy.as_known() {
        Some(p) if !variables || !p.contains("${") => Some(p),
        Some(p) if kind.takes_variables() => match substitute(p, ctx, &mut substituted) {
            Substituted::Text => Some(substituted.as_str()),
            Substituted::NoValue => return Tri::False,
            Substituted::Tokens => None,
        },
        _ => None,
    };
    if let Some(p) = text {
        let fast = match kind {
            OperatorKind::StringEquals => Some(p == request),
            OperatorKind::StringEqualsIgnoreCase if p.is_ascii() && request.is_ascii() => {
                Some(p.eq_ignore_ascii_case(request))
            }
            OperatorKind::StringLike => glob_str(p, request, false),
            OperatorKind::ArnEquals | OperatorKind::ArnLike => arn_match_str(p, request),
            _ => None,
        };
        if let Some(fast) = fast {
            return Tri::from_bool(fast);
        }
    }
    let read = |wildcards| {
        tokens(
            policy,
            Reading {
                wildcards,
                variables,
            },
            ctx,
        )
    };
    match kind {
        OperatorKind::StringEquals => read(false).map_or(Tri::False, |t| glob(&t, request, false)),
        OperatorKind::StringEqualsIgnoreCase => {
            read(false).map_or(Tri::False, |t| glob(&t, request, true))
        }
        OperatorKind::StringLike => read(true).map_or(Tri::False, |t| glob(&t, request, false)),
        // ArnEquals and ArnLike are the same operator in AWS: both take wildcards, part by part.
        OperatorKind::ArnEquals | OperatorKind::ArnLike => {
            read(true).map_or(Tri::False, |t| arn_match(&t, request))
        }
        OperatorKind::Bool => known(policy, |p| {
            ["true", "false"]
                .iter()
                .any(|b| p.eq_ignore_ascii_case(b) && request.eq_ignore_ascii_case(b))
        }),
        // Compared as the base64 text AWS receives.
        OperatorKind::BinaryEquals => known(policy, |p| p == request),
        OperatorKind::IpAddress => known(policy, |p| ip_in(p, request)),
        OperatorKind::NumericEquals
        | OperatorKind::NumericLessThan
        | OperatorKind::NumericLessThanEquals
        | OperatorKind::NumericGreaterThan
        | OperatorKind::NumericGreaterThanEquals => known(policy, |p| {
            match (p.trim().parse::<f64>(), request.trim().parse::<f64>()) {
                (Ok(p), Ok(r)) if p.is_finite() && r.is_finite() => {
                    ordered(kind, r.partial_cmp(&p))
                }
                _ => false,
            }
        }),
        OperatorKind::DateEquals
        | OperatorKind::DateLessThan
        | OperatorKind::DateLessThanEquals
        | OperatorKind::DateGreaterThan
        | OperatorKind::DateGreaterThanEquals => {
            known(policy, |p| match (parse_date(p), parse_date(request)) {
                (Some(p), Some(r)) => ordered(kind, Some(r.cmp(&p))),
                _ => false,
            })
        }
        // Negated operators and Null never reach here (see `positive_of` and `eval_entry`).
        _ => Tri::False,
    }
}

fn known(policy: &PolicyStr, f: impl Fn(&str) -> bool) -> Tri {
    match policy {
        PolicyStr::Known(s) => Tri::from_bool(f(s)),
        _ => Tri::Unknown,
    }
}

/// `ord` is request compared to policy.
fn ordered(kind: OperatorKind, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let Some(ord) = ord else { return false };
    match kind {
        OperatorKind::NumericEquals | OperatorKind::DateEquals => ord == Equal,
        OperatorKind::NumericLessThan | OperatorKind::DateLessThan => ord == Less,
        OperatorKind::NumericLessThanEquals | OperatorKind::DateLessThanEquals => ord != Greater,
        OperatorKind::NumericGreaterThan | OperatorKind::DateGreaterThan => ord == Greater,
        OperatorKind::NumericGreaterThanEquals | OperatorKind::DateGreaterThanEquals => ord != Less,
        _ => false,
    }
}

/// Whether `ip` lies in `cidr` (a CIDR block, or a single address). IPv4 and IPv6 never match each other.
pub(crate) fn ip_in(cidr: &str, ip: &str) -> bool {
    let (net, prefix) = match cidr.trim().split_once('/') {
        Some((net, prefix)) => match prefix.parse::<u32>() {
            Ok(p) => (net, Some(p)),
            Err(_) => return false,
        },
        None => (cidr.trim(), None),
    };
    match (net.parse::<IpAddr>(), ip.trim().parse::<IpAddr>()) {
        (Ok(IpAddr::V4(net)), Ok(IpAddr::V4(ip))) => {
            let prefix = prefix.unwrap_or(32);
            if prefix > 32 {
                return false;
            }
            let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
            u32::from(net) & mask == u32::from(ip) & mask
        }
        (Ok(IpAddr::V6(net)), Ok(IpAddr::V6(ip))) => {
            let prefix = prefix.unwrap_or(128);
            if prefix > 128 {
                return false;
            }
            let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
            u128::from(net) & mask == u128::from(ip) & mask
        }
        _ => false,
    }
}

/// A date as AWS's Date operators read it: ISO 8601 (`2020-01-02`, `2020-01-02T03:04:05Z`, with optional
/// fraction and offset) or seconds since the epoch. Returns nanoseconds since the epoch.
pub(crate) fn parse_date(s: &str) -> Option<i128> {
    let s = s.trim();
    let (negative, body) = match s.strip_prefix('-') {
        Some(body) => (true, body),
        None => (false, s),
    };
    if !body.is_empty() && body.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return parse_epoch(body).map(|n| if negative { -n } else { n });
    }
    let (date, time) = match s.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut it = date.split('-');
    let year: i64 = num(it.next()?, 4)?;
    let month: i64 = num(it.next()?, 2)?;
    let day: i64 = num(it.next()?, 2)?;
    if it.next().is_some()
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
    {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    let mut nanos: i128 = 0;
    if let Some(time) = time {
        let (clock, offset) = split_offset(time)?;
        let mut parts = clock.split(':');
        let hour: i64 = num(parts.next()?, 2)?;
        let minute: i64 = num(parts.next()?, 2)?;
        let (sec, frac) = match parts.next() {
            Some(sec) => match sec.split_once(['.', ',']) {
                Some((s, f)) => (num(s, 2)?, Some(f)),
                None => (num(sec, 2)?, None),
            },
            None => (0, None),
        };
        if parts.next().is_some() || hour > 24 || minute > 59 || sec > 60 {
            return None;
        }
        if let Some(frac) = frac {
            if frac.is_empty() || !frac.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let digits: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
            nanos = digits.parse::<i128>().ok()?;
        }
        seconds += hour * 3600 + minute * 60 + sec - offset;
    }
    Some(i128::from(seconds) * 1_000_000_000 + nanos)
}

fn parse_epoch(s: &str) -> Option<i128> {
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    let whole: i128 = whole.parse().ok()?;
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
    let nanos: i128 = digits.parse().ok()?;
    whole.checked_mul(1_000_000_000)?.checked_add(nanos)
}

/// Splits `hh:mm:ssZ` / `hh:mm:ss+01:00` into the clock and the offset in seconds.
fn split_offset(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    match time.rfind(['+', '-']) {
        Some(i) => {
            let (clock, off) = (time.get(..i)?, time.get(i..)?);
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let off = off.get(1..)?;
            let (h, m) = match off.split_once(':') {
                Some((h, m)) => (h, m),
                None if off.len() == 4 => (off.get(..2)?, off.get(2..)?),
                None => (off, "00"),
            };
            let (h, m): (i64, i64) = (num(h, 2)?, num(m, 2)?);
            Some((clock, sign * (h * 3600 + m * 60)))
        }
        None => Some((time, 0)),
    }
}

fn num(s: &str, len: usize) -> Option<i64> {
    if s.len() != len || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("1970-01-01T00:00:01Z"), Some(1_000_000_000));
        assert_eq!(parse_date("1"), Some(1_000_000_000));
        assert_eq!(parse_date("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_date("2020-02-30"), None);
        assert_eq!(parse_date("2020-01-01T00:00:00Z"), parse_date("1577836800"));
        assert_eq!(
            parse_date("2020-01-01T00:00:00.5Z").map(|n| n % 1_000_000_000),
            Some(500_000_000)
        );
        assert_eq!(parse_date("garbage"), None);
    }

    #[test]
    fn ips() {
        assert!(ip_in("203.0.113.0/24", "203.0.113.7"));
        assert!(!ip_in("203.0.113.0/24", "203.0.114.7"));
        assert!(ip_in("0.0.0.0/0", "8.8.8.8"));
        assert!(ip_in("2001:db8::/32", "2001:db8:1::1"));
        assert!(!ip_in("2001:db8::/32", "203.0.113.7"));
        assert!(ip_in("203.0.113.7", "203.0.113.7"));
        assert!(!ip_in("203.0.113.0/33", "203.0.113.7"));
    }
}
