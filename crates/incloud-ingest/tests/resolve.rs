//! Intrinsic functions, parameters, pseudo-parameters and conditions, as CloudFormation resolves them.

use incloud_ingest::{load_str, Inputs, Limits, LoadError};
use incloud_model::{Cond, FileId, Link, Node, Part, Stack, Val};

fn load(text: &str, inputs: &Inputs) -> Result<Stack, LoadError> {
    load_str(text, FileId(0), inputs, &Limits::default())
}

fn prop(text: &str, inputs: &Inputs, key: &str) -> Val {
    let stack = load(text, inputs).unwrap_or_else(|e| panic!("{e}"));
    let r = stack.resource("R").expect("resource R");
    match r.props.get(key) {
        Some(n) => n.val.clone(),
        None => Val::Null,
    }
}

/// A template with one resource R whose property P is `value` (YAML).
fn with(params: &str, conditions: &str, value: &str) -> String {
    format!(
        "Parameters:\n{params}\nConditions:\n{conditions}\nMappings:\n  M:\n    eu-west-1:\n      Ami: ami-123\nResources:\n  Other:\n    Type: AWS::S3::Bucket\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      P: {value}\n"
    )
}

fn p(value: &str) -> Val {
    prop(
        &with(
            "  Name:\n    Type: String\n    Default: web",
            "  Always: !Equals [a, a]",
            value,
        ),
        &Inputs::default(),
        "P",
    )
}

fn s(v: &str) -> Val {
    Val::Str(v.to_string())
}

#[test]
fn ref_to_parameter_default_override_and_missing() {
    assert_eq!(p("!Ref Name"), s("web"));
    let inputs = Inputs {
        parameters: [("Name".to_string(), "api".to_string())].into(),
        ..Inputs::default()
    };
    let t = with(
        "  Name:\n    Type: String\n    Default: web\n  NoDefault:\n    Type: String",
        "  C: !Equals [a, a]",
        "!Ref Name",
    );
    assert_eq!(prop(&t, &inputs, "P"), s("api"));
    let t = with(
        "  NoDefault:\n    Type: String",
        "  C: !Equals [a, a]",
        "!Ref NoDefault",
    );
    match prop(&t, &Inputs::default(), "P") {
        Val::Unknown(why) => assert!(
            why.contains("NoDefault") && why.contains("no default"),
            "{why}"
        ),
        other => panic!("{other:?}"),
    }
    let t = with(
        "  Subnets:\n    Type: CommaDelimitedList\n    Default: a, b",
        "  C: !Equals [a, a]",
        "!Ref Subnets",
    );
    match prop(&t, &Inputs::default(), "P") {
        Val::Seq(items) => assert_eq!(
            items.iter().map(|i| i.val.clone()).collect::<Vec<_>>(),
            vec![s("a"), s("b")]
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn refs_to_resources_are_links() {
    assert_eq!(
        p("!Ref Other"),
        Val::Link(Link {
            target: "Other".into(),
            attr: None
        })
    );
    assert_eq!(
        p("!GetAtt Other.Arn"),
        Val::Link(Link {
            target: "Other".into(),
            attr: Some("Arn".into())
        })
    );
    assert_eq!(
        p("{\"Fn::GetAtt\": [Other, Arn]}"),
        Val::Link(Link {
            target: "Other".into(),
            attr: Some("Arn".into())
        })
    );
}

#[test]
fn pseudo_parameters() {
    assert_eq!(p("!Ref AWS::Partition"), s("aws"));
    assert_eq!(p("!Ref AWS::URLSuffix"), s("amazonaws.com"));
    assert!(matches!(p("!Ref AWS::Region"), Val::Unknown(_)));
    let inputs = Inputs {
        region: Some("cn-north-1".into()),
        account: Some("123456789012".into()),
        ..Inputs::default()
    };
    let t = with(
        "  X:\n    Type: String",
        "  C: !Equals [a, a]",
        "!Sub 'arn:${AWS::Partition}:s3:::b-${AWS::Region}-${AWS::AccountId}'",
    );
    assert_eq!(
        prop(&t, &inputs, "P"),
        s("arn:aws-cn:s3:::b-cn-north-1-123456789012")
    );
}

#[test]
fn sub_with_references_variables_and_literals() {
    assert_eq!(p("!Sub '${Name}-x-${!Literal}'"), s("web-x-${Literal}"));
    assert_eq!(
        p("!Sub '${Other.Arn}/*'"),
        Val::Tpl(vec![
            Part::Link(Link {
                target: "Other".into(),
                attr: Some("Arn".into())
            }),
            Part::Lit("/*".into())
        ])
    );
    assert_eq!(p("!Sub ['${A}-${Name}', {A: !Ref Name}]"), s("web-web"));
    assert_eq!(
        p("!Sub 'arn:aws:s3:::${Other}'"),
        Val::Tpl(vec![
            Part::Lit("arn:aws:s3:::".into()),
            Part::Link(Link {
                target: "Other".into(),
                attr: None
            })
        ])
    );
}

#[test]
fn join_select_split_findinmap() {
    assert_eq!(p("!Join ['-', [a, !Ref Name, 3]]"), s("a-web-3"));
    assert_eq!(p("!Select [1, [a, b, c]]"), s("b"));
    assert_eq!(p("!Select [1, !Split [',', 'x,y,z']]"), s("y"));
    assert_eq!(p("!FindInMap [M, eu-west-1, Ami]"), s("ami-123"));
    assert_eq!(
        p("!FindInMap [M, us-east-1, Ami, {DefaultValue: ami-0}]"),
        s("ami-0")
    );
    assert!(matches!(
        p("!FindInMap [M, !Ref AWS::Region, Ami]"),
        Val::Unknown(_)
    ));
    assert!(matches!(p("!Join ['', !GetAZs '']"), Val::Unknown(_)));
}

#[test]
fn imports_and_dynamic_references_are_unknown_never_absent() {
    match p("!ImportValue shared-KeyArn") {
        Val::Unknown(why) => assert!(why.contains("shared-KeyArn"), "{why}"),
        other => panic!("{other:?}"),
    }
    match p("'{{resolve:secretsmanager:db:SecretString:password}}'") {
        Val::Unknown(why) => assert!(why.contains("dynamic reference"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn conditions_decide_or_branch() {
    let decided = with(
        "  Env:\n    Type: String\n    Default: prod",
        "  IsProd: !Equals [!Ref Env, prod]\n  NotProd: !Not [!Condition IsProd]",
        "!If [NotProd, a, b]",
    );
    assert_eq!(prop(&decided, &Inputs::default(), "P"), s("b"));
    let undecided = with(
        "  Env:\n    Type: String",
        "  IsProd: !Equals [!Ref Env, prod]",
        "!If [IsProd, a, !Ref AWS::NoValue]",
    );
    match prop(&undecided, &Inputs::default(), "P") {
        Val::Choice(branches) => {
            assert_eq!(branches.len(), 2);
            assert_eq!(
                branches[0].0,
                Cond {
                    name: "IsProd".into(),
                    holds: true
                }
            );
            assert_eq!(
                branches[0].1.as_ref().map(|n: &Node| n.val.clone()),
                Some(s("a"))
            );
            assert_eq!(
                branches[1].0,
                Cond {
                    name: "IsProd".into(),
                    holds: false
                }
            );
            assert!(
                branches[1].1.is_none(),
                "AWS::NoValue removes the value on that branch"
            );
        }
        other => panic!("{other:?}"),
    }
    // And/Or decide as soon as one operand does, even when the other cannot be decided.
    let t = with("  Env:\n    Type: String", "  U: !Equals [!Ref Env, prod]\n  F: !Equals [a, b]\n  A: !And [!Condition U, !Condition F]", "!If [A, yes, no]");
    assert_eq!(prop(&t, &Inputs::default(), "P"), s("no"));
}

#[test]
fn novalue_removes_the_property_and_false_conditions_remove_resources() {
    let t = with(
        "  X:\n    Type: String",
        "  F: !Equals [a, b]",
        "!Ref AWS::NoValue",
    );
    let stack = load(&t, &Inputs::default()).unwrap();
    assert!(stack.resource("R").unwrap().props.get("P").is_none());
    let t = "Conditions:\n  F: !Equals [a, b]\n  U: !Equals [!Ref AWS::Region, eu-west-1]\nResources:\n  Gone:\n    Type: AWS::S3::Bucket\n    Condition: F\n  Maybe:\n    Type: AWS::S3::Bucket\n    Condition: U\n";
    let stack = load(t, &Inputs::default()).unwrap();
    assert!(stack.resource("Gone").is_none());
    assert_eq!(
        stack.resource("Maybe").unwrap().condition.as_deref(),
        Some("U")
    );
}

#[test]
fn errors_name_the_line() {
    let e = load(
        "Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      P: !If [Nope, a, b]\n",
        &Inputs::default(),
    )
    .unwrap_err();
    assert_eq!(e.line, Some(5));
    assert!(e.message.contains("condition Nope is not defined"), "{e}");
    let e = load(
        "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  R:\n    Properties: {}\n",
        &Inputs::default(),
    )
    .unwrap_err();
    assert!(e.message.contains("resource R has no Type"), "{e}");
    let e = load("Conditions:\n  A: !Condition A\nResources:\n  R:\n    Type: AWS::S3::Bucket\n    Condition: A\n", &Inputs::default()).unwrap_err();
    assert!(e.message.contains("circular conditions: A -> A"), "{e}");
}

#[test]
fn long_strings_are_bounded() {
    let limits = Limits {
        max_string_len: 100,
        ..Limits::default()
    };
    let t = format!(
        "Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      P: !Join ['', [{}]]\n",
        vec!["abcdefghij"; 20].join(", ")
    );
    let e = load_str(&t, FileId(0), &Inputs::default(), &limits).unwrap_err();
    assert!(e.message.contains("max_string_len"), "{e}");
}

#[test]
fn resource_count_and_condition_depth_are_bounded() {
    let limits = Limits {
        max_resources: 10,
        max_condition_depth: 20,
        ..Limits::default()
    };
    let mut t = String::from("Resources:\n");
    for i in 0..11 {
        t.push_str(&format!("  B{i}:\n    Type: AWS::S3::Bucket\n"));
    }
    let e = load_str(&t, FileId(0), &Inputs::default(), &limits).unwrap_err();
    assert!(e.message.contains("max_resources"), "{e}");
    let mut t = String::from(
        "Parameters:\n  P:\n    Type: String\nConditions:\n  C0: !Equals [!Ref P, x]\n",
    );
    for i in 1..40 {
        t.push_str(&format!("  C{i}: !Not [!Condition C{}]\n", i - 1));
    }
    t.push_str("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Condition: C39\n");
    let e = load_str(&t, FileId(0), &Inputs::default(), &limits).unwrap_err();
    assert!(e.message.contains("max_condition_depth"), "{e}");
    // Within the bound, a long chain resolves (and stays undecided without a value for P).
    let ok = load_str(&t, FileId(0), &Inputs::default(), &Limits::default()).unwrap();
    assert_eq!(ok.resource("B").unwrap().condition.as_deref(), Some("C39"));
}

#[test]
fn parameter_declarations_and_where_refs_to_them_landed() {
    let t = "Parameters:\n  Pw:\n    Type: String\n    NoEcho: true\n  Seeded:\n    Type: String\n    NoEcho: 'true'\n    Default: hunter22\n  Plain:\n    Type: String\n    Default: x\n  Ssm:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /app/pw\nResources:\n  R:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      A: !Ref Pw\n      B: {Ref: Seeded}\n      C: !Sub '${Plain}-x'\n      D: !Ref Ssm\n      E: literal\n      F: !Join ['', [a, !Ref Pw, !Ref AWS::Region]]\n      G: !Sub ['${X}-${Y}', {X: !Ref Seeded}]\n";
    let stack = load(t, &Inputs::default()).unwrap_or_else(|e| panic!("{e}"));
    let decls: Vec<_> = stack
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.no_echo, p.has_default, p.from_ssm()))
        .collect();
    assert_eq!(
        decls,
        [
            ("Pw", true, false, false),
            ("Seeded", true, true, false),
            ("Plain", false, true, false),
            ("Ssm", false, true, true),
        ]
    );
    let r = stack.resource("R").expect("R");
    let from = |key: &str| {
        let n = r.props.get(key).expect(key);
        stack.parameter_at(n.span).map(|p| p.name.clone())
    };
    assert_eq!(from("A").as_deref(), Some("Pw"));
    assert_eq!(from("B").as_deref(), Some("Seeded"));
    // A parameter inside a string is not the whole value; the built string says which went into it.
    assert_eq!(from("C"), None);
    let inside = |key: &str| {
        let n = r.props.get(key).expect(key);
        let names: Vec<_> = stack
            .parameters_in(n.span)
            .iter()
            .map(|p| p.name.clone())
            .collect();
        names
    };
    assert_eq!(inside("C"), ["Plain"]);
    assert_eq!(inside("F"), ["Pw"]);
    assert_eq!(inside("G"), ["Seeded"]);
    assert!(inside("E").is_empty());
    assert_eq!(from("D").as_deref(), Some("Ssm"));
    assert_eq!(from("E"), None);
}
