#!/usr/bin/env bash
# incloud side by side with checkov, cfn-lint and cfn-guard on the same corpora, in one run.
#
#   bench/compare.sh [RUNS_INCLOUD] [RUNS_PEERS]      (defaults 5 and 1: the peers take minutes per run)
#
# Installs the peers itself under bench/out/peers: checkov and cfn-lint from PyPI into a virtual
# environment, and cfn-guard with AWS's rules from the npm package @cdklabs/cdk-validator-cfnguard (it ships
# the cfn-guard binary and the AWS Control Tower proactive-control Guard rules; the Guard Rules Registry
# itself is not on a package registry this machine reaches). Corpora: the real-world templates in
# ../shared/corpus, the 5,000-template scale corpus (bench/scan-corpus.sh builds it), one ~49 MB template and
# a condition-heavy template (bench/gen.py). Each tool is timed with /usr/bin/time (wall, user+sys CPU, peak
# RSS); runs alternate between tools; the median is reported. Results go to bench/out/compare.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs_incloud=${1:-5}
runs_peers=${2:-1}
out=bench/out
peers=$out/peers
mkdir -p "$peers"
src=../shared/corpus
[ -d "$src" ] || { echo "no corpus at $src" >&2; exit 2; }

cargo build --release --quiet -p incloud
incloud=$PWD/target/release/incloud

if [ ! -x "$peers/venv/bin/checkov" ] || [ ! -x "$peers/venv/bin/cfn-lint" ]; then
  python3 -m venv "$peers/venv"
  "$peers/venv/bin/pip" install --quiet checkov cfn-lint
fi
if [ ! -x "$peers/guard/package/bin/ubuntu/x86_64/cfn-guard" ]; then
  mkdir -p "$peers/guard"
  (cd "$peers/guard" && npm pack --silent @cdklabs/cdk-validator-cfnguard >/dev/null && tar xzf cdklabs-cdk-validator-cfnguard-*.tgz)
fi
guard=$PWD/$peers/guard/package/bin/ubuntu/x86_64/cfn-guard
guard_rules=$PWD/$peers/guard/package/rules/control-tower/cfn-guard

# Corpora
[ -d "$out/corpus-5000" ] || bench/scan-corpus.sh "$src" 5000 1 >/dev/null
mkdir -p "$out/large" "$out/conditions"
[ -f "$out/large/large.yaml" ] || python3 bench/gen.py large "$out/large/large.yaml"
[ -f "$out/conditions/conditions.yaml" ] || python3 bench/gen.py conditions "$out/conditions/conditions.yaml"

export BC_SKIP_MAPPING=TRUE CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false
python3 - "$incloud" "$peers/venv/bin" "$guard" "$guard_rules" "$runs_incloud" "$runs_peers" \
  "real-world=$src" "scale-5000=$out/corpus-5000" "large-49MB=$out/large" "conditions-50=$out/conditions" <<'PY'
import json, os, re, statistics, subprocess, sys, time

incloud, venv, guard, guard_rules, runs_i, runs_p = sys.argv[1:7]
runs_i, runs_p = int(runs_i), int(runs_p)
corpora = [a.split("=", 1) for a in sys.argv[7:]]

def templates(d):
    exts = (".json", ".yaml", ".yml", ".template")
    return [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs if f.endswith(exts)]

LIMIT = int(os.environ.get("PEER_TIMEOUT", "900"))

def timed(cmd, out_path):
    # A peer that runs past the limit is stopped; its wall time then reads as the limit ("> N s").
    t = subprocess.run(["/usr/bin/time", "-f", "TIME %e %U %S %M", "timeout", str(LIMIT), *cmd], stdout=open(out_path, "w"),
                       stderr=subprocess.PIPE, text=True)
    line = [l for l in t.stderr.splitlines() if l.startswith("TIME ")][-1].split()
    return float(line[1]), float(line[2]) + float(line[3]), int(line[4]) / 1024

def findings(tool, path):
    text = open(path, errors="replace").read()
    try:
        if tool == "incloud":
            return json.loads(text)["summary"]["findings"]
        if tool == "checkov":
            d = json.loads(text)
            d = d if isinstance(d, list) else [d]
            return sum(x.get("summary", {}).get("failed", 0) for x in d if isinstance(x, dict))
        if tool == "cfn-lint":
            return len(json.loads(text))
        if tool == "cfn-guard":
            return sum(len(o.get("not_compliant", [])) for o in json.loads(text))
    except Exception as e:
        return f"? ({type(e).__name__})"

rows = []
wanted_corpora = os.environ.get("CORPORA")
if wanted_corpora:
    corpora = [c for c in corpora if c[0] in wanted_corpora.split(",")]
for name, d in corpora:
    files = templates(d)
    listfile = f"bench/out/{name}.files"
    open(listfile, "w").write("\n".join(files))
    tools = {
        "incloud": ([incloud, "scan", "--format", "json", "--no-config", d], runs_i),
        "checkov": ([f"{venv}/checkov", "-d", d, "--framework", "cloudformation", "-o", "json", "--quiet", "--compact", "--skip-download"], runs_p),
        "cfn-lint": (["python3", "bench/chunked.py", "cfn-lint", f"{venv}/cfn-lint", listfile], runs_p),
        "cfn-guard": (["python3", "bench/chunked.py", "cfn-guard", guard, guard_rules, listfile], runs_p),
    }
    wanted = os.environ.get("TOOLS")
    if wanted:
        tools = {t: v for t, v in tools.items() if t in wanted.split(",")}
    results = {t: [] for t in tools}
    for r in range(max(runs_i, runs_p)):
        for t, (cmd, n) in tools.items():   # alternate: one run of each tool per round
            if r < n:
                results[t].append(timed(cmd, f"bench/out/{name}.{t}.out"))
    for t, res in results.items():
        wall = statistics.median(x[0] for x in res)
        cpu = statistics.median(x[1] for x in res)
        rss = max(x[2] for x in res)
        rows.append((name, len(files), t, len(res), wall, cpu, rss, len(files) / wall if wall else 0,
                     findings(t, f"bench/out/{name}.{t}.out")))
        print(f"{name:14} {t:9} runs={len(res)} wall={wall:8.2f}s cpu={cpu:8.2f}s rss={rss:7.0f}MB", flush=True)

lines = ["| corpus | files | tool | runs | median wall (s) | median CPU (s) | peak RSS (MB) | templates/s | findings |",
         "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
for name, n, t, runs, wall, cpu, rss, tps, f in rows:
    lines.append(f"| {name} | {n} | {t} | {runs} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {tps:,.0f} | {f} |")
vers = {
    "incloud": subprocess.run([incloud, "--version"], capture_output=True, text=True).stdout.strip(),
    "checkov": subprocess.run([f"{venv}/checkov", "--version"], capture_output=True, text=True).stdout.strip(),
    "cfn-lint": subprocess.run([f"{venv}/cfn-lint", "--version"], capture_output=True, text=True).stdout.strip(),
    "cfn-guard": subprocess.run([guard, "--version"], capture_output=True, text=True).stdout.strip(),
}
lines.append("")
lines.append("Versions: " + "; ".join(f"{k} {v}" for k, v in vers.items()))
open(os.environ.get("COMPARE_OUT", "bench/out/compare.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
