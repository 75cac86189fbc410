//! Resolved values: what a template says once intrinsic functions, parameters and conditions are applied.

use crate::span::Span;
use crate::tri::{Cond, V};

/// A reference to another resource in the same stack (`Ref` or `Fn::GetAtt`).
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// Logical id of the target resource.
    pub target: String,
    /// The attribute for `Fn::GetAtt`; `None` for `Ref`.
    pub attr: Option<String>,
}

/// One piece of a string that is only partly known (`Fn::Sub`, `Fn::Join` over references).
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Lit(String),
    Link(Link),
    Unknown(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in document order; CloudFormation objects are small, so a vector beats a hash map here.
    Map(Vec<(String, Node)>),
    Link(Link),
    /// A string built from literal text and references or unknown parts.
    Tpl(Vec<Part>),
    /// A value that cannot be known from the template (the reason says why: an import, a parameter without
    /// a value, a dynamic reference, ...).
    Unknown(String),
    /// An `Fn::If` whose condition could not be decided: one branch per outcome; `None` is `AWS::NoValue`.
    Choice(Vec<(Cond, Option<Node>)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub val: Val,
}

impl Node {
    pub fn new(span: Span, val: Val) -> Self {
        Node { span, val }
    }

    /// The entry `key` of a known map; `None` if this is not a map or has no such key.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.val {
            Val::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.val {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    /// This node as a three-valued value, splitting undecided conditions into branches.
    pub fn tri(&self) -> V<&Node> {
        match &self.val {
            Val::Choice(branches) => V::Choice(
                branches
                    .iter()
                    .map(|(cond, n)| crate::tri::Branch {
                        cond: cond.clone(),
                        value: match n {
                            Some(n) => n.tri(),
                            None => V::Absent(self.span),
                        },
                    })
                    .collect(),
            ),
            Val::Unknown(why) => V::Unknown(why.clone(), self.span),
            _ => V::Known(self, self.span),
        }
    }

    /// Follow a path of map keys, splitting on undecided conditions. A key that is not there is `Absent`
    /// (carrying the span of the closest enclosing value); a value that is not a map where one is needed is
    /// `Unknown`.
    pub fn at<'a>(&'a self, path: &[&str]) -> V<&'a Node> {
        let mut cur = self.tri();
        for key in path {
            cur = cur.and_then(|n, span| match &n.val {
                Val::Map(_) => match n.get(key) {
                    Some(child) => child.tri(),
                    None => V::Absent(span),
                },
                Val::Null => V::Absent(span),
                other => V::Unknown(format!("expected an object, found {}", other.kind()), span),
            });
        }
        cur
    }

    /// This node as a boolean the way CloudFormation reads one: YAML/JSON booleans or the strings
    /// "true"/"false" in any case.
    pub fn bool_value(&self) -> V<bool> {
        self.tri().and_then(|n, span| match &n.val {
            Val::Bool(b) => V::Known(*b, span),
            Val::Str(s) if s.eq_ignore_ascii_case("true") => V::Known(true, span),
            Val::Str(s) if s.eq_ignore_ascii_case("false") => V::Known(false, span),
            other => V::Unknown(format!("not a boolean: {}", other.describe()), span),
        })
    }

    /// This node as a string; numbers and booleans are rendered as CloudFormation would pass them.
    pub fn string_value(&self) -> V<String> {
        self.tri().and_then(|n, span| match n.scalar_string() {
            Some(s) => V::Known(s, span),
            None => V::Unknown(n.val.describe(), span),
        })
    }

    /// A known scalar as a string.
    pub fn scalar_string(&self) -> Option<String> {
        match &self.val {
            Val::Str(s) => Some(s.clone()),
            Val::Bool(b) => Some(b.to_string()),
            Val::Num(n) => Some(format_num(*n)),
            _ => None,
        }
    }

    /// Items of a list, or of a single value where CloudFormation accepts "one or a list".
    pub fn items(&self) -> Vec<&Node> {
        match &self.val {
            Val::Seq(items) => items.iter().collect(),
            Val::Null => Vec::new(),
            _ => vec![self],
        }
    }
}

/// How the reason of a `Val::Unknown` for a dynamic reference begins: `dynamic reference {{resolve:…}} …`.
pub const DYNAMIC_REFERENCE: &str = "dynamic reference ";

/// The service of a dynamic reference (`secretsmanager`, `ssm-secure`, `ssm`), from the reason of the
/// `Val::Unknown` it was resolved to; `None` when the value was not a dynamic reference.
pub fn dynamic_reference(why: &str) -> Option<&str> {
    let rest = why
        .strip_prefix(DYNAMIC_REFERENCE)?
        .strip_prefix("{{resolve:")?;
    rest.split(':').next()
}

pub fn format_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl Val {
    /// A short name for the kind of value, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "a boolean",
            Val::Num(_) => "a number",
            Val::Str(_) => "a string",
            Val::Seq(_) => "a list",
            Val::Map(_) => "an object",
            Val::Link(_) => "a reference",
            Val::Tpl(_) => "a partly known string",
            Val::Unknown(_) => "an unknown value",
            Val::Choice(_) => "a conditional value",
        }
    }

    /// Says what the value is, for messages: the value itself when short and known, otherwise its kind or
    /// why it is unknown.
    pub fn describe(&self) -> String {
        match self {
            Val::Str(s) => format!("\"{s}\""),
            Val::Bool(b) => b.to_string(),
            Val::Num(n) => format_num(*n),
            Val::Link(l) => match &l.attr {
                Some(a) => format!("Fn::GetAtt {}.{a}", l.target),
                None => format!("Ref {}", l.target),
            },
            Val::Unknown(why) => format!("unknown ({why})"),
            other => other.kind().to_string(),
        }
    }
}
