#!/usr/bin/env bash
# Seed the fuzz corpora from the project's own fixtures and examples, then run every target.
#   fuzz/seed.sh [SECONDS_PER_TARGET]       (needs cargo-fuzz; the stable toolchain works with RUSTC_BOOTSTRAP=1)
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-300}
root=..
mkdir -p corpus/template corpus/cdk_assembly corpus/iam_parse corpus/iam_eval
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1)); cp "$f" "corpus/template/fixture-$n"
done < <(find "$root/crates/incloud-rules/src/rules" "$root/examples/templates" -type f \( -name '*.yaml' -o -name '*.json' -o -name '*.yml' \) -size -64k -print0)
m="$root/examples/cdk-app/cdk.out/manifest.json"
t="$root/examples/cdk-app/cdk.out/OrdersStack.template.json"
{ cat "$m"; printf '\n---\n'; cat "$t"; } > corpus/cdk_assembly/orders
{ cat "$root/examples/cdk-app/cdk.out/assembly-Prod/manifest.json"; printf '\n---\n'; cat "$root"/examples/cdk-app/cdk.out/assembly-Prod/*.template.json; } > corpus/cdk_assembly/prod
python3 - "$root/crates/incloud-iam/tests/cases" <<'PY'
import json, os, sys, glob
out_p, out_e, k = "corpus/iam_parse", "corpus/iam_eval", 0
def policies(o):
    if isinstance(o, dict):
        if "Statement" in o:
            yield o
        for v in o.values():
            yield from policies(v)
    elif isinstance(o, list):
        for v in o:
            yield from policies(v)
for f in glob.glob(os.path.join(sys.argv[1], "*.json")):
    found = list(policies(json.load(open(f))))
    for i, p in enumerate(found):
        k += 1
        open(f"{out_p}/case-{k}", "w").write(json.dumps(p))
        other = found[(i + 1) % len(found)]
        open(f"{out_e}/case-{k}", "w").write(json.dumps(p) + "\n===\n" + json.dumps(other) + "\n===\n" + chr(65 + k % 26) * 5)
print(k, "policies")
PY
for t in template cdk_assembly iam_parse iam_eval; do
  echo "== $t for ${secs}s"
  RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 2>&1 \
    | grep -E '^#[0-9]+.*(DONE|pulse)|cov:|ERROR|panicked|SUMMARY|Test unit written' | tail -3
done
