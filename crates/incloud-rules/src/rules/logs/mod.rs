pub(crate) mod group_kms;
pub(crate) mod group_retention;

pub(crate) const LOG_GROUP: &str = "AWS::Logs::LogGroup";
