//! IAM policies: a model for every kind of policy, a parser that keeps unknown (template-time) values,
//! and an evaluator that decides a concrete request the way AWS documents it.
//!
//! This crate stands alone: it depends on no other incloud crate.
//!
//! - [`parse_policy`] reads any policy document from JSON; [`parse_policy_as`] also checks the elements
//!   its [`PolicyKind`] requires or forbids. Errors name the element (`Statement[2].Condition...`).
//!   [`policy_to_json`] writes a policy back; parsing that gives the same [`Policy`].
//! - Values that a template only knows at deployment are [`PolicyStr::Unknown`], or
//!   [`PolicyStr::Partial`] when only some of the text is known (`Fn::Sub`, `Fn::Join`). The parser
//!   reads CloudFormation intrinsics that way, and `{"incloud:unknown": why}` /
//!   `{"incloud:parts": [...]}` for callers that resolved what they could.
//! - [`evaluate`] decides a [`Request`] against a [`PolicySet`]. Unknown values are read twice: the
//!   least permissive way gives [`Evaluation::decision`]; when the most permissive way decides
//!   otherwise, that evaluation is in [`Evaluation::if_unknowns_permit`]. A scanner asking "can this be
//!   reached?" looks at the second; one asking "is this certainly allowed?" at the first.
//! - [`aws_managed_policy`] gives the document of an AWS managed policy by ARN, from bundled data.
//! - Every statement, element and condition carries an [`Origin`] for the caller to fill, so findings
//!   point at the statement.

mod analyze;
mod catalog;
mod condition;
mod eval;
mod managed;
mod parse;
mod pattern;
mod policy;
mod validate;

pub use analyze::{
    access, admin_equivalence, escalation_paths, grants, kms_key_policy, wildcards, Access,
    AccessReport, EscalationMethod, EscalationPath, GrantSummary, KmsReport, KmsSeparationFinding,
    ServiceGrant, StatementAccess, WildcardFinding, WildcardKind, ESCALATION_METHODS,
};
pub use catalog::{
    catalog, AccessLevel, AccessLevels, ActionDef, Catalog, ConditionKeyDef, ConditionKeyType,
    KeyType, ResourceTypeDef, ServiceDef,
};
pub use eval::{
    evaluate, AwsPrincipal, Context, Decision, Evaluation, Layer, MatchedStatement, NamedPolicy,
    PolicySet, Principal, Request,
};
pub use managed::{
    aws_managed_policy, aws_managed_policy_data, aws_managed_policy_name, ManagedPolicy,
};
pub use parse::{parse_policy, parse_policy_as, policy_to_json, ParseError};
pub use policy::{
    ConditionBlock, ConditionEntry, Effect, Element, Operator, OperatorKind, Origin, Policy,
    PolicyKind, PolicyStr, PrincipalElement, PrincipalType, PrincipalValue, SetQualifier,
    Statement, StrPart, Version,
};
pub use validate::{validate, ValidationFinding, ValidationKind};
