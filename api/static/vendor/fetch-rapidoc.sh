#!/usr/bin/env bash
# Vendor RapiDoc (MIT) for the interactive API page at /api/docs: the app serves it
# from here, so the page works with no internet access at run time.
#   bash api/static/vendor/fetch-rapidoc.sh [VERSION]
set -euo pipefail
VERSION="${1:-9.3.8}"
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "rapidoc@${VERSION}" >/dev/null && tar xzf "rapidoc-${VERSION}.tgz")
install -m 0644 "$WORK/package/dist/rapidoc-min.js" "$HERE/rapidoc-min.js"
install -m 0644 "$WORK/package/LICENSE.txt" "$HERE/rapidoc-LICENSE.txt"
echo "rapidoc ${VERSION}" > "$HERE/rapidoc-VERSION.txt"
echo "vendored RapiDoc ${VERSION} into ${HERE}"
