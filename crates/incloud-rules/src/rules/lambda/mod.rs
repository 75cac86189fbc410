pub(crate) mod environment_secret;
pub(crate) mod outside_vpc;
pub(crate) mod permission_public;
pub(crate) mod runtime_deprecated;
pub(crate) mod subnet_internet_route;
pub(crate) mod verbose_logging;

pub(crate) use incloud_model::lambda::FUNCTION;
