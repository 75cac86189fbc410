//! `rds-public-access`: RDS DB instances and clusters are not publicly accessible.

use super::{kind, CLUSTER, INSTANCE};
use crate::rules::{expect, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-RDS-002",
        name: "rds-public-access",
        severity: Severity::High,
        area: Area::Network,
        title: "RDS DB instances and clusters are not publicly accessible",
        resource_types: &[INSTANCE, CLUSTER],
        controls: Controls {
            security_hub: &["RDS.2"],
            aws_config: &["rds-instance-public-access-check"],
            cis: &[
                "CIS AWS Foundations v5.0.0 2.2.3",
                "CIS AWS Foundations v3.0.0 2.3.3",
            ],
            nist_800_53: &[
                "AC-4", "AC-4(21)", "SC-7", "SC-7(11)", "SC-7(16)", "SC-7(21)", "SC-7(4)",
                "SC-7(5)",
            ],
            pci_dss: &[
                "PCI DSS v3.2.1 1.2.1",
                "PCI DSS v3.2.1 1.3.1",
                "PCI DSS v3.2.1 1.3.2",
                "PCI DSS v3.2.1 1.3.4",
                "PCI DSS v3.2.1 1.3.6",
                "PCI DSS v3.2.1 7.2.1",
                "PCI DSS v4.0.1 1.4.4",
            ],
            hipaa: &[
                "164.308(a)(3)(i)",
                "164.308(a)(4)(ii)(A)",
                "164.308(a)(4)(ii)(C)",
                "164.312(a)(1)",
                "164.312(e)(1)",
            ],
            cdk_nag: &[
                "NIST.800.53.R5-RDSInstancePublicAccess",
                "HIPAA.Security-RDSInstancePublicAccess",
                "PCI.DSS.321-RDSInstancePublicAccess",
            ],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that no RDS DB instance or DB cluster sets PubliclyAccessible to true. An instance without PubliclyAccessible and without DBSubnetGroupName goes into the default VPC, where RDS makes it publicly accessible by default: that is reported at severity low."#,
            why: r#"A publicly accessible database gets a DNS name that resolves to a public IP address. Whether anyone can connect then depends only on the security group and the database password: one over-broad ingress rule, a leaked credential or an unpatched engine vulnerability is enough, and the database port is scanned from the internet within minutes.

Where a database lives on the network is your side of the shared responsibility model. Keep databases in private subnets and reach them through the application, a bastion, Session Manager or a VPN."#,
            unknown: r#"A PubliclyAccessible value that cannot be known (a parameter without a value, an import) is reported at severity info, saying why."#,
            fix_cloudformation: r#"Keep the database private, in a subnet group of private subnets:

    Database:
      Type: AWS::RDS::DBInstance
      Properties:
        PubliclyAccessible: false
        DBSubnetGroupName: !Ref PrivateSubnetGroup
        VPCSecurityGroups: [!Ref DatabaseSecurityGroup]"#,
            fix_cdk: r#"DatabaseInstance is private unless publiclyAccessible is true or vpcSubnets selects public subnets.

TypeScript (aws-cdk-lib v2):

    new rds.DatabaseInstance(this, 'Database', {
      engine,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      publiclyAccessible: false,
    });

Python:

    rds.DatabaseInstance(self, "Database",
        engine=engine,
        vpc=vpc,
        vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
        publicly_accessible=False,
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_db_instance" "this" {
      # ...
      publicly_accessible  = false
      db_subnet_group_name = aws_db_subnet_group.private.name
    }"#,
            fix_cli: r#"    aws rds modify-db-instance --db-instance-identifier mydb \
      --no-publicly-accessible --apply-immediately"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let value = res.props.at(&["PubliclyAccessible"]);
    // Without a subnet group, an instance is created in the default VPC, whose subnets are public and where
    // RDS defaults PubliclyAccessible to true; elsewhere the default is private.
    let default_public = res.is(INSTANCE)
        && res.props.get("DBSubnetGroupName").is_none()
        && res.props.get("DBClusterIdentifier").is_none()
        && res.props.get("SourceDBInstanceIdentifier").is_none();
    for leaf in value.leaves() {
        if matches!(leaf.val, LeafVal::Absent) && !default_public {
            continue;
        }
        let single = match leaf.val {
            LeafVal::Known(n) => V::Known(*n, leaf.span),
            LeafVal::Unknown(w) => V::Unknown(w.to_string(), leaf.span),
            LeafVal::Absent => V::Absent(leaf.span),
        };
        let e = Expect {
            absent: (
                "no PubliclyAccessible and no DBSubnetGroupName: the instance goes into the default VPC, where RDS makes it publicly accessible",
                Some(Severity::Low),
            ),
            condition: leaf.condition(),
            ..Expect::new("Properties.PubliclyAccessible", "Public accessibility", "")
        };
        let what = kind(res);
        expect(ctx, res, &single, &e, |n| {
            match n.bool_value() {
            V::Known(false, _) => None,
            _ => Some(format!(
                "PubliclyAccessible is {}: the DB {what} gets a public IP address reachable from the internet",
                n.val.describe()
            )),
        }
        });
    }
}
