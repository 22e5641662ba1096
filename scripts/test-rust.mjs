// `npm run test:rust`: the Rust unit tests, compiled with the release profile for the same
// target triple that `napi build --platform --release` passes to cargo. Dependencies are
// then the ones that build already compiled (measured: 24 of them compile again, proptest
// and its helpers and the crates whose features the tests widen; target/ grows by about
// 100 MB), instead of every crate compiled again in the debug profile (about 1.2 GB).
// Extra arguments go to `cargo test`, e.g. `npm run test:rust -- config::`.

import { execFileSync, spawnSync } from 'node:child_process';

const host = /^host: (\S+)$/m.exec(execFileSync('rustc', ['-vV'], { encoding: 'utf8' }))?.[1];
if (!host) throw new Error('rustc -vV did not name the host target triple');
const cargo = spawnSync('cargo', ['test', '--release', '--target', host, '--quiet', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exitCode = cargo.status ?? 1;
