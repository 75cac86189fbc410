//! CloudFormation and SAM templates into stacks.

pub(crate) mod resolve;
mod sam;

use crate::error::DocError;
use crate::limits::Limits;
use incloud_model::{FileId, Node, Parameter, Resource, Span, Stack, StackKind, Val};
pub use resolve::Inputs;
use resolve::{Decided, Resolver};
use std::collections::BTreeMap;

/// A nested stack that a template points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NestedRef {
    pub logical_id: String,
    /// A CDK asset file name, relative to the cloud assembly directory.
    pub asset_path: Option<String>,
    /// A `TemplateURL` that is a local path (as `aws cloudformation package` takes them).
    pub local_url: Option<String>,
    /// Parameter values the parent passes that are known.
    pub parameters: BTreeMap<String, String>,
    pub span: Span,
}

/// Whether a parsed document is a CloudFormation template: it has `AWSTemplateFormatVersion`, or a
/// `Resources` object whose entries have a resource `Type`.
pub(crate) fn looks_like_template(root: &Node) -> bool {
    if !matches!(root.val, Val::Map(_)) {
        return false;
    }
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    match root.get("Resources").map(|r| &r.val) {
        Some(Val::Map(entries)) => entries.iter().any(|(_, r)| {
            r.get("Type").and_then(|t| t.as_str()).is_some_and(|t| {
                t.starts_with("AWS::") || t.starts_with("Custom::") || t.starts_with("Alexa::")
            })
        }),
        _ => false,
    }
}

/// Resolve a template into a stack, and list the nested stacks it points at.
pub(crate) fn build_stack(
    root: Node,
    file: FileId,
    kind: StackKind,
    inputs: &Inputs,
    limits: &Limits,
) -> Result<(Stack, Vec<NestedRef>), DocError> {
    let mut root = if sam::is_sam(&root) {
        sam::transform(&root)?
    } else {
        root
    };
    let root_span = root.span;
    // The Resources section is taken out and consumed resource by resource, so that the resolved tree
    // replaces the parsed one instead of sitting beside it.
    let resources_node = match &mut root.val {
        Val::Map(entries) => entries
            .iter()
            .position(|(k, _)| k == "Resources")
            .map(|i| entries.remove(i).1),
        _ => None,
    };
    let resources_span = resources_node.as_ref().map(|n| n.span).unwrap_or(root_span);
    let entries: Vec<(String, Node)> = match resources_node.map(|n| n.val) {
        Some(Val::Map(entries)) => entries,
        Some(Val::Null) | None => Vec::new(),
        Some(other) => {
            return Err(DocError::new(
                resources_span.line,
                resources_span.col,
                format!("Resources must be an object, found {}", other.kind()),
            ));
        }
    };
    if entries.len() > limits.max_resources {
        return Err(DocError::new(
            root_span.line,
            root_span.col,
            format!(
                "{} resources, more than the limit of {} (max_resources)",
                entries.len(),
                limits.max_resources
            ),
        ));
    }
    let ids = entries.iter().map(|(k, _)| k.clone()).collect();
    let resolver = Resolver::new(&root, ids, inputs, limits)?;
    let mut resources = Vec::with_capacity(entries.len());
    let mut nested = Vec::new();
    for (id, mut entry) in entries {
        if id.starts_with("Fn::ForEach::") {
            // Expanded by the AWS::LanguageExtensions transform at deploy time; not modelled yet.
            continue;
        }
        let Some(rtype) = entry.get("Type") else {
            return Err(DocError::new(
                entry.span.line,
                entry.span.col,
                format!("resource {id} has no Type"),
            ));
        };
        let Some(rtype) = rtype.as_str() else {
            return Err(DocError::new(
                rtype.span.line,
                rtype.span.col,
                format!("resource {id}: Type must be a string"),
            ));
        };
        let condition = match entry.get("Condition") {
            Some(c) => match c.as_str() {
                Some(name) => match resolver.condition(name, c.span, 0)? {
                    Decided::False => continue,
                    Decided::True => None,
                    Decided::Undecided => Some(name.to_string()),
                },
                None => {
                    return Err(DocError::new(
                        c.span.line,
                        c.span.col,
                        format!("resource {id}: Condition must be a condition name"),
                    ))
                }
            },
            None => None,
        };
        let rtype = rtype.to_string();
        let props = match take(&mut entry, "Properties") {
            Some(p) => {
                let span = p.span;
                resolver
                    .resolve_owned(p)?
                    .unwrap_or_else(|| Node::new(span, Val::Null))
            }
            None => Node::new(entry.span, Val::Null),
        };
        let metadata = match entry.get("Metadata") {
            Some(m) => resolver.resolve(m)?,
            None => None,
        };
        let cdk_path = metadata
            .as_ref()
            .and_then(|m| m.get("aws:cdk:path"))
            .and_then(|p| p.as_str())
            .map(str::to_owned);
        let policy = |key: &str| -> Result<Option<Node>, DocError> {
            match entry.get(key) {
                Some(p) => resolver.resolve(p),
                None => Ok(None),
            }
        };
        let resource = Resource {
            id: id.clone(),
            rtype: rtype.to_string(),
            span: entry.span,
            props,
            metadata,
            condition,
            deletion_policy: policy("DeletionPolicy")?,
            update_replace_policy: policy("UpdateReplacePolicy")?,
            cdk_path,
        };
        if rtype == "AWS::CloudFormation::Stack" {
            nested.push(nested_ref(&resource));
        }
        resources.push(resource);
    }
    let mut stack = Stack::new(
        inputs.stack_name.clone(),
        kind,
        file,
        resources_span,
        resources,
    );
    stack.metadata = match root.get("Metadata") {
        Some(m) => resolver.resolve(m)?,
        None => None,
    };
    stack.parameters = parameters(&root);
    stack.parameter_refs = resolver.take_parameter_refs();
    stack.parameters_in_strings = resolver.take_parameters_in_strings();
    Ok((stack, nested))
}

/// The `Parameters` declarations as written (`NoEcho` and `Default` are literals in a valid template).
fn parameters(root: &Node) -> Vec<Parameter> {
    let Some(Val::Map(entries)) = root.get("Parameters").map(|p| &p.val) else {
        return Vec::new();
    };
    entries
        .iter()
        .map(|(name, decl)| Parameter {
            name: name.clone(),
            ptype: decl
                .get("Type")
                .and_then(|t| t.as_str())
                .unwrap_or("String")
                .to_string(),
            no_echo: decl.get("NoEcho").is_some_and(|n| match &n.val {
                Val::Bool(b) => *b,
                Val::Str(s) => s.eq_ignore_ascii_case("true"),
                _ => false,
            }),
            has_default: decl.get("Default").is_some(),
            default: decl.get("Default").and_then(|d| d.scalar_string()),
            span: decl.span,
        })
        .collect()
}

fn nested_ref(r: &Resource) -> NestedRef {
    let asset_path = r
        .metadata
        .as_ref()
        .and_then(|m| m.get("aws:asset:path"))
        .and_then(|p| p.as_str())
        .map(str::to_owned);
    let local_url = r
        .props
        .get("TemplateURL")
        .and_then(|u| u.as_str())
        .filter(|u| !u.contains("://") && !u.starts_with("s3:"))
        .map(str::to_owned);
    let mut parameters = BTreeMap::new();
    if let Some(Val::Map(entries)) = r.props.get("Parameters").map(|p| &p.val) {
        for (k, v) in entries {
            if let Some(s) = v.scalar_string() {
                parameters.insert(k.clone(), s);
            }
        }
    }
    NestedRef {
        logical_id: r.id.clone(),
        asset_path,
        local_url,
        parameters,
        span: r.span,
    }
}

/// Remove and return one entry of an object.
fn take(node: &mut Node, key: &str) -> Option<Node> {
    match &mut node.val {
        Val::Map(entries) => entries
            .iter()
            .position(|(k, _)| k == key)
            .map(|i| entries.remove(i).1),
        _ => None,
    }
}
