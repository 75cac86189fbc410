use crate::Rule;
use incloud_model::{
    Finding, FindingResource, OptionValue, Resource, RuleMeta, Severity, Span, Stack,
};
use std::collections::HashMap;

/// Which rules run.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// When not empty, only these rules (by code or name).
    pub only: Vec<String>,
    /// Never these rules (by code or name).
    pub skip: Vec<String>,
}

impl Selection {
    pub fn includes(&self, meta: &RuleMeta) -> bool {
        let named = |list: &[String]| list.iter().any(|s| selects(s, meta));
        (self.only.is_empty() || named(&self.only)) && !named(&self.skip)
    }
}

/// Whether a selector names the rule: its code or name, its service (`s3`), its area (`data-at-rest`), or a
/// severity (`high`: rules of that severity and above).
pub fn selects(selector: &str, meta: &RuleMeta) -> bool {
    selector.eq_ignore_ascii_case(meta.code)
        || selector.eq_ignore_ascii_case(meta.name)
        || selector.eq_ignore_ascii_case(meta.service())
        || selector.eq_ignore_ascii_case(meta.area.as_str())
        || Severity::parse(selector).is_some_and(|s| meta.severity >= s)
}

/// What a rule reports: where, about what, and why.
pub struct Report<'a> {
    pub resource: &'a Resource,
    pub span: Span,
    /// Property path: `Properties.VersioningConfiguration.Status`.
    pub path: String,
    /// The undecided conditions that lead to this value (from [`incloud_model::Leaf::condition`]).
    pub condition: Option<String>,
    /// The granular part, when one resource can have several findings of the rule.
    pub detail: Option<String>,
    pub message: String,
}

/// What a rule sees while checking one stack.
pub struct Ctx<'a> {
    pub stack: &'a Stack,
    rule: &'static RuleMeta,
    source: &'a str,
    out: &'a mut Vec<Finding>,
    options: &'a HashMap<(&'static str, &'static str), OptionValue>,
    today: Option<&'a str>,
    /// Policy documents parsed for this stack, shared by every rule.
    pub(crate) policies: &'a crate::iam_bridge::PolicyCache,
}

impl Ctx<'_> {
    /// The scan date (YYYY-MM-DD) the caller set with [`Dispatch::set_today`]; `None` when not set, and then
    /// date-dependent rules report nothing about dates.
    pub fn today(&self) -> Option<&str> {
        self.today
    }

    /// An option's value for this scan: the user's, or the rule's default.
    pub fn option(&self, name: &str) -> OptionValue {
        if let Some(v) = self.options.get(&(self.rule.name, name)) {
            return v.clone();
        }
        self.rule
            .options
            .iter()
            .find(|o| o.name == name)
            .map(|o| OptionValue::from(o.default))
            .unwrap_or(OptionValue::Bool(false))
    }

    pub fn option_int(&self, name: &str) -> i64 {
        match self.option(name) {
            OptionValue::Int(i) => i,
            _ => 0,
        }
    }

    pub fn option_ints(&self, name: &str) -> Vec<i64> {
        match self.option(name) {
            OptionValue::Ints(v) => v,
            _ => Vec::new(),
        }
    }

    pub fn option_strs(&self, name: &str) -> Vec<String> {
        match self.option(name) {
            OptionValue::Strs(v) => v,
            _ => Vec::new(),
        }
    }

    pub fn report(&mut self, r: Report<'_>) {
        self.push(r, self.rule.severity);
    }

    /// Report with a severity other than the rule's (a softer variant of the problem).
    pub fn report_at(&mut self, severity: Severity, r: Report<'_>) {
        self.push(r, severity);
    }

    /// Report that a value the rule depends on cannot be known from the template. Such a finding has
    /// severity info: it is neither a pass nor a failure, and it says why.
    pub fn unknown(&mut self, r: Report<'_>, why: &str) {
        let message = format!("{} cannot be verified: {why}", r.message);
        self.push(Report { message, ..r }, Severity::Info);
    }

    fn push(&mut self, r: Report<'_>, severity: Severity) {
        let condition = match (&r.resource.condition, r.condition) {
            (Some(rc), Some(c)) => Some(format!("{rc} && {c}")),
            (Some(rc), None) => Some(rc.clone()),
            (None, c) => c,
        };
        let resource = FindingResource {
            id: r.resource.id.clone(),
            rtype: r.resource.rtype.clone(),
            stack: self.stack.name.clone(),
            cdk_path: r.resource.cdk_path.clone(),
            cdk_internal: is_cdk_internal(r.resource),
        };
        let fingerprint = fingerprint(&[
            self.rule.code,
            self.stack.name.as_deref().unwrap_or(self.source),
            &resource.id,
            &resource.rtype,
            &r.path,
            r.detail.as_deref().unwrap_or(""),
            condition.as_deref().unwrap_or(""),
        ]);
        self.out.push(Finding {
            rule: self.rule,
            severity,
            message: r.message,
            resource,
            location: r.span,
            path: r.path,
            condition,
            detail: r.detail,
            fingerprint,
            suppression: None,
        });
    }
}

/// A stable identity for a finding: what it is about, not where the text happens to sit. It survives
/// reformatting, reordering and moving the file, and changes when the rule, resource, property or condition
/// changes. FNV-1a over the parts, each terminated so that ("ab","c") and ("a","bc") differ.
fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The resource type a rule declares to be called once per stack instead of once per resource. It sees a
/// synthetic resource standing for the stack (see [`stack_resource`]).
pub const STACK: &str = "incloud::Stack";

/// The resource type of the synthetic resource a stack-level rule sees. Real nested stacks have this type
/// too, which is why stack-level rules are kept apart from the rules dispatched by resource type.
pub const STACK_TYPE: &str = "AWS::CloudFormation::Stack";

/// Rules by the resource type they apply to, built once per scan.
pub struct Dispatch {
    by_type: HashMap<&'static str, Vec<&'static Rule>>,
    /// Rules called once per stack ([`STACK`]).
    per_stack: Vec<&'static Rule>,
    /// The scan date, YYYY-MM-DD, for rules about dates (end of support); set by the caller, so that the
    /// engine reads no clock.
    today: Option<String>,
    /// Option values set by the user, by rule name and option name.
    options: HashMap<(&'static str, &'static str), OptionValue>,
}

impl Dispatch {
    /// Set a rule option for this scan. The caller has validated the name and type against the rule's
    /// declared options.
    pub fn set_option(&mut self, rule: &'static RuleMeta, name: &str, value: OptionValue) {
        if let Some(opt) = rule.options.iter().find(|o| o.name == name) {
            self.options.insert((rule.name, opt.name), value);
        }
    }

    pub fn new(selection: &Selection) -> Dispatch {
        let mut by_type: HashMap<&'static str, Vec<&'static Rule>> = HashMap::new();
        let mut per_stack = Vec::new();
        for rule in crate::all() {
            if selection.includes(&rule.meta) {
                for t in rule.meta.resource_types {
                    if *t == STACK {
                        per_stack.push(*rule);
                    } else {
                        by_type.entry(t).or_default().push(rule);
                    }
                }
            }
        }
        Dispatch {
            by_type,
            per_stack,
            today: None,
            options: HashMap::new(),
        }
    }

    /// Set the scan date (YYYY-MM-DD) that date-dependent rules compare with.
    pub fn set_today(&mut self, date: &str) {
        self.today = Some(date.to_string());
    }
}

/// Run the selected rules over one stack. `source` names the stack when it has no name (the template's file
/// name), for fingerprints. Findings come back sorted by location, then rule.
pub fn check_stack(stack: &Stack, dispatch: &Dispatch, source: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let policies = crate::iam_bridge::PolicyCache::default();
    let run = |rule: &'static Rule, resource: &Resource, out: &mut Vec<Finding>| {
        let mut ctx = Ctx {
            stack,
            rule: &rule.meta,
            source,
            out,
            options: &dispatch.options,
            today: dispatch.today.as_deref(),
            policies: &policies,
        };
        (rule.check)(&mut ctx, resource);
    };
    for resource in &stack.resources {
        if let Some(rules) = dispatch.by_type.get(resource.rtype.as_str()) {
            for rule in rules {
                run(rule, resource, &mut out);
            }
        }
    }
    if !dispatch.per_stack.is_empty() {
        let whole = stack_resource(stack, source);
        for rule in &dispatch.per_stack {
            run(rule, &whole, &mut out);
        }
    }
    out.sort_by(|a, b| {
        (a.location, a.rule.code, &a.resource.id, &a.path, &a.detail).cmp(&(
            b.location,
            b.rule.code,
            &b.resource.id,
            &b.path,
            &b.detail,
        ))
    });
    out
}

/// The resource a stack-level rule sees: the stack's name (or the template's file name) as id, type
/// [`STACK_TYPE`], the span of the `Resources` section, and the template's `Metadata` (for suppressions).
fn stack_resource(stack: &Stack, source: &str) -> Resource {
    Resource {
        id: stack.name.clone().unwrap_or_else(|| source.to_string()),
        rtype: STACK_TYPE.to_string(),
        span: stack.span,
        props: incloud_model::Node::new(stack.span, incloud_model::Val::Null),
        metadata: stack.metadata.clone(),
        condition: None,
        deletion_policy: None,
        update_replace_policy: None,
        cdk_path: None,
    }
}

/// Markers of the resources the CDK framework adds on its own (custom-resource providers and their roles,
/// bucket deployments, log retention, auto-delete and notification handlers), by type, logical id or
/// construct path.
const CDK_INTERNAL_MARKERS: &[&str] = &[
    "CustomResourceProvider",
    "CDKBucketDeployment",
    "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a",
    "BucketNotificationsHandler050a0587b7544547bf325f094a3db834",
    "AWS679f53fac002430cb0da5b7982bd2287",
    "S3AutoDeleteObjects",
    "VpcRestrictDefaultSG",
    "CrossRegionExportWriter",
    "CrossRegionExportReader",
    "/Provider/framework-",
    "/framework-onEvent",
    // The provider framework's functions and roles by logical id, for templates without construct paths.
    "Providerframework",
    "SingletonLambda",
];

pub fn is_cdk_internal(r: &Resource) -> bool {
    let hit = |s: &str| CDK_INTERNAL_MARKERS.iter().any(|m| s.contains(m));
    hit(&r.id) || hit(&r.rtype) || r.cdk_path.as_deref().is_some_and(hit)
}
