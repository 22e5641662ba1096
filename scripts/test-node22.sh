#!/usr/bin/env bash
# `npm run test:node22`: the node:test suites, the demo and the packed-package check on
# Node 22, loading the very binary Node 20 loads (Node-API is ABI-stable, so one build per
# platform serves every Node version from 20 on).
#
# Node 22 comes from the npm registry's `node-<platform>-<arch>` package, a plain Node
# binary in an npm tarball, so it installs wherever npm does. Cached in
# node_modules/.cache/node22 (about 190 MB, 3 s to install).
set -euo pipefail
cd "$(dirname "$0")/.."

cache=node_modules/.cache/node22
package="node-$(node -p 'process.platform + "-" + process.arch')"
bin="$PWD/$cache/node_modules/$package/bin"
if ! [[ -x $bin/node && $("$bin/node" --version) == v22.* ]]; then
  rm -rf "$cache"
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-save --no-package-lock --no-audit --no-fund "$package@22" >/dev/null
fi

# Node 22 first on PATH, so anything that starts `node` (npm included) gets it too.
export PATH="$bin:$PATH"
binary=$(node -p "require('./native.js') && Object.keys(require.cache).find((file) => file.endsWith('.node'))")
sha=$(node -p "require('crypto').createHash('sha256').update(require('fs').readFileSync('$binary')).digest('hex').slice(0, 16)")
echo "test:node22: $(node --version) loads $binary (sha256 $sha…)"

npm run test:js
node examples/demo.mjs | node -e "JSON.parse(require('fs').readFileSync(0, 'utf8'))"
echo "test:node22: npm run demo on $(node --version): ok"
node scripts/test-package.mjs
