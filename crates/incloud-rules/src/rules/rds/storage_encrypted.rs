//! `rds-storage-encrypted`: RDS DB instances and clusters encrypt their storage.

use super::{in_cluster, kind, CLUSTER, INSTANCE};
use crate::rules::{expect_true, Expect};
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-RDS-001",
        name: "rds-storage-encrypted",
        severity: Severity::High,
        area: Area::DataAtRest,
        title: "RDS DB instances and clusters encrypt their storage",
        resource_types: &[INSTANCE, CLUSTER],
        controls: Controls {
            security_hub: &["RDS.3"],
            aws_config: &["rds-storage-encrypted"],
            cis: &[
                "CIS AWS Foundations v5.0.0 2.2.1",
                "CIS AWS Foundations v3.0.0 2.3.1",
                "CIS AWS Foundations v1.4.0 2.3.1",
            ],
            nist_800_53: &[
                "CA-9(1)", "CM-3(6)", "SC-13", "SC-28", "SC-28(1)", "SC-7(10)", "SI-7(6)",
            ],
            hipaa: &["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"],
            cdk_nag: &[
                "AwsSolutions-RDS2",
                "NIST.800.53.R5-RDSStorageEncrypted",
                "HIPAA.Security-RDSStorageEncrypted",
                "PCI.DSS.321-RDSStorageEncrypted",
            ],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every RDS DB instance and DB cluster sets StorageEncrypted to true. An instance that belongs to a cluster (DBClusterIdentifier) inherits the cluster's encryption and is not checked; nor is a read replica (SourceDBInstanceIdentifier), which inherits its source's. Aurora Serverless v1 clusters (EngineMode serverless) are always encrypted."#,
            why: r#"RDS does not encrypt a database unless you ask when you create it, and encryption cannot be turned on afterwards: the only way is to snapshot, copy the snapshot with encryption, and restore to a new instance, with downtime.

Unencrypted storage leaves the data files, automated backups, snapshots and read replicas readable to anyone who obtains a copy of them, for example a snapshot shared by mistake. Encryption with a KMS key adds a key policy as a second gate and a CloudTrail record of every use."#,
            unknown: r#"A StorageEncrypted value that cannot be known is reported at severity info. An instance or cluster restored from a snapshot (DBSnapshotIdentifier, SnapshotIdentifier) without StorageEncrypted inherits the snapshot's encryption, which the template does not show: it is reported at severity info."#,
            fix_cloudformation: r#"Encrypt at creation (changing StorageEncrypted replaces the database):

    Database:
      Type: AWS::RDS::DBInstance
      Properties:
        StorageEncrypted: true
        KmsKeyId: !Ref DatabaseKey   # optional: without it RDS uses aws/rds

For Aurora, set StorageEncrypted on the AWS::RDS::DBCluster."#,
            fix_cdk: r#"DatabaseInstance and DatabaseCluster take storageEncrypted (on by default for DatabaseCluster in recent aws-cdk-lib versions; set it explicitly).

TypeScript (aws-cdk-lib v2):

    import * as rds from 'aws-cdk-lib/aws-rds';

    new rds.DatabaseInstance(this, 'Database', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      vpc,
      storageEncrypted: true,
      storageEncryptionKey: key,   // optional
    });

Python:

    from aws_cdk import aws_rds as rds

    rds.DatabaseInstance(self, "Database",
        engine=rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_16),
        vpc=vpc,
        storage_encrypted=True,
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_db_instance" "this" {
      # ...
      storage_encrypted = true
      kms_key_id        = aws_kms_key.rds.arn   # optional
    }

For Aurora, set storage_encrypted on aws_rds_cluster."#,
            fix_cli: r#"An existing unencrypted instance cannot be encrypted in place. Snapshot it, copy the snapshot with a key, and restore:

    aws rds create-db-snapshot --db-instance-identifier mydb --db-snapshot-identifier mydb-plain
    aws rds copy-db-snapshot --source-db-snapshot-identifier mydb-plain \
      --target-db-snapshot-identifier mydb-encrypted --kms-key-id alias/aws/rds
    aws rds restore-db-instance-from-db-snapshot --db-instance-identifier mydb-new \
      --db-snapshot-identifier mydb-encrypted"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let props = &res.props;
    if in_cluster(res) || props.get("SourceDBInstanceIdentifier").is_some() {
        return;
    }
    if res.is(CLUSTER)
        && props
            .get("EngineMode")
            .and_then(|m| m.as_str())
            .is_some_and(|m| m.eq_ignore_ascii_case("serverless"))
    {
        return;
    }
    let value = props.at(&["StorageEncrypted"]);
    let snapshot = ["DBSnapshotIdentifier", "SnapshotIdentifier"]
        .into_iter()
        .find(|k| props.get(k).is_some());
    if let (Some(key), V::Absent(span)) = (snapshot, &value) {
        let r = Report {
            resource: res,
            span: *span,
            path: "Properties.StorageEncrypted".into(),
            condition: None,
            detail: None,
            message: "Storage encryption".into(),
        };
        ctx.unknown(
            r,
            &format!("restored from a snapshot ({key}), whose encryption it inherits"),
        );
        return;
    }
    let absent = format!(
        "storage is not encrypted (no StorageEncrypted on the DB {})",
        kind(res)
    );
    let e = Expect::new("Properties.StorageEncrypted", "Storage encryption", &absent);
    expect_true(ctx, res, &value, &e, |found| {
        format!("StorageEncrypted is {found}: the database storage, backups and snapshots are not encrypted")
    });
}
