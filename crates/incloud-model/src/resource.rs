use crate::span::{FileId, Span};
use crate::value::Node;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StackKind {
    /// A CloudFormation or SAM template read on its own.
    Template,
    /// A stack of a CDK cloud assembly.
    Cdk,
    /// A nested stack (`AWS::CloudFormation::Stack`) followed from its parent.
    Nested,
}

/// One resource as written in a template, with intrinsic functions resolved.
#[derive(Clone, Debug)]
pub struct Resource {
    pub id: String,
    pub rtype: String,
    /// The resource's entry in `Resources`.
    pub span: Span,
    /// `Properties`, resolved; `Val::Null` when there are none.
    pub props: Node,
    /// `Metadata`, resolved.
    pub metadata: Option<Node>,
    /// The resource's `Condition` when it could not be decided (the resource exists only when it holds).
    pub condition: Option<String>,
    pub deletion_policy: Option<Node>,
    pub update_replace_policy: Option<Node>,
    /// The CDK construct path (`aws:cdk:path`).
    pub cdk_path: Option<String>,
}

impl Resource {
    pub fn is(&self, rtype: &str) -> bool {
        self.rtype == rtype
    }
}

/// A parameter as the template's `Parameters` section declares it (not its value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    pub name: String,
    /// The declared `Type` (`String` when not given).
    pub ptype: String,
    /// `NoEcho: true`: CloudFormation masks the value in the console, `DescribeStacks` and events.
    pub no_echo: bool,
    /// Whether the declaration has a `Default`, which is then written in the template.
    pub has_default: bool,
    /// The `Default` when it is a scalar: may be a secret, so never to be shown.
    pub default: Option<String>,
    pub span: Span,
}

impl Parameter {
    /// A parameter whose value CloudFormation reads from Systems Manager Parameter Store
    /// (`AWS::SSM::Parameter::Value<String>`): a plain `String` parameter, never a `SecureString`.
    pub fn from_ssm(&self) -> bool {
        self.ptype.starts_with("AWS::SSM::Parameter::Value<")
    }
}

/// Resources by logical id and by type, for the joins rules need.
#[derive(Clone, Debug, Default)]
pub struct ResourceIndex {
    by_id: HashMap<String, usize>,
    by_type: HashMap<String, Vec<usize>>,
}

/// One stack: a template and what it was deployed as.
#[derive(Clone, Debug)]
pub struct Stack {
    /// The stack name (CDK artifact or nested stack path); `None` for a plain template.
    pub name: Option<String>,
    pub kind: StackKind,
    pub file: FileId,
    /// The `Resources` section (or the top of the template for findings about the template as a whole).
    pub span: Span,
    /// From the cloud assembly manifest: `Some(false)` when CDK says the stack has no termination protection.
    pub termination_protection: Option<bool>,
    /// Template-level `Metadata`, resolved.
    pub metadata: Option<Node>,
    pub resources: Vec<Resource>,
    /// The template's parameter declarations, in document order.
    pub parameters: Vec<Parameter>,
    /// Where a whole value was a `Ref` to a parameter: the span of the `Ref` (which the resolved value
    /// keeps) and the parameter's name. Lets a rule tell a value that came from a parameter from a literal.
    pub parameter_refs: HashMap<Span, String>,
    /// The parameters that went into each string built by `Fn::Sub` or `Fn::Join`, by the span of the
    /// function (which the built string keeps).
    pub parameters_in_strings: HashMap<Span, Vec<String>>,
    index: ResourceIndex,
}

impl Stack {
    pub fn new(
        name: Option<String>,
        kind: StackKind,
        file: FileId,
        span: Span,
        resources: Vec<Resource>,
    ) -> Self {
        let mut index = ResourceIndex::default();
        for (i, r) in resources.iter().enumerate() {
            index.by_id.insert(r.id.clone(), i);
            index.by_type.entry(r.rtype.clone()).or_default().push(i);
        }
        Stack {
            name,
            kind,
            file,
            span,
            termination_protection: None,
            metadata: None,
            resources,
            parameters: Vec::new(),
            parameter_refs: HashMap::new(),
            parameters_in_strings: HashMap::new(),
            index,
        }
    }

    /// The parameter a value came from, when the value at `span` was written as a `Ref` to it.
    pub fn parameter_at(&self, span: Span) -> Option<&Parameter> {
        let name = self.parameter_refs.get(&span)?;
        self.parameters.iter().find(|p| &p.name == name)
    }

    /// The parameters that went into the string built by `Fn::Sub` or `Fn::Join` at `span`.
    pub fn parameters_in(&self, span: Span) -> Vec<&Parameter> {
        let names = self.parameters_in_strings.get(&span);
        self.parameters
            .iter()
            .filter(|p| names.is_some_and(|n| n.contains(&p.name)))
            .collect()
    }

    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.index
            .by_id
            .get(id)
            .and_then(|&i| self.resources.get(i))
    }

    pub fn of_type<'a>(&'a self, rtype: &str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.index
            .by_type
            .get(rtype)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
            .iter()
            .filter_map(|&i| self.resources.get(i))
    }
}
