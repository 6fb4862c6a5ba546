#!/usr/bin/env bash
# Installs the few Debian packages Metacluster needs, only when they are missing:
#   python  - the venv module for Python 3 (python3-venv) and Pango, which WeasyPrint draws PDFs with
#   browser - Chromium for the end-to-end tests
# Runs apt-get as root, or through sudo when available; otherwise says what to install.
set -euo pipefail

need=()
case "${1:-}" in
  python)
    python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
    ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
    ;;
  browser)
    command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM:-}" ] || need+=(chromium)
    ;;
  *) echo "usage: $0 python|browser" >&2; exit 2 ;;
esac
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
  echo "Please install: ${need[*]} (apt-get install ${need[*]})" >&2; exit 1
fi
echo "Installing ${need[*]} with apt-get" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
