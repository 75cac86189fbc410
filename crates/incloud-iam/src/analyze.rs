//! Analyses in the sense of IAM Access Analyzer: who outside the account can reach a resource, what an
//! identity policy grants, which wildcards matter, which privilege-escalation paths a set of identity
//! policies opens, and whether a key policy separates key administration from key use.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::catalog::{catalog, wildcard_match, AccessLevel, ActionDef};
use crate::eval::{
    evaluate, Context, Decision, MatchedStatement, NamedPolicy, PolicySet, Principal, Request,
};
use crate::policy::{
    ConditionEntry, Effect, Element, OperatorKind, Origin, Policy, PolicyStr, PrincipalElement,
    PrincipalType, PrincipalValue, SetQualifier, Statement, StrPart,
};
use crate::validate::valid_cidr;

// ---------------------------------------------------------------------------------------------------
// Who can reach a resource
// ---------------------------------------------------------------------------------------------------

/// Who a resource-based policy statement lets in, from the widest to the narrowest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// Anyone, including anonymous callers and every AWS account.
    Public,
    /// A principal or a condition value is not known (a template value): it may be public. Never
    /// assumed private. The strings say what is unknown.
    Unknown(Vec<String>),
    /// Other accounts: account ids, `federated:<provider>`, `canonical-user:<id>`, or, for a statement
    /// open to everyone but limited by a condition that does not name an account, that condition
    /// (`aws:SourceVpce=vpce-1`, `aws:PrincipalOrgID=o-1`).
    CrossAccount(Vec<String>),
    /// AWS service principals.
    Services(Vec<String>),
    /// Only principals of the resource's own account.
    AccountOnly,
}

/// One Allow statement's reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementAccess {
    pub statement: usize,
    pub origin: Origin,
    /// A statement that names several kinds of principal has one entry per kind, widest first.
    pub access: Vec<Access>,
    /// The conditions (of the statement or of Deny statements that cover it) that keep it from being
    /// public: `key=value,...`.
    pub limited_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessReport {
    /// Allow statements that grant anything, in document order.
    pub statements: Vec<StatementAccess>,
}

impl AccessReport {
    /// The widest reach of any statement (`AccountOnly` when nothing is granted at all).
    pub fn widest(&self) -> Access {
        self.statements
            .iter()
            .flat_map(|s| s.access.iter())
            .min()
            .cloned()
            .unwrap_or(Access::AccountOnly)
    }

    pub fn is_public(&self) -> bool {
        self.widest() == Access::Public
    }

    /// Every other account, provider or limiting condition any statement lets in.
    pub fn cross_account(&self) -> Vec<String> {
        let set: BTreeSet<&String> = self
            .statements
            .iter()
            .flat_map(|s| s.access.iter())
            .filter_map(|a| match a {
                Access::CrossAccount(v) => Some(v.iter()),
                _ => None,
            })
            .flatten()
            .collect();
        set.into_iter().cloned().collect()
    }

    /// The Allow statements that grant the given reach.
    pub fn statements_granting(&self, access: &Access) -> Vec<usize> {
        self.statements
            .iter()
            .filter(|s| s.access.contains(access))
            .map(|s| s.statement)
            .collect()
    }
}

/// How a condition key narrows who can make a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PinKind {
    /// The value is an account id.
    Account,
    /// The value is an ARN whose account part names the caller's (or the source's) account.
    Arn,
    /// An IP address range: pins only when private (RFC 1918 and the like).
    Ip,
    /// Any other identifier of the caller or the network path (VPC endpoint, organization, user id).
    Id,
}

/// Condition keys that name the caller or where the request comes from. `aws:SecureTransport` and the
/// like are not among them: anyone can satisfy them.
const PINNING_KEYS: &[(&str, PinKind)] = &[
    ("aws:PrincipalAccount", PinKind::Account),
    ("aws:SourceAccount", PinKind::Account),
    ("aws:SourceOwner", PinKind::Account),
    ("kms:CallerAccount", PinKind::Account),
    ("aws:PrincipalArn", PinKind::Arn),
    ("aws:SourceArn", PinKind::Arn),
    ("aws:SourceIp", PinKind::Ip),
    ("aws:VpcSourceIp", PinKind::Id),
    ("aws:SourceVpce", PinKind::Id),
    ("aws:SourceVpc", PinKind::Id),
    ("aws:SourceVpcArn", PinKind::Id),
    ("aws:VpceAccount", PinKind::Account),
    ("aws:VpceOrgID", PinKind::Id),
    ("aws:VpceOrgPaths", PinKind::Id),
    ("aws:PrincipalOrgID", PinKind::Id),
    ("aws:PrincipalOrgPaths", PinKind::Id),
    ("aws:SourceOrgID", PinKind::Id),
    ("aws:SourceOrgPaths", PinKind::Id),
    ("aws:userid", PinKind::Id),
    ("aws:PrincipalServiceName", PinKind::Id),
    ("kms:ViaService", PinKind::Id),
    ("aws:Ec2InstanceSourceVpc", PinKind::Id),
];

fn pin_kind(key: &str) -> Option<PinKind> {
    PINNING_KEYS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, kind)| *kind)
}

fn is_like(op: OperatorKind) -> bool {
    matches!(
        op,
        OperatorKind::StringLike
            | OperatorKind::StringNotLike
            | OperatorKind::ArnLike
            | OperatorKind::ArnNotLike
            | OperatorKind::ArnEquals
            | OperatorKind::ArnNotEquals
    )
}

fn is_string_or_arn(op: OperatorKind) -> bool {
    op.takes_variables()
}

/// Whether this one condition value keeps out a caller who chose none of the policy's values: a
/// stranger's account, VPC endpoint, organization, public IP address.
fn value_pins(kind: PinKind, op: OperatorKind, value: &PolicyStr) -> bool {
    let Some(v) = value.as_known() else {
        // An unknown address range may be public; an unknown account or endpoint id is still one id.
        return kind != PinKind::Ip;
    };
    if kind == PinKind::Ip {
        return matches!(op, OperatorKind::IpAddress | OperatorKind::NotIpAddress)
            && valid_cidr(v)
            && !cidr_is_public(v);
    }
    if !is_string_or_arn(op) {
        return false;
    }
    if !is_like(op) || !v.contains(['*', '?']) {
        return true;
    }
    match kind {
        PinKind::Arn => v
            .split(':')
            .nth(4)
            .is_some_and(|acct| !acct.is_empty() && !acct.contains(['*', '?'])),
        PinKind::Account => false,
        // `vpce-*`, `o-*`: any endpoint or organization. A longer literal prefix is taken as naming one.
        _ => v.find(['*', '?']).is_some_and(|i| i > 5),
    }
}

/// True for a range that contains addresses routable on the internet.
fn cidr_is_public(cidr: &str) -> bool {
    use std::net::IpAddr;
    let (net, prefix) = match cidr.trim().split_once('/') {
        Some((n, p)) => (n, p.parse::<u32>().ok()),
        None => (cidr.trim(), None),
    };
    match net.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => {
            let prefix = prefix.unwrap_or(32);
            let private = [
                ([10, 0, 0, 0], 8),
                ([172, 16, 0, 0], 12),
                ([192, 168, 0, 0], 16),
                ([100, 64, 0, 0], 10),
                ([127, 0, 0, 0], 8),
                ([169, 254, 0, 0], 16),
            ];
            !private.iter().any(|(base, len)| {
                let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
                prefix >= *len && u32::from(ip) & mask == u32::from_be_bytes(*base) & mask
            })
        }
        Ok(IpAddr::V6(ip)) => {
            let prefix = prefix.unwrap_or(128);
            let seg = ip.segments()[0];
            let unique_local = prefix >= 7 && seg & 0xfe00 == 0xfc00;
            let link_local = prefix >= 10 && seg & 0xffc0 == 0xfe80;
            !(unique_local || link_local || ip.is_loopback())
        }
        Err(_) => true,
    }
}

fn describe(entry: &ConditionEntry) -> String {
    let values: Vec<String> = entry.values.iter().map(render).collect();
    format!("{}={}", entry.key, values.join(","))
}

/// A condition of an Allow statement that no stranger can satisfy.
fn allow_entry_pins(op: crate::policy::Operator, entry: &ConditionEntry) -> bool {
    let Some(kind) = pin_kind(&entry.key) else {
        return false;
    };
    !op.kind.is_negated()
        && op.kind != OperatorKind::Null
        && !op.if_exists
        && op.set != Some(SetQualifier::ForAllValues)
        && !entry.values.is_empty()
        && entry.values.iter().all(|v| value_pins(kind, op.kind, v))
}

/// A condition of a Deny statement that every stranger meets (`StringNotEquals aws:SourceVpce`).
fn deny_entry_catches_strangers(op: crate::policy::Operator, entry: &ConditionEntry) -> bool {
    let Some(kind) = pin_kind(&entry.key) else {
        return false;
    };
    op.kind.is_negated()
        && op.set.is_none()
        && !entry.values.is_empty()
        && entry.values.iter().all(|v| value_pins(kind, op.kind, v))
}

/// The principals a statement names.
#[derive(Default)]
struct Named {
    everyone: bool,
    accounts: BTreeSet<String>,
    others: BTreeSet<String>,
    services: BTreeSet<String>,
    unknown: BTreeSet<String>,
}

fn account_of_principal(v: &str) -> Option<String> {
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v.to_string());
    }
    let parts: Vec<&str> = v.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, _, _, account, _] => Some((*account).to_string()),
        _ => None,
    }
}

fn names_own_account(value: &PolicyStr) -> bool {
    let reason_is_account = |why: &str| why.contains("AWS::AccountId");
    match value {
        PolicyStr::Unknown(why) => reason_is_account(why),
        PolicyStr::Partial(parts) => {
            // `arn:aws:iam::${AWS::AccountId}:root` and the like.
            let holes: Vec<&String> = parts
                .iter()
                .filter_map(|p| match p {
                    StrPart::Unknown(w) => Some(w),
                    StrPart::Lit(_) => None,
                })
                .collect();
            !holes.is_empty() && holes.iter().all(|w| reason_is_account(w))
        }
        PolicyStr::Known(_) => false,
    }
}

/// A value the template computes from one of its own resources (`!GetAtt Role.Arn`): that resource, in
/// the template's account.
fn is_template_reference(v: &PolicyStr) -> bool {
    matches!(v, PolicyStr::Unknown(why) if why.starts_with("Fn::GetAtt ") && !why.contains("Outputs."))
}

fn named_principals(p: &PrincipalElement, this_account: &str) -> Named {
    let mut named = Named::default();
    let entries = match &p.value {
        PrincipalValue::Any => {
            named.everyone = !p.negated;
            return named;
        }
        PrincipalValue::Map(entries) => entries,
    };
    if p.negated {
        // NotPrincipal: everyone except those listed (unless it lists everyone).
        let lists_everyone = entries.iter().any(|(ty, values)| {
            *ty == PrincipalType::Aws && values.iter().any(|v| v.as_known() == Some("*"))
        });
        named.everyone = !lists_everyone;
        return named;
    }
    for (ty, values) in entries {
        for v in values {
            match (ty, v) {
                (PrincipalType::Aws, PolicyStr::Known(s)) if s == "*" => named.everyone = true,
                (PrincipalType::Aws, PolicyStr::Known(s)) => match account_of_principal(s) {
                    Some(acct) if acct.contains(['*', '?']) => named.everyone = true,
                    Some(acct) => {
                        named.accounts.insert(acct);
                    }
                    None => {
                        named.unknown.insert(format!("principal {s}"));
                    }
                },
                (PrincipalType::Aws, v) if names_own_account(v) || is_template_reference(v) => {
                    named.accounts.insert(this_account.to_string());
                }
                // `arn:aws:iam::${Partner}:root`: one principal of an account the template does not
                // know, never everyone.
                (PrincipalType::Aws, PolicyStr::Partial(parts)) if matches!(parts.first(), Some(StrPart::Lit(l)) if l.starts_with("arn:")) =>
                {
                    let text = render(v);
                    let account = text.split(':').nth(4).filter(|a| !a.is_empty());
                    named.accounts.insert(account.unwrap_or(&text).to_string());
                }
                // `states.${AWS::Region}.amazonaws.com`: a service, whatever the region.
                (PrincipalType::Service, PolicyStr::Partial(parts)) if matches!(parts.last(), Some(StrPart::Lit(l)) if l.ends_with(".amazonaws.com") || l.ends_with(".amazonaws.com.cn")) =>
                {
                    named.services.insert(render(v).to_ascii_lowercase());
                }
                (PrincipalType::CanonicalUser, v) if is_template_reference(v) => {
                    named.others.insert(format!("canonical-user:{}", render(v)));
                }
                (PrincipalType::Service, PolicyStr::Known(s)) => {
                    named.services.insert(s.to_ascii_lowercase());
                }
                (PrincipalType::Federated, PolicyStr::Known(s)) => {
                    named.others.insert(format!("federated:{s}"));
                }
                // An identity provider of the template's own account
                // (`arn:aws:iam::${AWS::AccountId}:oidc-provider/...`): known to be that provider.
                (PrincipalType::Federated, v) if names_own_account(v) => {
                    named.others.insert(format!("federated:{}", render(v)));
                }
                (PrincipalType::CanonicalUser, PolicyStr::Known(s)) => {
                    named.others.insert(format!("canonical-user:{s}"));
                }
                (ty, v) => {
                    named
                        .unknown
                        .insert(format!("{} principal {}", ty.as_str(), render(v)));
                }
            }
        }
    }
    named
}

/// Whether a Deny statement applies to callers from an account the policy does not name.
fn deny_covers_strangers(stmt: &Statement) -> bool {
    match &stmt.principal {
        // Other policy kinds are about their own principal.
        None => false,
        Some(p) => match &p.value {
            PrincipalValue::Any => !p.negated,
            PrincipalValue::Map(entries) => {
                let lists_everyone = entries.iter().any(|(ty, values)| {
                    *ty == PrincipalType::Aws && values.iter().any(|v| v.as_known() == Some("*"))
                });
                if p.negated {
                    !lists_everyone
                } else {
                    lists_everyone
                }
            }
        },
    }
}

/// `pattern` (of a Deny) matches every string `target` (of an Allow) matches. `*` in the pattern spans
/// anything; `?` matches one character that is not a wildcard of the target.
fn subsumes(pattern: &str, target: &str, ignore_case: bool) -> bool {
    let (p, t) = (pattern.as_bytes(), target.as_bytes());
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
            (Some(b'?'), Some(c)) if *c != b'*' => {
                pi += 1;
                ti += 1;
            }
            (Some(a), Some(b)) if *a != b'?' && eq(*a, *b) => {
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

/// The values of an Allow statement's element, with `None` for "everything" (a `Not` element) and
/// for unknown values (which only a `*` covers).
fn allow_values(el: Option<&Element>) -> Vec<Option<&str>> {
    match el {
        None => vec![None],
        Some(el) if el.negated => vec![None],
        Some(el) => el.values.iter().map(|v| v.as_known()).collect(),
    }
}

fn deny_covers(el: Option<&Element>, target: Option<&str>, ignore_case: bool) -> bool {
    let Some(el) = el else {
        // A trust policy statement without Resource is about the role itself.
        return true;
    };
    if el.negated {
        return false;
    }
    el.values.iter().any(|v| match (v.as_known(), target) {
        (Some("*"), _) => true,
        (Some(p), Some(t)) => subsumes(p, t, ignore_case),
        _ => false,
    })
}

/// Who can reach the resource a resource-based policy protects, as Access Analyzer's external access
/// findings define it. `this_account` is the resource's account.
pub fn access(policy: &Policy, this_account: &str) -> AccessReport {
    let denies: Vec<&Statement> = policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Deny && deny_covers_strangers(s))
        .collect();
    let mut statements = Vec::new();
    for (index, stmt) in policy.statements.iter().enumerate() {
        if stmt.effect != Effect::Allow {
            continue;
        }
        let Some(principal) = &stmt.principal else {
            continue;
        };
        let named = named_principals(principal, this_account);
        // Pins come in groups: any one entry of a group lets a caller in (the entries of one Deny
        // statement, which must all hold for it to apply), and every group must let it in. An Allow
        // statement's own pins are groups of one.
        let mut own_pins: Vec<Vec<&ConditionEntry>> = Vec::new();
        let mut unknown_conditions = Vec::new();
        for block in &stmt.condition {
            for entry in &block.entries {
                if allow_entry_pins(block.operator, entry) {
                    own_pins.push(vec![entry]);
                    // A pinning value that cannot be known still names one account, endpoint or
                    // organization: never everyone.
                } else if pin_kind(&entry.key) == Some(PinKind::Ip)
                    && !block.operator.kind.is_negated()
                    && entry.values.iter().any(|v| v.as_known().is_none())
                {
                    // An address range that cannot be known may be 0.0.0.0/0.
                    unknown_conditions.push(describe(entry));
                }
            }
        }

        // Each (action, resource) of the statement is dead (an unconditional Deny covers it), limited
        // (a Deny lets in only callers meeting its conditions), or open.
        let mut any_open = false;
        let mut any_alive = false;
        let mut deny_pins: Vec<Vec<&ConditionEntry>> = Vec::new();
        for action in allow_values(stmt.action.as_ref()) {
            for resource in allow_values(stmt.resource.as_ref()) {
                let covering: Vec<&&Statement> = denies
                    .iter()
                    .filter(|d| {
                        deny_covers(d.action.as_ref(), action, true)
                            && deny_covers(d.resource.as_ref(), resource, false)
                    })
                    .collect();
                if covering.iter().any(|d| d.condition.is_empty()) {
                    continue;
                }
                any_alive = true;
                let mut pair_pins = Vec::new();
                for d in &covering {
                    let entries: Vec<_> = d
                        .condition
                        .iter()
                        .flat_map(|b| b.entries.iter().map(move |e| (b.operator, e)))
                        .collect();
                    if entries
                        .iter()
                        .all(|(op, e)| deny_entry_catches_strangers(*op, e))
                    {
                        pair_pins.push(entries.iter().map(|(_, e)| *e).collect::<Vec<_>>());
                    }
                }
                if pair_pins.is_empty() {
                    any_open = true;
                }
                deny_pins.extend(pair_pins);
            }
        }
        if !any_alive {
            continue;
        }

        let mut access = Vec::new();
        let pins: Vec<Vec<&ConditionEntry>> = if any_open {
            own_pins.clone()
        } else {
            own_pins.iter().chain(deny_pins.iter()).cloned().collect()
        };
        let mut limited_by: Vec<String> = pins.iter().flatten().map(|e| describe(e)).collect();
        limited_by.sort();
        limited_by.dedup();
        if named.everyone {
            if pins.is_empty() {
                access.push(Access::Public);
            } else {
                access.push(classify_pinned(&pins, this_account));
            }
        }
        let mut unknown: Vec<String> = named.unknown.iter().cloned().collect();
        unknown.extend(unknown_conditions);
        if !unknown.is_empty() && !access.contains(&Access::Public) {
            access.push(Access::Unknown(unknown));
        }
        let foreign: Vec<String> = named
            .accounts
            .iter()
            .filter(|a| *a != this_account)
            .cloned()
            .chain(named.others.iter().cloned())
            .collect();
        if !foreign.is_empty() {
            access.push(Access::CrossAccount(foreign));
        }
        if !named.services.is_empty() {
            access.push(Access::Services(named.services.iter().cloned().collect()));
        }
        if named.accounts.contains(this_account) {
            access.push(Access::AccountOnly);
        }
        access.sort();
        access.dedup();
        if access.is_empty() {
            continue;
        }
        statements.push(StatementAccess {
            statement: index,
            origin: stmt.origin,
            access,
            limited_by,
        });
    }
    AccessReport { statements }
}

/// A statement open to everyone but for conditions: to the resource's account only, to the accounts the
/// conditions name, or to whoever meets them.
fn classify_pinned(pins: &[Vec<&ConditionEntry>], this_account: &str) -> Access {
    let mut accounts: Option<BTreeSet<String>> = None;
    let mut others = BTreeSet::new();
    for group in pins {
        // A group names accounts only if every way through it does.
        let named: Option<BTreeSet<String>> = group
            .iter()
            .map(|e| entry_accounts(e, this_account))
            .try_fold(BTreeSet::new(), |mut all, one| {
                all.extend(one?);
                Some(all)
            });
        match named {
            Some(set) => {
                accounts = Some(match accounts {
                    Some(prev) => prev.intersection(&set).cloned().collect(),
                    None => set,
                })
            }
            None => others.extend(group.iter().map(|e| describe(e))),
        }
    }
    match accounts {
        Some(accts) => {
            let foreign: Vec<String> = accts.into_iter().filter(|a| a != this_account).collect();
            if foreign.is_empty() {
                Access::AccountOnly
            } else {
                Access::CrossAccount(foreign)
            }
        }
        None => Access::CrossAccount(others.into_iter().collect()),
    }
}

/// The accounts an account or ARN condition names; `None` for other conditions. A template value that
/// names the template's own account (`${AWS::AccountId}`), or the ARN of a resource of the template
/// (`!GetAtt Topic.Arn`), names `this_account`.
fn entry_accounts(entry: &ConditionEntry, this_account: &str) -> Option<BTreeSet<String>> {
    let kind = pin_kind(&entry.key)?;
    match kind {
        PinKind::Account => entry
            .values
            .iter()
            .map(|v| match v {
                PolicyStr::Known(s) => Some(s.clone()),
                v if names_own_account(v) => Some(this_account.to_string()),
                _ => None,
            })
            .collect(),
        PinKind::Arn => entry
            .values
            .iter()
            .map(|v| arn_account(v, this_account))
            .collect(),
        _ => None,
    }
}

/// The account part of an ARN condition value, when it is known or is the template's own account.
fn arn_account(v: &PolicyStr, this_account: &str) -> Option<String> {
    const HOLE: char = '\u{1}';
    let text: String = match v {
        PolicyStr::Known(s) => s.clone(),
        PolicyStr::Unknown(why) => {
            // The ARN of a resource the template creates is in the template's account.
            let reference = (why.starts_with("Fn::GetAtt ") && !why.contains("Outputs."))
                || (why.starts_with("Ref ") && !why.contains("AWS::"));
            return reference.then(|| this_account.to_string());
        }
        PolicyStr::Partial(parts) => parts
            .iter()
            .map(|p| match p {
                StrPart::Lit(s) => s.clone(),
                StrPart::Unknown(w) if w.contains("AWS::AccountId") => this_account.to_string(),
                StrPart::Unknown(_) => HOLE.to_string(),
            })
            .collect(),
    };
    text.split(':')
        .nth(4)
        .filter(|a| !a.is_empty() && !a.contains(HOLE))
        .map(str::to_string)
}

// ---------------------------------------------------------------------------------------------------
// What an identity policy grants
// ---------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceGrant {
    pub service: String,
    /// Granted actions by access level (an action with two levels counts in both).
    pub levels: BTreeMap<AccessLevel, usize>,
    pub actions: usize,
    pub total_actions: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantSummary {
    /// By service prefix.
    pub services: Vec<ServiceGrant>,
    pub is_admin_equivalent: bool,
    /// Why it is administrator-equivalent: the actions, and the statements that grant them.
    pub admin_reason: Option<(String, Vec<Origin>)>,
}

/// What an identity policy grants, by service and access level, from the catalog. An action counts
/// when an Allow names it (on any resource) and no unconditional Deny on `*` takes it away.
pub fn grants(policy: &Policy) -> GrantSummary {
    let cat = catalog();
    // Each granted action by service and name, with its definition (names are unique within a service,
    // case-insensitively, so this is the definition `Catalog::action` would find).
    let mut granted: BTreeMap<&'static str, BTreeMap<&'static str, &'static ActionDef>> =
        BTreeMap::new();
    let blanket_denies: Vec<&Element> = policy
        .statements
        .iter()
        .filter(|s| {
            s.effect == Effect::Deny
                && s.condition.is_empty()
                && s.resource.as_ref().is_some_and(|r| {
                    !r.negated && r.values.iter().any(|v| v.as_known() == Some("*"))
                })
        })
        .filter_map(|s| s.action.as_ref())
        .collect();
    // One buffer for the `service:Action` names the patterns are matched against.
    let mut full = String::new();
    for stmt in &policy.statements {
        if stmt.effect != Effect::Allow {
            continue;
        }
        let Some(action) = &stmt.action else { continue };
        for def in actions_of(action, &mut full) {
            let denied = !blanket_denies.is_empty() && {
                full_name_into(def, &mut full);
                blanket_denies.iter().any(|a| element_names(a, &full))
            };
            if !denied {
                granted
                    .entry(def.service())
                    .or_default()
                    .entry(def.name)
                    .or_insert(def);
            }
        }
    }
    let services = granted
        .into_iter()
        .map(|(service, defs)| {
            let mut levels = BTreeMap::new();
            let total = cat.service(service).map_or(0, |s| s.actions().len());
            for def in defs.values() {
                for level in def.access_levels.iter() {
                    *levels.entry(level).or_insert(0) += 1;
                }
            }
            ServiceGrant {
                service: service.to_string(),
                levels,
                actions: defs.len(),
                total_actions: total,
            }
        })
        .collect();
    let admin_reason = admin_equivalence(policy);
    GrantSummary {
        services,
        is_admin_equivalent: admin_reason.is_some(),
        admin_reason,
    }
}

/// `def.full_name()` into a reused buffer.
fn full_name_into(def: &ActionDef, out: &mut String) {
    out.clear();
    out.push_str(def.service());
    out.push(':');
    out.push_str(def.name);
}

fn element_names(el: &Element, full: &str) -> bool {
    let any = el
        .values
        .iter()
        .any(|v| v.as_known().is_some_and(|p| wildcard_match(p, full)));
    any != el.negated
}

/// The catalog actions an Action/NotAction element names. `buf` is scratch space for action names.
fn actions_of(el: &Element, buf: &mut String) -> Vec<&'static ActionDef> {
    let cat = catalog();
    if el.negated {
        return cat
            .actions()
            .iter()
            .filter(|a| {
                full_name_into(a, buf);
                !element_names(el, buf)
            })
            .collect();
    }
    let mut out: Vec<&'static ActionDef> = Vec::new();
    for v in &el.values {
        if let Some(p) = v.as_known() {
            out.extend(cat.expand(p));
        }
    }
    out.sort_by_key(|a| *a as *const ActionDef as usize);
    out.dedup_by_key(|a| *a as *const ActionDef as usize);
    out
}

/// Sets of actions that, allowed on every resource, amount to full control of the account: everything,
/// all of IAM, or writing one's own permissions.
const ADMIN_EQUIVALENT: &[&[&str]] = &[
    &["*:*"],
    &["iam:*"],
    &["iam:PutUserPolicy"],
    &["iam:AttachUserPolicy"],
    &["iam:PutRolePolicy"],
    &["iam:AttachRolePolicy"],
    &["iam:PutGroupPolicy"],
    &["iam:AttachGroupPolicy"],
    &["iam:CreatePolicyVersion"],
];

/// Whether an identity policy amounts to administrator access (everything, all of IAM, or writing one's
/// own permissions, on every resource, decided with the evaluator): the actions, and the statements that
/// grant them. The same answer as [`grants`]' `admin_reason`, without the per-service summary.
pub fn admin_equivalence(policy: &Policy) -> Option<(String, Vec<Origin>)> {
    let set = probe_set(std::slice::from_ref(policy));
    let mut prober = Prober::new(&set);
    for actions in ADMIN_EQUIVALENT {
        let mut origins = Vec::new();
        let mut all = true;
        'actions: for action in *actions {
            // "Everything" must include IAM: `NotAction: iam:*` (PowerUserAccess) allows a made-up
            // service's action but is not administrator access.
            let probes: &[&str] = match *action {
                "*:*" => &["incloud-probe:Probe", "iam:IncloudProbe"],
                "iam:*" => &["iam:IncloudProbe"],
                _ => std::slice::from_ref(action),
            };
            for probe in probes {
                match prober.allowed(probe) {
                    Some(stmts) => origins.extend(stmts.iter().map(|m| m.origin)),
                    None => {
                        all = false;
                        break 'actions;
                    }
                }
            }
        }
        if all {
            return Some((actions.join(" + "), origins));
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------------
// Probing identity policies with the evaluator
// ---------------------------------------------------------------------------------------------------

const PROBE_ACCOUNT: &str = "000000000000";

fn probe_set(policies: &[Policy]) -> PolicySet {
    PolicySet {
        identity: policies
            .iter()
            .enumerate()
            .map(|(i, p)| NamedPolicy {
                label: format!("policy[{i}]"),
                policy: p.clone(),
            })
            .collect(),
        ..PolicySet::default()
    }
}

/// Asks the evaluator whether a fresh principal holding the policies may call an action on a resource
/// no policy names (or `*` for actions without resource-level permissions): a Deny, or an Allow
/// narrowed to named resources or to conditions, removes it.
struct Prober<'a> {
    set: &'a PolicySet,
    cache: HashMap<String, Option<Vec<MatchedStatement>>>,
}

impl<'a> Prober<'a> {
    fn new(set: &'a PolicySet) -> Self {
        Prober {
            set,
            cache: HashMap::new(),
        }
    }

    fn allowed(&mut self, action: &str) -> Option<Vec<MatchedStatement>> {
        self.allowed_in(action, None)
    }

    /// As [`Prober::allowed`], with one request context key set (`iam:PassedToService`).
    fn allowed_in(
        &mut self,
        action: &str,
        context: Option<(&str, &str)>,
    ) -> Option<Vec<MatchedStatement>> {
        let key = match context {
            Some((k, v)) => format!("{action} {k}={v}"),
            None => action.to_string(),
        };
        if let Some(hit) = self.cache.get(&key) {
            return hit.clone();
        }
        let mut ctx = Context::new();
        if let Some((k, v)) = context {
            ctx.push(k, v);
        }
        let request = Request {
            principal: Principal::aws(&format!("arn:aws:iam::{PROBE_ACCOUNT}:user/incloud-probe")),
            action: action.to_string(),
            resource: probe_resource(action),
            resource_account: None,
            context: ctx,
        };
        let eval = evaluate(self.set, &request);
        let result = (eval.decision == Decision::Allowed).then_some(eval.statements);
        self.cache.insert(key, result.clone());
        result
    }
}

/// A resource of the action's first required resource type, with placeholders filled by names no
/// policy uses.
fn probe_resource(action: &str) -> String {
    let Some(def) = catalog().action(action) else {
        return "*".into();
    };
    let rt = def
        .resource_types()
        .find(|(_, required)| *required)
        .or_else(|| def.resource_types().next());
    let Some((rt, _)) = rt else {
        return "*".into();
    };
    let mut out = String::new();
    let mut rest = rt.arn;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or(""));
        let after = rest.get(start + 2..).unwrap_or("");
        let (name, tail) = after.split_once('}').unwrap_or((after, ""));
        out.push_str(match name {
            "Partition" => "aws",
            "Region" => "us-east-1",
            "Account" => PROBE_ACCOUNT,
            _ => "incloud-probe",
        });
        rest = tail;
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------------
// Wildcards
// ---------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WildcardKind {
    /// `*`: every action of every service.
    AllActions,
    /// `service:*`.
    AllServiceActions,
    /// `service:Get*` and the like.
    PartialAction,
    /// `NotAction` in an Allow: everything but a list.
    NotAction,
    /// `"Resource": "*"` on actions that accept resource ARNs.
    AllResources,
    /// A wildcard ARN that names no one resource (`arn:aws:s3:::*`, `...:table/*`).
    ResourcePattern,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WildcardFinding {
    pub kind: WildcardKind,
    pub statement: usize,
    pub origin: Origin,
    /// In cdk-nag's granular form (`Action::s3:*`, `Resource::*`, `Resource::<Bucket.Arn>/*`), so
    /// cdk-nag suppressions with `appliesTo` match.
    pub detail: String,
}

/// Wildcards in Allow statements that widen what is granted. `"Resource": "*"` is a finding only when
/// some action of the statement accepts resource ARNs; a wildcard within one named resource's ARN
/// (`arn:aws:s3:::bucket/*`) is not.
pub fn wildcards(policy: &Policy) -> Vec<WildcardFinding> {
    let mut out = Vec::new();
    for (index, stmt) in policy.statements.iter().enumerate() {
        if stmt.effect != Effect::Allow {
            continue;
        }
        let mut push = |kind, origin, detail: String| {
            out.push(WildcardFinding {
                kind,
                statement: index,
                origin,
                detail,
            })
        };
        let mut resource_level = false;
        if let Some(action) = &stmt.action {
            if action.negated {
                resource_level = true;
                for v in &action.values {
                    push(
                        WildcardKind::NotAction,
                        action.origin,
                        format!("Action::{}", render(v)),
                    );
                }
            }
            for v in action.values.iter().filter(|_| !action.negated) {
                let Some(a) = v.as_known() else {
                    resource_level = true;
                    continue;
                };
                let defs = catalog().expand(a);
                // An action the catalog does not know may take resources.
                resource_level |=
                    defs.is_empty() || defs.iter().any(|d| d.supports_resource_level());
                let kind = if a == "*" {
                    WildcardKind::AllActions
                } else if a.ends_with(":*") {
                    WildcardKind::AllServiceActions
                } else if a.contains(['*', '?']) {
                    WildcardKind::PartialAction
                } else {
                    continue;
                };
                push(kind, action.origin, format!("Action::{a}"));
            }
        }
        let Some(resource) = &stmt.resource else {
            continue;
        };
        if resource.negated {
            for v in &resource.values {
                push(
                    WildcardKind::AllResources,
                    resource.origin,
                    format!("Resource::{}", render(v)),
                );
            }
            continue;
        }
        for v in &resource.values {
            let text = render(v);
            if v.as_known() == Some("*") {
                if resource_level {
                    push(
                        WildcardKind::AllResources,
                        resource.origin,
                        "Resource::*".into(),
                    );
                }
            } else if text.contains('*') && !scoped_to_one_resource(v) {
                push(
                    WildcardKind::ResourcePattern,
                    resource.origin,
                    format!("Resource::{text}"),
                );
            }
        }
    }
    out
}

/// Whether a wildcard ARN stays within one named resource: a name comes before the first wildcard of
/// the resource part (`bucket/*`, `log-group:/aws/lambda/x:*`, `table/T/index/*`). A name is a token
/// that is not one of the service's resource-type words (`table`, `role`, `log-group`), or a template
/// value (the ARN or name of a resource in the template).
fn scoped_to_one_resource(v: &PolicyStr) -> bool {
    const HOLE: char = '\u{1}';
    let text: String = match v {
        PolicyStr::Known(s) => s.clone(),
        PolicyStr::Unknown(_) => return true,
        PolicyStr::Partial(parts) => parts
            .iter()
            .map(|p| match p {
                StrPart::Lit(s) => s.clone(),
                StrPart::Unknown(_) => HOLE.to_string(),
            })
            .collect(),
    };
    // A template value before the first wildcard and outside the ARN's fixed parts: e.g. a bucket's
    // ARN followed by `/*`.
    if !text.starts_with("arn:") {
        let first_wild = text.find(['*', '?']).unwrap_or(text.len());
        return text.get(..first_wild).is_some_and(|p| p.contains(HOLE));
    }
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let (Some(service), Some(resource)) = (parts.get(2), parts.get(5)) else {
        return false;
    };
    // Wildcards in the region or account still name one resource (in any region or account); one in
    // the service does not.
    if service.contains(['*', '?']) {
        return false;
    }
    let Some(wild) = resource.find(['*', '?']) else {
        return true;
    };
    let prefix = resource.get(..wild).unwrap_or("");
    let mut tokens: Vec<&str> = prefix.split(['/', ':']).collect();
    // The last token is cut by the wildcard: not a whole name, unless a template value is in it
    // (`function:${AWS::StackName}-Worker-*` names the stack's own function, whose suffix is generated).
    if tokens.pop().is_some_and(|cut| cut.contains(HOLE)) {
        return true;
    }
    let type_words = resource_type_words(service);
    tokens.iter().any(|t| {
        !t.is_empty() && (t.contains(HOLE) || !type_words.contains(&t.to_ascii_lowercase()))
    })
}

/// The literal words in a service's resource-type ARN patterns (`table`, `index`, `log-group`).
fn resource_type_words(service: &str) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    if let Some(svc) = catalog().service(service) {
        for rt in svc.resource_types() {
            let resource = rt.arn.splitn(6, ':').nth(5).unwrap_or("");
            for token in resource.split(['/', ':']) {
                if !token.is_empty() && !token.contains("${") {
                    words.insert(token.to_ascii_lowercase());
                }
            }
        }
    }
    words
}

/// A policy value as cdk-nag prints it: template values as `<LogicalId.Attribute>` or `<Name>`.
fn render(v: &PolicyStr) -> String {
    match v {
        PolicyStr::Known(s) => s.clone(),
        PolicyStr::Unknown(why) => render_unknown(why),
        PolicyStr::Partial(parts) => parts
            .iter()
            .map(|p| match p {
                StrPart::Lit(s) => s.clone(),
                StrPart::Unknown(why) => render_unknown(why),
            })
            .collect(),
    }
}

fn render_unknown(why: &str) -> String {
    let strip = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, '"' | '[' | ']' | ' '))
            .collect::<String>()
    };
    if let Some(rest) = why.strip_prefix("Fn::GetAtt ") {
        return format!("<{}>", strip(rest).replace(',', "."));
    }
    if let Some(rest) = why.strip_prefix("Ref ") {
        return format!("<{}>", strip(rest));
    }
    if let Some(rest) = why.strip_prefix("Fn::Sub ${") {
        return format!("<{}>", rest.trim_end_matches('}'));
    }
    format!("<{why}>")
}

// ---------------------------------------------------------------------------------------------------
// Privilege escalation
// ---------------------------------------------------------------------------------------------------

/// A known way for a principal to give itself more permissions than its policies grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EscalationMethod {
    /// Stable, for suppressions and documentation.
    pub id: &'static str,
    pub description: &'static str,
    /// All of these must be allowed.
    pub actions: &'static [&'static str],
}

/// From Rhino Security Labs' "AWS IAM Privilege Escalation – Methods and Mitigation" (2018) and later
/// public work (Bishop Fox's iam-vulnerable, PMapper, Pathfinding.cloud).
pub const ESCALATION_METHODS: &[EscalationMethod] = &[
    EscalationMethod { id: "iam-create-policy-version", description: "Create a new default version of a managed policy attached to oneself, with any permissions", actions: &["iam:CreatePolicyVersion"] },
    EscalationMethod { id: "iam-set-default-policy-version", description: "Make an older, more permissive version of an attached managed policy the default", actions: &["iam:SetDefaultPolicyVersion"] },
    EscalationMethod { id: "iam-create-access-key", description: "Create access keys for another IAM user and act as that user", actions: &["iam:CreateAccessKey"] },
    EscalationMethod { id: "iam-create-login-profile", description: "Give another IAM user a console password and sign in as that user", actions: &["iam:CreateLoginProfile"] },
    EscalationMethod { id: "iam-update-login-profile", description: "Change another IAM user's console password and sign in as that user", actions: &["iam:UpdateLoginProfile"] },
    EscalationMethod { id: "iam-attach-user-policy", description: "Attach any managed policy (e.g. AdministratorAccess) to a user, oneself included", actions: &["iam:AttachUserPolicy"] },
    EscalationMethod { id: "iam-attach-group-policy", description: "Attach any managed policy to a group one belongs to", actions: &["iam:AttachGroupPolicy"] },
    EscalationMethod { id: "iam-attach-role-policy", description: "Attach any managed policy to a role one can use", actions: &["iam:AttachRolePolicy"] },
    EscalationMethod { id: "iam-put-user-policy", description: "Write an inline policy with any permissions on a user, oneself included", actions: &["iam:PutUserPolicy"] },
    EscalationMethod { id: "iam-put-group-policy", description: "Write an inline policy with any permissions on a group one belongs to", actions: &["iam:PutGroupPolicy"] },
    EscalationMethod { id: "iam-put-role-policy", description: "Write an inline policy with any permissions on a role one can use", actions: &["iam:PutRolePolicy"] },
    EscalationMethod { id: "iam-add-user-to-group", description: "Add oneself to a more privileged group", actions: &["iam:AddUserToGroup"] },
    EscalationMethod { id: "iam-update-assume-role-policy", description: "Rewrite a privileged role's trust policy to trust oneself, then assume it", actions: &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"] },
    EscalationMethod { id: "passrole-lambda-invoke", description: "Create a Lambda function with a privileged role and invoke it", actions: &["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"] },
    EscalationMethod { id: "passrole-lambda-event-source", description: "Create a Lambda function with a privileged role and trigger it from an event source mapping", actions: &["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"] },
    EscalationMethod { id: "passrole-lambda-add-permission", description: "Create a Lambda function with a privileged role and let oneself (or anyone) invoke it through its resource policy", actions: &["iam:PassRole", "lambda:CreateFunction", "lambda:AddPermission"] },
    EscalationMethod { id: "passrole-ec2-run-instances", description: "Launch an EC2 instance with a privileged instance profile and read its credentials", actions: &["iam:PassRole", "ec2:RunInstances"] },
    EscalationMethod { id: "passrole-cloudformation-create-stack", description: "Create a CloudFormation stack that runs with a privileged service role", actions: &["iam:PassRole", "cloudformation:CreateStack"] },
    EscalationMethod { id: "passrole-glue-dev-endpoint", description: "Create a Glue development endpoint with a privileged role and log in to it", actions: &["iam:PassRole", "glue:CreateDevEndpoint"] },
    EscalationMethod { id: "passrole-glue-job", description: "Create and run a Glue job with a privileged role", actions: &["iam:PassRole", "glue:CreateJob", "glue:StartJobRun"] },
    EscalationMethod { id: "passrole-datapipeline", description: "Create a Data Pipeline that runs commands with a privileged role", actions: &["iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition", "datapipeline:ActivatePipeline"] },
    EscalationMethod { id: "passrole-sagemaker-notebook", description: "Create a SageMaker notebook instance with a privileged role and open it", actions: &["iam:PassRole", "sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"] },
    EscalationMethod { id: "passrole-sagemaker-training-job", description: "Run a SageMaker training job with a privileged role", actions: &["iam:PassRole", "sagemaker:CreateTrainingJob"] },
    EscalationMethod { id: "passrole-ecs-run-task", description: "Register an ECS task definition with a privileged task role and run it", actions: &["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"] },
    EscalationMethod { id: "passrole-codebuild", description: "Create a CodeBuild project with a privileged service role and start a build", actions: &["iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"] },
    EscalationMethod { id: "passrole-autoscaling", description: "Create a launch configuration with a privileged instance profile and an Auto Scaling group that launches it", actions: &["iam:PassRole", "autoscaling:CreateLaunchConfiguration", "autoscaling:CreateAutoScalingGroup"] },
    EscalationMethod { id: "passrole-apprunner", description: "Create an App Runner service with a privileged instance role", actions: &["iam:PassRole", "apprunner:CreateService"] },
    EscalationMethod { id: "lambda-update-function-code", description: "Replace the code of a Lambda function that has a privileged role", actions: &["lambda:UpdateFunctionCode"] },
    EscalationMethod { id: "glue-update-dev-endpoint", description: "Add one's SSH key to an existing Glue development endpoint that has a privileged role", actions: &["glue:UpdateDevEndpoint"] },
    EscalationMethod { id: "codestar-create-project-from-template", description: "Create a CodeStar project from a template, which creates a privileged role for the creator", actions: &["codestar:CreateProjectFromTemplate"] },
    EscalationMethod { id: "ssm-send-command", description: "Run commands on an EC2 instance that has a privileged instance profile", actions: &["ssm:SendCommand"] },
    EscalationMethod { id: "ssm-start-session", description: "Open a shell on an EC2 instance that has a privileged instance profile", actions: &["ssm:StartSession"] },
    EscalationMethod { id: "ec2-instance-connect-send-ssh-public-key", description: "Push an SSH key to an EC2 instance that has a privileged instance profile and log in", actions: &["ec2-instance-connect:SendSSHPublicKey"] },
    EscalationMethod { id: "sagemaker-presigned-notebook-url", description: "Open an existing SageMaker notebook instance that has a privileged role", actions: &["sagemaker:CreatePresignedNotebookInstanceUrl"] },
    EscalationMethod { id: "cloudformation-update-stack", description: "Update an existing stack that runs with a privileged service role", actions: &["cloudformation:UpdateStack"] },
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationPath {
    pub method: EscalationMethod,
    /// The Allow statements that grant the method's actions, by action.
    pub statements: Vec<(&'static str, Vec<MatchedStatement>)>,
}

/// The escalation methods a principal holding all these identity policies can use. Each is decided with
/// the evaluator on a resource no policy names (or `*`), with no request context: a Deny, or an Allow
/// limited to named resources or to conditions, removes it.
pub fn escalation_paths(identity_policies: &[Policy]) -> Vec<EscalationPath> {
    let set = probe_set(identity_policies);
    let mut prober = Prober::new(&set);
    let mut out = Vec::new();
    'methods: for method in ESCALATION_METHODS {
        let mut statements = Vec::new();
        for action in method.actions {
            // A role is passed to the service the method creates a resource in, and AWS sets
            // iam:PassedToService to it: `PassRole` scoped to that service still opens the path.
            let context = (*action == "iam:PassRole")
                .then(|| passed_to_service(method.id))
                .flatten()
                .map(|service| ("iam:PassedToService", service));
            match prober.allowed_in(action, context) {
                Some(stmts) => statements.push((*action, stmts)),
                None => continue 'methods,
            }
        }
        out.push(EscalationPath {
            method: *method,
            statements,
        });
    }
    out
}

/// The service principal a `passrole-*` escalation method passes the role to.
fn passed_to_service(method: &str) -> Option<&'static str> {
    let service = method.strip_prefix("passrole-")?.split('-').next()?;
    Some(match service {
        "lambda" => "lambda.amazonaws.com",
        "ec2" | "autoscaling" => "ec2.amazonaws.com",
        "cloudformation" => "cloudformation.amazonaws.com",
        "glue" => "glue.amazonaws.com",
        "datapipeline" => "datapipeline.amazonaws.com",
        "sagemaker" => "sagemaker.amazonaws.com",
        "ecs" => "ecs-tasks.amazonaws.com",
        "codebuild" => "codebuild.amazonaws.com",
        "apprunner" => "tasks.apprunner.amazonaws.com",
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------------
// KMS key policies
// ---------------------------------------------------------------------------------------------------

const KMS_ADMIN: &[&str] = &[
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:DisableKey",
    "kms:EnableKey",
    "kms:CreateGrant",
    "kms:RevokeGrant",
    "kms:UpdateKeyDescription",
    "kms:DisableKeyRotation",
    "kms:EnableKeyRotation",
    "kms:ImportKeyMaterial",
    "kms:DeleteImportedKeyMaterial",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:UpdateAlias",
];

const KMS_USE: &[&str] = &[
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:Sign",
    "kms:Verify",
    "kms:GenerateMac",
    "kms:VerifyMac",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KmsSeparationFinding {
    /// As written in the key policy (`arn:aws:iam::1:role/admin`, `*`).
    pub principal: String,
    pub admin_actions: Vec<&'static str>,
    pub use_actions: Vec<&'static str>,
    pub statements: Vec<Origin>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KmsReport {
    /// The statement that gives the account (root) `kms:*`, which lets IAM policies grant the key.
    pub delegates_to_iam: Option<(usize, Origin)>,
    /// Principals that can both administer and use the key.
    pub separation_of_duties: Vec<KmsSeparationFinding>,
}

/// Separation of duties in a key policy, and whether it delegates the key to IAM. The account-root
/// statement is reported as delegation, not as a principal that both administers and uses the key.
pub fn kms_key_policy(policy: &Policy) -> KmsReport {
    let mut delegates_to_iam = None;
    #[derive(Default)]
    struct Rights {
        admin: BTreeSet<&'static str>,
        usage: BTreeSet<&'static str>,
        statements: Vec<Origin>,
    }
    let mut by_principal: BTreeMap<String, Rights> = BTreeMap::new();
    for (index, stmt) in policy.statements.iter().enumerate() {
        if stmt.effect != Effect::Allow {
            continue;
        }
        let (Some(action), Some(principal)) = (&stmt.action, &stmt.principal) else {
            continue;
        };
        let names: Vec<String> = match &principal.value {
            PrincipalValue::Any => vec!["*".into()],
            PrincipalValue::Map(entries) => entries
                .iter()
                .filter(|(ty, _)| *ty == PrincipalType::Aws)
                .flat_map(|(_, values)| values.iter().map(render))
                .collect(),
        };
        let all_kms = !action.negated
            && action
                .values
                .iter()
                .any(|v| matches!(v.as_known(), Some("kms:*") | Some("*")));
        let is_root = |n: &String| {
            n.ends_with(":root")
                || (n.len() == 12 && n.bytes().all(|b| b.is_ascii_digit()))
                || n.contains("AWS::AccountId")
        };
        if all_kms && stmt.condition.is_empty() && !names.is_empty() && names.iter().all(is_root) {
            delegates_to_iam.get_or_insert((index, stmt.origin));
            continue;
        }
        let admin: Vec<&'static str> = KMS_ADMIN
            .iter()
            .copied()
            .filter(|a| element_names(action, a))
            .collect();
        let usage: Vec<&'static str> = KMS_USE
            .iter()
            .copied()
            .filter(|a| element_names(action, a))
            .collect();
        if admin.is_empty() && usage.is_empty() {
            continue;
        }
        for name in names {
            let rights = by_principal.entry(name).or_default();
            rights.admin.extend(admin.iter().copied());
            rights.usage.extend(usage.iter().copied());
            rights.statements.push(stmt.origin);
        }
    }
    let separation_of_duties = by_principal
        .into_iter()
        .filter(|(_, r)| !r.admin.is_empty() && !r.usage.is_empty())
        .map(|(principal, r)| KmsSeparationFinding {
            principal,
            admin_actions: r.admin.into_iter().collect(),
            use_actions: r.usage.into_iter().collect(),
            statements: r.statements,
        })
        .collect();
    KmsReport {
        delegates_to_iam,
        separation_of_duties,
    }
}
