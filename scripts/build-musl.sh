#!/usr/bin/env bash
# `npm run build:musl`: the linux-x64-musl binary (Alpine and other musl distributions),
# built on a glibc Linux host into npm/linux-x64-musl/. Needs `rustup target add
# x86_64-unknown-linux-musl` and musl-gcc (Debian/Ubuntu: apt-get install musl-tools).
# Not part of CI: nothing on a glibc host can load the result (the registries have no musl
# Node); the release workflow builds it and runs the tests in an Alpine container.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target add x86_64-unknown-linux-musl
command -v musl-gcc >/dev/null || { echo 'build:musl: musl-gcc not found: apt-get install musl-tools' >&2; exit 1; }

# A musl cdylib links libgcc_s for unwinding, which the musl toolchain lacks: link against
# the host's copy (on Alpine, the libgcc package provides it at run time, as Node needs it too).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/lib" "$work/out"
ln -s "$(gcc -print-file-name=libgcc_s.so.1)" "$work/lib/libgcc_s.so.1"

CC_x86_64_unknown_linux_musl=musl-gcc \
CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_LINKER=musl-gcc \
RUSTFLAGS="-C target-feature=-crt-static -L $work/lib" \
  npx napi build --platform --release --target x86_64-unknown-linux-musl --output-dir "$work/out" --no-js
mv "$work/out/api-client.linux-x64-musl.node" npm/linux-x64-musl/
echo "build:musl: npm/linux-x64-musl/api-client.linux-x64-musl.node ($(du -h npm/linux-x64-musl/api-client.linux-x64-musl.node | cut -f1))"
