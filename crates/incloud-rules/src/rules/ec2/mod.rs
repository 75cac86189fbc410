pub(crate) mod ebs_volume_encrypted;
