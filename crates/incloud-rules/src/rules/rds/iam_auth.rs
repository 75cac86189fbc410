//! `rds-iam-auth`: RDS DB instances and clusters accept IAM database authentication.

use super::{in_cluster, kind, CLUSTER, INSTANCE};
use crate::rules::{expect_true, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-RDS-004",
        name: "rds-iam-auth",
        severity: Severity::Medium,
        area: Area::IdentityAndAccess,
        title: "RDS DB instances and clusters have IAM database authentication enabled",
        resource_types: &[INSTANCE, CLUSTER],
        controls: Controls {
            security_hub: &["RDS.10", "RDS.12"],
            aws_config: &[
                "rds-instance-iam-authentication-enabled",
                "rds-cluster-iam-authentication-enabled",
            ],
            nist_800_53: &["AC-2(1)", "AC-3", "AC-3(15)", "AC-3(7)", "AC-6"],
            cdk_nag: &["AwsSolutions-RDS6"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every RDS DB instance and DB cluster sets EnableIAMDatabaseAuthentication to true (Security Hub RDS.10 for instances, RDS.12 for clusters). Instances in a cluster are not checked (the cluster's setting applies), nor are engines without IAM authentication (Oracle, SQL Server, Db2, RDS Custom)."#,
            why: r#"Without IAM authentication, every client logs in with a long-lived database password that lives in configuration, environment variables or a secret, is shared between services, and is rarely rotated. Who may log in is then decided inside the database, invisible to IAM and CloudTrail.

With IAM authentication, clients get a 15-minute token from their IAM role: no password to leak, access granted and revoked with rds-db:connect in IAM policies, and every token request logged. Database users still need to be mapped to IAM (GRANT rds_iam in PostgreSQL, AWSAuthenticationPlugin in MySQL)."#,
            unknown: r#"An EnableIAMDatabaseAuthentication value that cannot be known (a parameter without a value, an import) is reported at severity info, saying why."#,
            fix_cloudformation: r#"    Database:
      Type: AWS::RDS::DBInstance
      Properties:
        EnableIAMDatabaseAuthentication: true

For Aurora, set it on the AWS::RDS::DBCluster."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    const db = new rds.DatabaseInstance(this, 'Database', { engine, vpc, iamAuthentication: true });
    db.grantConnect(appRole, 'app_user');

Python:

    db = rds.DatabaseInstance(self, "Database", engine=engine, vpc=vpc, iam_authentication=True)
    db.grant_connect(app_role, "app_user")"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_db_instance" "this" {
      # ...
      iam_database_authentication_enabled = true
    }

and the same argument on aws_rds_cluster."#,
            fix_cli: r#"    aws rds modify-db-instance --db-instance-identifier mydb \
      --enable-iam-database-authentication --apply-immediately"#,
        },
        options: &[],
    },
    check,
};

/// Engines that offer no IAM database authentication.
const WITHOUT_IAM_AUTH: &[&str] = &["oracle", "sqlserver", "db2", "custom-"];

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if in_cluster(res) {
        return;
    }
    let engine = res
        .props
        .get("Engine")
        .and_then(|e| e.as_str())
        .map(str::to_ascii_lowercase);
    if engine
        .as_deref()
        .is_some_and(|e| WITHOUT_IAM_AUTH.iter().any(|p| e.starts_with(p)))
    {
        return;
    }
    let value = res.props.at(&["EnableIAMDatabaseAuthentication"]);
    let absent = format!(
        "IAM database authentication is not enabled (no EnableIAMDatabaseAuthentication on the DB {}): clients log in with passwords only",
        kind(res)
    );
    let e = Expect::new(
        "Properties.EnableIAMDatabaseAuthentication",
        "IAM database authentication",
        &absent,
    );
    expect_true(ctx, res, &value, &e, |found| {
        format!("EnableIAMDatabaseAuthentication is {found}: clients log in with passwords only")
    });
}
