#!/usr/bin/env python3
"""Run cfn-lint or cfn-guard over a list of templates in chunks, so that one file that makes the tool abort
(cfn-guard stops the whole run at the first file it cannot parse; cfn-lint can crash on one) does not lose
the results for every other file. Prints the merged results on stdout and, on stderr, how many chunks failed.

  chunked.py cfn-lint CFN_LINT FILES_LIST
  chunked.py cfn-guard CFN_GUARD RULES_DIR FILES_LIST
"""
import json, subprocess, sys

CHUNK = 100

def main():
    tool = sys.argv[1]
    files = [f for f in open(sys.argv[-1]).read().split("\n") if f]
    merged, failed = [], 0
    for i in range(0, len(files), CHUNK):
        chunk = files[i:i + CHUNK]
        if tool == "cfn-lint":
            p = subprocess.run([sys.argv[2], "--format", "json", "--", *chunk], capture_output=True, text=True)
            try:
                merged.extend(json.loads(p.stdout or "[]"))
            except json.JSONDecodeError:
                failed += 1
        else:
            args = [sys.argv[2], "validate", "-r", sys.argv[3], "-o", "json", "-S", "none"]
            for f in chunk:
                args += ["-d", f]
            p = subprocess.run(args, capture_output=True, text=True)
            dec, j, text, ok = json.JSONDecoder(), 0, p.stdout, False
            while j < len(text):
                while j < len(text) and text[j].isspace():
                    j += 1
                if j >= len(text):
                    break
                try:
                    obj, j = dec.raw_decode(text, j)
                except json.JSONDecodeError:
                    break
                merged.append(obj)
                ok = True
            if not ok:
                failed += 1
    json.dump(merged, sys.stdout)
    print(f"chunks failed: {failed} of {(len(files) + CHUNK - 1) // CHUNK}", file=sys.stderr)

main()
