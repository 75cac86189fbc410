#!/usr/bin/env python3
"""Synthetic templates for the robustness and speed measurements (bench/robustness.sh, bench/compare.sh).

  gen.py large OUT.yaml [MB]        one template of about MB megabytes (default 49, under the 50 MB limit)
  gen.py conditions OUT.yaml [N]    N conditions (default 50) over parameters without defaults, used in
                                    nested Fn::If on every property of 50 buckets: the case where tools that
                                    enumerate condition combinations take minutes to hours
"""
import sys


def large(path, mb=49.0):
    target = int(mb * 1024 * 1024)
    with open(path, "w") as f:
        f.write("AWSTemplateFormatVersion: '2010-09-09'\nDescription: large synthetic template\nResources:\n")
        size, i = 0, 0
        # Few resources with large bodies (under the 20,000-resource limit): a state machine definition each.
        while size < target:
            states = "".join(
                f"          S{j}:\n            Type: Pass\n            Result: {{value: 'payload {i}-{j} {'x' * 60}'}}\n            Next: S{j + 1}\n"
                for j in range(200)
            )
            block = (
                f"  Machine{i}:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n"
                f"      RoleArn: !GetAtt Role.Arn\n      Definition:\n        StartAt: S0\n        States:\n{states}"
                f"          S200:\n            Type: Succeed\n"
                f"  Bucket{i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub 'data-${{AWS::AccountId}}-{i}'\n"
            )
            f.write(block)
            size += len(block)
            i += 1
        f.write("  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n")


def conditions(path, n=50):
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Parameters:"]
    for i in range(n):
        lines += [f"  P{i}:", "    Type: String", "    AllowedValues: ['true', 'false']"]
    lines.append("Conditions:")
    for i in range(n):
        if i % 3 == 2:
            lines.append(f"  C{i}: !And [!Condition C{i - 1}, !Not [!Condition C{i - 2}], !Equals [!Ref P{i}, 'true']]")
        else:
            lines.append(f"  C{i}: !Equals [!Ref P{i}, 'true']")
    lines.append("Resources:")
    for b in range(50):
        c = [f"C{(b + k) % n}" for k in range(5)]
        nested = f"!If [{c[0]}, Enabled, !If [{c[1]}, Suspended, !If [{c[2]}, Enabled, !If [{c[3]}, Suspended, Enabled]]]]"
        lines += [
            f"  Bucket{b}:",
            "    Type: AWS::S3::Bucket",
            f"    Condition: {c[4]}",
            "    Properties:",
            f"      VersioningConfiguration:",
            f"        Status: {nested}",
            f"      BucketEncryption: !If",
            f"        - {c[1]}",
            "        - ServerSideEncryptionConfiguration:",
            "            - ServerSideEncryptionByDefault: {SSEAlgorithm: 'aws:kms'}",
            "        - !Ref AWS::NoValue",
            f"      PublicAccessBlockConfiguration: !If",
            f"        - {c[2]}",
            "        - {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}",
            f"        - !If [{c[3]}, {{BlockPublicAcls: true}}, !Ref AWS::NoValue]",
        ]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    kind, out = sys.argv[1], sys.argv[2]
    arg = sys.argv[3] if len(sys.argv) > 3 else None
    if kind == "large":
        large(out, float(arg) if arg else 49.0)
    elif kind == "conditions":
        conditions(out, int(arg) if arg else 50)
    else:
        sys.exit(__doc__)
