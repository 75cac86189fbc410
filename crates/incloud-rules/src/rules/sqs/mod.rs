pub(crate) mod queue_encryption;
pub(crate) mod queue_policy_public;
pub(crate) mod queue_tls_only;

pub(crate) const QUEUE: &str = "AWS::SQS::Queue";
pub(crate) const QUEUE_POLICY: &str = "AWS::SQS::QueuePolicy";
