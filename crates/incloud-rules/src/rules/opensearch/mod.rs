pub(crate) mod tls;
