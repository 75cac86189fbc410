//! Lambda joins: whether a function runs at CloudFront edge locations. Stack-local: a distribution in
//! another stack (CDK's `experimental.EdgeFunction` deploys to us-east-1 on its own) is not seen.

use crate::resource::{Resource, Stack};
use crate::value::{Node, Part, Val};

pub const FUNCTION: &str = "AWS::Lambda::Function";
pub const DISTRIBUTION: &str = "AWS::CloudFront::Distribution";

/// Whether a value refers to the resource `id`: a `Ref`, a `Fn::GetAtt`, or a reference inside a string
/// built with `Fn::Sub`/`Fn::Join`.
fn mentions(value: &Node, id: &str) -> bool {
    match &value.val {
        Val::Link(l) => l.target == id,
        Val::Tpl(parts) => parts
            .iter()
            .any(|p| matches!(p, Part::Link(l) if l.target == id)),
        Val::Choice(branches) => branches
            .iter()
            .any(|(_, n)| n.as_ref().is_some_and(|n| mentions(n, id))),
        _ => false,
    }
}

/// Whether a CloudFront distribution of the stack associates this function with a cache behavior
/// (`LambdaFunctionAssociations`), directly or through a resource whose `FunctionName` names it (an
/// `AWS::Lambda::Version`, or a custom resource that publishes one). Lambda@Edge functions cannot be
/// connected to a VPC.
pub fn is_edge_function(stack: &Stack, function: &Resource) -> bool {
    let versions: Vec<&str> = stack
        .resources
        .iter()
        .filter(|r| {
            r.props
                .get("FunctionName")
                .is_some_and(|n| mentions(n, &function.id))
        })
        .map(|r| r.id.as_str())
        .collect();
    let names_function =
        |arn: &Node| mentions(arn, &function.id) || versions.iter().any(|v| mentions(arn, v));
    stack.of_type(DISTRIBUTION).any(|d| {
        let Some(config) = d.props.get("DistributionConfig") else {
            return false;
        };
        let mut behaviors: Vec<&Node> = config.get("DefaultCacheBehavior").into_iter().collect();
        if let Some(list) = config.get("CacheBehaviors") {
            behaviors.extend(list.items());
        }
        behaviors.iter().any(|b| {
            b.get("LambdaFunctionAssociations").is_some_and(|assocs| {
                assocs
                    .items()
                    .iter()
                    .any(|a| a.get("LambdaFunctionARN").is_some_and(names_function))
            })
        })
    })
}
