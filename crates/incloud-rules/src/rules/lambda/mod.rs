pub(crate) mod outside_vpc;
pub(crate) mod subnet_internet_route;

pub(crate) use incloud_model::lambda::FUNCTION;
