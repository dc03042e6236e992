#!/usr/bin/env bash
# Set up (Debian chromium + CJK fonts for the browser and export tests, .venv with test needs) and
# run the whole test suite. Usage: bash scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
# in CI a missing browser is a failure, not a skipped test
if [ -n "${CI:-}" ] && [ ! -x /usr/bin/chromium ]; then echo "error: /usr/bin/chromium is missing" >&2; exit 1; fi
exec .venv/bin/python -m pytest -q -n "${PYTEST_WORKERS:-2}" "$@"
