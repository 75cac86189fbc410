//! `cfn-stateful-resource-retain`: stateful resources keep their data when CloudFormation deletes or
//! replaces them.

use crate::{Ctx, Report, Rule};
use incloud_model::*;

/// Stateful types, and whether CloudFormation can take a final snapshot of them.
const STATEFUL: &[(&str, bool)] = &[
    ("AWS::S3::Bucket", false),
    ("AWS::DynamoDB::Table", false),
    ("AWS::DynamoDB::GlobalTable", false),
    ("AWS::KMS::Key", false),
    ("AWS::RDS::DBInstance", true),
    ("AWS::RDS::DBCluster", true),
    ("AWS::EFS::FileSystem", false),
    ("AWS::Logs::LogGroup", false),
];

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-CFN-001",
        name: "cfn-stateful-resource-retain",
        severity: Severity::Low,
        area: Area::Resilience,
        title: "Stateful resources are retained (or snapshotted) when deleted or replaced",
        resource_types: &[
            "AWS::S3::Bucket",
            "AWS::DynamoDB::Table",
            "AWS::DynamoDB::GlobalTable",
            "AWS::KMS::Key",
            "AWS::RDS::DBInstance",
            "AWS::RDS::DBCluster",
            "AWS::EFS::FileSystem",
            "AWS::Logs::LogGroup",
        ],
        controls: Controls { ..Controls::NONE },
        docs: Docs {
            description: r#"Checks that every stateful resource (S3 bucket, DynamoDB table, KMS key, RDS DB instance or cluster, EFS file system, CloudWatch Logs log group) sets both DeletionPolicy and UpdateReplacePolicy to Retain, or to Snapshot where CloudFormation supports it (RDS DB instances and clusters); RetainExceptOnCreate is accepted as a DeletionPolicy. Each missing or Delete policy is a separate finding. RDS DB instances that belong to an Aurora cluster (DBClusterIdentifier) or are read replicas hold no data of their own and are not checked. cfn-lint's informational rule I3011 asks for the same."#,
            why: r#"CloudFormation's default for both policies is Delete. Removing a resource from the template, deleting the stack, or changing a property that requires replacement (a table's key schema, a bucket's name, a database's engine) then deletes the data with it, and a stack update can do that without anyone having typed "delete". Backups and point-in-time recovery are configured on the resource and may go with it. Keeping data through the life of the infrastructure that holds it is the customer's responsibility; CloudFormation only does what the policies say."#,
            unknown: r#"A policy whose value cannot be known (an Fn::If whose condition cannot be decided is judged branch by branch) is reported at severity info, saying why."#,
            fix_cloudformation: r#"    OrdersTable:
      Type: AWS::DynamoDB::Table
      DeletionPolicy: Retain
      UpdateReplacePolicy: Retain
      Properties: ...
    Database:
      Type: AWS::RDS::DBInstance
      DeletionPolicy: Snapshot
      UpdateReplacePolicy: Snapshot
      Properties: ..."#,
            fix_cdk: r#"CDK sets both policies from removalPolicy; most stateful constructs default to RETAIN, and RemovalPolicy.DESTROY is what this rule reports.

TypeScript (aws-cdk-lib v2):

    import { RemovalPolicy } from 'aws-cdk-lib';

    new s3.Bucket(this, 'Data', { removalPolicy: RemovalPolicy.RETAIN });
    new rds.DatabaseInstance(this, 'Db', { /* ... */ removalPolicy: RemovalPolicy.SNAPSHOT });

Python:

    from aws_cdk import RemovalPolicy

    s3.Bucket(self, "Data", removal_policy=RemovalPolicy.RETAIN)"#,
            fix_terraform: r#"Terraform has no deletion policy on the resource; protect it in the lifecycle block, and use the service's own protection where there is one:

    resource "aws_dynamodb_table" "orders" {
      # ...
      deletion_protection_enabled = true
      lifecycle {
        prevent_destroy = true
      }
    }"#,
            fix_cli: r#"Policies are template attributes: change the template and update the stack. To see what a stack would delete:

    aws cloudformation get-template --stack-name my-stack --query TemplateBody"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let snapshot = STATEFUL
        .iter()
        .find(|(t, _)| res.is(t))
        .is_some_and(|(_, s)| *s);
    if res.is("AWS::RDS::DBInstance")
        && (res.props.get("DBClusterIdentifier").is_some()
            || res.props.get("SourceDBInstanceIdentifier").is_some())
    {
        return;
    }
    let keeps = if snapshot {
        "Retain or Snapshot"
    } else {
        "Retain"
    };
    let what = &res.rtype;
    for (attr, value, on_delete) in [
        ("DeletionPolicy", res.deletion_policy.as_ref(), true),
        (
            "UpdateReplacePolicy",
            res.update_replace_policy.as_ref(),
            false,
        ),
    ] {
        let event = if on_delete {
            "removed from the template or the stack is deleted"
        } else {
            "replaced by an update"
        };
        let leaves_of = value.map(|v| v.tri()).unwrap_or(V::Absent(res.span));
        for leaf in leaves_of.leaves() {
            let report = |message: String| Report {
                resource: res,
                span: leaf.span,
                path: attr.to_string(),
                condition: leaf.condition(),
                detail: Some(attr.to_string()),
                message,
            };
            match leaf.val {
                LeafVal::Absent => ctx.report(report(format!(
                    "no {attr}: CloudFormation deletes the {what} and its data when it is {event} (set {keeps})"
                ))),
                LeafVal::Unknown(why) => ctx.unknown(report(attr.to_string()), why),
                LeafVal::Known(n) => {
                    let s = n.as_str().unwrap_or("");
                    let ok = s == "Retain"
                        || (snapshot && s == "Snapshot")
                        || (on_delete && s == "RetainExceptOnCreate");
                    if s == "Snapshot" && !ok {
                        ctx.report(report(format!(
                            "{attr} is \"Snapshot\", which CloudFormation does not support for {what}: set {keys}",
                            keys = keeps
                        )));
                    } else if !ok {
                        ctx.report(report(format!(
                            "{attr} is {}: CloudFormation deletes the {what} and its data when it is {event} (set {keeps})",
                            n.val.describe()
                        )));
                    }
                }
            }
        }
    }
}
