pub(crate) mod ebs_volume_encrypted;
pub(crate) mod imdsv2;
pub(crate) mod instance_public_ip;
pub(crate) mod security_group_open_ingress;
