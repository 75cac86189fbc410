pub(crate) mod stage_access_logging;
pub(crate) mod tls;
