#!/usr/bin/env bash
# Memory and cost at scale: a ~49 MB template, and corpora of 1,000, 5,000 and 20,000 real-world templates
# (copies of ../shared/corpus). Reports wall time, CPU time and peak RSS for each.
#   bench/robustness.sh [SOURCE_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-../shared/corpus}
cargo build --release --quiet -p incloud
bin=target/release/incloud
out=bench/out
mkdir -p "$out/large"
[ -f "$out/large/large.yaml" ] || python3 bench/gen.py large "$out/large/large.yaml"
measure() {
  local label=$1; shift
  local t
  t=$( { /usr/bin/time -f "%e %U %S %M" "$bin" scan --no-config --format json --output "$out/robustness.json" "$@" >/dev/null || true; } 2>&1 | tail -1)
  python3 - "$label" "$t" "$out/robustness.json" <<'PY'
import json, sys
label, t, report = sys.argv[1], sys.argv[2].split(), sys.argv[3]
s = json.load(open(report))["summary"]
wall, cpu, rss = float(t[0]), float(t[1]) + float(t[2]), int(t[3]) / 1024
print(f"| {label} | {s['files']} | {s['resources']} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {s['files'] / wall:,.0f} |")
PY
}
echo "| input | templates | resources | wall (s) | CPU (s) | peak RSS (MB) | templates/s |"
echo "|---|---:|---:|---:|---:|---:|---:|"
measure "one $(du -m "$out/large/large.yaml" | cut -f1) MB template" --max-file-size 60000000 "$out/large/large.yaml"
per_copy=$({ "$bin" scan --no-config -f json "$src" 2>/dev/null || true; } | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["files"])')
for n in 1000 5000 20000; do
  dir=$out/scale-$n
  if [ ! -d "$dir" ]; then
    copies=$(( (n + per_copy - 1) / per_copy ))
    for i in $(seq 1 "$copies"); do mkdir -p "$dir/copy-$i"; cp -r "$src"/. "$dir/copy-$i/"; done
  fi
  measure "$n+ templates" "$dir"
done
