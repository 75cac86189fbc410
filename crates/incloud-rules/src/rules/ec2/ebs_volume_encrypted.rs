//! `ebs-volume-encrypted`: EBS volumes, and the volumes instances and launch templates create, are encrypted.

use crate::rules::{expect_true, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

const VOLUME: &str = "AWS::EC2::Volume";
const INSTANCE: &str = "AWS::EC2::Instance";
const LAUNCH_TEMPLATE: &str = "AWS::EC2::LaunchTemplate";

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-EC2-001",
        name: "ebs-volume-encrypted",
        severity: Severity::Medium,
        area: Area::DataAtRest,
        title: "EBS volumes are encrypted",
        resource_types: &[VOLUME, INSTANCE, LAUNCH_TEMPLATE],
        controls: Controls {
            security_hub: &["EC2.3"],
            aws_config: &["encrypted-volumes"],
            nist_800_53: &[
                "CA-9(1)", "CM-3(6)", "SC-13", "SC-28", "SC-28(1)", "SC-7(10)", "SI-7(6)",
            ],
            hipaa: &["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"],
            cdk_nag: &["AwsSolutions-EC26"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every AWS::EC2::Volume sets Encrypted to true, and that every EBS entry in the BlockDeviceMappings of an AWS::EC2::Instance or AWS::EC2::LaunchTemplate sets Ebs.Encrypted to true. Instance-store and NoDevice mappings are not checked, nor is an instance's root volume when no mapping describes it."#,
            why: r#"An EBS volume is encrypted only if you ask for it, per volume or with the account's per-Region "EBS encryption by default" setting (Security Hub EC2.7). An unencrypted volume leaves its data, every snapshot taken from it and every volume restored from those snapshots readable to whoever gets a copy, for example through a snapshot shared by mistake. Encryption cannot be added to an existing volume: you copy a snapshot with encryption and replace the volume.

The template cannot see the account-level default: if it is on, the volume is encrypted anyway, and the finding can be suppressed with that reason. Setting Encrypted in the template keeps the guarantee when the stack is deployed to another account or Region."#,
            unknown: r#"An Encrypted value that cannot be known is reported at severity info. A volume created from a snapshot (SnapshotId) without Encrypted inherits the snapshot's encryption and is reported at severity info."#,
            fix_cloudformation: r#"    DataVolume:
      Type: AWS::EC2::Volume
      Properties:
        AvailabilityZone: !GetAtt AppServer.AvailabilityZone
        Size: 100
        Encrypted: true
        KmsKeyId: !Ref VolumeKey   # optional: without it EC2 uses aws/ebs

    AppServer:
      Type: AWS::EC2::Instance
      Properties:
        BlockDeviceMappings:
          - DeviceName: /dev/xvda
            Ebs:
              VolumeSize: 30
              Encrypted: true"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    new ec2.Volume(this, 'Data', { availabilityZone: 'eu-west-1a', size: Size.gibibytes(100), encrypted: true });
    new ec2.Instance(this, 'App', {
      vpc, instanceType, machineImage,
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(30, { encrypted: true }) }],
    });

Python:

    ec2.Instance(self, "App", vpc=vpc, instance_type=instance_type, machine_image=machine_image,
        block_devices=[ec2.BlockDevice(device_name="/dev/xvda",
            volume=ec2.BlockDeviceVolume.ebs(30, encrypted=True))])"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_ebs_volume" "data" {
      availability_zone = "eu-west-1a"
      size              = 100
      encrypted         = true
    }

    resource "aws_instance" "app" {
      # ...
      root_block_device {
        encrypted = true
      }
    }

    resource "aws_ebs_encryption_by_default" "this" {
      enabled = true
    }"#,
            fix_cli: r#"Turn on encryption by default for new volumes in each Region:

    aws ec2 enable-ebs-encryption-by-default --region eu-west-1

Existing volumes: snapshot, copy the snapshot with --encrypted, create a new volume from the copy and swap it in."#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if res.is(VOLUME) {
        let value = res.props.at(&["Encrypted"]);
        if let (Some(_), V::Absent(span)) = (res.props.get("SnapshotId"), &value) {
            let r = crate::Report {
                resource: res,
                span: *span,
                path: "Properties.Encrypted".into(),
                condition: None,
                detail: None,
                message: "Volume encryption".into(),
            };
            ctx.unknown(
                r,
                "created from a snapshot (SnapshotId), whose encryption it inherits",
            );
            return;
        }
        let e = Expect::new(
            "Properties.Encrypted",
            "Volume encryption",
            "the volume is not encrypted (no Encrypted), unless the account turned on EBS encryption by default",
        );
        expect_true(ctx, res, &value, &e, |found| {
            format!("Encrypted is {found}: the volume and its snapshots are not encrypted")
        });
        return;
    }
    let (mappings, base) = if res.is(LAUNCH_TEMPLATE) {
        (
            res.props.at(&["LaunchTemplateData", "BlockDeviceMappings"]),
            "Properties.LaunchTemplateData.BlockDeviceMappings",
        )
    } else {
        (
            res.props.at(&["BlockDeviceMappings"]),
            "Properties.BlockDeviceMappings",
        )
    };
    for leaf in mappings.leaves() {
        let LeafVal::Known(list) = leaf.val else {
            continue;
        };
        for mapping in list.items() {
            let Some(ebs) = mapping.get("Ebs") else {
                continue;
            };
            let device = mapping
                .get("DeviceName")
                .and_then(|d| d.as_str())
                .unwrap_or("a device");
            if ebs.get("SnapshotId").is_some() && ebs.get("Encrypted").is_none() {
                continue;
            }
            let path = format!("{base}.Ebs.Encrypted");
            let absent = format!(
                "the EBS volume for {device} is not encrypted (no Ebs.Encrypted), unless the account turned on EBS encryption by default"
            );
            let e = Expect {
                condition: leaf.condition(),
                detail: Some(device),
                ..Expect::new(&path, "Volume encryption", &absent)
            };
            expect_true(ctx, res, &ebs.at(&["Encrypted"]), &e, |found| {
                format!("Ebs.Encrypted is {found} for {device}: the volume and its snapshots are not encrypted")
            });
        }
    }
}
