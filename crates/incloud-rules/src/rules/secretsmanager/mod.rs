pub(crate) mod policy_public;
