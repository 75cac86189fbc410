//! From resolved template values to `incloud_iam` policies, and where policies live in a stack.
//!
//! A policy document in the model is a `Node` tree with references and unknowns in it. The bridge writes it
//! as the JSON `incloud_iam::parse_policy` reads: literals as they are, `Val::Unknown(why)` as
//! `{"incloud:unknown": why}`, a reference (`Val::Link`) as an unknown whose reason names it
//! (`Fn::GetAtt Bucket.Arn`, `Ref Bucket`, which the analyser prints as `<Bucket.Arn>` the way cdk-nag
//! does), and a partly known string (`Val::Tpl`) as `{"incloud:parts": [...]}`. Then it fills every
//! statement's and element's `Origin` from the node spans, so findings point at the statement.
//!
//! Undecided conditions (`Val::Choice`), chosen so that a finding is never hidden by a condition and never
//! multiplied by one:
//! - a whole document under `Fn::If` gives one variant per branch, each carrying its condition;
//! - a statement under `Fn::If` gives one statement per branch, carrying its condition; a **Deny** statement
//!   that exists only under an undecided condition is left out (it cannot be relied on to deny);
//! - a choice anywhere deeper (one action, one principal) is an unknown value ("depends on condition X"),
//!   which each rule reads as it documents for unknowns.
//!
//! Parsing is cached per stack: every rule that asks for the same document gets the same parse.

use crate::Ctx;
use incloud_iam::{Origin, Policy, PolicyKind};
use incloud_model::{LeafVal, Link, Node, Part, Resource, Span, Stack, Val};
use serde_json::{json, Map, Value};
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// Parsed documents of one stack, keyed by the document node's address (the stack is borrowed, unchanged,
/// for the whole run of the rules over it).
#[derive(Default)]
pub(crate) struct PolicyCache {
    docs: RefCell<HashMap<DocKey, Rc<Vec<Variant>>>>,
}

/// A document node's address and the kind it is read as.
type DocKey = (usize, u8);

/// One outcome of a policy document once undecided conditions around it are fixed.
pub(crate) struct Variant {
    /// The conditions that lead to this document (`IsProd`), if any.
    pub condition: Option<String>,
    /// The document's own span.
    pub span: Span,
    /// The parsed policy, or why it could not be read (an unknown document, a parse error).
    pub policy: Result<Policy, Unreadable>,
    /// Per statement of `policy`: its span, and the condition that leads to it when it was under `Fn::If`.
    pub statements: Vec<StatementInfo>,
    /// Administrator equivalence, computed once for the rules that ask.
    admin: OnceCell<Option<(String, Vec<Origin>)>>,
}

#[derive(Clone, Debug)]
pub(crate) enum Unreadable {
    /// The document (or a statement) cannot be known from the template.
    Unknown(String),
    /// The document is not a valid policy.
    Invalid(String),
}

#[derive(Clone, Debug)]
pub(crate) struct StatementInfo {
    pub condition: Option<String>,
    /// Index of the statement as written (before branches were split).
    pub written_index: usize,
}

impl Variant {
    fn new(
        condition: Option<String>,
        span: Span,
        policy: Result<Policy, Unreadable>,
        statements: Vec<StatementInfo>,
    ) -> Self {
        Variant {
            condition,
            span,
            policy,
            statements,
            admin: OnceCell::new(),
        }
    }

    /// An AWS managed policy attached at `span` (a `ManagedPolicyArns` entry): its statements have no place
    /// in the template, so every origin falls back to the entry.
    pub fn aws_managed(condition: Option<String>, span: Span, policy: Policy) -> Self {
        let statements = (0..policy.statements.len())
            .map(|written_index| StatementInfo {
                condition: None,
                written_index,
            })
            .collect();
        Variant::new(condition, span, Ok(policy), statements)
    }

    /// Why the policy amounts to administrator access, if it does (see
    /// `incloud_iam::admin_equivalence`).
    pub fn admin(&self) -> Option<&(String, Vec<Origin>)> {
        self.admin
            .get_or_init(|| {
                self.policy
                    .as_ref()
                    .ok()
                    .and_then(incloud_iam::admin_equivalence)
            })
            .as_ref()
    }

    /// The span of an origin the bridge filled (same file as the document).
    pub fn span_of(&self, origin: Origin) -> Span {
        if origin.line == 0 {
            return self.span;
        }
        Span::new(self.span.file, origin.line, origin.col)
    }

    /// The conditions that lead to statement `index`: the document's and the statement's own.
    pub fn condition_of(&self, index: usize) -> Option<String> {
        let own = self.statements.get(index).and_then(|s| s.condition.clone());
        crate::rules::and(self.condition.as_deref(), own)
    }

    /// `Statement[2]` or `Statement[2] (Sid)`, as users find it in the template.
    pub fn statement_label(&self, index: usize) -> String {
        let written = self
            .statements
            .get(index)
            .map_or(index, |s| s.written_index);
        let sid = self
            .policy
            .as_ref()
            .ok()
            .and_then(|p| p.statements.get(index))
            .and_then(|s| s.sid.clone());
        match sid {
            Some(sid) if !sid.is_empty() => format!("Statement[{written}] ({sid})"),
            _ => format!("Statement[{written}]"),
        }
    }
}

fn kind_tag(kind: PolicyKind) -> u8 {
    kind as u8
}

impl Ctx<'_> {
    /// The policy document at `node`, parsed once per stack.
    pub(crate) fn policy(&self, node: &Node, kind: PolicyKind) -> Rc<Vec<Variant>> {
        let key = (node as *const Node as usize, kind_tag(kind));
        if let Some(hit) = self.policies.docs.borrow().get(&key) {
            return Rc::clone(hit);
        }
        let parsed = Rc::new(variants(node));
        self.policies
            .docs
            .borrow_mut()
            .insert(key, Rc::clone(&parsed));
        parsed
    }
}

/// Every outcome of a document node.
fn variants(doc: &Node) -> Vec<Variant> {
    let tri = doc.tri();
    tri.leaves()
        .into_iter()
        .filter_map(|leaf| {
            let condition = leaf.condition();
            match leaf.val {
                LeafVal::Absent => None,
                LeafVal::Unknown(why) => Some(Variant::new(
                    condition,
                    leaf.span,
                    Err(Unreadable::Unknown(why.to_string())),
                    Vec::new(),
                )),
                LeafVal::Known(node) => Some(document(node, condition)),
            }
        })
        .collect()
}

/// A policy document may also arrive as JSON text (`PolicyDocument: '{"Version": ...}'`,
/// `RepositoryPolicyText` written as text), possibly with substitutions (`!Sub '{"Resource": "${Bucket.Arn}"}'`):
/// read it, without positions inside, with each substituted part an unknown.
fn document(node: &Node, condition: Option<String>) -> Variant {
    let text_doc = match &node.val {
        Val::Str(text) => Some(serde_json::from_str::<Value>(text).map_err(|e| e.to_string())),
        Val::Tpl(parts) => Some(json_with_holes(parts)),
        _ => None,
    };
    if let Some(parsed) = text_doc {
        let policy = parsed
            .map_err(|e| Unreadable::Invalid(format!("not JSON: {e}")))
            .and_then(|v| {
                incloud_iam::parse_policy(&v).map_err(|e| Unreadable::Invalid(e.to_string()))
            });
        let statements = match &policy {
            Ok(p) => (0..p.statements.len())
                .map(|i| StatementInfo {
                    condition: None,
                    written_index: i,
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        return Variant::new(condition, node.span, policy, statements);
    }
    let Val::Map(entries) = &node.val else {
        return Variant::new(
            condition,
            node.span,
            Err(Unreadable::Invalid(format!(
                "a policy document must be an object, found {}",
                node.val.kind()
            ))),
            Vec::new(),
        );
    };
    let mut obj = Map::new();
    let mut stmt_nodes: Vec<(&Node, StatementInfo)> = Vec::new();
    let mut unknown_statement: Option<String> = None;
    for (key, value) in entries {
        if key == "Id" {
            // An Id built from template values (`!Sub '${AWS::StackName}-policy'`) names the policy only.
            let id = match to_json(value) {
                Value::String(s) => s,
                other => crate::iam_bridge::text_of(&other),
            };
            obj.insert(key.clone(), Value::String(id));
            continue;
        }
        if key != "Statement" {
            obj.insert(key.clone(), to_json(value));
            continue;
        }
        let items: Vec<&Node> = match &value.val {
            Val::Seq(items) => items.iter().collect(),
            _ => vec![value],
        };
        for (written_index, item) in items.into_iter().enumerate() {
            for leaf in item.tri().leaves() {
                match leaf.val {
                    LeafVal::Absent => {}
                    LeafVal::Unknown(why) => {
                        unknown_statement.get_or_insert_with(|| why.to_string());
                    }
                    LeafVal::Known(st) => {
                        let cond = leaf.condition();
                        let is_deny = st.get("Effect").and_then(|e| e.as_str()) == Some("Deny");
                        if cond.is_some() && is_deny {
                            continue;
                        }
                        stmt_nodes.push((
                            st,
                            StatementInfo {
                                condition: cond,
                                written_index,
                            },
                        ));
                    }
                }
            }
        }
        obj.insert(
            "Statement".into(),
            Value::Array(stmt_nodes.iter().map(|(n, _)| to_json(n)).collect()),
        );
    }
    let mut policy = match unknown_statement {
        Some(why) => Err(Unreadable::Unknown(format!(
            "a statement is unknown: {why}"
        ))),
        None => incloud_iam::parse_policy(&Value::Object(obj))
            .map_err(|e| Unreadable::Invalid(e.to_string())),
    };
    if let Ok(p) = &mut policy {
        p.origin = origin(node.span);
        for (stmt, (st_node, _)) in p.statements.iter_mut().zip(&stmt_nodes) {
            fill_origins(stmt, st_node);
        }
    }
    Variant::new(
        condition,
        node.span,
        policy,
        stmt_nodes.into_iter().map(|(_, info)| info).collect(),
    )
}

/// JSON text with template values in it: each unknown part becomes a marker, the text is parsed, and
/// strings holding markers become `incloud:parts` (or a plain unknown when the marker is the whole string).
const HOLE_START: &str = "@@incloud-hole-";
const HOLE_END: &str = "@@";

fn json_with_holes(parts: &[Part]) -> Result<Value, String> {
    let mut text = String::new();
    let mut holes: Vec<String> = Vec::new();
    for p in parts {
        match p {
            Part::Lit(s) => text.push_str(s),
            Part::Link(l) => {
                text.push_str(&format!("{HOLE_START}{}{HOLE_END}", holes.len()));
                holes.push(link_why(l));
            }
            Part::Unknown(why) => {
                text.push_str(&format!("{HOLE_START}{}{HOLE_END}", holes.len()));
                holes.push(unknown_why(why));
            }
        }
    }
    let value: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    Ok(fill_holes(value, &holes))
}

fn fill_holes(v: Value, holes: &[String]) -> Value {
    match v {
        Value::String(s) if s.contains(HOLE_START) => {
            let mut parts: Vec<Value> = Vec::new();
            let mut rest = s.as_str();
            while let Some(start) = rest.find(HOLE_START) {
                if start > 0 {
                    parts.push(Value::String(rest.get(..start).unwrap_or("").to_string()));
                }
                let after = rest.get(start + HOLE_START.len()..).unwrap_or("");
                let end = after.find(HOLE_END).unwrap_or(after.len());
                let why = after[..end]
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| holes.get(i))
                    .cloned()
                    .unwrap_or_else(|| "a template value".into());
                parts.push(unknown(why));
                rest = after.get(end + HOLE_END.len()..).unwrap_or("");
            }
            if !rest.is_empty() {
                parts.push(Value::String(rest.to_string()));
            }
            match parts.as_slice() {
                [one] if one.is_object() => one.clone(),
                _ => json!({ "incloud:parts": parts }),
            }
        }
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|i| fill_holes(i, holes)).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, fill_holes(v, holes)))
                .collect(),
        ),
        other => other,
    }
}

/// A JSON value as text, with unknowns as `<why>`.
pub(crate) fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) => {
            if let Some(why) = m.get("incloud:unknown").and_then(|w| w.as_str()) {
                return format!("<{why}>");
            }
            if let Some(Value::Array(parts)) = m.get("incloud:parts") {
                return parts.iter().map(text_of).collect();
            }
            v.to_string()
        }
        other => other.to_string(),
    }
}

fn origin(span: Span) -> Origin {
    Origin {
        line: span.line,
        col: span.col,
    }
}

fn fill_origins(stmt: &mut incloud_iam::Statement, node: &Node) {
    stmt.origin = origin(node.span);
    let span_of = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| node.get(k))
            .map_or(node.span, |n| n.span)
    };
    if let Some(a) = &mut stmt.action {
        a.origin = origin(span_of(&["Action", "NotAction"]));
    }
    if let Some(r) = &mut stmt.resource {
        r.origin = origin(span_of(&["Resource", "NotResource"]));
    }
    if let Some(p) = &mut stmt.principal {
        p.origin = origin(span_of(&["Principal", "NotPrincipal"]));
    }
    let cond = node.get("Condition");
    for block in &mut stmt.condition {
        let op = cond.and_then(|c| c.get(&block.operator.name()));
        block.origin = origin(op.or(cond).map_or(node.span, |n| n.span));
        for entry in &mut block.entries {
            let e = op.and_then(|o| match &o.val {
                Val::Map(m) => m
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(&entry.key))
                    .map(|(_, v)| v),
                _ => None,
            });
            entry.origin = origin(e.map_or(block_span(op, node), |n| n.span));
        }
    }
}

fn block_span(op: Option<&Node>, stmt: &Node) -> Span {
    op.map_or(stmt.span, |n| n.span)
}

/// The reason an unknown carries for a reference: the analyser renders `Fn::GetAtt X.Attr` as `<X.Attr>`
/// and `Ref X` as `<X>`, as cdk-nag prints them.
fn link_why(l: &Link) -> String {
    match &l.attr {
        Some(a) => format!("Fn::GetAtt {}.{a}", l.target),
        None => format!("Ref {}", l.target),
    }
}

/// Pseudo-parameters the resolver could not fill read as references, so they print as cdk-nag prints them
/// (`<AWS::AccountId>`).
fn unknown_why(why: &str) -> String {
    for pseudo in [
        "AWS::AccountId",
        "AWS::Region",
        "AWS::StackName",
        "AWS::StackId",
    ] {
        if why.starts_with(pseudo) {
            return format!("Ref {pseudo}");
        }
    }
    why.to_string()
}

fn unknown(why: String) -> Value {
    json!({ "incloud:unknown": why })
}

/// A resolved value as policy JSON.
pub(crate) fn to_json(node: &Node) -> Value {
    match &node.val {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Bool(*b),
        Val::Num(n) => Value::String(incloud_model::format_num(*n)),
        Val::Str(s) => Value::String(s.clone()),
        Val::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        Val::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
        Val::Link(l) => unknown(link_why(l)),
        Val::Tpl(parts) => json!({
            "incloud:parts": parts.iter().map(|p| match p {
                Part::Lit(s) => Value::String(s.clone()),
                Part::Link(l) => unknown(link_why(l)),
                Part::Unknown(why) => unknown(unknown_why(why)),
            }).collect::<Vec<_>>()
        }),
        Val::Unknown(why) => unknown(unknown_why(why)),
        Val::Choice(branches) => {
            let names: Vec<String> = branches.iter().map(|(c, _)| c.name.clone()).collect();
            let mut names = names;
            names.dedup();
            unknown(format!("depends on condition {}", names.join(", ")))
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Where policies live
// ---------------------------------------------------------------------------------------------------------

/// One policy document of a resource, with the property path users find it at.
pub(crate) struct DocRef<'a> {
    pub path: String,
    pub node: &'a Node,
    pub kind: PolicyKind,
}

/// The resource types whose identity policies (inline or standalone) the IAM rules read.
pub(crate) const IDENTITY_TYPES: &[&str] = &[
    "AWS::IAM::Role",
    "AWS::IAM::User",
    "AWS::IAM::Group",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
];

/// The identity-based policy documents written on a resource: `Policies[].PolicyDocument` of roles, users
/// and groups, `PolicyDocument` of `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy`.
pub(crate) fn identity_docs(res: &Resource) -> Vec<DocRef<'_>> {
    let mut out = Vec::new();
    match res.rtype.as_str() {
        "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => {
            if let Some(Val::Seq(items)) = res.props.get("Policies").map(|p| &p.val) {
                for (i, item) in items.iter().enumerate() {
                    if let Some(doc) = item.get("PolicyDocument") {
                        out.push(DocRef {
                            path: format!("Properties.Policies[{i}].PolicyDocument"),
                            node: doc,
                            kind: PolicyKind::Identity,
                        });
                    }
                }
            }
        }
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
            if let Some(doc) = res.props.get("PolicyDocument") {
                out.push(DocRef {
                    path: "Properties.PolicyDocument".into(),
                    node: doc,
                    kind: PolicyKind::Identity,
                });
            }
        }
        _ => {}
    }
    out
}

/// The resource-based policy document of a resource, by type.
pub(crate) fn resource_doc(res: &Resource) -> Option<DocRef<'_>> {
    let (prop, kind) = match res.rtype.as_str() {
        "AWS::IAM::Role" => ("AssumeRolePolicyDocument", PolicyKind::Trust),
        "AWS::KMS::Key" => ("KeyPolicy", PolicyKind::Key),
        "AWS::S3::BucketPolicy"
        | "AWS::SQS::QueuePolicy"
        | "AWS::SNS::TopicPolicy"
        | "AWS::SQS::QueueInlinePolicy"
        | "AWS::SNS::TopicInlinePolicy" => ("PolicyDocument", PolicyKind::Resource),
        "AWS::SecretsManager::ResourcePolicy" => ("ResourcePolicy", PolicyKind::Resource),
        "AWS::ECR::Repository" => ("RepositoryPolicyText", PolicyKind::Resource),
        _ => return None,
    };
    res.props.get(prop).map(|node| DocRef {
        path: format!("Properties.{prop}"),
        node,
        kind,
    })
}

/// Whether a value names the resource `id` (`Ref`, or `Fn::GetAtt` of any attribute).
pub(crate) fn names(value: &Node, id: &str) -> bool {
    match &value.val {
        Val::Link(l) => l.target == id,
        _ => false,
    }
}

/// The standalone policies (`AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy`) in the stack that attach to the
/// principal `principal` (a role, user or group) through their `Roles`/`Users`/`Groups`, and the managed
/// policies the principal names in `ManagedPolicyArns`.
pub(crate) fn attached_policies<'a>(stack: &'a Stack, principal: &Resource) -> Vec<&'a Resource> {
    let list = match principal.rtype.as_str() {
        "AWS::IAM::Role" => "Roles",
        "AWS::IAM::User" => "Users",
        "AWS::IAM::Group" => "Groups",
        _ => return Vec::new(),
    };
    let name = principal
        .props
        .get(match list {
            "Roles" => "RoleName",
            "Users" => "UserName",
            _ => "GroupName",
        })
        .and_then(|n| n.as_str());
    let mut out: Vec<&Resource> = Vec::new();
    for rtype in ["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"] {
        for p in stack.of_type(rtype) {
            let attached = p.props.get(list).is_some_and(|l| {
                l.items()
                    .iter()
                    .any(|i| names(i, &principal.id) || (name.is_some() && i.as_str() == name))
            });
            if attached {
                out.push(p);
            }
        }
    }
    if let Some(arns) = principal.props.get("ManagedPolicyArns") {
        for arn in arns.items() {
            if let Val::Link(l) = &arn.val {
                if let Some(p) = stack.resource(&l.target) {
                    if p.rtype == "AWS::IAM::ManagedPolicy" && !out.iter().any(|o| o.id == p.id) {
                        out.push(p);
                    }
                }
            }
        }
    }
    out
}

/// An AWS managed policy a principal attaches in `ManagedPolicyArns`.
pub(crate) struct ManagedAttachment {
    /// Position in `ManagedPolicyArns`.
    pub index: usize,
    pub span: Span,
    /// The conditions that lead to the entry, if any.
    pub condition: Option<String>,
    pub managed: incloud_iam::ManagedPolicy,
}

/// The AWS managed policies (`arn:<partition>:iam::aws:policy/...`) a role, user or group attaches, with
/// their documents from the bundled data. ARNs that cannot be known, customer managed policies and names
/// AWS does not have are left out.
pub(crate) fn aws_managed_attachments(principal: &Resource) -> Vec<ManagedAttachment> {
    let mut out = Vec::new();
    for leaf in principal.props.at(&["ManagedPolicyArns"]).leaves() {
        let LeafVal::Known(list) = leaf.val else {
            continue;
        };
        for (index, item) in list.items().into_iter().enumerate() {
            for l in item.tri().leaves() {
                let LeafVal::Known(n) = l.val else { continue };
                let Some(managed) = n.as_str().and_then(incloud_iam::aws_managed_policy) else {
                    continue;
                };
                out.push(ManagedAttachment {
                    index,
                    span: l.span,
                    condition: crate::rules::and(leaf.condition().as_deref(), l.condition()),
                    managed,
                });
            }
        }
    }
    out
}
