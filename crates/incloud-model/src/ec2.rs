//! EC2 compute joins: the launch template an instance is launched from. Stack-local, like the network joins:
//! a template from another stack or the account is not seen, and the rules that use this join say so.

use crate::network::target;
use crate::resource::{Resource, Stack};
use crate::value::Val;

pub const INSTANCE: &str = "AWS::EC2::Instance";
pub const LAUNCH_TEMPLATE: &str = "AWS::EC2::LaunchTemplate";

/// Where an instance's launch template is.
#[derive(Debug)]
pub enum LaunchTemplateRef<'a> {
    /// The instance names no launch template.
    None,
    /// A launch template of this stack.
    InStack(&'a Resource),
    /// A launch template the stack does not define (an id, an import, a parameter).
    Elsewhere,
}

/// The launch template an instance names in `LaunchTemplate`: by `LaunchTemplateId` (`Ref`), by a
/// `Version` of `Fn::GetAtt T.LatestVersionNumber`/`DefaultVersionNumber`, or by a `LaunchTemplateName`
/// that equals a stack template's `LaunchTemplateName` (what CDK's `requireImdsv2` writes).
pub fn launch_template_of<'a>(stack: &'a Stack, instance: &Resource) -> LaunchTemplateRef<'a> {
    let Some(spec) = instance.props.get("LaunchTemplate") else {
        return LaunchTemplateRef::None;
    };
    let linked = ["LaunchTemplateId", "Version", "LaunchTemplateName"]
        .iter()
        .filter_map(|k| spec.get(k))
        .filter_map(|v| target(stack, v))
        .find(|t| t.is(LAUNCH_TEMPLATE));
    if let Some(t) = linked {
        return LaunchTemplateRef::InStack(t);
    }
    if let Some(Val::Str(name)) = spec.get("LaunchTemplateName").map(|n| &n.val) {
        let by_name = stack.of_type(LAUNCH_TEMPLATE).find(|t| {
            t.props
                .get("LaunchTemplateName")
                .and_then(|n| n.as_str())
                .is_some_and(|n| n == name)
        });
        if let Some(t) = by_name {
            return LaunchTemplateRef::InStack(t);
        }
    }
    LaunchTemplateRef::Elsewhere
}
