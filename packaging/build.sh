#!/usr/bin/env bash
# Build the Linux one-folder bundle in dist/invdesk/ and smoke-test it.
#   packaging/build.sh            build + smoke test
#   packaging/build.sh --no-smoke build only
set -euo pipefail
cd "$(dirname "$0")/.."

uv sync --group packaging --locked
start=$(date +%s)
uv run --group packaging pyinstaller --noconfirm --clean \
    --workpath build/pyinstaller --distpath dist packaging/invdesk.spec
end=$(date +%s)
echo "build: $((end - start)) s, bundle: $(du -sh dist/invdesk | cut -f1)"

# Desktop integration files next to the executable (install.sh-style packagers copy them).
cp resources/invdesk.desktop dist/invdesk/
cp resources/icons/invdesk-256.png dist/invdesk/invdesk.png

if [ "${1:-}" != "--no-smoke" ]; then
    packaging/smoke.sh dist/invdesk/invdesk
fi
