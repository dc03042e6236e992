#!/usr/bin/env bash
# Set up (Debian chromium + CJK fonts, .venv), load the bundled corpus (data/raw) and any documents
# uploaded from the dashboard (data/uploads) into data/facts.duckdb, start the dashboard.
# Usage: bash scripts/run.sh [--no-serve]   (PORT=8501 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
src=(data/raw)
[ -d data/uploads ] && src+=(data/uploads)
set +e
.venv/bin/python -m etl ingest "${src[@]}" --db data/facts.duckdb
rc=$?
set -e
# 2 = some files were skipped (already reported); anything else non-zero is fatal
if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then exit "$rc"; fi
[ "${1:-}" = "--no-serve" ] && exit 0
exec .venv/bin/streamlit run serve.py --server.port "${PORT:-8501}" --server.headless true
