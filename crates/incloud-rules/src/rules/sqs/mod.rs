pub(crate) mod queue_encryption;

pub(crate) const QUEUE: &str = "AWS::SQS::Queue";
