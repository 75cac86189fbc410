pub(crate) mod access_logging;
pub(crate) mod listener_tls;
