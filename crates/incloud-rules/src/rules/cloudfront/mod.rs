pub(crate) mod access_logging;
pub(crate) mod origin_tls;
pub(crate) mod tls;
