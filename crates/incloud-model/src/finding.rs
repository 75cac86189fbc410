use crate::meta::{RuleMeta, Severity};
use crate::span::Span;

/// Which resource a finding is about, as users recognise it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FindingResource {
    /// Logical id (or the stack name for a finding about a whole stack).
    pub id: String,
    pub rtype: String,
    pub stack: Option<String>,
    /// The CDK construct path, when the template came from CDK.
    pub cdk_path: Option<String>,
    /// A resource the CDK itself adds (custom-resource providers, bucket deployments, log retention): the user
    /// cannot change it directly.
    pub cdk_internal: bool,
}

/// Where to look: file, line, column.
pub type Location = Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// Where the suppression was written (`template metadata`, `incloud.toml`, `baseline`, ...).
    pub source: String,
    pub reason: String,
}

/// A non-compliant resource: one rule, one resource, one place.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub resource: FindingResource,
    pub location: Location,
    /// Property path inside the resource: `Properties.BucketEncryption.ServerSideEncryptionConfiguration`.
    pub path: String,
    /// The undecided conditions that lead to this finding (`IsProd && !UseKms`).
    pub condition: Option<String>,
    /// The granular part a finding is about, when a resource can have several (an action, a policy ARN).
    pub detail: Option<String>,
    pub fingerprint: String,
    pub suppression: Option<Suppression>,
}
