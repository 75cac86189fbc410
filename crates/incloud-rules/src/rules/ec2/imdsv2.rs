//! `ec2-imdsv2`: instances and launch templates require IMDSv2 session tokens.

use crate::rules::and;
use crate::{Ctx, Report, Rule};
use incloud_model::ec2::{launch_template_of, LaunchTemplateRef, INSTANCE, LAUNCH_TEMPLATE};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-EC2-011",
        name: "ec2-imdsv2",
        severity: Severity::High,
        area: Area::IdentityAndAccess,
        title: "EC2 instances and launch templates require IMDSv2",
        resource_types: &[INSTANCE, LAUNCH_TEMPLATE],
        controls: Controls {
            security_hub: &["EC2.8", "EC2.170"],
            aws_config: &["ec2-imdsv2-check", "ec2-launch-template-imdsv2-check"],
            cis: &[
                "CIS AWS Foundations v5.0.0 5.7",
                "CIS AWS Foundations v3.0.0 5.6",
            ],
            nist_800_53: &["AC-3", "AC-3(15)", "AC-3(7)", "AC-6"],
            pci_dss: &["PCI DSS v4.0.1 2.2.6"],
            hipaa: &[
                "164.308(a)(3)(i)",
                "164.308(a)(4)(ii)(A)",
                "164.308(a)(4)(ii)(C)",
                "164.312(a)(1)",
            ],
            cdk_nag: &[
                "NIST.800.53.R5-EC2IMDSv2Enabled",
                "HIPAA.Security-EC2IMDSv2Enabled",
            ],
            checkov: &["CKV_AWS_79"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every AWS::EC2::LaunchTemplate sets LaunchTemplateData.MetadataOptions.HttpTokens to required, and that every AWS::EC2::Instance requires IMDSv2: through its own MetadataOptions.HttpTokens, or, when it has none, through the launch template it names, if the stack defines that template (by LaunchTemplateId, by a Version of Fn::GetAtt on it, or by its LaunchTemplateName, which is how CDK's requireImdsv2 attaches one). HttpEndpoint disabled (no metadata service at all) also passes.

HttpTokens optional is reported at the rule's severity. No HttpTokens at all is reported at severity medium: the instance then gets the AMI's setting (ImdsSupport v2.0 makes IMDSv2 the default, as on Amazon Linux 2023) or the account's default for the Region, which the template cannot see."#,
            why: r#"The instance metadata service hands out the temporary credentials of the instance's IAM role to anything that can send an HTTP request from the instance. With IMDSv1, a single GET is enough, so a server-side request forgery in the application, an open reverse proxy or a misconfigured firewall on the instance lets an outside attacker read the role's credentials and use them from anywhere (the 2019 Capital One breach went this way). IMDSv2 requires a session token obtained with a PUT whose response does not leave the instance by default, which those attacks cannot do.

AWS runs the metadata service; whether it still answers IMDSv1 requests is the customer's setting. Requiring tokens costs nothing for current AWS SDKs and agents."#,
            unknown: r#"An HttpTokens or HttpEndpoint value that cannot be known (a parameter without a value) is reported at severity info. An instance whose launch template is not defined in the same stack (an id, an import, a parameter) is reported at severity info, since its metadata settings cannot be seen."#,
            fix_cloudformation: r#"    AppLaunchTemplate:
      Type: AWS::EC2::LaunchTemplate
      Properties:
        LaunchTemplateData:
          MetadataOptions:
            HttpTokens: required
            HttpPutResponseHopLimit: 1   # 2 when containers on the host need the metadata service

    AppServer:
      Type: AWS::EC2::Instance
      Properties:
        ImageId: !Ref ImageId
        InstanceType: t3.micro
        MetadataOptions:
          HttpTokens: required"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    new ec2.Instance(this, 'App', { vpc, instanceType, machineImage, requireImdsv2: true });
    new ec2.LaunchTemplate(this, 'Template', { machineImage, requireImdsv2: true });

    // or for every instance and launch template in the app:
    Aspects.of(app).add(new ec2.InstanceRequireImdsv2Aspect());
    Aspects.of(app).add(new ec2.LaunchTemplateRequireImdsv2Aspect());

Python:

    ec2.Instance(self, "App", vpc=vpc, instance_type=instance_type, machine_image=machine_image,
        require_imdsv2=True)
    ec2.LaunchTemplate(self, "Template", machine_image=machine_image, require_imdsv2=True)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_instance" "app" {
      # ...
      metadata_options {
        http_tokens = "required"
      }
    }

    resource "aws_launch_template" "app" {
      # ...
      metadata_options {
        http_tokens = "required"
      }
    }"#,
            fix_cli: r#"Existing instances:

    aws ec2 modify-instance-metadata-options --instance-id i-0123456789abcdef0 \
      --http-tokens required --http-endpoint enabled

New instances in a Region, by default:

    aws ec2 modify-instance-metadata-defaults --http-tokens required --region eu-west-1"#,
        },
        options: &[],
    },
    check,
};

/// One way a set of metadata options does not require IMDSv2.
struct Failure {
    span: Span,
    condition: Option<String>,
    kind: Kind,
}

enum Kind {
    /// No HttpTokens: the AMI's or the account's default decides.
    Absent,
    /// HttpTokens set to something other than required (the value as written).
    NotRequired(String),
    /// Cannot be known, with the reason.
    Unknown(String),
}

/// How the `MetadataOptions` at `opts` fall short of requiring IMDSv2.
fn failures(opts: &V<&Node>) -> Vec<Failure> {
    let mut out = Vec::new();
    for leaf in opts.leaves() {
        let outer = leaf.condition();
        let n = match leaf.val {
            LeafVal::Known(n) => *n,
            LeafVal::Absent => {
                out.push(Failure {
                    span: leaf.span,
                    condition: outer,
                    kind: Kind::Absent,
                });
                continue;
            }
            LeafVal::Unknown(w) => {
                out.push(Failure {
                    span: leaf.span,
                    condition: outer,
                    kind: Kind::Unknown(w.to_string()),
                });
                continue;
            }
        };
        let disabled = n
            .get("HttpEndpoint")
            .and_then(|e| e.as_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("disabled"));
        if disabled {
            continue;
        }
        for t in n.at(&["HttpTokens"]).leaves() {
            let condition = and(outer.as_deref(), t.condition());
            let kind = match t.val {
                LeafVal::Known(v) => match v.string_value() {
                    V::Known(s, _) if s.eq_ignore_ascii_case("required") => continue,
                    V::Known(_, _) => Kind::NotRequired(v.val.describe()),
                    V::Unknown(w, _) => Kind::Unknown(w),
                    _ => Kind::Unknown("a conditional value".into()),
                },
                LeafVal::Absent => Kind::Absent,
                LeafVal::Unknown(w) => Kind::Unknown(w.to_string()),
            };
            out.push(Failure {
                span: t.span,
                condition,
                kind,
            });
        }
    }
    out
}

const ABSENT_DEFAULT: &str = "IMDSv1 stays available unless the AMI (ImdsSupport v2.0) or the account's default for the Region requires tokens";

fn report_own(ctx: &mut Ctx<'_>, res: &Resource, opts: &V<&Node>, path: &str) {
    for f in failures(opts) {
        let r = |message: String| Report {
            resource: res,
            span: f.span,
            path: path.to_string(),
            condition: f.condition.clone(),
            detail: None,
            message,
        };
        match &f.kind {
            Kind::Absent => ctx.report_at(
                Severity::Medium,
                r(format!("no MetadataOptions.HttpTokens: {ABSENT_DEFAULT}")),
            ),
            Kind::NotRequired(found) => ctx.report(r(format!(
                "HttpTokens is {found}: IMDSv1 answers without a token, so a request forgery can read the role's credentials"
            ))),
            Kind::Unknown(why) => ctx.unknown(r("HttpTokens".into()), why),
        }
    }
}

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if res.is(LAUNCH_TEMPLATE) {
        let opts = res.props.at(&["LaunchTemplateData", "MetadataOptions"]);
        report_own(
            ctx,
            res,
            &opts,
            "Properties.LaunchTemplateData.MetadataOptions.HttpTokens",
        );
        return;
    }
    let own = res.props.at(&["MetadataOptions"]);
    if !matches!(own, V::Absent(_)) {
        report_own(ctx, res, &own, "Properties.MetadataOptions.HttpTokens");
        return;
    }
    let spec_span = res
        .props
        .get("LaunchTemplate")
        .map(|n| n.span)
        .unwrap_or(res.span);
    let r = |message: String, condition: Option<String>| Report {
        resource: res,
        span: spec_span,
        path: "Properties.LaunchTemplate".into(),
        condition,
        detail: None,
        message,
    };
    match launch_template_of(ctx.stack, res) {
        LaunchTemplateRef::None => {
            if let V::Absent(span) = own {
                ctx.report_at(
                    Severity::Medium,
                    Report {
                        span,
                        path: "Properties.MetadataOptions.HttpTokens".into(),
                        ..r(
                            format!("no MetadataOptions and no LaunchTemplate: {ABSENT_DEFAULT}"),
                            None,
                        )
                    },
                );
            }
        }
        LaunchTemplateRef::Elsewhere => ctx.unknown(
            r("IMDSv2 requirement".into(), None),
            "the instance's launch template is not defined in this stack",
        ),
        LaunchTemplateRef::InStack(t) => {
            let opts = t.props.at(&["LaunchTemplateData", "MetadataOptions"]);
            let lt = &t.id;
            for f in failures(&opts) {
                match f.kind {
                    Kind::Absent => ctx.report_at(
                        Severity::Medium,
                        r(
                            format!("launched from launch template {lt}, which sets no HttpTokens: {ABSENT_DEFAULT}"),
                            f.condition,
                        ),
                    ),
                    Kind::NotRequired(found) => ctx.report(r(
                        format!("launched from launch template {lt}, whose HttpTokens is {found}: IMDSv1 answers without a token"),
                        f.condition,
                    )),
                    Kind::Unknown(why) => ctx.unknown(
                        r(format!("HttpTokens of launch template {lt}"), f.condition),
                        &why,
                    ),
                }
            }
        }
    }
}
