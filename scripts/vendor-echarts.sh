#!/usr/bin/env bash
# Re-fetches the vendored ECharts build from the npm registry and checks it is exactly
# the file committed in vendor/echarts/ (see vendor/README.md). Needs npm.
#
# usage: scripts/vendor-echarts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=6.1.0
INTEGRITY=sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA==
SHA256=b66b25aeb4df84e33199dc21694014d336d222cbd9deb0e5a7c14bd6aa0d0fd0

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "echarts@$VERSION" > /dev/null)
TARBALL="$WORK/echarts-$VERSION.tgz"
GOT="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
[ "$GOT" = "$INTEGRITY" ] || { echo "integrity mismatch: $GOT" >&2; exit 1; }
tar xzf "$TARBALL" -C "$WORK"
echo "$SHA256  $WORK/package/dist/echarts.min.js" | sha256sum --check --quiet
mkdir -p vendor/echarts
cp "$WORK/package/dist/echarts.min.js" "$WORK/package/LICENSE" "$WORK/package/NOTICE" vendor/echarts/
cp "$WORK/package/licenses/LICENSE-d3" vendor/echarts/
git diff --stat --exit-code -- vendor/echarts && echo "vendor/echarts is echarts@$VERSION from npm, unchanged"
