//! IAM policies: a model for every kind of policy, a parser that keeps unknown (template-time) values,
//! and an evaluator that decides a concrete request the way AWS documents it.
//!
//! This crate stands alone: it depends on no other incloud crate.

mod condition;
mod eval;
mod parse;
mod pattern;
mod policy;

pub use eval::{
    evaluate, literal_value, AwsPrincipal, Context, Decision, Evaluation, Layer, MatchedStatement,
    NamedPolicy, PolicySet, Principal, Request,
};
pub use parse::{
    parse_operator, parse_policy, parse_policy_as, policy_to_json, str_to_json, ParseError,
};
pub use policy::{
    ConditionBlock, ConditionEntry, Effect, Element, Operator, OperatorKind, Origin, Policy,
    PolicyKind, PolicyStr, PrincipalElement, PrincipalType, PrincipalValue, SetQualifier,
    Statement, StrPart, Version,
};
