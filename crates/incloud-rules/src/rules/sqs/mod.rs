pub(crate) mod queue_policy_public;
