//! `iam-policy-invalid`: policy documents are valid against the IAM grammar and the action catalog.

use crate::iam_bridge::{identity_docs, resource_doc, Unreadable};
use crate::{Ctx, Report, Rule};
use incloud_iam::{validate, PolicyKind, ValidationKind};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-IAM-005",
        name: "iam-policy-invalid",
        severity: Severity::Medium,
        area: Area::IdentityAndAccess,
        title: "IAM policy documents are valid",
        resource_types: &[
            "AWS::IAM::Role",
            "AWS::IAM::User",
            "AWS::IAM::Group",
            "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy",
            "AWS::KMS::Key",
            "AWS::S3::BucketPolicy",
            "AWS::SQS::QueuePolicy",
            "AWS::SNS::TopicPolicy",
            "AWS::SQS::QueueInlinePolicy",
            "AWS::SNS::TopicInlinePolicy",
            "AWS::SecretsManager::ResourcePolicy",
            "AWS::ECR::Repository",
        ],
        controls: Controls::NONE,
        docs: Docs {
            description: r#"Parses every policy document of the template (identity, trust, key and resource policies) and checks it against the IAM policy grammar and the catalog of IAM actions, resource types and condition keys: unknown services and actions (often typos), wildcards that match no action, malformed actions and ARNs, elements the policy kind requires or forbids (a Principal in an identity policy, no Resource in a bucket policy), condition operators used on keys of another type, condition values the operator cannot read, unknown condition keys, and set operators used on single-valued keys (or missing on multivalued ones). The detail of each finding is the kind of problem (`UnknownAction`), for narrow suppressions."#,
            why: r#"IAM does not warn about a Deny that names a misspelled action: it simply never matches, and the access it was meant to block stays open. An Allow with a typo fails silently at run time; a condition on a key of the wrong type is never true (or always true, for negated operators). Policies are your half of the model, and a policy that does not say what you meant is a policy you do not have."#,
            unknown: r#"Values that cannot be known from the template are not judged; a document that cannot be known at all is skipped. The advisory kinds (unknown condition key, set operators) and unknown actions in Allow statements (which grant nothing, or which the catalog does not know yet) are reported at low severity; an unknown action in a Deny is medium, since the access it was meant to block stays open. `SNS:Receive`, which SNS writes into every default topic policy, is accepted."#,
            fix_cloudformation: r#"Correct the element named in the finding, for example the action:

    Action: s3:GetObject      # not s3:GetObjects"#,
            fix_cdk: r#"The same correction in the PolicyStatement:

TypeScript:

    new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] });

Python:

    iam.PolicyStatement(actions=["s3:GetObject"], resources=[bucket.arn_for_objects("*")])"#,
            fix_terraform: r#"Correct the `actions`, `resources` or `condition` blocks of the aws_iam_policy_document."#,
            fix_cli: r#"IAM Access Analyzer validates a policy the same way:

    aws accessanalyzer validate-policy --policy-type IDENTITY_POLICY --policy-document file://policy.json
    incloud iam analyze policy.json --kind identity"#,
        },
        options: &[],
    },
    check,
};

fn kind_name(k: ValidationKind) -> &'static str {
    match k {
        ValidationKind::MissingElement => "MissingElement",
        ValidationKind::ForbiddenElement => "ForbiddenElement",
        ValidationKind::UnknownService => "UnknownService",
        ValidationKind::UnknownAction => "UnknownAction",
        ValidationKind::ActionMatchesNothing => "ActionMatchesNothing",
        ValidationKind::MalformedAction => "MalformedAction",
        ValidationKind::MalformedArn => "MalformedArn",
        ValidationKind::OperatorKeyTypeMismatch => "OperatorKeyTypeMismatch",
        ValidationKind::InvalidConditionValue => "InvalidConditionValue",
        ValidationKind::UnknownConditionKey => "UnknownConditionKey",
        ValidationKind::SetOperatorOnSingleValuedKey => "SetOperatorOnSingleValuedKey",
        ValidationKind::MultivaluedKeyWithoutSetOperator => "MultivaluedKeyWithoutSetOperator",
    }
}

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let mut docs = identity_docs(res);
    docs.extend(resource_doc(res));
    for doc in docs {
        let variants = ctx.policy(doc.node, doc.kind);
        for v in variants.iter() {
            let p = match &v.policy {
                Ok(p) => p,
                Err(Unreadable::Invalid(e)) => {
                    ctx.report(Report {
                        resource: res,
                        span: v.span,
                        path: doc.path.clone(),
                        condition: v.condition.clone(),
                        detail: Some("ParseError".into()),
                        message: format!("the policy document is not a valid IAM policy: {e}"),
                    });
                    continue;
                }
                Err(Unreadable::Unknown(_)) => continue,
            };
            for f in validate(p, doc.kind) {
                // Trust policies and ECR repository policies carry no Resource: the policy's own
                // resource is implied.
                let no_resource =
                    doc.kind == PolicyKind::Trust || res.rtype == "AWS::ECR::Repository";
                if no_resource
                    && f.kind == ValidationKind::MissingElement
                    && f.message.contains("Resource")
                {
                    continue;
                }
                let stmt = p.statements.get(f.statement);
                // SNS writes `SNS:Receive` into the default policy of every topic it creates; IAM
                // accepts it though no service documents it.
                if f.kind == ValidationKind::UnknownAction
                    && f.message.to_ascii_lowercase().contains("\"sns:receive\"")
                {
                    continue;
                }
                let in_allow = stmt.is_some_and(|s| s.effect == incloud_iam::Effect::Allow);
                let severity = match f.kind {
                    // An action that does not exist grants nothing in an Allow (the grant is dead
                    // weight, or the catalog is behind AWS); in a Deny it blocks nothing, which matters.
                    ValidationKind::UnknownAction
                    | ValidationKind::UnknownService
                    | ValidationKind::ActionMatchesNothing
                        if in_allow =>
                    {
                        Severity::Low
                    }
                    ValidationKind::UnknownConditionKey
                    | ValidationKind::SetOperatorOnSingleValuedKey
                    | ValidationKind::MultivaluedKeyWithoutSetOperator => Severity::Low,
                    _ => Severity::Medium,
                };
                ctx.report_at(
                    severity,
                    Report {
                        resource: res,
                        span: v.span_of(f.origin),
                        path: format!("{}.Statement[{}]", doc.path, f.statement),
                        condition: v.condition_of(f.statement),
                        detail: Some(kind_name(f.kind).to_string()),
                        message: format!("{}: {}", v.statement_label(f.statement), f.message),
                    },
                );
            }
        }
    }
}
