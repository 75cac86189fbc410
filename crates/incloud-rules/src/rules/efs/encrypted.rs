//! `efs-encrypted`: EFS file systems are encrypted at rest.

use crate::rules::{expect_true, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-EFS-001",
        name: "efs-encrypted",
        severity: Severity::Medium,
        area: Area::DataAtRest,
        title: "EFS file systems are encrypted at rest",
        resource_types: &["AWS::EFS::FileSystem"],
        controls: Controls {
            security_hub: &["EFS.1"],
            aws_config: &["efs-encrypted-check"],
            cis: &[
                "CIS AWS Foundations v5.0.0 2.3.1",
                "CIS AWS Foundations v3.0.0 2.4.1",
            ],
            nist_800_53: &[
                "CA-9(1)", "CM-3(6)", "SC-13", "SC-28", "SC-28(1)", "SC-7(10)", "SI-7(6)",
            ],
            hipaa: &["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"],
            cdk_nag: &[
                "NIST.800.53.R5-EFSEncrypted",
                "HIPAA.Security-EFSEncrypted",
                "PCI.DSS.321-EFSEncrypted",
            ],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every EFS file system sets Encrypted to true. File systems without the setting, or with false, are reported."#,
            why: r#"The EFS API creates unencrypted file systems unless Encrypted is set (the console encrypts by default; CloudFormation does not). Encryption at rest can only be chosen at creation: fixing it later means a new file system and copying every file across, with downtime.

An unencrypted file system leaves its data readable in its backups and to anyone who obtains the underlying storage, and gives you no key policy to control or audit access with."#,
            unknown: r#"An Encrypted value that cannot be known (a parameter without a value, an import) is reported at severity info, saying why."#,
            fix_cloudformation: r#"    SharedFiles:
      Type: AWS::EFS::FileSystem
      Properties:
        Encrypted: true
        KmsKeyId: !Ref FilesKey   # optional: without it EFS uses aws/elasticfilesystem"#,
            fix_cdk: r#"efs.FileSystem is encrypted by default in aws-cdk-lib v2; keep encrypted: true explicit.

TypeScript:

    new efs.FileSystem(this, 'SharedFiles', { vpc, encrypted: true, kmsKey: key });

Python:

    efs.FileSystem(self, "SharedFiles", vpc=vpc, encrypted=True, kms_key=key)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_efs_file_system" "shared" {
      encrypted  = true
      kms_key_id = aws_kms_key.efs.arn   # optional
    }"#,
            fix_cli: r#"A file system cannot be encrypted after creation. Create an encrypted one and copy the data (for example with AWS DataSync):

    aws efs create-file-system --encrypted --kms-key-id alias/aws/elasticfilesystem"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let e = Expect::new(
        "Properties.Encrypted",
        "File system encryption",
        "the file system is not encrypted at rest (no Encrypted)",
    );
    expect_true(ctx, res, &res.props.at(&["Encrypted"]), &e, |found| {
        format!("Encrypted is {found}: the file system is not encrypted at rest")
    });
}
