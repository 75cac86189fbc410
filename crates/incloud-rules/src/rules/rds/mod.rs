pub(crate) mod deletion_protection;
pub(crate) mod iam_auth;
pub(crate) mod public_access;
pub(crate) mod storage_encrypted;

use incloud_model::Resource;

pub(crate) const INSTANCE: &str = "AWS::RDS::DBInstance";
pub(crate) const CLUSTER: &str = "AWS::RDS::DBCluster";

/// An instance that belongs to a DB cluster (Aurora, Multi-AZ DB cluster): storage encryption, deletion
/// protection and IAM authentication are the cluster's settings, not the instance's.
pub(crate) fn in_cluster(res: &Resource) -> bool {
    res.is(INSTANCE) && res.props.get("DBClusterIdentifier").is_some()
}

/// The CloudFormation resource as users say it, for messages.
pub(crate) fn kind(res: &Resource) -> &'static str {
    if res.is(CLUSTER) {
        "cluster"
    } else {
        "instance"
    }
}
