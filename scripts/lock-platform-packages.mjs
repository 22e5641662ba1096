// Keeps package.json's optionalDependencies and package-lock.json in step with npm/<target>/.
//
// Why this exists: the root package names one `@owox/api-client-<target>` package per
// prebuilt binary, at its own version. Until a release publishes them, the registry answers
// 404 for that version, so `npm install` cannot lock them and `npm ci` then refuses to run
// ("Missing: @owox/api-client-... from lock file"). This script writes the entries in the
// form npm keeps once they are there (no `resolved` until the package exists); `npm ci`
// looks up only the one that fits the host, gets a 404 and, the dependency being optional,
// goes on (about 0.1 s). `npm install` leaves them as they are.
//
//   node scripts/lock-platform-packages.mjs           update package.json and the lock
//   node scripts/lock-platform-packages.mjs --check   only verify; exit 1 on drift
//
// Run it after `npx napi version` (which sets npm/*/package.json to the root version).

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const readJson = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'));
const writeJson = (file, value) => writeFileSync(join(root, file), `${JSON.stringify(value, null, 2)}\n`);
// Order-blind for dependency maps: `napi prepublish` writes target order, npm sorted order.
const sameMap = (a = {}, b = {}) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** The platform packages as npm/<target>/package.json describes them. */
function platformPackages() {
  return readdirSync(join(root, 'npm'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => readJson(`npm/${entry.name}/package.json`));
}

/** The lock entry npm itself writes for a platform package it could not fetch (no `resolved`). */
function lockEntry(pkg) {
  const entry = { version: pkg.version, cpu: pkg.cpu };
  if (pkg.libc) entry.libc = pkg.libc;
  return { ...entry, license: pkg.license, optional: true, os: pkg.os, engines: pkg.engines };
}

function sync() {
  const manifest = readJson('package.json');
  const lock = readJson('package-lock.json');
  const packages = platformPackages();
  const problems = [];

  for (const pkg of packages) {
    if (pkg.version !== manifest.version) {
      problems.push(`${pkg.name} (npm/) has version ${pkg.version}, not ${manifest.version}: run \`npx napi version\``);
    }
  }
  const wanted = Object.fromEntries(packages.map((pkg) => [pkg.name, manifest.version]));
  if (!sameMap(manifest.optionalDependencies, wanted)) {
    problems.push('package.json optionalDependencies do not name every npm/<target> package at the package version');
    manifest.optionalDependencies = wanted;
  }
  if (!sameMap(lock.packages[''].optionalDependencies, wanted)) {
    problems.push('package-lock.json does not record the optionalDependencies');
    lock.packages[''].optionalDependencies = wanted;
  }
  for (const pkg of packages) {
    const key = `node_modules/${pkg.name}`;
    const entry = lockEntry({ ...pkg, version: manifest.version });
    if (JSON.stringify(lock.packages[key]) !== JSON.stringify(entry)) {
      problems.push(`package-lock.json has no current entry for ${pkg.name}`);
      lock.packages[key] = entry;
    }
  }
  // npm keeps the root first and the rest sorted; so do we, so `npm install` leaves it alone.
  const { '': rootEntry, ...rest } = lock.packages;
  lock.packages = { '': rootEntry, ...Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))) };
  return { manifest, lock, problems };
}

{
  const { manifest, lock, problems } = sync();
  if (process.argv.includes('--check')) {
    for (const problem of problems) console.error(`lock-platform-packages: ${problem}`);
    if (problems.length) console.error('lock-platform-packages: run `node scripts/lock-platform-packages.mjs` to fix');
    process.exitCode = problems.length ? 1 : 0;
  } else if (problems.length) {
    writeJson('package.json', manifest);
    writeJson('package-lock.json', lock);
    console.log(`lock-platform-packages: updated (${problems.length} change${problems.length === 1 ? '' : 's'})`);
  } else {
    console.log('lock-platform-packages: up to date');
  }
}
