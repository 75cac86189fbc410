//! Deciding one concrete request the way the IAM User Guide's "Policy evaluation logic" pages describe:
//! an explicit deny in any policy wins; every level of SCPs and of RCPs must allow; a resource-based policy
//! can grant on its own within one account (limited by boundaries and session policies when it names the
//! role or the user behind a session rather than the session itself); otherwise the identity-based
//! policies must allow, and the permissions boundary and session policies too; a request across accounts
//! needs the identity side and the resource side both.

use std::collections::BTreeMap;

use crate::condition::eval_condition;
use crate::pattern::{
    arn_match, arn_match_split, glob, glob_bytes, six_parts, substitute, tokens, Reading,
    Substituted, Tri,
};
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
        // Condition keys are looked up on every evaluation: lower-case them on the stack, not the heap.
        let mut buf = [0u8; 128];
        let lowered = match buf.get_mut(..key.len()) {
            Some(dst) => {
                dst.copy_from_slice(key.as_bytes());
                dst.make_ascii_lowercase();
                // Only ASCII bytes changed, so the bytes are still the UTF-8 of `key`, lower-cased.
                std::str::from_utf8(dst).ok()
            }
            None => None,
        };
        match lowered {
            Some(k) => self.values.get(k),
            None => self.values.get(&key.to_ascii_lowercase()),
        }
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
        let resource = six_parts(&self.arn).map_or("", |parts| parts[5]);
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
    let prepared = Prepared::new(request);
    let saw_unknown = std::cell::Cell::new(false);
    let mut definite = decide(set, &prepared, UnknownAs::Restrictive, &saw_unknown);
    // The two readings differ only where a statement's match was unknown.
    if !saw_unknown.get() {
        return definite;
    }
    let permissive = decide(set, &prepared, UnknownAs::Permissive, &saw_unknown);
    if permissive.decision != definite.decision {
        definite.if_unknowns_permit = Some(Box::new(permissive));
    }
    definite
}

/// What every statement compares against, worked out once per request rather than once per statement
/// or per value: the resource split into its ARN parts, whether action and resource are ASCII (the
/// allocation-free matchers need that), and the identities the principal is known by.
struct Prepared<'a> {
    req: &'a Request,
    action_ascii: bool,
    resource_ascii: bool,
    resource_parts: Option<[&'a str; 6]>,
    aws_kind: Option<AwsKind>,
    ids: Ids<'a>,
}

impl<'a> Prepared<'a> {
    fn new(req: &'a Request) -> Self {
        let aws_kind = match &req.principal {
            Principal::Aws(p) => Some(p.kind()),
            _ => None,
        };
        Prepared {
            req,
            action_ascii: req.action.is_ascii(),
            resource_ascii: req.resource.is_ascii(),
            resource_parts: six_parts(&req.resource),
            aws_kind,
            ids: identities(&req.principal, aws_kind),
        }
    }
}

/// A statement that applied, by reference: the result's `MatchedStatement`s (which own copies of
/// the label and the Sid) are made only for the statements the decision reports.
struct Hit<'a> {
    layer: Layer,
    named: &'a NamedPolicy,
    index: usize,
    stmt: &'a Statement,
}

impl Hit<'_> {
    fn matched(&self) -> MatchedStatement {
        MatchedStatement {
            layer: self.layer,
            policy: self.named.label.clone(),
            index: self.index,
            sid: self.stmt.sid.clone(),
            effect: self.stmt.effect,
            origin: self.stmt.origin,
        }
    }
}

/// What one layer (or one level of SCPs or RCPs) contributed.
#[derive(Default)]
struct Applied {
    allows: usize,
    denies: usize,
    grant: Option<Grant>,
}

/// What stays the same across the layers of one reading.
struct Reader<'p, 'r> {
    prepared: &'p Prepared<'r>,
    reading: UnknownAs,
    has_boundary: bool,
    saw_unknown: &'p std::cell::Cell<bool>,
}

impl Reader<'_, '_> {
    fn layer<'s>(
        &self,
        layer: Layer,
        policies: impl IntoIterator<Item = &'s NamedPolicy>,
        hits: &mut Vec<Hit<'s>>,
    ) -> Applied {
        let mut applied = Applied::default();
        for named in policies {
            for (index, stmt) in named.policy.statements.iter().enumerate() {
                let (tri, grant) =
                    statement_matches(&named.policy, stmt, self.prepared, layer, self.has_boundary);
                if tri == Tri::Unknown {
                    self.saw_unknown.set(true);
                }
                let applies = match (tri, self.reading, stmt.effect) {
                    (Tri::True, _, _) => true,
                    (Tri::False, _, _) => false,
                    (Tri::Unknown, UnknownAs::Permissive, Effect::Allow) => true,
                    (Tri::Unknown, UnknownAs::Restrictive, Effect::Deny) => true,
                    (Tri::Unknown, _, _) => false,
                };
                if !applies {
                    continue;
                }
                match stmt.effect {
                    Effect::Allow => {
                        applied.grant = applied.grant.max(grant);
                        applied.allows += 1;
                    }
                    Effect::Deny => applied.denies += 1,
                }
                hits.push(Hit {
                    layer,
                    named,
                    index,
                    stmt,
                });
            }
        }
        applied
    }
}

fn decide(
    set: &PolicySet,
    prepared: &Prepared,
    reading: UnknownAs,
    saw_unknown: &std::cell::Cell<bool>,
) -> Evaluation {
    let req = prepared.req;
    let reader = Reader {
        prepared,
        reading,
        has_boundary: set.boundary.is_some(),
        saw_unknown,
    };
    // Every applicable statement, in the order the layers are evaluated (SCP levels, RCP levels,
    // resource, identity, boundary, session): the order the result lists them in.
    let mut hits: Vec<Hit> = Vec::new();

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

    let mut denies = 0;
    // Every level must allow: one without an applicable allow leaves the layer missing.
    let mut scp_missing = false;
    if scps_apply {
        for level in &set.scps {
            let applied = reader.layer(Layer::Scp, level, &mut hits);
            denies += applied.denies;
            scp_missing |= applied.allows == 0;
        }
    }
    let mut rcp_missing = false;
    if rcps_apply {
        for level in &set.rcps {
            let applied = reader.layer(Layer::Rcp, level, &mut hits);
            denies += applied.denies;
            rcp_missing |= applied.allows == 0;
        }
    }
    let resource = reader.layer(Layer::Resource, &set.resource, &mut hits);
    let (identity, boundary, session) = if identity_side {
        (
            reader.layer(Layer::Identity, &set.identity, &mut hits),
            reader.layer(Layer::Boundary, &set.boundary, &mut hits),
            reader.layer(Layer::Session, &set.session, &mut hits),
        )
    } else {
        (Applied::default(), Applied::default(), Applied::default())
    };
    denies += resource.denies + identity.denies + boundary.denies + session.denies;

    if denies > 0 {
        return Evaluation {
            decision: Decision::ExplicitlyDenied,
            statements: report(&hits, Effect::Deny, denies),
            missing_allow: Vec::new(),
            if_unknowns_permit: None,
        };
    }

    // Missing layers as a set of bits, listed in `Layer` order.
    let mut missing = 0u8;
    let mut need = |ok: bool, layer: Layer| {
        if !ok {
            missing |= 1 << layer as u8;
        }
    };
    need(!scp_missing, Layer::Scp);
    need(!rcp_missing, Layer::Rcp);
    let boundary_ok = set.boundary.is_none() || boundary.allows > 0;
    let session_ok = set.session.is_empty() || session.allows > 0;
    let identity_ok = identity.allows > 0
        // The root user needs no identity-based policy in its own account.
        || prepared.aws_kind == Some(AwsKind::Root);

    match aws {
        None => {
            // Anonymous, service, federated and canonical-user requests have only a resource side.
            need(resource.grant.is_some(), Layer::Resource);
        }
        Some(p) => {
            let same_account = req
                .resource_account
                .as_deref()
                .is_none_or(|acct| acct == p.account);
            if !same_account {
                need(resource.grant.is_some(), Layer::Resource);
                need(identity_ok, Layer::Identity);
                need(boundary_ok, Layer::Boundary);
                need(session_ok, Layer::Session);
            } else {
                if set.resource_policy_required {
                    need(resource.grant.is_some(), Layer::Resource);
                }
                match resource.grant {
                    Some(Grant::Direct) => {}
                    Some(Grant::Underlying) => {
                        need(boundary_ok, Layer::Boundary);
                        need(session_ok, Layer::Session);
                    }
                    Some(Grant::Account) | None => {
                        need(identity_ok, Layer::Identity);
                        need(boundary_ok, Layer::Boundary);
                        need(session_ok, Layer::Session);
                    }
                }
            }
        }
    }
    const LAYERS: [Layer; 6] = [
        Layer::Scp,
        Layer::Rcp,
        Layer::Resource,
        Layer::Identity,
        Layer::Boundary,
        Layer::Session,
    ];
    let missing_allow: Vec<Layer> = LAYERS
        .into_iter()
        .filter(|l| missing & (1 << *l as u8) != 0)
        .collect();
    Evaluation {
        decision: if missing_allow.is_empty() {
            Decision::Allowed
        } else {
            Decision::ImplicitlyDenied
        },
        statements: report(&hits, Effect::Allow, hits.len()),
        missing_allow,
        if_unknowns_permit: None,
    }
}

/// The hits of one effect as the result reports them.
fn report(hits: &[Hit], effect: Effect, count: usize) -> Vec<MatchedStatement> {
    let mut out = Vec::with_capacity(count);
    out.extend(
        hits.iter()
            .filter(|h| h.stmt.effect == effect)
            .map(Hit::matched),
    );
    out
}

fn statement_matches(
    policy: &Policy,
    stmt: &Statement,
    prepared: &Prepared,
    layer: Layer,
    has_boundary: bool,
) -> (Tri, Option<Grant>) {
    let req = prepared.req;
    let variables = policy.has_variables();
    // Action first, then resource, then principal: a statement fails on the first element that does
    // not match, and the later ones are not looked at.
    let action = match &stmt.action {
        Some(el) => element_matches(el, |v| {
            if prepared.action_ascii {
                if let Some(p) = v.as_known().filter(|p| p.is_ascii()) {
                    return Tri::from_bool(glob_bytes(p.as_bytes(), req.action.as_bytes(), true));
                }
            }
            let reading = Reading {
                wildcards: true,
                variables: false,
            };
            tokens(v, reading, &req.context).map_or(Tri::False, |t| glob(&t, &req.action, true))
        }),
        None => Tri::False,
    };
    if action == Tri::False {
        return (Tri::False, None);
    }
    let resource = match &stmt.resource {
        Some(el) => element_matches(el, |v| {
            if let Some(p) = v.as_known() {
                if p == "*" {
                    return Tri::True;
                }
                if prepared.resource_ascii && p.is_ascii() {
                    let parts = prepared.resource_parts.as_ref();
                    if !variables || !p.contains("${") {
                        return Tri::from_bool(arn_match_split(p, &req.resource, parts));
                    }
                    let mut text = String::new();
                    match substitute(p, &req.context, &mut text) {
                        Substituted::Text if text.is_ascii() => {
                            return Tri::from_bool(arn_match_split(&text, &req.resource, parts));
                        }
                        Substituted::NoValue => return Tri::False,
                        Substituted::Text | Substituted::Tokens => {}
                    }
                }
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
    if resource == Tri::False {
        return (Tri::False, None);
    }
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
                not_principal_matches(&p.value, prepared)
            };
            (tri, Some(Grant::Direct))
        }
        (Layer::Resource | Layer::Rcp, Some(p)) => principal_matches(&p.value, prepared),
        // A resource-based policy statement without a principal grants to no one.
        (Layer::Resource, None) => (Tri::False, None),
        // Other policy kinds are about the principal they are attached to.
        _ => (Tri::True, Some(Grant::Direct)),
    };
    if principal == Tri::False {
        return (Tri::False, None);
    }
    let condition = eval_condition(&stmt.condition, &req.context, variables);
    (action.and(resource).and(principal).and(condition), grant)
}

fn element_matches(el: &Element, value_matches: impl Fn(&PolicyStr) -> Tri) -> Tri {
    // `Tri::any`, stopping at the first value that matches.
    let mut any = Tri::False;
    for v in &el.values {
        any = any.or(value_matches(v));
        if any == Tri::True {
            break;
        }
    }
    if el.negated {
        any.not()
    } else {
        any
    }
}

/// One name a principal is known by in a Principal element, borrowed from the request.
#[derive(Debug, Clone, Copy)]
enum Id<'a> {
    Text(&'a str),
    /// `arn:{partition}:iam::{account}:root`, compared piece by piece rather than built.
    AccountArn {
        partition: &'a str,
        account: &'a str,
    },
}

impl Id<'_> {
    /// Whether a Principal element's value names this identity.
    fn named_by(&self, ty: PrincipalType, policy: &str) -> bool {
        match *self {
            // Service principals are compared ignoring ASCII case.
            Id::Text(id) if ty == PrincipalType::Service => policy.eq_ignore_ascii_case(id),
            Id::Text(id) => policy == id,
            Id::AccountArn { partition, account } => policy
                .strip_prefix("arn:")
                .and_then(|r| r.strip_prefix(partition))
                .and_then(|r| r.strip_prefix(":iam::"))
                .and_then(|r| r.strip_prefix(account))
                .is_some_and(|r| r == ":root"),
        }
    }
}

/// The identities a principal is known by, each with the grant it gets there: at most four (the
/// account, as an id and as its root ARN; the role or user behind a session; the principal itself).
#[derive(Debug, Clone, Copy)]
struct Ids<'a> {
    items: [(PrincipalType, Id<'a>, Grant); 4],
    len: usize,
}

impl<'a> Ids<'a> {
    fn push(&mut self, item: (PrincipalType, Id<'a>, Grant)) {
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = item;
            self.len += 1;
        }
    }

    fn as_slice(&self) -> &[(PrincipalType, Id<'a>, Grant)] {
        self.items.get(..self.len).unwrap_or(&[])
    }
}

fn identities(principal: &Principal, aws_kind: Option<AwsKind>) -> Ids<'_> {
    let mut ids = Ids {
        items: [(PrincipalType::Aws, Id::Text(""), Grant::Direct); 4],
        len: 0,
    };
    match principal {
        Principal::Anonymous => {}
        Principal::Service(s) => ids.push((PrincipalType::Service, Id::Text(s), Grant::Direct)),
        Principal::Federated(f) => ids.push((PrincipalType::Federated, Id::Text(f), Grant::Direct)),
        Principal::CanonicalUser(c) => {
            ids.push((PrincipalType::CanonicalUser, Id::Text(c), Grant::Direct))
        }
        Principal::Aws(p) => {
            let kind = aws_kind.unwrap_or(AwsKind::Other);
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
            // `arn.split(':').nth(1)`, as a byte scan: this runs on every evaluation.
            let bytes = p.arn.as_bytes();
            let partition = match bytes.iter().position(|b| *b == b':') {
                None => "aws",
                Some(first) => {
                    let rest = p.arn.get(first + 1..).unwrap_or("");
                    let end = rest.bytes().position(|b| b == b':').unwrap_or(rest.len());
                    rest.get(..end).unwrap_or("")
                }
            };
            ids.push((PrincipalType::Aws, Id::Text(&p.account), account_grant));
            let account_arn = Id::AccountArn {
                partition,
                account: &p.account,
            };
            ids.push((PrincipalType::Aws, account_arn, account_grant));
            if let Some(u) = &p.underlying {
                ids.push((PrincipalType::Aws, Id::Text(u), Grant::Underlying));
            }
            if kind != AwsKind::Root {
                ids.push((PrincipalType::Aws, Id::Text(&p.arn), own_grant));
            }
        }
    }
    ids
}

/// Whether a Principal element names the requester, and the strongest way it does.
fn principal_matches(value: &PrincipalValue, prepared: &Prepared) -> (Tri, Option<Grant>) {
    let entries = match value {
        PrincipalValue::Any => return (Tri::True, Some(Grant::Direct)),
        PrincipalValue::Map(entries) => entries,
    };
    let principal = &prepared.req.principal;
    let ids = prepared.ids.as_slice();
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
                    for (id_ty, id, g) in ids {
                        if id_ty == ty && id.named_by(*ty, s) {
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

/// NotPrincipal applies unless every identity of the requester (its account, the role or user behind a
/// session, the session) is listed: that is why the User Guide says to list all of them.
fn not_principal_matches(value: &PrincipalValue, prepared: &Prepared) -> Tri {
    let entries = match value {
        PrincipalValue::Any => return Tri::False,
        PrincipalValue::Map(entries) => entries,
    };
    let listed = |id_ty: PrincipalType, id: &Id| {
        Tri::any(
            entries
                .iter()
                .filter(|(ty, _)| *ty == id_ty)
                .flat_map(|(ty, values)| {
                    values.iter().map(move |v| match v {
                        PolicyStr::Known(s) if s == "*" => Tri::True,
                        PolicyStr::Known(s) => Tri::from_bool(id.named_by(*ty, s)),
                        _ => Tri::Unknown,
                    })
                }),
        )
    };
    let ids = prepared.ids.as_slice();
    if ids.is_empty() {
        // Anonymous: only {"AWS": "*"} lists it.
        return listed(PrincipalType::Aws, &Id::Text("\u{0}anonymous")).not();
    }
    match &prepared.req.principal {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_keys_ignore_case_at_any_length() {
        let mut ctx = Context::new();
        let long = format!("aws:{}", "Ab".repeat(100));
        ctx.push("aws:SourceVpce", "v");
        ctx.push(&long, "l");
        ctx.push("svc:Ünïcode", "u");
        assert_eq!(ctx.get("AWS:SOURCEVPCE"), Some(&["v".to_string()][..]));
        assert_eq!(ctx.get(&long.to_uppercase()), Some(&["l".to_string()][..]));
        assert_eq!(ctx.get("SVC:Ünïcode"), Some(&["u".to_string()][..]));
        assert_eq!(ctx.get("svc:ünïcode"), None);
    }

    #[test]
    fn account_arn_compared_in_pieces() {
        let id = Id::AccountArn {
            partition: "aws",
            account: "111111111111",
        };
        assert!(id.named_by(PrincipalType::Aws, "arn:aws:iam::111111111111:root"));
        assert!(!id.named_by(PrincipalType::Aws, "arn:aws:iam::111111111111:root2"));
        assert!(!id.named_by(PrincipalType::Aws, "arn:aws-cn:iam::111111111111:root"));
        assert!(!id.named_by(PrincipalType::Aws, "arn:aws:iam::11111111111:root"));
    }
}
