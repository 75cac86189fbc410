//! `lambda-permission-public`: Lambda functions cannot be invoked by everyone.

use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-LAMBDA-010",
        name: "lambda-permission-public",
        severity: Severity::High,
        area: Area::IdentityAndAccess,
        title: "Lambda function policies do not let everyone invoke the function",
        resource_types: &["AWS::Lambda::Permission", "AWS::Lambda::Url"],
        controls: Controls {
            security_hub: &["Lambda.1"],
            aws_config: &["lambda-function-public-access-prohibited"],
            nist_800_53: &[
                "AC-21", "AC-3", "AC-3(7)", "AC-4", "AC-4(21)", "AC-6", "SC-7", "SC-7(11)",
                "SC-7(16)", "SC-7(20)", "SC-7(21)", "SC-7(3)", "SC-7(4)", "SC-7(9)",
            ],
            pci_dss: &[
                "PCI DSS v3.2.1 1.2.1",
                "PCI DSS v3.2.1 1.3.1",
                "PCI DSS v3.2.1 1.3.2",
                "PCI DSS v3.2.1 1.3.4",
                "PCI DSS v3.2.1 7.2.1",
                "PCI DSS v4.0.1 7.2.1",
            ],
            hipaa: &[
                "164.308(a)(3)(i)",
                "164.308(a)(4)(ii)(A)",
                "164.308(a)(4)(ii)(C)",
                "164.312(a)(1)",
                "164.312(e)(1)",
            ],
            cdk_nag: &[
                "NIST.800.53.R5-LambdaFunctionPublicAccessProhibited",
                "HIPAA.Security-LambdaFunctionPublicAccessProhibited",
                "PCI.DSS.321-LambdaFunctionPublicAccessProhibited",
            ],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Reports AWS::Lambda::Permission resources whose `Principal` is `*` with neither `SourceAccount` nor `SourceArn` (nor `PrincipalOrgID`), and function URLs (AWS::Lambda::Url, or a permission with `FunctionUrlAuthType: NONE`) with `AuthType: NONE`, which anyone on the internet can call. Permissions for service principals (`s3.amazonaws.com`, `apigateway.amazonaws.com`) are not public; scoping them with `SourceArn` is recommended but not this rule's concern."#,
            why: r#"Lambda runs the function for whoever its resource policy allows. A public function can be invoked by anyone with an AWS account (or, through an unauthenticated URL, by anyone at all), running your code with your role's permissions on attacker-chosen input, and billing you for it."#,
            unknown: r#"A principal or a URL AuthType that cannot be known is reported at severity info."#,
            fix_cloudformation: r#"    InvokePermission:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !Ref Function
        Action: lambda:InvokeFunction
        Principal: s3.amazonaws.com
        SourceArn: !GetAtt UploadsBucket.Arn
        SourceAccount: !Ref AWS::AccountId

For a function URL, use `AuthType: AWS_IAM` and sign requests, or put the function behind API Gateway with an authorizer."#,
            fix_cdk: r#"TypeScript:

    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    fn.grantInvoke(new iam.ServicePrincipal('events.amazonaws.com'));

Python:

    fn.add_function_url(auth_type=_lambda.FunctionUrlAuthType.AWS_IAM)"#,
            fix_terraform: r#"Set `source_arn` and `source_account` on aws_lambda_permission, and `authorization_type = "AWS_IAM"` on aws_lambda_function_url."#,
            fix_cli: r#"    aws lambda get-policy --function-name fn
    aws lambda remove-permission --function-name fn --statement-id public"#,
        },
        options: &[],
    },
    check,
};

fn report(ctx: &mut Ctx<'_>, res: &Resource, leaf: &Leaf<'_, &Node>, path: &str, message: String) {
    ctx.report(Report {
        resource: res,
        span: leaf.span,
        path: path.into(),
        condition: leaf.condition(),
        detail: None,
        message,
    });
}

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if res.rtype == "AWS::Lambda::Url" {
        for leaf in res.props.at(&["AuthType"]).leaves() {
            match leaf.val {
                LeafVal::Known(n) if n.as_str() == Some("NONE") => report(
                    ctx,
                    res,
                    &leaf,
                    "Properties.AuthType",
                    "the function URL has AuthType NONE: anyone on the internet can invoke the function".into(),
                ),
                LeafVal::Unknown(why) => ctx.unknown(
                    Report { resource: res, span: leaf.span, path: "Properties.AuthType".into(), condition: leaf.condition(), detail: None, message: "the function URL's AuthType".into() },
                    why,
                ),
                _ => {}
            }
        }
        return;
    }
    let scoped = ["SourceAccount", "SourceArn", "PrincipalOrgID"]
        .iter()
        .any(|k| !matches!(res.props.at(&[k]), V::Absent(_)));
    let url_none = res
        .props
        .get("FunctionUrlAuthType")
        .and_then(|n| n.as_str())
        == Some("NONE");
    for leaf in res.props.at(&["Principal"]).leaves() {
        match leaf.val {
            LeafVal::Known(n)
                if n.as_str() == Some("*") || n.as_str().is_some_and(|s| s.contains(":*")) =>
            {
                if url_none {
                    report(ctx, res, &leaf, "Properties.Principal", "allows everyone to invoke the function URL (Principal \"*\", FunctionUrlAuthType NONE)".into());
                } else if !scoped {
                    report(ctx, res, &leaf, "Properties.Principal", "allows any principal to invoke the function (Principal \"*\") with no SourceAccount, SourceArn or PrincipalOrgID".into());
                }
            }
            LeafVal::Unknown(why) if !scoped => ctx.unknown(
                Report {
                    resource: res,
                    span: leaf.span,
                    path: "Properties.Principal".into(),
                    condition: leaf.condition(),
                    detail: None,
                    message: "whether the permission is public".into(),
                },
                why,
            ),
            _ => {}
        }
    }
}
