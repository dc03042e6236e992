#!/usr/bin/env bash
# Set up .venv, load the bundled corpus (data/raw) into data/facts.duckdb, start the dashboard.
# Usage: bash scripts/run.sh [--no-serve]   (PORT=8501 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
# Debian packages the exports need at run time: Chromium (chart images via kaleido), CJK fonts
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
if [ "${#need[@]}" -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null \
    || echo "warning: could not install ${need[*]}; chart images in exports will be unavailable" >&2
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
set +e
.venv/bin/python -m etl ingest data/raw --db data/facts.duckdb
rc=$?
set -e
# 2 = some files were skipped (already reported); anything else non-zero is fatal
if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then exit "$rc"; fi
[ "${1:-}" = "--no-serve" ] && exit 0
exec .venv/bin/streamlit run app.py --server.port "${PORT:-8501}" --server.headless true
