pub(crate) mod bucket_access_logging;
pub(crate) mod bucket_kms_encryption;
pub(crate) mod bucket_public_access_block;
pub(crate) mod bucket_replication;
pub(crate) mod bucket_tls_only;
pub(crate) mod bucket_versioning;
