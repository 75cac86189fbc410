pub(crate) mod topic_encryption;
pub(crate) mod topic_policy_public;
pub(crate) mod topic_tls_only;

pub(crate) const TOPIC: &str = "AWS::SNS::Topic";
pub(crate) const TOPIC_POLICY: &str = "AWS::SNS::TopicPolicy";
