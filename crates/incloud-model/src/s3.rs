//! S3 buckets, with the policies and logging relations that other resources attach to them.

use crate::resource::{Resource, Stack};
use crate::value::{Node, Val};

pub const BUCKET: &str = "AWS::S3::Bucket";
pub const BUCKET_POLICY: &str = "AWS::S3::BucketPolicy";

/// A bucket as the rules see it: its own properties plus what is joined from elsewhere in the stack.
pub struct Bucket<'a> {
    pub resource: &'a Resource,
    /// The bucket policies that apply to this bucket (`AWS::S3::BucketPolicy` whose `Bucket` names it).
    pub policies: Vec<&'a Resource>,
    /// Other buckets in the stack send their server access logs here, or the bucket policy lets the S3
    /// logging service write to it.
    pub is_log_target: bool,
}

impl<'a> Bucket<'a> {
    pub fn of(stack: &'a Stack, resource: &'a Resource) -> Bucket<'a> {
        let name = resource
            .props
            .get("BucketName")
            .and_then(|n| n.as_str())
            .map(str::to_owned);
        let policies: Vec<&Resource> = stack
            .of_type(BUCKET_POLICY)
            .filter(|p| {
                p.props
                    .get("Bucket")
                    .is_some_and(|b| names_bucket(b, &resource.id, name.as_deref()))
            })
            .collect();
        let granted_to_logging = policies
            .iter()
            .any(|p: &&Resource| grants_logging_service(p));
        let is_log_target = granted_to_logging
            || stack.of_type(BUCKET).any(|other| {
                other.id != resource.id
                    && other
                        .props
                        .get("LoggingConfiguration")
                        .and_then(|l| l.get("DestinationBucketName"))
                        .is_some_and(|d| names_bucket(d, &resource.id, name.as_deref()))
            });
        Bucket {
            resource,
            policies,
            is_log_target,
        }
    }

    pub fn props(&self) -> &'a Node {
        &self.resource.props
    }
}

/// Whether a value names the bucket: a `Ref` to it, or its literal name.
pub fn names_bucket(value: &Node, logical_id: &str, name: Option<&str>) -> bool {
    match &value.val {
        Val::Link(l) => l.target == logical_id && l.attr.is_none(),
        Val::Str(s) => name.is_some_and(|n| n == s),
        _ => false,
    }
}

/// Whether a bucket policy allows the S3 server access logging service to write.
fn grants_logging_service(policy: &Resource) -> bool {
    let Some(statements) = policy
        .props
        .get("PolicyDocument")
        .and_then(|d| d.get("Statement"))
    else {
        return false;
    };
    statements.items().iter().any(|st| {
        st.get("Effect").and_then(|e| e.as_str()) == Some("Allow")
            && st
                .get("Principal")
                .and_then(|p| p.get("Service"))
                .is_some_and(|s| {
                    s.items()
                        .iter()
                        .any(|i| i.as_str() == Some("logging.s3.amazonaws.com"))
                })
    })
}
