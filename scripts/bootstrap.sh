#!/usr/bin/env bash
# Installs what the project needs, only what is missing; safe to run again.
#   scripts/bootstrap.sh           the Python environment (.venv) from uv.lock
#   scripts/bootstrap.sh --system  also the Debian packages the tests use (PostgreSQL, Redis,
#                                  Chromium, poppler, gettext), when run as root on Debian
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ "${1:-}" = "--system" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  wanted="redis-server redis-tools poppler-utils libharfbuzz-subset0 chromium gettext libpq-dev gcc fonts-dejavu-core"
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || wanted="$wanted postgresql"
  missing=""
  for package in $wanted; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
  done
  if [ -n "$missing" ]; then
    echo "Installing Debian packages:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
fi

# uv: the one on PATH, else a private copy installed with pip.
uv=$(command -v uv || true)
if [ -z "$uv" ]; then
  tools=${XDG_CACHE_HOME:-$HOME/.cache}/cpas-portal-tools
  if [ ! -x "$tools/bin/uv" ]; then
    python3 -m venv "$tools"
    "$tools/bin/pip" install -q uv
  fi
  uv=$tools/bin/uv
fi

# A Python >= 3.12: uv finds one (or installs one where it may download); pyenv's copies are tried too.
python_arg=()
for candidate in python3.13 python3.12 "$(command -v pyenv >/dev/null && echo "$(pyenv root)/versions/3.12.1/bin/python3.12")"; do
  if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    python_arg=(--python "$(command -v "$candidate")"); break
  fi
done
export SSL_CERT_FILE=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
export UV_COMPILE_BYTECODE=1
"$uv" sync --locked --quiet "${python_arg[@]}"
