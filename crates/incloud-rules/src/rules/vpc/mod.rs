pub(crate) mod flow_logs;
pub(crate) mod missing_endpoint;
pub(crate) mod subnet_public_ip;
