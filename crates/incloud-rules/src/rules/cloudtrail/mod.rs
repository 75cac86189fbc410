pub(crate) mod cloudwatch_logs;
pub(crate) mod kms;
pub(crate) mod log_validation;
pub(crate) mod multi_region;

pub(crate) const TRAIL: &str = "AWS::CloudTrail::Trail";
