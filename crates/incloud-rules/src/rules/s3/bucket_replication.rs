//! `s3-bucket-replication`: S3 buckets replicate their objects with at least one enabled replication rule.

use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-S3-005",
        name: "s3-bucket-replication",
        severity: Severity::Low,
        area: Area::Resilience,
        title: "S3 buckets replicate their objects with at least one enabled replication rule",
        resource_types: &[s3::BUCKET],
        controls: Controls {
            security_hub: &["S3.7"],
            aws_config: &[
                "s3-bucket-replication-enabled",
                "s3-bucket-cross-region-replication-enabled",
            ],
            cis: &[],
            nist_800_53: &["AU-9(2)", "CP-6", "CP-9", "CP-10", "SC-36(2)"],
            pci_dss: &["PCI DSS v3.2.1 2.2"],
            hipaa: &[
                "164.308(a)(7)(i)",
                "164.308(a)(7)(ii)(A)",
                "164.308(a)(7)(ii)(B)",
            ],
            cdk_nag: &[
                "NIST.800.53.R5-S3BucketReplicationEnabled",
                "HIPAA.Security-S3BucketReplicationEnabled",
                "PCI.DSS.321-S3BucketReplicationEnabled",
            ],
            cfn_nag: &[],
            checkov: &[],
        },
        docs: Docs {
            description: r#"Checks that every S3 bucket has a ReplicationConfiguration with at least one rule whose Status is Enabled. Buckets without replication, or whose rules are all Disabled, are reported."#,
            why: r#"S3 stores data redundantly across Availability Zones in one Region. That redundancy does not cover a Region-wide outage, a compromised account or an accidental mass deletion; planning for those is your side of the shared responsibility model.

Replication keeps an asynchronous copy of new objects in another bucket. Ideally that bucket is in another Region and in a separate account with its own access controls, so a recovery copy still exists when the source is unavailable or tampered with. Security Hub S3.7 specifically expects cross-Region replication.

Not every bucket needs this: caches, scratch space and easily regenerated data can do without. Suppress the finding for those buckets rather than replicating everything."#,
            unknown: r#"A rule Status that cannot be known is reported at severity info when no rule is known to be enabled."#,
            fix_cloudformation: r#"Versioning must be on for both the source and the destination bucket:

    SourceBucket:
      Type: AWS::S3::Bucket
      Properties:
        VersioningConfiguration:
          Status: Enabled
        ReplicationConfiguration:
          Role: !GetAtt ReplicationRole.Arn
          Rules:
            - Id: replicate-all
              Status: Enabled
              Priority: 1
              Filter:
                Prefix: ''
              DeleteMarkerReplication:
                Status: Disabled
              Destination:
                Bucket: arn:aws:s3:::my-replica-bucket

ReplicationRole is an IAM role that s3.amazonaws.com can assume. It needs:

- s3:GetReplicationConfiguration and s3:ListBucket on the source bucket;
- s3:GetObjectVersionForReplication, s3:GetObjectVersionAcl and s3:GetObjectVersionTagging on the source objects;
- s3:ReplicateObject, s3:ReplicateDelete and s3:ReplicateTags on the destination objects.

When a rule has a Filter, S3 also requires DeleteMarkerReplication."#,
            fix_cdk: r#"replicationRules is a newer Bucket property; the exact aws-cdk-lib version that introduced it is UNVERIFIED. If no replicationRole is given, CDK creates the role for you. On older versions, set replicationConfiguration on the underlying CfnBucket instead.

TypeScript (aws-cdk-lib v2):

    import * as s3 from 'aws-cdk-lib/aws-s3';

    const replica = s3.Bucket.fromBucketArn(this, 'Replica', 'arn:aws:s3:::my-replica-bucket');
    new s3.Bucket(this, 'SourceBucket', {
      versioned: true,   // the destination bucket must be versioned too
      replicationRules: [{ destination: replica, priority: 1 }],
    });

Python:

    from aws_cdk import aws_s3 as s3

    replica = s3.Bucket.from_bucket_arn(self, "Replica", "arn:aws:s3:::my-replica-bucket")
    s3.Bucket(self, "SourceBucket",
        versioned=True,
        replication_rules=[s3.ReplicationRule(destination=replica, priority=1)],
    )"#,
            fix_terraform: r#"With AWS provider v5. For a destination in another Region, create the replica bucket with an aliased provider.

    resource "aws_s3_bucket_versioning" "source" {
      bucket = aws_s3_bucket.source.id
      versioning_configuration {
        status = "Enabled"
      }
    }

    resource "aws_s3_bucket_replication_configuration" "this" {
      depends_on = [aws_s3_bucket_versioning.source]
      bucket     = aws_s3_bucket.source.id
      role       = aws_iam_role.replication.arn

      rule {
        id     = "replicate-all"
        status = "Enabled"
        filter {}
        delete_marker_replication {
          status = "Disabled"
        }
        destination {
          bucket        = aws_s3_bucket.replica.arn
          storage_class = "STANDARD"
        }
      }
    }"#,
            fix_cli: r#"Turn on versioning for the source bucket and the destination bucket, then add the replication configuration:

    aws s3api put-bucket-versioning --bucket my-source-bucket --versioning-configuration Status=Enabled
    aws s3api put-bucket-versioning --bucket my-replica-bucket --versioning-configuration Status=Enabled
    aws s3api put-bucket-replication --bucket my-source-bucket \
      --replication-configuration file://replication.json

replication.json:

    {
      "Role": "arn:aws:iam::ACCOUNT:role/s3-replication",
      "Rules": [{
        "ID": "replicate-all",
        "Status": "Enabled",
        "Priority": 1,
        "Filter": {"Prefix": ""},
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "Destination": {"Bucket": "arn:aws:s3:::my-replica-bucket"}
      }]
    }

Replication copies only objects written after the rule exists. Use S3 Batch Replication to copy existing objects."#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let rules = res.props.at(&["ReplicationConfiguration", "Rules"]);
    for leaf in rules.leaves() {
        let report = |message: String| Report {
            resource: res,
            span: leaf.span,
            path: "Properties.ReplicationConfiguration".into(),
            condition: leaf.condition(),
            detail: None,
            message,
        };
        match leaf.val {
            LeafVal::Absent => ctx.report(report(
                "no replication configured (no ReplicationConfiguration)".into(),
            )),
            LeafVal::Unknown(why) => ctx.unknown(report("Replication".into()), why),
            LeafVal::Known(list) => {
                let mut unknown = None;
                let mut enabled = false;
                for rule in list.items() {
                    for s in rule.at(&["Status"]).leaves() {
                        match s.val {
                            LeafVal::Known(n)
                                if n.as_str() == Some("Enabled") && s.conds.is_empty() =>
                            {
                                enabled = true
                            }
                            LeafVal::Unknown(why) => unknown = Some(why.to_string()),
                            _ => {}
                        }
                    }
                }
                match (enabled, unknown) {
                    (true, _) => {}
                    (false, Some(why)) => ctx.unknown(report("Replication".into()), &why),
                    (false, None) => {
                        ctx.report(report("no replication rule has Status Enabled".into()))
                    }
                }
            }
        }
    }
}
