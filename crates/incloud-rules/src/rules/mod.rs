mod apigateway;
mod bedrock;
mod cfn;
mod cloudfront;
mod cloudtrail;
mod dynamodb;
mod ec2;
mod ecr;
mod efs;
mod elb;
mod iam;
mod kms;
mod lambda;
mod logs;
mod opensearch;
pub(crate) mod policy;
mod policy_support;
mod rds;
mod s3;
mod secret_support;
mod secretsmanager;
mod sns;
mod sqs;
mod vpc;

use crate::{Ctx, Report, Rule};
use incloud_model::{LeafVal, Node, Resource, Severity, V};

pub(crate) static ALL: &[&Rule] = &[
    &iam::wildcard_permission::RULE,
    &iam::aws_managed_policy::RULE,
    &iam::admin_access::RULE,
    &iam::privilege_escalation::RULE,
    &iam::policy_invalid::RULE,
    &iam::user_attached_policy::RULE,
    &iam::user_access_key::RULE,
    &iam::role_trust_public::RULE,
    &iam::role_trust_cross_account::RULE,
    &iam::role_session_duration::RULE,
    &iam::kms_decrypt_all_keys::RULE,
    &kms::key_rotation::RULE,
    &kms::key_policy_public::RULE,
    &kms::key_policy_account_wide::RULE,
    &kms::key_separation_of_duties::RULE,
    &s3::bucket_policy_public::RULE,
    &s3::bucket_cross_account_access::RULE,
    &sqs::queue_policy_public::RULE,
    &sns::topic_policy_public::RULE,
    &lambda::permission_public::RULE,
    &secretsmanager::policy_public::RULE,
    &ecr::repository_policy_public::RULE,
    &apigateway::tls::RULE,
    &apigateway::stage_access_logging::RULE,
    &cloudfront::tls::RULE,
    &cloudfront::origin_tls::RULE,
    &cloudfront::access_logging::RULE,
    &cloudtrail::multi_region::RULE,
    &cloudtrail::kms::RULE,
    &cloudtrail::log_validation::RULE,
    &cloudtrail::cloudwatch_logs::RULE,
    &elb::listener_tls::RULE,
    &elb::access_logging::RULE,
    &opensearch::tls::RULE,
    &s3::bucket_public_access_block::RULE,
    &s3::bucket_tls_only::RULE,
    &s3::bucket_kms_encryption::RULE,
    &s3::bucket_versioning::RULE,
    &s3::bucket_replication::RULE,
    &s3::bucket_access_logging::RULE,
    &dynamodb::table_cmk_encryption::RULE,
    &dynamodb::table_pitr::RULE,
    &dynamodb::table_deletion_protection::RULE,
    &rds::storage_encrypted::RULE,
    &rds::public_access::RULE,
    &rds::deletion_protection::RULE,
    &rds::iam_auth::RULE,
    &ec2::ebs_volume_encrypted::RULE,
    &ec2::security_group_open_ingress::RULE,
    &ec2::imdsv2::RULE,
    &ec2::instance_public_ip::RULE,
    &efs::encrypted::RULE,
    &logs::group_retention::RULE,
    &logs::group_kms::RULE,
    &lambda::outside_vpc::RULE,
    &lambda::subnet_internet_route::RULE,
    &vpc::flow_logs::RULE,
    &vpc::subnet_public_ip::RULE,
    &sqs::queue_encryption::RULE,
    &sqs::queue_tls_only::RULE,
    &sns::topic_encryption::RULE,
    &sns::topic_tls_only::RULE,
    &secretsmanager::secret_cmk::RULE,
    &secretsmanager::rotation::RULE,
    &cfn::stateful_resource_retain::RULE,
    &cfn::stack_termination_protection::RULE,
    &cfn::plaintext_secret::RULE,
    &kms::key_events_monitored::RULE,
    &lambda::runtime_deprecated::RULE,
    &lambda::verbose_logging::RULE,
    &lambda::environment_secret::RULE,
    &bedrock::guardrail_missing::RULE,
    &bedrock::guardrail_not_enforced::RULE,
    &bedrock::agent_cmk::RULE,
    &vpc::missing_endpoint::RULE,
];

/// How one property is judged, for the common case of a value that must satisfy a test.
pub(crate) struct Expect<'a> {
    /// `Properties.VersioningConfiguration.Status`
    pub path: &'a str,
    /// What is checked, as the subject of "cannot be verified" (`versioning status`).
    pub what: &'a str,
    /// The message when the property is not set, and the severity to report it with (`None`: the rule's).
    pub absent: (&'a str, Option<Severity>),
    /// The granular part reported (a flag name), for findings that can be suppressed one by one.
    pub detail: Option<&'a str>,
    /// Conditions already on the way to this property (from an enclosing value's leaf).
    pub condition: Option<String>,
}

impl<'a> Expect<'a> {
    pub fn new(path: &'a str, what: &'a str, absent: &'a str) -> Self {
        Expect {
            path,
            what,
            absent: (absent, None),
            detail: None,
            condition: None,
        }
    }
}

/// Judge a boolean property that must be `true` (`DeletionProtection`, `StorageEncrypted`): absent values with
/// the `absent` message, unknown ones at severity info, and anything else with `not_true(found)`, where
/// `found` names the value written.
pub(crate) fn expect_true(
    ctx: &mut Ctx<'_>,
    res: &Resource,
    value: &V<&Node>,
    e: &Expect<'_>,
    not_true: impl Fn(&str) -> String,
) {
    expect(ctx, res, value, e, |n| match n.bool_value() {
        V::Known(true, _) => None,
        _ => Some(not_true(&n.val.describe())),
    });
}

/// Conditions as users write them, outer first.
pub(crate) fn and(outer: Option<&str>, inner: Option<String>) -> Option<String> {
    match (outer, inner) {
        (Some(o), Some(i)) => Some(format!("{o} && {i}")),
        (Some(o), None) => Some(o.to_string()),
        (None, i) => i,
    }
}

/// Judge every outcome of a property: `judge` returns the failure message for a known value, or `None` when
/// it complies. Unknown values are reported at severity info, absent ones with the `absent` message.
pub(crate) fn expect(
    ctx: &mut Ctx<'_>,
    res: &Resource,
    value: &V<&Node>,
    e: &Expect<'_>,
    judge: impl Fn(&Node) -> Option<String>,
) {
    for leaf in value.leaves() {
        let report = |message: String| Report {
            resource: res,
            span: leaf.span,
            path: e.path.to_string(),
            condition: and(e.condition.as_deref(), leaf.condition()),
            detail: e.detail.map(str::to_owned),
            message,
        };
        match leaf.val {
            LeafVal::Known(n) => {
                if let Some(msg) = judge(n) {
                    ctx.report(report(msg));
                }
            }
            LeafVal::Absent => match e.absent.1 {
                Some(sev) => ctx.report_at(sev, report(e.absent.0.to_string())),
                None => ctx.report(report(e.absent.0.to_string())),
            },
            LeafVal::Unknown(why) => ctx.unknown(report(e.what.to_string()), why),
        }
    }
}

/// Whether a value is a `Ref` or `Fn::GetAtt` to the resource with this logical id.
pub(crate) fn refers_to(value: &Node, id: &str) -> bool {
    match &value.val {
        incloud_model::Val::Link(l) => l.target == id,
        _ => false,
    }
}

/// Report a property that is not set (or set to an empty string). A value that is present counts even when
/// unknown: it names a resource the template cannot see (an imported key or log group).
pub(crate) fn expect_set(ctx: &mut Ctx<'_>, res: &Resource, key: &str, absent: &str) {
    for leaf in res.props.at(&[key]).leaves() {
        let message = match leaf.val {
            LeafVal::Absent => absent.to_string(),
            LeafVal::Known(n) if n.as_str() == Some("") => format!("{key} is empty"),
            _ => continue,
        };
        ctx.report(Report {
            resource: res,
            span: leaf.span,
            path: format!("Properties.{key}"),
            condition: leaf.condition(),
            detail: None,
            message,
        });
    }
}
