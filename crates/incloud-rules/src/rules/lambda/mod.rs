pub(crate) mod environment_secret;
pub(crate) mod runtime_deprecated;

pub(crate) const FUNCTION: &str = "AWS::Lambda::Function";
pub(crate) mod verbose_logging;
