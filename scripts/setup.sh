#!/usr/bin/env bash
# Shared set-up of run.sh and test.sh: Debian packages (Chromium for chart images and the browser
# tests, Noto CJK fonts, LibreOffice Writer/Impress without GUI for the 简报's PDF, poppler-utils for
# the rendered-page tests) via apt-get when missing, then .venv with the given requirements file.
# Usage: bash scripts/setup.sh requirements.txt|requirements-dev.txt
set -euo pipefail
cd "$(dirname "$0")/.."
REQ=${1:?requirements file}
PY=${PYTHON:-python3}
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
# without their recommends (no GUI, no Java): what the 简报's PDF and the rendered-page tests need
lean=()
command -v soffice >/dev/null 2>&1 || lean+=(libreoffice-writer-nogui)
[ -e /usr/lib/libreoffice/program/libsdlo.so ] || lean+=(libreoffice-impress-nogui)
command -v pdftoppm >/dev/null 2>&1 || lean+=(poppler-utils)
if [ $((${#need[@]} + ${#lean[@]})) -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null || true
  [ "${#need[@]}" -eq 0 ] || $SUDO apt-get install -y -qq "${need[@]}" >/dev/null \
    || echo "warning: could not install ${need[*]}; chart images and browser tests need them" >&2
  [ "${#lean[@]}" -eq 0 ] || $SUDO apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null \
    || echo "warning: could not install ${lean[*]}; the 简报's PDF and rendered-page tests need them" >&2
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r "$REQ"
