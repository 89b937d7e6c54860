#!/usr/bin/env bash
# Build the wheel, install it into a fresh virtualenv and smoke-test the installed command, far from
# the source tree (so migrations/ and resources/ must come from the wheel itself).
#   packaging/wheel_smoke.sh [uv command...]   (default: uv)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
uv=("$@")
[ ${#uv[@]} -gt 0 ] || uv=(uv)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"${uv[@]}" build --quiet --wheel --out-dir "$work/dist"
wheel=$(ls "$work"/dist/invdesk-*.whl)
"${uv[@]}" venv --quiet "$work/venv"
"${uv[@]}" pip install --quiet --python "$work/venv/bin/python" "$wheel"
cd "$work"
# Version, db upgrade, an account, a receive and a listing on SQLite; the GUI toolkit loads.
"$root/packaging/smoke.sh" "$work/venv/bin/invdesk"
# uvx runs it straight from the wheel file too.
"${uv[@]}" tool run --quiet --python "$work/venv/bin/python" --from "$wheel" invdesk --help >/dev/null
echo "wheel smoke: OK ($(basename "$wheel"))"
