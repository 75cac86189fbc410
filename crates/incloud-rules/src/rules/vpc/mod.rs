pub(crate) mod flow_logs;
pub(crate) mod subnet_public_ip;
