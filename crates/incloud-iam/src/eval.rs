//! Deciding one concrete request the way the IAM User Guide's "Policy evaluation logic" pages describe:
//! an explicit deny in any policy wins; every level of SCPs and of RCPs must allow; a resource-based policy
//! can grant on its own within one account (limited by boundaries and session policies when it names the
//! role or the user behind a session rather than the session itself); otherwise the identity-based
//! policies must allow, and the permissions boundary and session policies too; a request across accounts
//! needs the identity side and the resource side both.

use std::collections::BTreeMap;

use crate::condition::eval_condition;
use crate::pattern::{arn_match, arn_match_str, glob, glob_str, tokens, Reading, Tri};
use crate::policy::{
    Effect, Element, Origin, Policy, PolicyStr, PrincipalType, PrincipalValue, Statement,
};

/// The request context: condition keys (compared case-insensitively) to their values. A key with no
/// values is treated as missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    values: BTreeMap<String, Vec<String>>,
}

impl Context {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, key: &str, values: Vec<String>) {
        self.values.insert(key.to_ascii_lowercase(), values);
    }

    /// Adds one value to a key (a key given several values is multivalued).
    pub fn push(&mut self, key: &str, value: impl Into<String>) {
        self.values
            .entry(key.to_ascii_lowercase())
            .or_default()
            .push(value.into());
    }

    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.values
            .get(&key.to_ascii_lowercase())
            .map(Vec::as_slice)
    }
}

/// Who makes the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An unauthenticated request.
    Anonymous,
    /// An IAM user, role, role session, federated user session or account root user.
    Aws(AwsPrincipal),
    /// An AWS service principal such as `cloudtrail.amazonaws.com`.
    Service(String),
    /// A web identity or SAML provider (in trust policies).
    Federated(String),
    /// An S3 canonical user id.
    CanonicalUser(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsPrincipal {
    pub arn: String,
    pub account: String,
    /// For a session, the role (or, for a federated user session, the IAM user) it was made from: a
    /// resource-based policy that names it applies to the session too.
    pub underlying: Option<String>,
}

impl Principal {
    /// An AWS principal from its ARN: the account is the ARN's account part, and for an `assumed-role`
    /// session the role behind it is derived (without the role's path, which a session ARN does not
    /// carry; set `underlying` yourself when it has one, and for federated user sessions).
    pub fn aws(arn: &str) -> Principal {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let partition = parts.get(1).copied().unwrap_or("aws");
        let account = parts.get(4).copied().unwrap_or("").to_string();
        let resource = parts.get(5).copied().unwrap_or("");
        // The IAM user behind a federated user session is not in its ARN (the session name is the
        // caller's choice), so only the role behind an assumed-role session is derived.
        let underlying = resource.strip_prefix("assumed-role/").and_then(|rest| {
            rest.split('/')
                .next()
                .map(|role| format!("arn:{partition}:iam::{account}:role/{role}"))
        });
        Principal::Aws(AwsPrincipal {
            arn: arn.to_string(),
            account,
            underlying,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AwsKind {
    Root,
    User,
    Role,
    Session,
    Other,
}

impl AwsPrincipal {
    fn kind(&self) -> AwsKind {
        let resource = self.arn.splitn(6, ':').nth(5).unwrap_or("");
        if resource == "root" {
            AwsKind::Root
        } else if resource.starts_with("user/") {
            AwsKind::User
        } else if resource.starts_with("role/") {
            AwsKind::Role
        } else if resource.starts_with("assumed-role/") || resource.starts_with("federated-user/") {
            AwsKind::Session
        } else {
            AwsKind::Other
        }
    }

    fn account_arn(&self) -> String {
        let partition = self.arn.split(':').nth(1).unwrap_or("aws");
        format!("arn:{partition}:iam::{}:root", self.account)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub principal: Principal,
    pub action: String,
    /// The resource ARN, or `*` for actions that take no resource.
    pub resource: String,
    /// The account that owns the resource; `None` means the principal's own account.
    pub resource_account: Option<String>,
    pub context: Context,
}

/// A policy with a label that names it in results (e.g. `identity:ReadOnly`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedPolicy {
    pub label: String,
    pub policy: Policy,
}

/// Every policy that applies to one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicySet {
    /// The principal's identity-based policies (its own and its groups').
    pub identity: Vec<NamedPolicy>,
    /// The resource-based policy (bucket policy, key policy, role trust policy, ...).
    pub resource: Option<NamedPolicy>,
    /// Role trust policies and KMS key policies must allow the principal themselves: an identity-based
    /// allow alone is not enough, even within one account.
    pub resource_policy_required: bool,
    pub boundary: Option<NamedPolicy>,
    /// Inline and managed session policies passed when the session was made.
    pub session: Vec<NamedPolicy>,
    /// Service control policies from the root down to the principal's account: one list per level, and
    /// every level must allow. Empty when the account is not governed by SCPs.
    pub scps: Vec<Vec<NamedPolicy>>,
    /// Resource control policies, levels as for `scps`, for the resource's account.
    pub rcps: Vec<Vec<NamedPolicy>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    Scp,
    Rcp,
    Resource,
    Identity,
    Boundary,
    Session,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    Allowed,
    ExplicitlyDenied,
    ImplicitlyDenied,
}

/// A statement that applied to the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedStatement {
    pub layer: Layer,
    pub policy: String,
    /// Index of the statement in its policy.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The decision with every unknown policy value read the least permissive way.
    pub decision: Decision,
    /// For an explicit deny, the deny statements; otherwise the allow statements that applied.
    pub statements: Vec<MatchedStatement>,
    /// For an implicit deny, the layers that had no applicable allow.
    pub missing_allow: Vec<Layer>,
    /// Present when unknown policy values decide the outcome: the evaluation with every unknown read
    /// the most permissive way.
    pub if_unknowns_permit: Option<Box<Evaluation>>,
}

/// How a resource-based policy's principal matched the requester. Ordered from weakest to strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Grant {
    /// The requester's account: the account must still grant through identity-based policies.
    Account,
    /// The role or IAM user behind a session (or a role itself): boundary and session policies limit it.
    Underlying,
    /// The requester itself, or everyone.
    Direct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnknownAs {
    /// Unknown values make allows not apply and denies apply.
    Restrictive,
    /// Unknown values make allows apply and denies not apply.
    Permissive,
}

/// Decides the request. Never fails: malformed parts of a policy simply do not match.
pub fn evaluate(set: &PolicySet, request: &Request) -> Evaluation {
    let saw_unknown = std::cell::Cell::new(false);
    let mut definite = decide(set, request, UnknownAs::Restrictive, &saw_unknown);
    // The two readings differ only where a statement's match was unknown.
    if !saw_unknown.get() {
        return definite;
    }
    let permissive = decide(set, request, UnknownAs::Permissive, &saw_unknown);
    if permissive.decision != definite.decision {
        definite.if_unknowns_permit = Some(Box::new(permissive));
    }
    definite
}

struct Applied {
    allows: Vec<MatchedStatement>,
    denies: Vec<MatchedStatement>,
    grant: Option<Grant>,
}

fn decide(
    set: &PolicySet,
    req: &Request,
    reading: UnknownAs,
    saw_unknown: &std::cell::Cell<bool>,
) -> Evaluation {
    let has_boundary = set.boundary.is_some();
    let eval_layer = |layer: Layer, policies: &mut dyn Iterator<Item = &NamedPolicy>| {
        let mut applied = Applied {
            allows: Vec::new(),
            denies: Vec::new(),
            grant: None,
        };
        for named in policies {
            for (index, stmt) in named.policy.statements.iter().enumerate() {
                let (tri, grant) = statement_matches(&named.policy, stmt, req, layer, has_boundary);
                if tri == Tri::Unknown {
                    saw_unknown.set(true);
                }
                let applies = match (tri, reading, stmt.effect) {
                    (Tri::True, _, _) => true,
                    (Tri::False, _, _) => false,
                    (Tri::Unknown, UnknownAs::Permissive, Effect::Allow) => true,
                    (Tri::Unknown, UnknownAs::Restrictive, Effect::Deny) => true,
                    (Tri::Unknown, _, _) => false,
                };
                if !applies {
                    continue;
                }
                let matched = MatchedStatement {
                    layer,
                    policy: named.label.clone(),
                    index,
                    sid: stmt.sid.clone(),
                    effect: stmt.effect,
                    origin: stmt.origin,
                };
                match stmt.effect {
                    Effect::Allow => {
                        applied.grant = applied.grant.max(grant);
                        applied.allows.push(matched);
                    }
                    Effect::Deny => applied.denies.push(matched),
                }
            }
        }
        applied
    };

    let aws = match &req.principal {
        Principal::Aws(p) => Some(p),
        _ => None,
    };
    // SCPs govern the principals of member accounts; RCPs govern resources, whoever asks, except AWS
    // service principals.
    let scps_apply = aws.is_some() && !set.scps.is_empty();
    let rcps_apply = !matches!(req.principal, Principal::Service(_)) && !set.rcps.is_empty();
    // Identity-side policies exist only for AWS principals.
    let identity_side = aws.is_some();

    let scp_levels: Vec<Applied> = if scps_apply {
        set.scps
            .iter()
            .map(|level| eval_layer(Layer::Scp, &mut level.iter()))
            .collect()
    } else {
        Vec::new()
    };
    let rcp_levels: Vec<Applied> = if rcps_apply {
        set.rcps
            .iter()
            .map(|level| eval_layer(Layer::Rcp, &mut level.iter()))
            .collect()
    } else {
        Vec::new()
    };
    let resource = eval_layer(Layer::Resource, &mut set.resource.iter());
    let empty = || Applied {
        allows: Vec::new(),
        denies: Vec::new(),
        grant: None,
    };
    let (identity, boundary, session) = if identity_side {
        (
            eval_layer(Layer::Identity, &mut set.identity.iter()),
            eval_layer(Layer::Boundary, &mut set.boundary.iter()),
            eval_layer(Layer::Session, &mut set.session.iter()),
        )
    } else {
        (empty(), empty(), empty())
    };

    let all: Vec<&Applied> = scp_levels
        .iter()
        .chain(rcp_levels.iter())
        .chain([&resource, &identity, &boundary, &session])
        .collect();
    let denies: Vec<MatchedStatement> = all.iter().flat_map(|a| a.denies.iter().cloned()).collect();
    if !denies.is_empty() {
        return Evaluation {
            decision: Decision::ExplicitlyDenied,
            statements: denies,
            missing_allow: Vec::new(),
            if_unknowns_permit: None,
        };
    }
    let allows: Vec<MatchedStatement> = all.iter().flat_map(|a| a.allows.iter().cloned()).collect();

    let mut missing = Vec::new();
    if scp_levels.iter().any(|l| l.allows.is_empty()) {
        missing.push(Layer::Scp);
    }
    if rcp_levels.iter().any(|l| l.allows.is_empty()) {
        missing.push(Layer::Rcp);
    }
    let boundary_ok = set.boundary.is_none() || !boundary.allows.is_empty();
    let session_ok = set.session.is_empty() || !session.allows.is_empty();
    let identity_ok = !identity.allows.is_empty()
        // The root user needs no identity-based policy in its own account.
        || aws.is_some_and(|p| p.kind() == AwsKind::Root);

    let need = |ok: bool, layer: Layer, missing: &mut Vec<Layer>| {
        if !ok {
            missing.push(layer);
        }
    };
    match aws {
        None => {
            // Anonymous, service, federated and canonical-user requests have only a resource side.
            need(resource.grant.is_some(), Layer::Resource, &mut missing);
        }
        Some(p) => {
            let same_account = req
                .resource_account
                .as_deref()
                .is_none_or(|acct| acct == p.account);
            if !same_account {
                need(resource.grant.is_some(), Layer::Resource, &mut missing);
                need(identity_ok, Layer::Identity, &mut missing);
                need(boundary_ok, Layer::Boundary, &mut missing);
                need(session_ok, Layer::Session, &mut missing);
            } else {
                if set.resource_policy_required {
                    need(resource.grant.is_some(), Layer::Resource, &mut missing);
                }
                match resource.grant {
                    Some(Grant::Direct) => {}
                    Some(Grant::Underlying) => {
                        need(boundary_ok, Layer::Boundary, &mut missing);
                        need(session_ok, Layer::Session, &mut missing);
                    }
                    Some(Grant::Account) | None => {
                        need(identity_ok, Layer::Identity, &mut missing);
                        need(boundary_ok, Layer::Boundary, &mut missing);
                        need(session_ok, Layer::Session, &mut missing);
                    }
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    Evaluation {
        decision: if missing.is_empty() {
            Decision::Allowed
        } else {
            Decision::ImplicitlyDenied
        },
        statements: allows,
        missing_allow: missing,
        if_unknowns_permit: None,
    }
}

fn statement_matches(
    policy: &Policy,
    stmt: &Statement,
    req: &Request,
    layer: Layer,
    has_boundary: bool,
) -> (Tri, Option<Grant>) {
    let variables = policy.has_variables();
    let action = match &stmt.action {
        Some(el) => element_matches(el, |v| {
            if let Some(fast) = v.as_known().and_then(|p| glob_str(p, &req.action, true)) {
                return Tri::from_bool(fast);
            }
            let reading = Reading {
                wildcards: true,
                variables: false,
            };
            tokens(v, reading, &req.context).map_or(Tri::False, |t| glob(&t, &req.action, true))
        }),
        None => Tri::False,
    };
    let resource = match &stmt.resource {
        Some(el) => element_matches(el, |v| {
            let fast = v
                .as_known()
                .filter(|p| !variables || !p.contains("${"))
                .and_then(|p| arn_match_str(p, &req.resource));
            if let Some(fast) = fast {
                return Tri::from_bool(fast);
            }
            let reading = Reading {
                wildcards: true,
                variables,
            };
            tokens(v, reading, &req.context).map_or(Tri::False, |t| arn_match(&t, &req.resource))
        }),
        // Trust policies have no Resource: the statement is about the role itself.
        None => Tri::True,
    };
    let (principal, grant) = match (layer, &stmt.principal) {
        (Layer::Resource | Layer::Rcp, Some(p)) if p.negated => {
            // The boundary quirk the User Guide warns of: a Deny with NotPrincipal always applies to an
            // IAM user or role that has a permissions boundary.
            let quirk = stmt.effect == Effect::Deny
                && has_boundary
                && matches!(req.principal, Principal::Aws(_));
            let tri = if quirk {
                Tri::True
            } else {
                not_principal_matches(&p.value, &req.principal)
            };
            (tri, Some(Grant::Direct))
        }
        (Layer::Resource | Layer::Rcp, Some(p)) => principal_matches(&p.value, &req.principal),
        // A resource-based policy statement without a principal grants to no one.
        (Layer::Resource, None) => (Tri::False, None),
        // Other policy kinds are about the principal they are attached to.
        _ => (Tri::True, Some(Grant::Direct)),
    };
    if action == Tri::False || resource == Tri::False || principal == Tri::False {
        return (Tri::False, None);
    }
    let condition = eval_condition(&stmt.condition, &req.context, variables);
    (action.and(resource).and(principal).and(condition), grant)
}

fn element_matches(el: &Element, value_matches: impl Fn(&PolicyStr) -> Tri) -> Tri {
    let any = Tri::any(el.values.iter().map(value_matches));
    if el.negated {
        any.not()
    } else {
        any
    }
}

/// The identities a principal is known by in a Principal element, each with the grant it gets there.
fn identities(principal: &Principal) -> Vec<(PrincipalType, String, Grant)> {
    match principal {
        Principal::Anonymous => Vec::new(),
        Principal::Service(s) => vec![(
            PrincipalType::Service,
            s.to_ascii_lowercase(),
            Grant::Direct,
        )],
        Principal::Federated(f) => vec![(PrincipalType::Federated, f.clone(), Grant::Direct)],
        Principal::CanonicalUser(c) => {
            vec![(PrincipalType::CanonicalUser, c.clone(), Grant::Direct)]
        }
        Principal::Aws(p) => {
            let kind = p.kind();
            let account_grant = if kind == AwsKind::Root {
                Grant::Direct
            } else {
                Grant::Account
            };
            let own_grant = if kind == AwsKind::Role {
                Grant::Underlying
            } else {
                Grant::Direct
            };
            let mut ids = vec![
                (PrincipalType::Aws, p.account.clone(), account_grant),
                (PrincipalType::Aws, p.account_arn(), account_grant),
            ];
            if let Some(u) = &p.underlying {
                ids.push((PrincipalType::Aws, u.clone(), Grant::Underlying));
            }
            if kind != AwsKind::Root {
                ids.push((PrincipalType::Aws, p.arn.clone(), own_grant));
            }
            ids
        }
    }
}

/// Whether a Principal element names the requester, and the strongest way it does.
fn principal_matches(value: &PrincipalValue, principal: &Principal) -> (Tri, Option<Grant>) {
    let entries = match value {
        PrincipalValue::Any => return (Tri::True, Some(Grant::Direct)),
        PrincipalValue::Map(entries) => entries,
    };
    let ids = identities(principal);
    let mut result = Tri::False;
    let mut grant = None;
    for (ty, values) in entries {
        for v in values {
            match v {
                PolicyStr::Known(s) if s == "*" => {
                    // {"AWS": "*"} is everyone with AWS credentials and anonymous callers alike.
                    let everyone = *ty == PrincipalType::Aws
                        && matches!(principal, Principal::Aws(_) | Principal::Anonymous);
                    if everyone {
                        return (Tri::True, Some(Grant::Direct));
                    }
                }
                PolicyStr::Known(s) => {
                    for (id_ty, id, g) in &ids {
                        if id_ty == ty && same_id(*ty, s, id) {
                            result = Tri::True;
                            grant = grant.max(Some(*g));
                        }
                    }
                }
                _ => {
                    if result != Tri::True {
                        result = Tri::Unknown;
                    }
                    grant = grant.max(Some(Grant::Direct));
                }
            }
        }
    }
    (result, grant)
}

fn same_id(ty: PrincipalType, policy: &str, id: &str) -> bool {
    match ty {
        PrincipalType::Service => policy.eq_ignore_ascii_case(id),
        _ => policy == id,
    }
}

/// NotPrincipal applies unless every identity of the requester (its account, the role or user behind a
/// session, the session) is listed: that is why the User Guide says to list all of them.
fn not_principal_matches(value: &PrincipalValue, principal: &Principal) -> Tri {
    let entries = match value {
        PrincipalValue::Any => return Tri::False,
        PrincipalValue::Map(entries) => entries,
    };
    let listed = |id_ty: PrincipalType, id: &str| {
        Tri::any(
            entries
                .iter()
                .filter(|(ty, _)| *ty == id_ty)
                .flat_map(|(ty, values)| {
                    values.iter().map(move |v| match v {
                        PolicyStr::Known(s) if s == "*" => Tri::True,
                        PolicyStr::Known(s) => Tri::from_bool(same_id(*ty, s, id)),
                        _ => Tri::Unknown,
                    })
                }),
        )
    };
    let ids = identities(principal);
    if ids.is_empty() {
        // Anonymous: only {"AWS": "*"} lists it.
        return listed(PrincipalType::Aws, "\u{0}anonymous").not();
    }
    match principal {
        Principal::Aws(_) => {
            // The account appears twice (id and root ARN): either form lists it.
            let mut iter = ids.iter();
            let account = match (iter.next(), iter.next()) {
                (Some((_, id, _)), Some((_, arn, _))) => {
                    listed(PrincipalType::Aws, id).or(listed(PrincipalType::Aws, arn))
                }
                _ => Tri::False,
            };
            let rest = Tri::all(iter.map(|(ty, id, _)| listed(*ty, id)));
            account.and(rest).not()
        }
        _ => Tri::all(ids.iter().map(|(ty, id, _)| listed(*ty, id))).not(),
    }
}
