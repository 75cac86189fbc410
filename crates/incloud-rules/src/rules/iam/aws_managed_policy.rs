//! `iam-aws-managed-policy`: roles, users and groups use customer managed policies rather than AWS managed
//! ones.

use crate::rules::and;
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-IAM-002",
        name: "iam-aws-managed-policy",
        severity: Severity::Low,
        area: Area::IdentityAndAccess,
        title: "IAM roles, users and groups do not rely on AWS managed policies",
        resource_types: &["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"],
        controls: Controls {
            cdk_nag: &["AwsSolutions-IAM4"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Reports each AWS managed policy (`arn:aws:iam::aws:policy/...`) in the `ManagedPolicyArns` of a role, user or group, one finding per policy. The finding's detail is `Policy::arn:<AWS::Partition>:iam::aws:policy/<name>`, as cdk-nag writes it for AwsSolutions-IAM4, so existing granular suppressions apply; a suppression written with a literal partition (`arn:aws:`) matches as well."#,
            why: r#"AWS writes and changes AWS managed policies; you decide whether their scope fits your workload. They are written for every customer, so they grant broad sets of actions on every resource (AWSLambdaBasicExecutionRole allows writing to every log group of the account; AmazonS3FullAccess every bucket). AWS adds actions to them over time, so what a role can do changes without a change to your template. A customer managed or inline policy scoped to the workload's own resources is the least-privilege alternative."#,
            unknown: r#"An ARN that cannot be known from the template (a parameter, an import) cannot be judged and is reported at severity info. References to AWS::IAM::ManagedPolicy resources of the template are customer managed and not reported."#,
            fix_cloudformation: r#"Replace the AWS managed policy with a policy scoped to the workload:

    FunctionRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument: ...
        Policies:
          - PolicyName: logs
            PolicyDocument:
              Version: '2012-10-17'
              Statement:
                - Effect: Allow
                  Action: [logs:CreateLogStream, logs:PutLogEvents]
                  Resource: !GetAtt FunctionLogGroup.Arn"#,
            fix_cdk: r#"Grant what the function needs instead of adding managed policies; a Lambda function's default role uses AWSLambdaBasicExecutionRole, which you can accept narrowly:

TypeScript:

    NagSuppressions.addResourceSuppressions(fn, [{
      id: 'AwsSolutions-IAM4',
      reason: 'Basic execution role writes only this function\'s logs',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    }], true);

Python:

    NagSuppressions.add_resource_suppressions(fn, [{
        "id": "AwsSolutions-IAM4",
        "reason": "Basic execution role writes only this function's logs",
        "appliesTo": ["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
    }], True)

Or give the function a role with an inline policy scoped to its log group (`role: new iam.Role(...)` with `inlinePolicies`)."#,
            fix_terraform: r#"Attach an aws_iam_role_policy scoped to the workload instead of aws_iam_role_policy_attachment with an `arn:aws:iam::aws:policy/...` ARN."#,
            fix_cli: r#"    aws iam put-role-policy --role-name app --policy-name scoped --policy-document file://scoped.json
    aws iam detach-role-policy --role-name app --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let arns = res.props.at(&["ManagedPolicyArns"]);
    for leaf in arns.leaves() {
        let LeafVal::Known(list) = leaf.val else {
            continue;
        };
        for (i, item) in list.items().into_iter().enumerate() {
            let path = format!("Properties.ManagedPolicyArns[{i}]");
            for l in item.tri().leaves() {
                let condition = and(leaf.condition().as_deref(), l.condition());
                match l.val {
                    LeafVal::Known(n) => {
                        let Some(name) = n.as_str().and_then(incloud_iam::aws_managed_policy_name)
                        else {
                            continue;
                        };
                        ctx.report(Report {
                            resource: res,
                            span: l.span,
                            path: path.clone(),
                            condition,
                            detail: Some(format!(
                                "Policy::arn:<AWS::Partition>:iam::aws:policy/{name}"
                            )),
                            message: format!(
                                "attaches the AWS managed policy {name}, which AWS writes for every customer and may widen at any time"
                            ),
                        });
                    }
                    LeafVal::Unknown(why) => ctx.unknown(
                        Report {
                            resource: res,
                            span: l.span,
                            path: path.clone(),
                            condition,
                            detail: None,
                            message: "whether the managed policy is an AWS managed policy".into(),
                        },
                        why,
                    ),
                    LeafVal::Absent => {}
                }
            }
        }
    }
}
