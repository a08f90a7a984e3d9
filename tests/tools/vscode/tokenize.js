// tests/tools/vscode/tokenize.js GRAMMAR SAMPLE EXPECTED NODE_MODULES [FILES...]: tokenizes
// SAMPLE with the TextMate engine VS Code uses (vscode-textmate on vscode-oniguruma) and
// checks that each token listed in EXPECTED ("LINE<TAB>TEXT<TAB>SCOPE") carries SCOPE; then
// tokenizes FILES (real programs), in which no token may be marked invalid.
'use strict';
const fs = require('fs');
const path = require('path');
const [grammarPath, samplePath, expectedPath, modules, ...files] = process.argv.slice(2);
const req = (name) => require(modules ? path.join(modules, name) : name);
const vsctm = req('vscode-textmate');
const oniguruma = req('vscode-oniguruma');

async function main() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve(
    modules ? path.join(modules, 'vscode-oniguruma') : 'vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => scopeName === 'source.mica'
      ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const grammar = await registry.loadGrammar('source.mica');
  const tokenize = (file) => {
    const out = [];   // per line: [{text, scopes}]
    let state = vsctm.INITIAL;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const r = grammar.tokenizeLine(line, state);
      out.push(r.tokens.map((t) => ({ text: line.substring(t.startIndex, t.endIndex), scopes: t.scopes })));
      state = r.ruleStack;
    }
    return out;
  };
  const tokens = tokenize(samplePath);
  let failures = 0, checked = 0;
  for (const file of files) {
    tokenize(file).forEach((line, i) => line.forEach((t) => {
      if (t.scopes.some((s) => s.startsWith('invalid'))) {
        failures++;
        console.log(`${file}:${i + 1}: '${t.text}' is marked ${t.scopes.join(' ')}`);
      }
    }));
  }
  for (const raw of fs.readFileSync(expectedPath, 'utf8').split('\n')) {
    if (!raw || raw.startsWith('#')) continue;
    const [lineNo, text, scope] = raw.split('\t');
    const line = tokens[Number(lineNo) - 1] || [];
    const matches = line.filter((t) => t.text === text);
    checked++;
    if (!matches.some((t) => t.scopes.includes(scope))) {
      failures++;
      console.log(`line ${lineNo}: '${text}' should have ${scope}; tokens: ` +
        (matches.length ? matches.map((t) => t.scopes.join(' ')).join(' | ')
          : line.map((t) => JSON.stringify(t.text)).join(' ')));
    }
  }
  console.log(`${checked} token scopes checked, ${files.length} files tokenized, ${failures} failures`);
  process.exit(failures ? 1 : 0);
}
main().catch((e) => { console.error(e); process.exit(1); });
