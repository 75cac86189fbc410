pub(crate) mod policy_public;
pub(crate) mod rotation;
pub(crate) mod secret_cmk;

pub(crate) const SECRET: &str = "AWS::SecretsManager::Secret";
pub(crate) const ROTATION_SCHEDULE: &str = "AWS::SecretsManager::RotationSchedule";
pub(crate) const TARGET_ATTACHMENT: &str = "AWS::SecretsManager::SecretTargetAttachment";
