#!/usr/bin/env bash
# Checks schemas/runbook.schema.json and schemas/template.schema.json (JSON
# Schema draft-07, with schemas/definitions.schema.json) with ajv, the
# validator behind ajv-cli, driven by node so that one process reads every
# YAML file (with the `yaml` package, the parser yaml-language-server uses):
#
#   - the schemas compile in ajv's strict mode;
#   - every runbook (top-level `runbook:`) and every template (top-level
#     `template:`) under runbooks/, examples/, templates/ and tests/valid/ is
#     valid;
#   - every tests/schema/invalid/*.yaml is rejected with an error at the
#     place its `# rejected-at: /json/pointer` line names (`/` for the top;
#     template-*.yaml files are templates, the others runbooks);
#   - when RUNBOOK_BIN names the built binary (ctest passes it), the real
#     loader agrees: `runbook validate` accepts each runbook of tests/valid/
#     and rejects each invalid runbook fixture.
#
#   tests/schema/runbook_schema_test.sh        (from anywhere)
#
# ajv and yaml are installed once with npm into RUNBOOK_SCHEMA_TOOLS (default:
# a folder under TMPDIR; ctest points it into the build tree), never into the
# repository; later runs download nothing. Prints `N passed, N failed`; exits
# 1 on a failure, 77 (skipped) only when node/npm/npx are not installed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

for tool in npx npm node; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "skipped: $tool is not installed" >&2
    exit 77
  fi
done

# Versions the schemas were checked with; change them together.
packages=(ajv@8.20.0 yaml@2.9.1)
tools=${RUNBOOK_SCHEMA_TOOLS:-${TMPDIR:-/tmp}/runbook-schema-tools-$(id -u)}
stamp="$tools/installed"
if [[ ! -f $stamp || $(cat "$stamp") != "${packages[*]}" ]]; then
  echo "installing ${packages[*]} into $tools (once)"
  staging="$tools.staging.$$"
  rm -rf "$staging"
  mkdir -p "$staging"
  trap 'rm -rf "$staging"' EXIT
  if ! npm install --prefix "$staging" --cache "$staging/npm-cache" --no-audit --no-fund \
      --no-package-lock --loglevel=error "${packages[@]}" >"$staging/npm.log" 2>&1; then
    cat "$staging/npm.log" >&2
    echo "cannot install ${packages[*]} with npm (offline?)" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  rm -rf "$staging/npm-cache"
  echo "${packages[*]}" >"$staging/installed"
  rm -rf "$tools"
  mkdir -p "$(dirname "$tools")"
  mv "$staging" "$tools"
  trap - EXIT
fi

cd "$root"
NODE_PATH="$tools/node_modules" node - "$root" "${RUNBOOK_BIN:-}" <<'JS'
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const Ajv = require('ajv');
const YAML = require('yaml');

const [root, runbookBin] = process.argv.slice(2);
let passed = 0;
let failed = 0;
const rel = (file) => path.relative(root, file);
function pass(what) {
  passed++;
  console.log(`ok    ${what}`);
}
function fail(what, details) {
  failed++;
  console.log(`FAIL  ${what}`);
  for (const line of details || []) console.log(`      ${line}`);
}
function describe(error) {
  let text = `${error.instancePath || '/'}: ${error.message}`;
  if (error.params && error.params.additionalProperty) {
    text += ` (${error.params.additionalProperty})`;
  } else if (error.params && error.params.allowedValues) {
    text += ` (${error.params.allowedValues.join(', ')})`;
  }
  return text;
}

// --- the schemas compile, in strict mode -----------------------------------
const ajv = new Ajv({ strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true, allErrors: true });
// Editor extensions (yaml-language-server, VS Code): the message shown when
// a `pattern` fails or a value does not match, and keys left out of
// completion. Annotations for ajv.
ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
ajv.addKeyword({ keyword: 'doNotSuggest', schemaType: 'boolean' });
const schemaFiles = ['definitions', 'runbook', 'template'].map(
  (name) => path.join(root, 'schemas', `${name}.schema.json`));
const validators = {};
try {
  const [definitions, runbook, template] = schemaFiles.map(
    (file) => JSON.parse(fs.readFileSync(file, 'utf8')));
  ajv.addSchema(definitions);
  validators.runbook = ajv.compile(runbook);
  validators.template = ajv.compile(template);
  pass('schemas compile (draft-07, strict)');
} catch (e) {
  fail('schemas compile (draft-07, strict)', [String(e.message || e)]);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(1);
}

function readYaml(file) {
  const text = fs.readFileSync(file, 'utf8');
  const doc = YAML.parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new Error(`YAML: ${doc.errors[0].message}`);
  }
  return { text, data: doc.toJS({ maxAliasCount: 1000 }) };
}

function kindOf(data) {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  if ('runbook' in data) return 'runbook';
  if ('template' in data) return 'template';
  return null;
}

function yamlFiles(dir) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

// Runs `runbook validate` on one file; null when no binary was given.
function loaderAccepts(file) {
  if (!runbookBin) return null;
  const r = spawnSync(runbookBin, ['validate', '--quiet', file], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

// --- valid files -------------------------------------------------------------
const validRunbooks = [];
for (const dir of ['runbooks', 'examples', 'templates', path.join('tests', 'valid')]) {
  for (const file of yamlFiles(path.join(root, dir))) {
    let data;
    try {
      data = readYaml(file).data;
    } catch (e) {
      fail(`${rel(file)} parses`, [e.message]);
      continue;
    }
    const kind = kindOf(data);
    if (kind === null) continue;  // a params file, a fixture of something else
    const validate = validators[kind];
    if (validate(data)) {
      pass(`${rel(file)} is a valid ${kind}`);
    } else {
      fail(`${rel(file)} is a valid ${kind}`, validate.errors.map(describe));
    }
    if (kind === 'runbook' && rel(file).startsWith(`tests${path.sep}valid`)) {
      validRunbooks.push(file);
    }
  }
}

// --- invalid fixtures ------------------------------------------------------
const invalidDir = path.join(root, 'tests', 'schema', 'invalid');
const invalidRunbooks = [];
for (const file of yamlFiles(invalidDir)) {
  const what = `${rel(file)} is rejected`;
  let parsed;
  try {
    parsed = readYaml(file);
  } catch (e) {
    fail(what, [`the fixture itself does not parse: ${e.message}`]);
    continue;
  }
  const kind = path.basename(file).startsWith('template-') ? 'template' : 'runbook';
  const at = /^# rejected-at: *(\S*)\s*$/m.exec(parsed.text);
  if (!at) {
    fail(what, ['the fixture has no `# rejected-at: /json/pointer` line']);
    continue;
  }
  const pointer = at[1] === '/' ? '' : at[1];
  const validate = validators[kind];
  if (validate(parsed.data)) {
    fail(what, [`the ${kind} schema accepts it`]);
    continue;
  }
  const errors = validate.errors;
  if (errors.some((e) => e.instancePath === pointer)) {
    pass(what);
  } else {
    fail(what, [`no error at ${at[1]}; the errors are:`, ...errors.map(describe)]);
  }
  if (kind === 'runbook') invalidRunbooks.push(file);
}

// --- the loader agrees -------------------------------------------------------
let haveBin = false;
if (runbookBin) {
  try {
    fs.accessSync(runbookBin, fs.constants.X_OK);
    haveBin = true;
  } catch (e) {
    fail('the loader cross-check runs', [`RUNBOOK_BIN=${runbookBin} is not an executable (build the runbook target)`]);
  }
}
if (haveBin) {
  for (const file of validRunbooks) {
    const r = loaderAccepts(file);
    if (r.ok) pass(`runbook validate accepts ${rel(file)}`);
    else fail(`runbook validate accepts ${rel(file)}`, r.output.split('\n'));
  }
  for (const file of invalidRunbooks) {
    const r = loaderAccepts(file);
    if (!r.ok) pass(`runbook validate rejects ${rel(file)}`);
    else fail(`runbook validate rejects ${rel(file)}`, ['the loader accepts it']);
  }
} else if (!runbookBin) {
  console.log('(RUNBOOK_BIN not set: the loader cross-check is skipped)');
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
JS
