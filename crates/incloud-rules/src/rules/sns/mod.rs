pub(crate) mod topic_policy_public;
