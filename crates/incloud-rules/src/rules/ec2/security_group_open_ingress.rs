//! `ec2-security-group-open-ingress`: security groups admit the whole internet only on the ports meant for it.

use crate::rules::and;
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-EC2-010",
        name: "ec2-security-group-open-ingress",
        severity: Severity::Medium,
        area: Area::Network,
        title: "Security groups allow ingress from anywhere only to authorized ports",
        resource_types: &[network::SECURITY_GROUP, network::SECURITY_GROUP_INGRESS],
        controls: Controls {
            security_hub: &["EC2.18", "EC2.19", "EC2.13", "EC2.14"],
            aws_config: &[
                "vpc-sg-open-only-to-authorized-ports",
                "restricted-ssh",
                "restricted-common-ports",
            ],
            cis: &[
                "CIS AWS Foundations v1.2.0 4.1",
                "CIS AWS Foundations v1.2.0 4.2",
            ],
            nist_800_53: &[
                "AC-4", "AC-4(21)", "CA-9(1)", "CM-2", "CM-2(2)", "CM-7", "SC-7", "SC-7(11)",
                "SC-7(16)", "SC-7(21)", "SC-7(4)", "SC-7(5)",
            ],
            pci_dss: &[
                "PCI DSS v3.2.1 1.2.1",
                "PCI DSS v3.2.1 1.3.1",
                "PCI DSS v3.2.1 2.2.2",
                "PCI DSS v4.0.1 1.3.1",
            ],
            hipaa: &[
                "164.308(a)(3)(i)",
                "164.308(a)(3)(ii)(B)",
                "164.308(a)(4)(i)",
                "164.308(a)(4)(ii)(A)",
                "164.308(a)(4)(ii)(B)",
                "164.308(a)(4)(ii)(C)",
                "164.312(a)(1)",
                "164.312(e)(1)",
            ],
            cdk_nag: &[
                "AwsSolutions-EC23",
                "NIST.800.53.R5-EC2RestrictedSSH",
                "HIPAA.Security-EC2RestrictedSSH",
                "PCI.DSS.321-EC2RestrictedSSH",
                "NIST.800.53.R5-EC2RestrictedCommonPorts",
                "HIPAA.Security-EC2RestrictedCommonPorts",
                "PCI.DSS.321-EC2RestrictedCommonPorts",
            ],
            cfn_nag: &["W2"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks every ingress rule of an AWS::EC2::SecurityGroup (its inline SecurityGroupIngress entries) and every AWS::EC2::SecurityGroupIngress resource. An entry whose source is 0.0.0.0/0 or ::/0 fails when it opens a TCP or UDP port outside the option allowed_ports (by default 80 and 443), or when its IpProtocol is -1 (all traffic) or a protocol without ports. ICMP entries are not checked.

Each offending entry is its own finding, at the entry, with the protocol and port range as the detail (tcp/22, udp/1194, tcp/1024-65535, all), so that one entry can be suppressed without the others. Entries that open SSH (22), RDP (3389) or every port are reported at severity high. A standalone ingress resource is reported on itself, and the message names the group it opens when that group is in the stack."#,
            why: r#"A security group is the firewall in front of every instance, container task, load balancer, database and Lambda network interface it is attached to, and AWS applies exactly the rules you write. A rule from 0.0.0.0/0 or ::/0 lets anyone on the internet reach the port as soon as the resource has a public address or sits behind an internet-facing load balancer. Internet-wide scanners find open SSH, RDP, database and admin ports within minutes, and then try stolen passwords, brute force and unpatched vulnerabilities.

Only the ports that are meant to be public, usually HTTP and HTTPS on a load balancer, should be open to everyone. Reach administration ports through AWS Systems Manager Session Manager, a VPN or a bastion restricted to known addresses, and reach databases from the application's security group, not from a CIDR."#,
            unknown: r#"A source CIDR, protocol or port that cannot be known (a parameter without a value, an import) is reported at severity info when the rest of the entry would fail, saying why. A source that is a security group or a prefix list is not checked."#,
            fix_cloudformation: r#"Open only HTTPS to the world, and the admin port to a known range or another security group:

    WebSecurityGroup:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: Web tier
        VpcId: !Ref Vpc
        SecurityGroupIngress:
          - IpProtocol: tcp
            FromPort: 443
            ToPort: 443
            CidrIp: 0.0.0.0/0
          - IpProtocol: tcp
            FromPort: 22
            ToPort: 22
            CidrIp: 203.0.113.0/24          # the office, not 0.0.0.0/0

    DatabaseIngress:
      Type: AWS::EC2::SecurityGroupIngress
      Properties:
        GroupId: !GetAtt DatabaseSecurityGroup.GroupId
        IpProtocol: tcp
        FromPort: 5432
        ToPort: 5432
        SourceSecurityGroupId: !GetAtt WebSecurityGroup.GroupId"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    const sg = new ec2.SecurityGroup(this, 'Web', { vpc });
    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS');
    sg.addIngressRule(ec2.Peer.ipv4('203.0.113.0/24'), ec2.Port.tcp(22), 'SSH from the office');
    dbSecurityGroup.addIngressRule(sg, ec2.Port.tcp(5432), 'app to database');

Python:

    sg = ec2.SecurityGroup(self, "Web", vpc=vpc)
    sg.add_ingress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS")
    sg.add_ingress_rule(ec2.Peer.ipv4("203.0.113.0/24"), ec2.Port.tcp(22), "SSH from the office")
    db_security_group.add_ingress_rule(sg, ec2.Port.tcp(5432), "app to database")"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_vpc_security_group_ingress_rule" "https" {
      security_group_id = aws_security_group.web.id
      ip_protocol       = "tcp"
      from_port         = 443
      to_port           = 443
      cidr_ipv4         = "0.0.0.0/0"
    }

    resource "aws_vpc_security_group_ingress_rule" "ssh" {
      security_group_id = aws_security_group.web.id
      ip_protocol       = "tcp"
      from_port         = 22
      to_port           = 22
      cidr_ipv4         = "203.0.113.0/24"
    }"#,
            fix_cli: r#"    aws ec2 revoke-security-group-ingress --group-id sg-0123456789abcdef0 \
      --protocol tcp --port 22 --cidr 0.0.0.0/0
    aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 \
      --protocol tcp --port 22 --cidr 203.0.113.0/24"#,
        },
        options: &[RuleOption {
            name: "allowed_ports",
            doc: "TCP and UDP ports that may be open to 0.0.0.0/0 and ::/0.",
            default: OptionDefault::Ints(&[80, 443]),
        }],
    },
    check,
};

/// A scalar property of an entry, once the undecided conditions on its way are fixed.
enum Scalar {
    Known(String),
    Unknown(String),
    Absent,
}

/// Every outcome of a scalar property, with its conditions.
fn scalars(entry: &Node, key: &str) -> Vec<(Option<String>, Scalar)> {
    let value = entry.at(&[key]);
    value
        .leaves()
        .into_iter()
        .map(|leaf| {
            let s = match leaf.val {
                LeafVal::Known(n) => match n.string_value() {
                    V::Known(s, _) => Scalar::Known(s.trim().to_string()),
                    V::Unknown(w, _) => Scalar::Unknown(w),
                    _ => Scalar::Unknown("a conditional value".into()),
                },
                LeafVal::Unknown(w) => Scalar::Unknown(w.to_string()),
                LeafVal::Absent => Scalar::Absent,
            };
            (leaf.condition(), s)
        })
        .collect()
}

/// What traffic an entry lets in.
enum Opening {
    /// TCP or UDP ports `lo..=hi`.
    Ports(&'static str, i64, i64),
    /// Every protocol and port (`IpProtocol: -1`).
    All,
    /// A protocol without ports (GRE, ESP, ...), all of it.
    Protocol(String),
}

impl Opening {
    fn detail(&self) -> String {
        match self {
            Opening::Ports(p, lo, hi) if lo == hi => format!("{p}/{lo}"),
            Opening::Ports(p, lo, hi) => format!("{p}/{lo}-{hi}"),
            Opening::All => "all".into(),
            Opening::Protocol(p) => format!("{p}/all"),
        }
    }

    fn allowed(&self, allowed: &[i64]) -> bool {
        match self {
            Opening::Ports(_, lo, hi) => (*lo..=*hi).all(|p| allowed.contains(&p)),
            _ => false,
        }
    }

    fn high_risk(&self) -> bool {
        match self {
            Opening::Ports(_, lo, hi) => {
                (*lo..=*hi).contains(&22)
                    || (*lo..=*hi).contains(&3389)
                    || (*lo <= 1 && *hi >= 65535)
            }
            Opening::All => true,
            Opening::Protocol(_) => false,
        }
    }

    fn describe(&self) -> String {
        let named = |port: i64| match port {
            22 => Some("SSH"),
            3389 => Some("RDP"),
            3306 => Some("MySQL"),
            5432 => Some("PostgreSQL"),
            1433 => Some("SQL Server"),
            1521 => Some("Oracle"),
            6379 => Some("Redis"),
            27017 => Some("MongoDB"),
            9200 => Some("OpenSearch"),
            23 => Some("Telnet"),
            21 => Some("FTP"),
            445 => Some("SMB"),
            _ => None,
        };
        match self {
            Opening::Ports(_, lo, hi) if *lo <= 1 && *hi >= 65535 => {
                format!("{} (every port)", self.detail())
            }
            Opening::Ports(_, lo, hi) if lo == hi => match named(*lo) {
                Some(n) => format!("{} ({n})", self.detail()),
                None => self.detail(),
            },
            Opening::All => "all traffic (IpProtocol -1)".into(),
            _ => self.detail(),
        }
    }
}

/// The outcome of reading an entry's protocol and ports: what it opens, or why that cannot be known.
enum Read {
    Opens(Opening),
    NotChecked,
    Unknown(String),
}

fn parse_port(s: &str) -> Option<i64> {
    s.parse::<i64>()
        .ok()
        .or_else(|| s.parse::<f64>().ok().map(|f| f as i64))
}

fn read_opening(protocol: &Scalar, from: &Scalar, to: &Scalar) -> Read {
    let proto = match protocol {
        Scalar::Known(p) => p.to_ascii_lowercase(),
        Scalar::Unknown(w) => return Read::Unknown(format!("IpProtocol: {w}")),
        Scalar::Absent => return Read::NotChecked, // required: CloudFormation rejects the entry
    };
    let name = match proto.as_str() {
        "-1" | "all" => return Read::Opens(Opening::All),
        "tcp" | "6" => "tcp",
        "udp" | "17" => "udp",
        "icmp" | "1" | "icmpv6" | "58" => return Read::NotChecked,
        other => return Read::Opens(Opening::Protocol(other.to_string())),
    };
    let port = |s: &Scalar, key: &str| match s {
        Scalar::Known(v) => parse_port(v).ok_or_else(|| format!("{key} is \"{v}\"")),
        Scalar::Unknown(w) => Err(format!("{key}: {w}")),
        Scalar::Absent => Err(format!("no {key}")),
    };
    match (port(from, "FromPort"), port(to, "ToPort")) {
        (Ok(lo), Ok(hi)) => {
            // -1 on a TCP or UDP rule means every port, as it does for the protocol.
            let (lo, hi) = if lo < 0 || hi < 0 {
                (0, 65535)
            } else {
                (lo.min(hi), lo.max(hi))
            };
            Read::Opens(Opening::Ports(name, lo, hi))
        }
        (Err(w), _) | (_, Err(w)) => Read::Unknown(w),
    }
}

fn is_world(cidr: &str, v6: bool) -> bool {
    match cidr.split_once('/') {
        Some((addr, "0")) => {
            if v6 {
                addr.contains(':')
            } else {
                addr.contains('.')
            }
        }
        _ => false,
    }
}

/// Judge one ingress entry (an inline `SecurityGroupIngress` item or a standalone ingress's properties).
fn judge_entry(
    ctx: &mut Ctx<'_>,
    res: &Resource,
    entry: &Node,
    base: &str,
    outer: Option<&str>,
    opens: &str,
) {
    let allowed = ctx.option_ints("allowed_ports");
    let protocols = scalars(entry, "IpProtocol");
    let froms = scalars(entry, "FromPort");
    let tos = scalars(entry, "ToPort");
    for (key, v6) in [("CidrIp", false), ("CidrIpv6", true)] {
        for (c_src, src) in scalars(entry, key) {
            let (world, unknown_src) = match &src {
                Scalar::Absent => continue,
                Scalar::Known(c) if is_world(c, v6) => (c.as_str(), None),
                Scalar::Known(_) => continue,
                Scalar::Unknown(w) => ("", Some(w.as_str())),
            };
            for (c_p, p) in &protocols {
                for (c_f, f) in &froms {
                    for (c_t, t) in &tos {
                        let cond = [c_src.clone(), c_p.clone(), c_f.clone(), c_t.clone()]
                            .into_iter()
                            .fold(outer.map(str::to_owned), |acc, c| and(acc.as_deref(), c));
                        let report = |message: String, detail: Option<String>| Report {
                            resource: res,
                            span: entry.span,
                            path: format!("{base}.{key}"),
                            condition: cond.clone(),
                            detail,
                            message,
                        };
                        match read_opening(p, f, t) {
                            Read::NotChecked => {}
                            Read::Unknown(why) => {
                                if unknown_src.is_none() {
                                    let r = report(format!("The ports {world} can reach"), None);
                                    ctx.unknown(r, &why);
                                }
                            }
                            Read::Opens(o) if o.allowed(&allowed) => {}
                            Read::Opens(o) => {
                                let detail = Some(o.detail());
                                if let Some(why) = unknown_src {
                                    let msg = format!(
                                        "The source ({key}) of the ingress to {}",
                                        o.describe()
                                    );
                                    ctx.unknown(report(msg, detail), why);
                                    continue;
                                }
                                let msg = format!(
                                    "ingress from {world} to {}{opens}: anyone on the internet can reach it",
                                    o.describe()
                                );
                                if o.high_risk() {
                                    ctx.report_at(Severity::High, report(msg, detail));
                                } else {
                                    ctx.report(report(msg, detail));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if res.is(network::SECURITY_GROUP_INGRESS) {
        let opens = match network::group_of_ingress(ctx.stack, res) {
            Some(g) => format!(" on security group {}", g.id),
            None => String::new(),
        };
        let props = &res.props;
        judge_entry(ctx, res, props, "Properties", None, &opens);
        return;
    }
    let ingress = res.props.at(&["SecurityGroupIngress"]);
    for leaf in ingress.leaves() {
        let LeafVal::Known(list) = leaf.val else {
            continue;
        };
        let list_cond = leaf.condition();
        for item in list.items() {
            for entry in item.tri().leaves() {
                let LeafVal::Known(e) = entry.val else {
                    continue;
                };
                let cond = and(list_cond.as_deref(), entry.condition());
                judge_entry(
                    ctx,
                    res,
                    e,
                    "Properties.SecurityGroupIngress",
                    cond.as_deref(),
                    "",
                );
            }
        }
    }
}
