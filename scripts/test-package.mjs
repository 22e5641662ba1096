// `npm run test:package`: what a user gets from npm. Packs the package (which runs `prepare`,
// so the binary is current), installs the tarball into a fresh project in the temp folder,
// outside this repository and with no Rust on PATH, and there runs the seed's examples
// verbatim against the installed package's own test server, type-checks the TypeScript one
// under node16, nodenext and bundler resolution, and measures installed size and import time.
// Ends with `N passed, N failed`; exits 1 on any failure. OWOX_KEEP_PACKAGE_CHECK=1 keeps
// the temp project for a look.

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const hostTarget = napiPlatformName();
const hostBinary = `api-client.${hostTarget}.node`;

let passed = 0;
let failed = 0;

async function check(name, fn) {
  try {
    const note = await fn();
    passed += 1;
    console.log(`ok   ${name}${note ? ` — ${note}` : ''}`);
    return true;
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}\n     ${String(error?.message ?? error).replaceAll('\n', '\n     ')}`);
    return false;
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** The napi-rs name of this host, e.g. `linux-x64-gnu`, as in `api-client.<name>.node`. */
function napiPlatformName() {
  const { platform, arch } = process;
  if (platform === 'linux') return `${platform}-${arch}-${process.report.getReport().header.glibcVersionRuntime ? 'gnu' : 'musl'}`;
  if (platform === 'win32') return `${platform}-${arch}-msvc`;
  return `${platform}-${arch}`;
}

/** The environment of a user's shell: no Rust toolchain on PATH, none of npm's script variables. */
function consumerEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|OWOX_)/i.test(key) && key !== 'INIT_CWD'));
  env.PATH = env.PATH.split(':').filter((dir) => !existsSync(join(dir, 'cargo')) && !existsSync(join(dir, 'rustc'))).join(':');
  return { ...env, ...extra };
}

function run(command, args, options) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`\`${[command, ...args].join(' ')}\` exited with ${result.status ?? result.signal}\n${result.stdout}${result.stderr}`.trim());
  }
  return result;
}

const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

function fileBytes(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

/** Median wall-clock milliseconds of `node <args>` in `cwd`, over `runs` runs after one warm-up. */
function timeNode(args, cwd, runs = 11) {
  const times = [];
  for (let i = 0; i <= runs; i += 1) {
    const start = process.hrtime.bigint();
    run(node, args, { cwd, env: consumerEnv() });
    if (i > 0) times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

const work = mkdtempSync(join(tmpdir(), 'owox-package-check-'));
const project = join(work, 'project');
const installed = join(project, 'node_modules', '@owox', 'api-client');
let tarball;
let packInfo;
let server;

try {
  // 1. The tarball.
  const packed = await check('npm pack (runs prepare, so the binary is current)', () => {
    const { stdout } = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo });
    [packInfo] = JSON.parse(stdout.slice(stdout.indexOf('[')));
    tarball = join(work, packInfo.filename);
    return `${packInfo.filename}, ${mb(packInfo.size)} packed, ${mb(packInfo.unpackedSize)} unpacked, ${packInfo.files.length} files`;
  });
  if (!packed) throw new Error('nothing to install');

  await check('the tarball holds what belongs and nothing else', () => {
    const files = packInfo.files.map((file) => file.path);
    const required = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'index.js', 'index.mjs', 'index.d.ts', 'native.js',
      'lib/binding.js', 'testing/index.js', 'testing/index.mjs', 'testing/index.d.ts', 'testing/server.js', 'cli/owox-api.js', hostBinary];
    const missing = required.filter((file) => !files.includes(file));
    assert(missing.length === 0, `missing: ${missing.join(', ')}`);
    const allowed = /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|index\.(js|mjs|d\.ts)|native\.js|lib\/[\w.-]+\.js|types\/[\w.-]+\.d\.ts|testing\/[\w-]+\.(js|mjs|d\.ts)|cli\/(commands\/)?[\w-]+\.js|api-client\.[\w-]+\.node)$/;
    const stray = files.filter((file) => !allowed.test(file) || file === 'testing/selfcheck.js');
    assert(stray.length === 0, `does not belong: ${stray.join(', ')}`);
    return `${files.length} files, host binary ${hostBinary} included`;
  });

  await check('package.json: metadata, exports map, optionalDependencies', () => {
    const problems = [];
    // No repository field: the package is not published from a public repository yet (an
    // invented URL is worse than none).
    for (const field of ['name', 'version', 'description', 'license', 'engines', 'files', 'keywords']) {
      if (!manifest[field]) problems.push(`no ${field}`);
    }
    if (manifest.license !== 'MIT') problems.push(`license is ${manifest.license}`);
    // A lower bound within Node 20: the versions tested here (20 and 22) must both satisfy it.
    if (!/^>=20(\.\d+){0,2}$/.test(manifest.engines?.node ?? '')) problems.push(`engines.node is ${manifest.engines?.node}`);
    const files = packInfo.files.map((file) => file.path);
    for (const [subpath, conditions] of Object.entries(manifest.exports)) {
      if (typeof conditions === 'string') continue;
      for (const condition of ['types', 'import', 'require']) {
        const target = conditions[condition]?.replace(/^\.\//, '');
        if (!files.includes(target)) problems.push(`exports["${subpath}"].${condition} -> ${target} is not in the tarball`);
      }
    }
    for (const dir of readdirSync(join(repo, 'npm'))) {
      const name = `${manifest.name}-${dir}`;
      if (manifest.optionalDependencies?.[name] !== manifest.version) problems.push(`optionalDependencies["${name}"] is not ${manifest.version}`);
    }
    assert(problems.length === 0, problems.join('\n'));
    return `${Object.keys(manifest.optionalDependencies).length} optional platform packages at ${manifest.version}`;
  });

  await check('npm/<target>/package.json: one per napi target, consistent with the root', () => {
    const problems = [];
    const dirs = readdirSync(join(repo, 'npm'));
    if (dirs.length !== manifest.napi.targets.length) problems.push(`${dirs.length} dirs in npm/ for ${manifest.napi.targets.length} targets`);
    for (const dir of dirs) {
      const pkg = JSON.parse(readFileSync(join(repo, 'npm', dir, 'package.json'), 'utf8'));
      const binary = `api-client.${dir}.node`;
      const [os, cpu, abi] = dir.split('-');
      const libc = { gnu: 'glibc', musl: 'musl' }[abi];
      if (pkg.name !== `${manifest.name}-${dir}`) problems.push(`${dir}: name ${pkg.name}`);
      if (pkg.version !== manifest.version) problems.push(`${dir}: version ${pkg.version}`);
      if (pkg.main !== binary || pkg.files?.join() !== binary) problems.push(`${dir}: main/files not ${binary}`);
      if (pkg.os?.join() !== os || pkg.cpu?.join() !== cpu) problems.push(`${dir}: os/cpu ${pkg.os}/${pkg.cpu}`);
      if (libc && pkg.libc?.join() !== libc) problems.push(`${dir}: libc ${pkg.libc}`);
      for (const field of ['license', 'engines']) {
        if (JSON.stringify(pkg[field]) !== JSON.stringify(manifest[field])) problems.push(`${dir}: ${field} differs from the root`);
      }
    }
    assert(problems.length === 0, problems.join('\n'));
    return dirs.join(', ');
  });

  await check('package-lock.json records the platform packages (npm ci needs it)', () => {
    run(node, [join(repo, 'scripts', 'lock-platform-packages.mjs'), '--check'], { cwd: repo });
  });

  // 2. A fresh project, the way a user starts one.
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'owox-package-check', version: '1.0.0', private: true }, null, 2)}\n`);
  const installedOk = await check('npm install <tarball> in a fresh project, no Rust on PATH', () => {
    const start = Date.now();
    run('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: project, env: consumerEnv() });
    assert(existsSync(join(installed, hostBinary)), `${hostBinary} is not in the installed package`);
    return `${((Date.now() - start) / 1000).toFixed(1)} s, the unpublished optional platform packages skipped`;
  });
  if (!installedOk) throw new Error('nothing installed');

  await check('typescript and @types/node as devDependencies (the versions this repo locks)', () => {
    const version = (name) => JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')).version;
    const specs = [`typescript@${version('typescript')}`, `@types/node@${version('@types/node')}`];
    run('npm', ['install', '--no-audit', '--no-fund', '--save-dev', ...specs], { cwd: project, env: consumerEnv() });
    return specs.join(', ');
  });

  for (const file of ['agent.mjs', 'agent.cjs', 'agent.ts']) copyFileSync(join(repo, 'examples', file), join(project, file));

  // 3. The bundled server, from the installed package.
  writeFileSync(join(project, 'serve.mjs'), `// Starts the installed package's test server; prints its credentials; stops when stdin closes.
import { startTestServer, generateDataMarts, generateStorages, generateDestinations } from '@owox/api-client/testing';

const server = await startTestServer({ dataMarts: generateDataMarts(1500), storages: generateStorages(2), destinations: generateDestinations(3) });
console.log(JSON.stringify({ OWOX_API_ORIGIN: server.origin, OWOX_API_KEY_ID: server.apiKeyId, OWOX_API_KEY_SECRET: server.apiKeySecret }));
process.stdin.on('end', () => server.close()).resume();
`);
  let credentials;
  await check("@owox/api-client/testing starts the bundled server", async () => {
    server = spawn(node, ['serve.mjs'], { cwd: project, env: consumerEnv(), stdio: ['pipe', 'pipe', 'inherit'] });
    const line = await new Promise((resolve, reject) => {
      let out = '';
      server.stdout.setEncoding('utf8').on('data', (chunk) => {
        out += chunk;
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
      server.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
      setTimeout(() => reject(new Error('no credentials from the server in 30 s')), 30_000).unref();
    });
    credentials = JSON.parse(line);
    return credentials.OWOX_API_ORIGIN;
  });

  // 4. The seed's snippets, verbatim.
  for (const file of ['agent.mjs', 'agent.cjs']) {
    await check(`node ${file} (verbatim from examples/) prints the three lists as JSON`, () => {
      assert(credentials, 'no server');
      const { stdout } = run(node, [file], { cwd: project, env: consumerEnv(credentials), timeout: 60_000 });
      const { dataMarts, storages, destinations } = JSON.parse(stdout);
      assert(Array.isArray(dataMarts) && Array.isArray(storages) && Array.isArray(destinations), 'not three arrays');
      assert(dataMarts.length === 1500 && storages.length === 2 && destinations.length === 3,
        `got ${dataMarts.length}/${storages.length}/${destinations.length} items, want 1500/2/3`);
      return '1500 data marts (2 pages), 2 storages, 3 destinations';
    });
  }

  // The owox-api command (package.json "bin"), as a user runs it right after installing.
  await check('npx owox-api --version prints the package version', () => {
    const { stdout } = run('npx', ['owox-api', '--version'], { cwd: project, env: consumerEnv() });
    assert(stdout.trim() === manifest.version, `printed ${JSON.stringify(stdout.trim())}, not ${manifest.version}`);
    return stdout.trim();
  });

  await check('npx owox-api data-marts list against the bundled server, and --demo without credentials', () => {
    assert(credentials, 'no server');
    const listed = JSON.parse(run('npx', ['owox-api', 'data-marts', 'list'], { cwd: project, env: consumerEnv(credentials), timeout: 60_000 }).stdout);
    assert(Array.isArray(listed) && listed.length === 1500, `listed ${listed.length} data marts, want 1500`);
    const demo = JSON.parse(run('npx', ['owox-api', '--demo', 'storages', 'list'], { cwd: project, env: consumerEnv(), timeout: 60_000 }).stdout);
    assert(Array.isArray(demo) && demo.length > 0, 'owox-api --demo storages list printed no storages');
    return `1500 data marts; --demo listed ${demo.length} storages`;
  });

  await check('require() and import() hand out the same classes, for both entry points', () => {
    writeFileSync(join(project, 'entries.mjs'), `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
for (const id of ['@owox/api-client', '@owox/api-client/testing']) {
  const esm = await import(id);
  const cjs = require(id);
  const names = Object.keys(cjs);
  if (!names.length || names.some((name) => esm[name] !== cjs[name])) throw new Error(id + ': ' + names);
}
if (require('@owox/api-client/package.json').version !== ${JSON.stringify(manifest.version)}) throw new Error('version');
`);
    run(node, ['entries.mjs'], { cwd: project, env: consumerEnv() });
  });

  // 5. The TypeScript snippet under each module resolution, in CommonJS and ES module projects.
  const usesTesting = `// The testing entry's types, as a user's test would use them.
import { startTestServer, generateDataMarts } from '@owox/api-client/testing';
import { OWOXApiClient } from '@owox/api-client';

export async function check(): Promise<number> {
  const server = await startTestServer({ dataMarts: generateDataMarts(3) });
  try {
    return (await new OWOXApiClient(server.credentials).dataMarts.list()).length;
  } finally {
    await server.close();
  }
}
`;
  const configs = {
    node16: { module: 'node16', moduleResolution: 'node16' },
    nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
    'bundler-esnext': { module: 'esnext', moduleResolution: 'bundler' },
    'bundler-preserve': { module: 'preserve', moduleResolution: 'bundler' },
  };
  const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const type of ['commonjs', 'module']) {
    const dir = join(project, `ts-${type}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ type }, null, 2)}\n`);
    copyFileSync(join(repo, 'examples', 'agent.ts'), join(dir, 'agent.ts'));
    writeFileSync(join(dir, 'uses-testing.ts'), usesTesting);
    for (const [name, options] of Object.entries(configs)) {
      if (type === 'commonjs' && name.startsWith('bundler')) continue; // bundler resolution ignores "type"
      const config = {
        compilerOptions: { ...options, target: 'es2022', lib: ['es2022'], types: ['node'], strict: true, noEmit: true, skipLibCheck: false },
        files: ['agent.ts', 'uses-testing.ts'],
      };
      writeFileSync(join(dir, `tsconfig.${name}.json`), `${JSON.stringify(config, null, 2)}\n`);
      await check(`tsc --noEmit --strict agent.ts: module ${options.module}, moduleResolution ${options.moduleResolution}, "type": "${type}"`, () => {
        run(node, [tsc, '-p', `tsconfig.${name}.json`, '--noEmit', '--strict'], { cwd: dir, env: consumerEnv() });
      });
    }
  }

  // 6. The release layout: binaries only in the platform packages, as `napi prepublish` makes it.
  await check(`release layout: a root package without binaries loads ${manifest.name}-${hostTarget}`, () => {
    assert(credentials, 'no server');
    const stage = join(work, 'release');
    const rootDir = join(stage, 'root');
    const platformDir = join(stage, hostTarget);
    mkdirSync(rootDir, { recursive: true });
    run('tar', ['-xzf', tarball, '-C', rootDir, '--strip-components=1']);
    rmSync(join(rootDir, hostBinary));
    cpSync(join(repo, 'npm', hostTarget), platformDir, { recursive: true });
    copyFileSync(join(installed, hostBinary), join(platformDir, hostBinary));
    const tarballs = [rootDir, platformDir].map((dir) => {
      const { stdout } = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', stage], { cwd: dir });
      return join(stage, JSON.parse(stdout)[0].filename);
    });
    const app = join(stage, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'owox-release-check', version: '1.0.0', private: true }, null, 2)}\n`);
    run('npm', ['install', '--no-audit', '--no-fund', ...tarballs], { cwd: app, env: consumerEnv() });
    copyFileSync(join(repo, 'examples', 'agent.mjs'), join(app, 'agent.mjs'));
    const { stdout } = run(node, ['agent.mjs'], { cwd: app, env: consumerEnv(credentials), timeout: 60_000 });
    assert(JSON.parse(stdout).dataMarts.length === 1500, 'agent.mjs did not list the data marts');
    const loaded = run(node, ['-p', "require('@owox/api-client'); Object.keys(require.cache).find((file) => file.endsWith('.node'))"],
      { cwd: app, env: consumerEnv() }).stdout.trim();
    const expected = join('node_modules', '@owox', `api-client-${hostTarget}`, hostBinary);
    assert(loaded.endsWith(expected), `loaded ${loaded}, not ${expected}`);
    const size = fileBytes(join(app, 'node_modules', '@owox'));
    console.log(`measure: installed size in the release layout ${mb(size)} (@owox/api-client + ${manifest.name}-${hostTarget})`);
    return `agent.mjs ran on ${expected}`;
  });

  // 7. No binary: the loader's error names the platform and what to do.
  await check('without a binary for the platform, require() says which platform and what to do', () => {
    const binary = join(installed, hostBinary);
    renameSync(binary, `${binary}.away`);
    try {
      const result = spawnSync(node, ['-e', "require('@owox/api-client')"], { cwd: project, env: consumerEnv(), encoding: 'utf8' });
      const platform = `${process.platform}-${process.arch}`;
      assert(result.status !== 0, 'require() succeeded without the binary');
      assert(result.stderr.includes(platform) && /reinstall|build from source/i.test(result.stderr),
        `the error does not name ${platform} and a remedy:\n${result.stderr.split('\n').slice(0, 8).join('\n')}`);
      return result.stderr.split('\n').find((line) => line.includes(platform)).trim().slice(0, 110);
    } finally {
      renameSync(`${binary}.away`, binary);
    }
  });

  // 8. Size and start-up, for the README.
  await check('measure installed size and import time', () => {
    const size = fileBytes(installed);
    const binary = statSync(join(installed, hostBinary)).size;
    const bare = timeNode(['-e', ''], project);
    const cjs = timeNode(['-e', "require('@owox/api-client')"], project);
    const bareEsm = timeNode(['--input-type=module', '-e', ''], project);
    const esm = timeNode(['--input-type=module', '-e', "await import('@owox/api-client')"], project);
    console.log(`measure: installed size ${mb(size)} (node_modules/@owox/api-client; the ${hostTarget} binary is ${mb(binary)})`);
    console.log(`measure: tarball ${mb(packInfo.size)}`);
    console.log(`measure: require('@owox/api-client') ${(cjs - bare).toFixed(1)} ms over a bare \`node -e ""\` (${cjs.toFixed(1)} vs ${bare.toFixed(1)} ms, median of 11, Node ${process.version})`);
    console.log(`measure: import('@owox/api-client') ${(esm - bareEsm).toFixed(1)} ms over a bare ES module (${esm.toFixed(1)} vs ${bareEsm.toFixed(1)} ms)`);
  });
} catch (error) {
  if (!['nothing to install', 'nothing installed'].includes(error.message)) {
    failed += 1;
    console.log(`FAIL ${error.stack}`);
  }
} finally {
  server?.stdin.end();
  if (server) await new Promise((resolve) => (server.exitCode === null ? server.on('exit', resolve) : resolve()));
  if (process.env.OWOX_KEEP_PACKAGE_CHECK === '1') console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
