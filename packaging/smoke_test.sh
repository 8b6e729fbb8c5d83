#!/usr/bin/env bash
# Smoke-test a frozen build: it starts offscreen and stays up, and its CLI finds a bundled
# demo clip's own word first. Usage: bash packaging/smoke_test.sh [dist/signlookup]
set -euo pipefail
cd "$(dirname "$0")/.."
app_dir=${1:-dist/signlookup}
app="$app_dir/signlookup"
gallery="$app_dir/_internal/resources/demo_gallery"
[ -x "$app" ] || { echo "no build at $app_dir: run packaging/build.sh first" >&2; exit 1; }
export QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1

start=$(date +%s%N)
"$app" --version
echo "start-up to --version: $(( ($(date +%s%N) - start) / 1000000 )) ms"

set +e
timeout 25 "$app" > /tmp/signlookup-smoke-gui.log 2>&1
code=$?
set -e
if [ "$code" -ne 124 ]; then  # 124: still running when timeout stopped it, as it should be
  echo "the frozen app exited by itself (code $code):" >&2
  tail -20 /tmp/signlookup-smoke-gui.log >&2
  exit 1
fi
echo "GUI: stayed up offscreen for 25 s"

# The frozen CLI names the bundled video of the word "pai"; searching with it must find "pai".
clip=$("$app" gallery list "$gallery" --json | .venv/bin/python -c '
import json, sys
print(next(e["path"] for e in json.load(sys.stdin)["entries"] if e["gloss"] == "pai"))')
[ -f "$clip" ] || { echo "no bundled pai clip found under $gallery" >&2; exit 1; }
start=$(date +%s%N)
json=$("$app" search "$clip" --gallery "$gallery" --top 5 --json)
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "$json" | head -c 600; echo
top=$(echo "$json" | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["gloss"])')
[ "$top" = "pai" ] || { echo "expected top result 'pai', got '$top'" >&2; exit 1; }
echo "CLI search: top result $top, ${elapsed_ms} ms including start-up"
echo "smoke test passed"
