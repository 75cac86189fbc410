//! A rule's documentation page, from its metadata: what `incloud explain` prints and `docs/rules/` holds.

use incloud_model::RuleMeta;
use std::fmt::Write;

pub fn markdown(m: &RuleMeta) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {} — {}\n", m.name, m.title);
    let _ = writeln!(
        s,
        "Code `{}` · severity **{}** · area {} · applies to {}\n",
        m.code,
        m.severity,
        m.area.title().to_lowercase(),
        m.resource_types
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(s, "{}\n", m.docs.description);
    let _ = writeln!(s, "## Why it matters\n\n{}\n", m.docs.why);
    let _ = writeln!(s, "## When a value is unknown\n\n{}\n", m.docs.unknown);
    if !m.options.is_empty() {
        let _ = writeln!(
            s,
            "## Options\n\nSet in `incloud.toml` under `[rules.options.{}]`.\n",
            m.name
        );
        for o in m.options {
            let _ = writeln!(
                s,
                "- `{}` ({}, default `{}`): {}",
                o.name,
                o.default.kind(),
                o.default.render(),
                o.doc
            );
        }
        s.push('\n');
    }
    let _ = writeln!(s, "## Fix it\n");
    for (title, body) in [
        ("CloudFormation", m.docs.fix_cloudformation),
        ("CDK", m.docs.fix_cdk),
        ("Terraform", m.docs.fix_terraform),
        ("Console or CLI", m.docs.fix_cli),
    ] {
        if !body.is_empty() {
            let _ = writeln!(s, "### {title}\n\n{body}\n");
        }
    }
    let _ = writeln!(s, "## Controls\n");
    let names = [
        ("security-hub", "AWS Security Hub"),
        ("aws-config", "AWS Config managed rules"),
        ("cis", "CIS AWS Foundations Benchmark"),
        ("nist-800-53", "NIST SP 800-53 rev. 5"),
        ("pci-dss", "PCI DSS"),
        ("hipaa", "HIPAA Security Rule"),
        ("cdk-nag", "cdk-nag"),
        ("cfn-nag", "cfn_nag"),
        ("checkov", "checkov"),
    ];
    for (key, ids) in m.controls.entries() {
        if ids.is_empty() {
            continue;
        }
        let title = names
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, t)| *t)
            .unwrap_or(key);
        let _ = writeln!(s, "- {title}: {}", ids.join(", "));
    }
    s
}
