//! What the policy rules share: reading each document of a resource through the bridge, and reporting who
//! a resource-based policy lets in.

use crate::iam_bridge::{resource_doc, DocRef, Unreadable, Variant};
use crate::{Ctx, Report};
use incloud_iam::{access, Access, Policy};
use incloud_model::{wildcard, Resource, Severity};

/// Stands for the resource's own account: templates rarely know it (`${AWS::AccountId}`), and the
/// analyser reads a principal built from `AWS::AccountId` as this account.
pub(crate) const OWN_ACCOUNT: &str = "AWS::AccountId";

/// Calls `f` with every readable outcome of the document; reports unknown documents at severity info
/// (`what` names the subject: "bucket policy"). Invalid documents are `iam-policy-invalid`'s to report.
pub(crate) fn each_policy(
    ctx: &mut Ctx<'_>,
    res: &Resource,
    doc: &DocRef<'_>,
    what: &str,
    mut f: impl FnMut(&mut Ctx<'_>, &Variant, &Policy),
) {
    let variants = ctx.policy(doc.node, doc.kind);
    for v in variants.iter() {
        match &v.policy {
            Ok(p) => f(ctx, v, p),
            Err(Unreadable::Unknown(why)) => ctx.unknown(
                Report {
                    resource: res,
                    span: v.span,
                    path: doc.path.clone(),
                    condition: v.condition.clone(),
                    detail: None,
                    message: what.to_string(),
                },
                why,
            ),
            Err(Unreadable::Invalid(_)) => {}
        }
    }
}

/// Whether an Action element value covers an action (`s3:*` covers `s3:PutObject`).
pub(crate) fn action_covers(pattern: &str, action: &str) -> bool {
    wildcard::matches_ignore_case(pattern, action)
}

/// Reports the statements of a resource-based policy that let anyone in (`Access::Public`), and at
/// severity info those whose principal or condition is unknown. `noun` is the resource ("queue").
pub(crate) fn report_public(ctx: &mut Ctx<'_>, res: &Resource, noun: &str) {
    let Some(doc) = resource_doc(res) else {
        return;
    };
    report_public_doc(ctx, res, &doc, noun, None);
}

/// As `report_public`, for a document already found; `softened` reports at that severity instead
/// (a public policy whose effect is limited elsewhere).
pub(crate) fn report_public_doc(
    ctx: &mut Ctx<'_>,
    res: &Resource,
    doc: &DocRef<'_>,
    noun: &str,
    softened: Option<(Severity, &str)>,
) {
    let what = format!("who the {noun} policy lets in");
    each_policy(ctx, res, doc, &what, |ctx, v, p| {
        let report = access(p, OWN_ACCOUNT);
        for st in &report.statements {
            let path = format!("{}.Statement[{}]", doc.path, st.statement);
            let label = v.statement_label(st.statement);
            let actions = p
                .statements
                .get(st.statement)
                .and_then(|s| s.action.as_ref())
                .map(|a| {
                    let vals: Vec<String> = a
                        .values
                        .iter()
                        .map(|x| x.as_known().unwrap_or("?").to_string())
                        .collect();
                    format!(
                        "{}{}",
                        if a.negated { "all actions but " } else { "" },
                        vals.join(", ")
                    )
                })
                .unwrap_or_default();
            for a in &st.access {
                match a {
                    Access::Public => {
                        let mut message = format!(
                            "{label} allows {actions} to any principal (Principal \"*\") with no condition that limits who can call"
                        );
                        let r = |message: String| Report {
                            resource: res,
                            span: v.span_of(st.origin),
                            path: path.clone(),
                            condition: v.condition_of(st.statement),
                            detail: Some(label.clone()),
                            message,
                        };
                        match softened {
                            Some((sev, note)) => {
                                message.push_str(&format!(" ({note})"));
                                ctx.report_at(sev, r(message));
                            }
                            None => ctx.report(r(message)),
                        }
                    }
                    Access::Unknown(what) => ctx.unknown(
                        Report {
                            resource: res,
                            span: v.span_of(st.origin),
                            path: path.clone(),
                            condition: v.condition_of(st.statement),
                            detail: Some(label.clone()),
                            message: format!("whether {label} is public"),
                        },
                        &format!("{} cannot be known from the template", what.join(", ")),
                    ),
                    _ => {}
                }
            }
        }
    });
}

/// The docs section every public-policy rule shares on unknown values.
pub(crate) const PUBLIC_UNKNOWN: &str = "A principal or a condition value that cannot be known from the template (an imported ARN, a parameter without a value) might be anyone: the statement is reported at severity info, never read as private. A principal built from the stack's own account (`${AWS::AccountId}`) is read as the resource's own account. A statement under an undecided `Fn::If` is judged on each branch; a Deny that exists only under an undecided condition is not counted on.";
