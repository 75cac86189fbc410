//! Intrinsic functions, parameters, pseudo-parameters and conditions, resolved once per template.
//!
//! Each value of the template is visited once; each condition is evaluated once (memoised), so the cost is
//! linear in the size of the template whatever the number of conditions. An `Fn::If` whose condition cannot
//! be decided keeps both branches, each tagged with the outcome that leads to it.

use crate::error::DocError;
use crate::limits::Limits;
use incloud_model::{format_num, Cond, Link, Node, Part, Span, Val, DYNAMIC_REFERENCE};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decided {
    True,
    False,
    Undecided,
}

/// Values given from outside the template.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// Parameter values by name (`--parameter`, `--parameters`, or a parent stack's `Parameters`).
    pub parameters: BTreeMap<String, String>,
    pub region: Option<String>,
    pub account: Option<String>,
    pub stack_name: Option<String>,
}

pub(crate) struct Resolver<'t> {
    params: HashMap<String, Node>,
    resources: HashSet<String>,
    mappings: Option<&'t Node>,
    conditions: HashMap<&'t str, &'t Node>,
    memo: RefCell<HashMap<String, Decided>>,
    in_progress: RefCell<Vec<String>>,
    /// Where each whole-value `Ref` to a parameter landed (the `Ref`'s span) and the parameter's name.
    parameter_refs: RefCell<HashMap<Span, String>>,
    /// The parameters that went into each string built by `Fn::Sub` or `Fn::Join` (by the function's span).
    parameters_in_strings: RefCell<HashMap<Span, Vec<String>>>,
    inputs: &'t Inputs,
    limits: &'t Limits,
}

type R<T> = Result<T, DocError>;

fn err<T>(span: Span, msg: impl Into<String>) -> R<T> {
    Err(DocError::new(span.line, span.col, msg))
}

fn unknown(span: Span, why: impl Into<String>) -> Node {
    Node::new(span, Val::Unknown(why.into()))
}

const PSEUDO: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

impl<'t> Resolver<'t> {
    /// `root` is the template without its `Resources` section, which is resolved resource by resource
    /// (and consumed) by the caller; `resources` are the logical ids it declares.
    pub(crate) fn new(
        root: &'t Node,
        resources: HashSet<String>,
        inputs: &'t Inputs,
        limits: &'t Limits,
    ) -> R<Self> {
        let mut conditions = HashMap::new();
        if let Some(Val::Map(entries)) = root.get("Conditions").map(|n| &n.val) {
            conditions.extend(entries.iter().map(|(k, v)| (k.as_str(), v)));
        }
        let mut r = Resolver {
            params: HashMap::new(),
            resources,
            mappings: root.get("Mappings"),
            conditions,
            memo: RefCell::new(HashMap::new()),
            in_progress: RefCell::new(Vec::new()),
            parameter_refs: RefCell::new(HashMap::new()),
            parameters_in_strings: RefCell::new(HashMap::new()),
            inputs,
            limits,
        };
        if let Some(Val::Map(entries)) = root.get("Parameters").map(|n| &n.val) {
            for (name, decl) in entries {
                let value = r.parameter_value(name, decl)?;
                r.params.insert(name.clone(), value);
            }
        }
        Ok(r)
    }

    fn parameter_value(&self, name: &str, decl: &Node) -> R<Node> {
        let ptype = decl
            .get("Type")
            .and_then(|t| t.as_str())
            .unwrap_or("String");
        let is_list = ptype == "CommaDelimitedList" || ptype.starts_with("List<");
        let split = |span: Span, s: &str| {
            Node::new(
                span,
                Val::Seq(
                    s.split(',')
                        .map(|p| Node::new(span, Val::Str(p.trim().to_string())))
                        .collect(),
                ),
            )
        };
        if let Some(given) = self.inputs.parameters.get(name) {
            return Ok(if is_list {
                split(decl.span, given)
            } else {
                Node::new(decl.span, Val::Str(given.clone()))
            });
        }
        if ptype.starts_with("AWS::SSM::Parameter::Value<") {
            return Ok(unknown(
                decl.span,
                format!(
                    "parameter {name} is read from Systems Manager Parameter Store at deploy time"
                ),
            ));
        }
        match decl.get("Default") {
            Some(d) => Ok(match d.scalar_string() {
                Some(s) if is_list => split(d.span, &s),
                Some(s) => Node::new(d.span, Val::Str(s)),
                None => d.clone(),
            }),
            None => Ok(unknown(
                decl.span,
                format!("parameter {name} has no default and no value was given (pass --parameter {name}=...)"),
            )),
        }
    }

    /// Where whole-value `Ref`s to parameters landed, for [`incloud_model::Stack::parameter_refs`].
    pub(crate) fn take_parameter_refs(&self) -> HashMap<Span, String> {
        self.parameter_refs.take()
    }

    /// The parameters that went into strings built by `Fn::Sub` or `Fn::Join`, by the function's span.
    pub(crate) fn take_parameters_in_strings(&self) -> HashMap<Span, Vec<String>> {
        self.parameters_in_strings.take()
    }

    /// The parameter a resolved value came from, when it was a whole `Ref` to one.
    fn parameter_of(&self, value: &Node) -> Option<String> {
        self.parameter_refs.borrow().get(&value.span).cloned()
    }

    fn note_parameters_in_string(&self, span: Span, names: Vec<String>) {
        if !names.is_empty() {
            self.parameters_in_strings.borrow_mut().insert(span, names);
        }
    }

    /// A pseudo-parameter's value; `None` for `AWS::NoValue`.
    fn pseudo(&self, name: &str, span: Span) -> Option<Node> {
        let region = self.inputs.region.as_deref();
        let partition = match region {
            Some(r) if r.starts_with("cn-") => "aws-cn",
            Some(r) if r.starts_with("us-gov-") => "aws-us-gov",
            _ => "aws",
        };
        let known = |s: &str| Some(Node::new(span, Val::Str(s.to_string())));
        match name {
            "AWS::NoValue" => None,
            "AWS::Region" => match region {
                Some(r) => known(r),
                None => Some(unknown(span, "AWS::Region (pass --region)")),
            },
            "AWS::AccountId" => match self.inputs.account.as_deref() {
                Some(a) => known(a),
                None => Some(unknown(span, "AWS::AccountId (pass --account)")),
            },
            "AWS::Partition" => known(partition),
            "AWS::URLSuffix" => known(if partition == "aws-cn" {
                "amazonaws.com.cn"
            } else {
                "amazonaws.com"
            }),
            "AWS::StackName" => match self.inputs.stack_name.as_deref() {
                Some(s) => known(s),
                None => Some(unknown(span, "AWS::StackName")),
            },
            other => Some(unknown(span, other.to_string())),
        }
    }

    /// Resolve a value. `Ok(None)` is `AWS::NoValue`: the property or list item is removed.
    pub(crate) fn resolve(&self, node: &Node) -> R<Option<Node>> {
        match &node.val {
            Val::Map(entries) if entries.len() == 1 => {
                let (key, arg) = &entries[0];
                if key == "Ref" || key.starts_with("Fn::") {
                    return self.function(key, arg, node.span);
                }
                self.resolve_map(node, entries).map(Some)
            }
            Val::Map(entries) => self.resolve_map(node, entries).map(Some),
            Val::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    if let Some(v) = self.resolve(item)? {
                        out.push(v);
                    }
                }
                Ok(Some(Node::new(node.span, Val::Seq(out))))
            }
            Val::Str(s) if s.contains("{{resolve:") => Ok(Some(dynamic_reference(node.span, s))),
            _ => Ok(Some(node.clone())),
        }
    }

    /// Like [`Resolver::resolve`], consuming the value so that the strings and vectors of the template are
    /// moved into the result rather than copied: peak memory on a large template is one tree, not two.
    pub(crate) fn resolve_owned(&self, node: Node) -> R<Option<Node>> {
        let span = node.span;
        match node.val {
            Val::Map(entries)
                if !(entries.len() == 1
                    && (entries[0].0 == "Ref" || entries[0].0.starts_with("Fn::"))) =>
            {
                let mut out = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    if let Some(v) = self.resolve_owned(v)? {
                        out.push((k, v));
                    }
                }
                Ok(Some(Node::new(span, Val::Map(out))))
            }
            Val::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    if let Some(v) = self.resolve_owned(item)? {
                        out.push(v);
                    }
                }
                Ok(Some(Node::new(span, Val::Seq(out))))
            }
            Val::Str(s) if !s.contains("{{resolve:") => Ok(Some(Node::new(span, Val::Str(s)))),
            val => self.resolve(&Node::new(span, val)),
        }
    }

    fn resolve_map(&self, node: &Node, entries: &[(String, Node)]) -> R<Node> {
        let mut out = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            if let Some(v) = self.resolve(v)? {
                out.push((k.clone(), v));
            }
        }
        Ok(Node::new(node.span, Val::Map(out)))
    }

    fn function(&self, name: &str, arg: &Node, span: Span) -> R<Option<Node>> {
        let some = |n: Node| Ok(Some(n));
        match name {
            "Ref" => {
                let target = self.known_string(arg, "Ref")?;
                if self.params.contains_key(&target) {
                    self.parameter_refs
                        .borrow_mut()
                        .insert(span, target.clone());
                }
                self.reference(&target, span)
            }
            "Fn::GetAtt" => {
                let (target, attr) = match &arg.val {
                    Val::Str(s) => match s.split_once('.') {
                        Some((t, a)) => (t.to_string(), a.to_string()),
                        None => {
                            return err(
                                arg.span,
                                format!("Fn::GetAtt \"{s}\" needs the form Resource.Attribute"),
                            )
                        }
                    },
                    Val::Seq(items) if items.len() == 2 => {
                        let target = self.known_string(&items[0], "Fn::GetAtt")?;
                        match self.resolve(&items[1])?.and_then(|n| n.scalar_string()) {
                            Some(a) => (target, a),
                            None => {
                                return some(unknown(
                                    span,
                                    format!(
                                        "Fn::GetAtt {target} with an attribute that is not known"
                                    ),
                                ))
                            }
                        }
                    }
                    _ => {
                        return err(
                            arg.span,
                            "Fn::GetAtt takes [Resource, Attribute] or \"Resource.Attribute\"",
                        )
                    }
                };
                if self.resources.contains(target.as_str()) {
                    some(Node::new(
                        span,
                        Val::Link(Link {
                            target,
                            attr: Some(attr),
                        }),
                    ))
                } else {
                    some(unknown(
                        span,
                        format!(
                            "Fn::GetAtt {target}.{attr}: no resource {target} in this template"
                        ),
                    ))
                }
            }
            "Fn::Sub" => self.sub(arg, span).map(Some),
            "Fn::Join" => self.join(arg, span).map(Some),
            "Fn::Select" => {
                let Val::Seq(items) = &arg.val else {
                    return err(arg.span, "Fn::Select takes [index, list]");
                };
                let [index, list] = items.as_slice() else {
                    return err(arg.span, "Fn::Select takes [index, list]");
                };
                let index = self.resolve(index)?;
                let list = self.resolve(list)?;
                let idx = index
                    .as_ref()
                    .and_then(|n| n.scalar_string())
                    .and_then(|s| s.parse::<usize>().ok());
                match (idx, list) {
                    (
                        Some(i),
                        Some(Node {
                            val: Val::Seq(items),
                            ..
                        }),
                    ) => match items.into_iter().nth(i) {
                        Some(item) => some(item),
                        None => err(arg.span, format!("Fn::Select index {i} is out of range")),
                    },
                    _ => some(unknown(
                        span,
                        "Fn::Select over a list or index that is not known",
                    )),
                }
            }
            "Fn::Split" => {
                let Val::Seq(items) = &arg.val else {
                    return err(arg.span, "Fn::Split takes [delimiter, string]");
                };
                let [delim, source] = items.as_slice() else {
                    return err(arg.span, "Fn::Split takes [delimiter, string]");
                };
                let delim = self.known_string(delim, "Fn::Split")?;
                match self.resolve(source)? {
                    Some(Node {
                        val: Val::Str(s),
                        span: sspan,
                    }) if !delim.is_empty() => some(Node::new(
                        span,
                        Val::Seq(
                            s.split(delim.as_str())
                                .map(|p| Node::new(sspan, Val::Str(p.to_string())))
                                .collect(),
                        ),
                    )),
                    _ => some(unknown(span, "Fn::Split of a string that is not known")),
                }
            }
            "Fn::FindInMap" => self.find_in_map(arg, span),
            "Fn::If" => {
                let Val::Seq(items) = &arg.val else {
                    return err(
                        arg.span,
                        "Fn::If takes [condition, value if true, value if false]",
                    );
                };
                let [cond, then, otherwise] = items.as_slice() else {
                    return err(
                        arg.span,
                        "Fn::If takes [condition, value if true, value if false]",
                    );
                };
                let cname = match &cond.val {
                    Val::Str(s) => s.clone(),
                    _ => return err(cond.span, "Fn::If needs a condition name"),
                };
                match self.condition(&cname, cond.span, 0)? {
                    Decided::True => self.resolve(then),
                    Decided::False => self.resolve(otherwise),
                    Decided::Undecided => some(Node::new(
                        span,
                        Val::Choice(vec![
                            (
                                Cond {
                                    name: cname.clone(),
                                    holds: true,
                                },
                                self.resolve(then)?,
                            ),
                            (
                                Cond {
                                    name: cname,
                                    holds: false,
                                },
                                self.resolve(otherwise)?,
                            ),
                        ]),
                    )),
                }
            }
            "Fn::ImportValue" => {
                let what = self
                    .resolve(arg)?
                    .map(|n| n.val.describe())
                    .unwrap_or_default();
                some(unknown(
                    span,
                    format!("imported from another stack (Fn::ImportValue {what})"),
                ))
            }
            "Fn::Base64" => self.resolve(arg),
            "Fn::GetAZs" => some(unknown(
                span,
                "the region's availability zones (Fn::GetAZs)",
            )),
            "Fn::Cidr" => some(unknown(span, "address blocks computed by Fn::Cidr")),
            "Fn::Transform" => some(unknown(span, "produced by a macro (Fn::Transform)")),
            "Fn::ToJsonString" => some(unknown(span, "Fn::ToJsonString")),
            "Fn::Length" => match self.resolve(arg)? {
                Some(Node {
                    val: Val::Seq(items),
                    ..
                }) => some(Node::new(span, Val::Num(items.len() as f64))),
                _ => some(unknown(span, "Fn::Length of a list that is not known")),
            },
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                let expr = Node::new(span, Val::Map(vec![(name.to_string(), arg.clone())]));
                match self.condition_expr(&expr, 0)? {
                    Decided::True => some(Node::new(span, Val::Bool(true))),
                    Decided::False => some(Node::new(span, Val::Bool(false))),
                    Decided::Undecided => {
                        some(unknown(span, format!("{name} that cannot be decided")))
                    }
                }
            }
            "Fn::ForEach"
            | "Fn::Contains"
            | "Fn::EachMemberEquals"
            | "Fn::EachMemberIn"
            | "Fn::RefAll"
            | "Fn::ValueOf"
            | "Fn::ValueOfAll" => some(unknown(span, format!("{name} is not evaluated"))),
            other => err(span, format!("unknown intrinsic function {other}")),
        }
    }

    fn reference(&self, target: &str, span: Span) -> R<Option<Node>> {
        if let Some(v) = self.params.get(target) {
            let mut v = v.clone();
            v.span = span;
            return Ok(Some(v));
        }
        if PSEUDO.contains(&target) {
            return Ok(self.pseudo(target, span));
        }
        if self.resources.contains(target) {
            return Ok(Some(Node::new(
                span,
                Val::Link(Link {
                    target: target.to_string(),
                    attr: None,
                }),
            )));
        }
        Ok(Some(unknown(
            span,
            format!("Ref {target}: not a parameter or resource of this template"),
        )))
    }

    /// The value of an argument that must be a known string (a logical id, a delimiter).
    fn known_string(&self, node: &Node, func: &str) -> R<String> {
        match self.resolve(node)?.and_then(|n| n.scalar_string()) {
            Some(s) => Ok(s),
            None => err(node.span, format!("{func} needs a literal string here")),
        }
    }

    fn sub(&self, arg: &Node, span: Span) -> R<Node> {
        let (template, vars) = match &arg.val {
            Val::Str(s) => (s.as_str(), None),
            Val::Seq(items) if items.len() == 2 => match (&items[0].val, &items[1].val) {
                (Val::Str(s), Val::Map(vars)) => (s.as_str(), Some(vars)),
                _ => return err(arg.span, "Fn::Sub takes a string or [string, {variables}]"),
            },
            _ => return err(arg.span, "Fn::Sub takes a string or [string, {variables}]"),
        };
        let mut parts = Vec::new();
        let mut from_parameters = Vec::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            parts.push(Part::Lit(rest[..start].to_string()));
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                parts.push(Part::Lit(rest[start..].to_string()));
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                parts.push(Part::Lit(format!("${{{literal}}}")));
                continue;
            }
            let name = name.trim();
            let value = match vars.and_then(|v| v.iter().find(|(k, _)| k == name)) {
                Some((_, v)) => {
                    let value = self.resolve(v)?;
                    if let Some(p) = value.as_ref().and_then(|v| self.parameter_of(v)) {
                        from_parameters.push(p);
                    }
                    value
                }
                None if self.params.contains_key(name) => {
                    from_parameters.push(name.to_string());
                    self.reference(name, span)?
                }
                None => match name.split_once('.') {
                    Some((res, attr)) if self.resources.contains(res) => Some(Node::new(
                        span,
                        Val::Link(Link {
                            target: res.to_string(),
                            attr: Some(attr.to_string()),
                        }),
                    )),
                    _ => self.reference(name, span)?,
                },
            };
            match value {
                Some(v) => parts.extend(to_parts(&v)),
                None => parts.push(Part::Unknown(format!("${{{name}}} is AWS::NoValue"))),
            }
        }
        parts.push(Part::Lit(rest.to_string()));
        self.note_parameters_in_string(span, from_parameters);
        self.build_string(parts, span)
    }

    fn join(&self, arg: &Node, span: Span) -> R<Node> {
        let Val::Seq(items) = &arg.val else {
            return err(arg.span, "Fn::Join takes [delimiter, [values]]");
        };
        let [delim, list] = items.as_slice() else {
            return err(arg.span, "Fn::Join takes [delimiter, [values]]");
        };
        let delim = self.known_string(delim, "Fn::Join")?;
        let list = self.resolve(list)?;
        let Some(Node {
            val: Val::Seq(values),
            ..
        }) = list
        else {
            return Ok(unknown(span, "Fn::Join over a list that is not known"));
        };
        let from_parameters = values.iter().filter_map(|v| self.parameter_of(v)).collect();
        self.note_parameters_in_string(span, from_parameters);
        let mut parts = Vec::new();
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                parts.push(Part::Lit(delim.clone()));
            }
            parts.extend(to_parts(v));
        }
        self.build_string(parts, span)
    }

    /// Joins parts into a string when all are known, into a partly known string otherwise.
    fn build_string(&self, parts: Vec<Part>, span: Span) -> R<Node> {
        let mut merged: Vec<Part> = Vec::with_capacity(parts.len());
        let mut len = 0usize;
        for p in parts {
            if let Part::Lit(s) = &p {
                len += s.len();
                if s.is_empty() {
                    continue;
                }
            }
            match (merged.last_mut(), p) {
                (Some(Part::Lit(prev)), Part::Lit(s)) => prev.push_str(&s),
                (_, p) => merged.push(p),
            }
        }
        if len > self.limits.max_string_len {
            return err(
                span,
                format!("string built by an intrinsic function is longer than {} bytes (limit max_string_len)", self.limits.max_string_len),
            );
        }
        Ok(match merged.as_slice() {
            [] => Node::new(span, Val::Str(String::new())),
            [Part::Lit(s)] if s.contains("{{resolve:") => dynamic_reference(span, s),
            [Part::Lit(_)] => match merged.pop() {
                Some(Part::Lit(s)) => Node::new(span, Val::Str(s)),
                _ => unknown(span, "internal"),
            },
            _ => Node::new(span, Val::Tpl(merged)),
        })
    }

    fn find_in_map(&self, arg: &Node, span: Span) -> R<Option<Node>> {
        let Val::Seq(items) = &arg.val else {
            return err(arg.span, "Fn::FindInMap takes [map, key, key]");
        };
        if items.len() < 3 || items.len() > 4 {
            return err(
                arg.span,
                "Fn::FindInMap takes [map, key, key] (and an optional DefaultValue)",
            );
        }
        let default = match items.get(3) {
            Some(d) => match d.get("DefaultValue") {
                Some(v) => Some(v),
                None => {
                    return err(
                        d.span,
                        "the fourth argument of Fn::FindInMap must be {DefaultValue: ...}",
                    )
                }
            },
            None => None,
        };
        let mut keys = Vec::with_capacity(3);
        for k in &items[..3] {
            match self.resolve(k)? {
                Some(n) => match n.scalar_string() {
                    Some(s) => keys.push(s),
                    None => {
                        return Ok(Some(unknown(
                            span,
                            format!(
                                "Fn::FindInMap with a key that is not known ({})",
                                n.val.describe()
                            ),
                        )))
                    }
                },
                None => return err(k.span, "Fn::FindInMap key is AWS::NoValue"),
            }
        }
        let found = self
            .mappings
            .and_then(|m| m.get(&keys[0]))
            .and_then(|m| m.get(&keys[1]))
            .and_then(|m| m.get(&keys[2]));
        match (found, default) {
            (Some(v), _) => {
                let mut v = self.resolve(v)?;
                if let Some(v) = v.as_mut() {
                    v.span = span;
                }
                Ok(v)
            }
            (None, Some(d)) => self.resolve(d),
            (None, None) => Ok(Some(unknown(
                span,
                format!(
                    "Fn::FindInMap: no entry {}/{}/{} in Mappings",
                    keys[0], keys[1], keys[2]
                ),
            ))),
        }
    }

    /// Evaluate a named condition, once.
    pub(crate) fn condition(&self, name: &str, span: Span, depth: usize) -> R<Decided> {
        if let Some(d) = self.memo.borrow().get(name) {
            return Ok(*d);
        }
        let Some(expr) = self.conditions.get(name) else {
            return err(
                span,
                format!("condition {name} is not defined in Conditions"),
            );
        };
        if self.in_progress.borrow().iter().any(|n| n == name) {
            let mut cycle = self.in_progress.borrow().clone();
            cycle.push(name.to_string());
            return err(span, format!("circular conditions: {}", cycle.join(" -> ")));
        }
        if depth > self.limits.max_condition_depth {
            return err(
                span,
                format!(
                    "conditions refer to conditions more than {} deep (limit max_condition_depth)",
                    self.limits.max_condition_depth
                ),
            );
        }
        self.in_progress.borrow_mut().push(name.to_string());
        let result = self.condition_expr(expr, depth);
        self.in_progress.borrow_mut().pop();
        let d = result?;
        self.memo.borrow_mut().insert(name.to_string(), d);
        Ok(d)
    }

    fn condition_expr(&self, expr: &Node, depth: usize) -> R<Decided> {
        if depth > self.limits.max_condition_depth {
            return err(
                expr.span,
                format!(
                    "condition nested more than {} deep (limit max_condition_depth)",
                    self.limits.max_condition_depth
                ),
            );
        }
        let Val::Map(entries) = &expr.val else {
            return err(expr.span, format!("a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition, found {}", expr.val.kind()));
        };
        let [(func, arg)] = entries.as_slice() else {
            return err(expr.span, "a condition must be a single function");
        };
        let args = |n: usize| -> R<&Vec<Node>> {
            match &arg.val {
                Val::Seq(items) if n == 0 || items.len() == n => Ok(items),
                _ => err(
                    arg.span,
                    format!(
                        "{func} takes a list of {}",
                        if n == 0 {
                            "conditions".to_string()
                        } else {
                            format!("{n} values")
                        }
                    ),
                ),
            }
        };
        Ok(match func.as_str() {
            "Fn::Equals" => {
                let items = args(2)?;
                let a = self.resolve(&items[0])?;
                let b = self.resolve(&items[1])?;
                match (
                    a.and_then(|n| n.scalar_string()),
                    b.and_then(|n| n.scalar_string()),
                ) {
                    (Some(a), Some(b)) => decided(a == b),
                    _ => Decided::Undecided,
                }
            }
            "Fn::And" | "Fn::Or" => {
                let is_and = func == "Fn::And";
                let mut result = decided(is_and);
                for item in args(0)? {
                    match (self.condition_expr(item, depth)?, is_and) {
                        (Decided::False, true) => return Ok(Decided::False),
                        (Decided::True, false) => return Ok(Decided::True),
                        (Decided::Undecided, _) => result = Decided::Undecided,
                        _ => {}
                    }
                }
                result
            }
            "Fn::Not" => match self.condition_expr(&args(1)?[0], depth)? {
                Decided::True => Decided::False,
                Decided::False => Decided::True,
                Decided::Undecided => Decided::Undecided,
            },
            "Condition" => match &arg.val {
                Val::Str(name) => self.condition(name, arg.span, depth + 1)?,
                _ => return err(arg.span, "Condition takes a condition name"),
            },
            other => return err(expr.span, format!("{other} cannot be used in a condition")),
        })
    }
}

fn decided(b: bool) -> Decided {
    if b {
        Decided::True
    } else {
        Decided::False
    }
}

fn dynamic_reference(span: Span, s: &str) -> Node {
    let start = s.find("{{resolve:").unwrap_or(0);
    let end = s[start..]
        .find("}}")
        .map(|e| start + e + 2)
        .unwrap_or(s.len());
    unknown(
        span,
        format!(
            "{DYNAMIC_REFERENCE}{} resolved at deploy time",
            &s[start..end]
        ),
    )
}

fn to_parts(v: &Node) -> Vec<Part> {
    match &v.val {
        Val::Str(s) => vec![Part::Lit(s.clone())],
        Val::Num(n) => vec![Part::Lit(format_num(*n))],
        Val::Bool(b) => vec![Part::Lit(b.to_string())],
        Val::Link(l) => vec![Part::Link(l.clone())],
        Val::Tpl(parts) => parts.clone(),
        Val::Unknown(why) => vec![Part::Unknown(why.clone())],
        Val::Choice(branches) => {
            let names: Vec<String> = branches.iter().map(|(c, _)| c.name.clone()).collect();
            vec![Part::Unknown(format!(
                "depends on condition {}",
                names.first().cloned().unwrap_or_default()
            ))]
        }
        other => vec![Part::Unknown(format!(
            "{} where a string was expected",
            other.kind()
        ))],
    }
}
