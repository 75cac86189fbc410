//! `rds-deletion-protection`: RDS DB instances and clusters have deletion protection enabled.

use super::{in_cluster, kind, CLUSTER, INSTANCE};
use crate::rules::{expect_true, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-RDS-003",
        name: "rds-deletion-protection",
        severity: Severity::Low,
        area: Area::Resilience,
        title: "RDS DB instances and clusters have deletion protection enabled",
        resource_types: &[INSTANCE, CLUSTER],
        controls: Controls {
            security_hub: &["RDS.8", "RDS.7"],
            aws_config: &[
                "rds-instance-deletion-protection-enabled",
                "rds-cluster-deletion-protection-enabled",
            ],
            nist_800_53: &["CM-3", "SC-5(2)", "SI-13(5)"],
            hipaa: &["164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"],
            cdk_nag: &[
                "AwsSolutions-RDS10",
                "NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled",
                "HIPAA.Security-RDSInstanceDeletionProtectionEnabled",
            ],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every RDS DB instance and DB cluster sets DeletionProtection to true (Security Hub RDS.8 for instances, RDS.7 for clusters). Instances that belong to a cluster (DBClusterIdentifier) are not checked: deletion protection is the cluster's setting."#,
            why: r#"Deleting a database is one API call, from the console, a script, or a CloudFormation update that replaces or removes the resource. Automated backups are deleted with the instance unless you asked to keep them.

With deletion protection, RDS refuses the delete until someone turns the flag off first, a deliberate second step that stops accidents and slows down an attacker. It costs nothing."#,
            unknown: r#"A DeletionProtection value that cannot be known (a parameter without a value, an import) is reported at severity info, saying why."#,
            fix_cloudformation: r#"    Database:
      Type: AWS::RDS::DBInstance
      DeletionPolicy: Snapshot
      UpdateReplacePolicy: Snapshot
      Properties:
        DeletionProtection: true

For Aurora, set DeletionProtection on the AWS::RDS::DBCluster."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    new rds.DatabaseInstance(this, 'Database', { engine, vpc, deletionProtection: true });
    new rds.DatabaseCluster(this, 'Cluster', { engine, vpc, writer, deletionProtection: true });

Python:

    rds.DatabaseInstance(self, "Database", engine=engine, vpc=vpc, deletion_protection=True)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_db_instance" "this" {
      # ...
      deletion_protection = true
    }

and deletion_protection = true on aws_rds_cluster."#,
            fix_cli: r#"    aws rds modify-db-instance --db-instance-identifier mydb --deletion-protection --apply-immediately
    aws rds modify-db-cluster --db-cluster-identifier mycluster --deletion-protection --apply-immediately"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if in_cluster(res) {
        return;
    }
    let value = res.props.at(&["DeletionProtection"]);
    let absent = format!(
        "deletion protection is not enabled (no DeletionProtection on the DB {})",
        kind(res)
    );
    let e = Expect::new(
        "Properties.DeletionProtection",
        "Deletion protection",
        &absent,
    );
    let what = kind(res);
    expect_true(ctx, res, &value, &e, |found| {
        format!("DeletionProtection is {found}: the DB {what} can be deleted in one call")
    });
}
