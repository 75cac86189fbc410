pub(crate) mod plaintext_secret;
pub(crate) mod stack_termination_protection;
pub(crate) mod stateful_resource_retain;
