pub(crate) mod permission_public;
