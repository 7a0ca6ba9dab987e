#!/usr/bin/env bash
# Installs code-server (a real VS Code: server + web workbench, extension host on this Node) into
# .cache/code-server, for the VS Code tests, the bench and the demo. Idempotent: a matching install is kept.
# Needs: Node 20, the npm registry, and the system packages `libkrb5-dev ripgrep chromium` (.ci/system-deps).
# code-server 4.100.x is the last line that runs on Node 20 (4.101+ want Node 22).
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${CODE_SERVER_DIR:-$ROOT/.cache/code-server}"
BIN="$DEST/node_modules/.bin/code-server"

if [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -q "^$VERSION "; then
  echo "code-server $VERSION already installed in $DEST"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  echo "code-server $VERSION needs Node 20 (this is $(node --version))" >&2
  exit 1
fi

# @vscode/ripgrep downloads rg from GitHub in its postinstall unless its cache already holds the tarball:
# give it the system binary (Debian's ripgrep) under the name it looks for.
RG="$(command -v rg || true)"
if [ -z "$RG" ]; then
  echo "ripgrep is missing: apt-get install -y ripgrep (see .ci/system-deps)" >&2
  exit 1
fi
CACHE="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-1.15.11"
TARBALL="$CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$TARBALL" ]; then
  mkdir -p "$CACHE"
  staging="$(mktemp -d)"
  cp "$RG" "$staging/rg"
  tar czf "$TARBALL" -C "$staging" rg
  rm -rf "$staging"
fi

mkdir -p "$DEST"
cd "$DEST"
[ -f package.json ] || echo '{"name":"live-variants-code-server","private":true}' >package.json
# npm 11 blocks dependency install scripts by default; code-server's postinstall builds native modules
# (node-pty, kerberos) in a nested npm install, so scripts are allowed for this one command only.
env npm_config_dangerously_allow_all_scripts=true npm_config_yes=true npm_config_unsafe_perm=true \
  npm install --no-audit --no-fund --no-save "code-server@$VERSION"

"$BIN" --version | head -1
