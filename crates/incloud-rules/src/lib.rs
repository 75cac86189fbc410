//! The rule catalog and the engine that runs it over a stack.
//!
//! Rules are pure functions of the model: no I/O, no printing, no global state. Each rule lives in one file
//! under `rules/<service>/` with its metadata, its documentation and its check; fixtures live beside it.

pub mod docs;
mod engine;
mod iam_bridge;
mod rules;
pub mod suppress;

pub use engine::{
    check_stack, is_cdk_internal, selects, Ctx, Dispatch, Report, Selection, STACK, STACK_TYPE,
};
use incloud_model::RuleMeta;

/// A rule: its metadata and its check, called once per resource of the types it declares (or once per stack
/// for [`STACK`]).
pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&mut Ctx<'_>, &incloud_model::Resource),
}

/// Every rule, in code order.
pub fn all() -> &'static [&'static Rule] {
    rules::ALL
}

/// A rule by its code or its name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    all().iter().copied().find(|r| {
        r.meta.code.eq_ignore_ascii_case(code_or_name)
            || r.meta.name.eq_ignore_ascii_case(code_or_name)
    })
}
