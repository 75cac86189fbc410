pub(crate) mod key_events_monitored;
pub(crate) mod key_policy_account_wide;
pub(crate) mod key_policy_public;
pub(crate) mod key_rotation;
pub(crate) mod key_separation_of_duties;

pub(crate) const KEY: &str = "AWS::KMS::Key";
