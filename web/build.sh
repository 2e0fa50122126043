#!/usr/bin/env bash
# Build the browser assets: install the npm packages pinned in package-lock.json and copy
# their distribution files into static/vendor/ (not committed; see docs/ui.md).
# Needs only the npm registry (npm ci), no other download.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund --loglevel=error

out=static/vendor
rm -rf "$out"
mkdir -p "$out/bpmn-js/assets" "$out/chart.js" "$out/axe-core"

bpmn=node_modules/bpmn-js
cp "$bpmn/dist/bpmn-modeler.production.min.js" \
   "$bpmn/dist/bpmn-navigated-viewer.production.min.js" "$out/bpmn-js/"
cp "$bpmn/dist/assets/diagram-js.css" "$bpmn/dist/assets/bpmn-js.css" "$out/bpmn-js/assets/"
cp -r "$bpmn/dist/assets/bpmn-font" "$out/bpmn-js/assets/"
cp "$bpmn/LICENSE" "$out/bpmn-js/LICENSE"

chart=node_modules/chart.js
cp "$chart/dist/chart.umd.min.js" "$out/chart.js/"
cp "$chart/LICENSE.md" "$out/chart.js/LICENSE.md"

# axe-core: the accessibility checks the browser tests inject (tests/browser/conftest.py)
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE "$out/axe-core/"

node -e '
const fs = require("fs");
const v = (p) => JSON.parse(fs.readFileSync(`node_modules/${p}/package.json`)).version;
fs.writeFileSync("static/vendor/VERSIONS.json",
  JSON.stringify({"axe-core": v("axe-core"), "bpmn-js": v("bpmn-js"), "chart.js": v("chart.js")}, null, 2) + "\n");
'
echo "web assets built in web/$out" >&2
