#!/usr/bin/env bash
# tests/tools/vscode/vscode_test.sh SOURCE_DIR WORK: the VS Code grammar, tokenized by
# vscode-textmate + vscode-oniguruma (VS Code's own engine, from npm). The packages are
# taken from WORK/node_modules, installed there with npm when missing; without node, npm
# or the npm registry the test is skipped (exit 77).
set -u
src=$1; work=$2
here=$src/tests/tools/vscode
ext=$src/editors/vscode
command -v node >/dev/null || { echo "node not installed"; exit 77; }
mkdir -p "$work"
if [ ! -d "$work/node_modules/vscode-textmate" ] || [ ! -d "$work/node_modules/vscode-oniguruma" ]; then
    command -v npm >/dev/null || { echo "npm not installed"; exit 77; }
    (cd "$work" && npm install --no-audit --no-fund --silent --prefix "$work" \
        vscode-textmate@9 vscode-oniguruma@2) || { echo "npm install failed (offline?)"; exit 77; }
fi
# The extension folder is complete: its manifest names the grammar and configuration.
node -e '
  const fs = require("fs"), path = require("path"), dir = process.argv[1];
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const lang = pkg.contributes.languages[0], gr = pkg.contributes.grammars[0];
  if (lang.id !== "mica" || !lang.extensions.includes(".mica") || gr.scopeName !== "source.mica") process.exit(1);
  const conf = JSON.parse(fs.readFileSync(path.join(dir, lang.configuration), "utf8"));
  if (conf.comments.lineComment !== "//" || conf.comments.blockComment[0] !== "/*") process.exit(1);
  if (!conf.autoClosingPairs.some((p) => p.open === "{") || !conf.brackets.length) process.exit(1);
  JSON.parse(fs.readFileSync(path.join(dir, gr.path), "utf8"));
' "$ext" || { echo "FAIL: editors/vscode/package.json or its files"; exit 1; }
node "$here/tokenize.js" "$ext/syntaxes/mica.tmLanguage.json" "$here/sample.mica" "$here/expected.txt" \
    "$work/node_modules" "$src"/examples/*.mica "$src"/bench/awfy/*.mica "$src"/stdlib/std/*/*.mica
