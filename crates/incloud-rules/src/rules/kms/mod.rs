pub(crate) mod key_events_monitored;

pub(crate) const KEY: &str = "AWS::KMS::Key";
