#!/usr/bin/env bash
# Smoke test of a built invdesk executable: version, a fresh database, an account, a product list.
set -euo pipefail
exe=${1:-dist/invdesk/invdesk}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen INVDESK_CONFIG="$work/config.toml"
db="sqlite:///$work/smoke.db"

"$exe" --version
"$exe" --db "$db" db upgrade
INVDESK_NEW_PASSWORD="smoke password 1" "$exe" --db "$db" user add admin --role admin
export INVDESK_USER=admin INVDESK_PASSWORD="smoke password 1"
"$exe" --db "$db" warehouse add MAIN "Main warehouse"
"$exe" --db "$db" product add SMOKE-1 "Smoke test product" --category Tools --barcode 4006381333931
"$exe" --db "$db" receive 4006381333931 MAIN 3
"$exe" --db "$db" product list | grep -q "SMOKE-1"
"$exe" --db "$db" stock --json | grep -q '"on_hand": 3'
"$exe" --db "$db" db backup "$work/backup.db"
# The GUI toolkit loads in the bundle (offscreen platform plugin, widgets).
"$exe" --gui-check
echo "smoke: OK"
