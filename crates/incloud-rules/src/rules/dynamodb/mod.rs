pub(crate) mod table_cmk_encryption;
pub(crate) mod table_deletion_protection;
pub(crate) mod table_pitr;

pub(crate) const TABLE: &str = "AWS::DynamoDB::Table";
