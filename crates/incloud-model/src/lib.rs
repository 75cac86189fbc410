//! The one typed view of infrastructure that every source is read into and every rule runs on.
//!
//! Values carry the span they came from and are three-valued: known, unknown (with the reason), or absent.
//! A value that depends on a condition that could not be decided is a choice of branches, each tagged with
//! the condition that leads to it; rules see each branch as a separate leaf.

pub mod ec2;
mod finding;
pub mod lambda;
mod meta;
pub mod network;
mod resource;
pub mod s3;
mod span;
mod tri;
mod value;
pub mod wildcard;

pub use finding::{Finding, FindingResource, Location, Suppression};
pub use meta::{Area, Controls, Docs, OptionDefault, OptionValue, RuleMeta, RuleOption, Severity};
pub use resource::{Parameter, Resource, ResourceIndex, Stack, StackKind};
pub use span::{FileId, SourceFile, Span};
pub use tri::{Branch, Cond, Leaf, LeafVal, V};
pub use value::{dynamic_reference, format_num, Link, Node, Part, Val, DYNAMIC_REFERENCE};
