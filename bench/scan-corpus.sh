#!/usr/bin/env bash
# Scan a real-world corpus replicated to at least N templates (default 5,000) and report templates/s, MB/s
# and peak RSS, as the median of several runs.
#
#   bench/scan-corpus.sh [SOURCE_DIR] [MIN_TEMPLATES] [RUNS]
#
# SOURCE_DIR defaults to ../shared/corpus (real-world CloudFormation, SAM and CDK templates); any directory of
# templates works. The replicated corpus is built under bench/out/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-../shared/corpus}
min=${2:-5000}
runs=${3:-5}
if [ ! -d "$src" ]; then
  echo "no corpus at $src; pass a directory of templates" >&2
  exit 2
fi
cargo build --release --quiet -p incloud
bin=target/release/incloud
out=bench/out
corpus=$out/corpus-$min
mkdir -p "$out"
if [ ! -d "$corpus" ]; then
  per_copy=$({ "$bin" scan --format json "$src" 2>/dev/null || true; } | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["files"])')
  copies=$(( (min + per_copy - 1) / per_copy ))
  echo "building $corpus: $copies copies of $src ($per_copy templates each)"
  for i in $(seq 1 "$copies"); do
    mkdir -p "$corpus/copy-$i"
    cp -r "$src"/. "$corpus/copy-$i/"
  done
fi
bytes=$(find "$corpus" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' -o -name '*.template' \) -printf '%s\n' | awk '{s+=$1} END {print s}')
python3 - "$bin" "$corpus" "$runs" "$bytes" <<'PY'
import json, subprocess, sys, statistics, resource, time
binary, corpus, runs, nbytes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
walls, rss = [], []
summary = None
for _ in range(runs):
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", binary, "scan", "--format", "json", corpus],
                       capture_output=True, text=True)
    walls.append(time.perf_counter() - t0)
    rss.append(int(p.stderr.strip().splitlines()[-1]))
    summary = json.loads(p.stdout)["summary"]
wall = statistics.median(walls)
files = summary["files"]
print(f"corpus:      {corpus}")
print(f"templates:   {files} ({nbytes/1e6:.1f} MB), {summary['resources']} resources, "
      f"{summary['findings']} findings, {summary['errors']} load errors")
print(f"wall time:   median {wall:.3f} s over {runs} runs (min {min(walls):.3f}, max {max(walls):.3f})")
print(f"throughput:  {files/wall:,.0f} templates/s, {nbytes/1e6/wall:.1f} MB/s")
print(f"peak RSS:    median {statistics.median(rss)/1024:.1f} MB (max {max(rss)/1024:.1f} MB)")
PY
