pub(crate) mod bucket_access_logging;
pub(crate) mod bucket_cross_account_access;
pub(crate) mod bucket_kms_encryption;
pub(crate) mod bucket_policy_public;
pub(crate) mod bucket_public_access_block;
pub(crate) mod bucket_replication;
pub(crate) mod bucket_tls_only;
pub(crate) mod bucket_versioning;
