pub(crate) mod topic_encryption;

pub(crate) const TOPIC: &str = "AWS::SNS::Topic";
