pub(crate) mod encrypted;
