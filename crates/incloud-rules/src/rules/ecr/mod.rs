pub(crate) mod repository_policy_public;
