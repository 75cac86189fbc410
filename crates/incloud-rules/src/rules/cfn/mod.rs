pub(crate) mod stateful_resource_retain;
