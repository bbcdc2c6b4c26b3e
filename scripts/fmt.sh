#!/usr/bin/env bash
# Formats the workspace, or checks it with --check.
#
# `cargo fmt` formats the files it reaches through `mod` items. The region
# modules of vexora (vexora/src/<region>/) are declared by vexora's build
# script from its spec files, out of rustfmt's sight, so their files are
# given to rustfmt by name.
set -euo pipefail
cd "$(dirname "$0")/.."

check=()
if [ "${1:-}" = "--check" ]; then
  check=(--check)
fi
cargo fmt --all -- "${check[@]}"
find vexora/src -mindepth 2 -name '*.rs' -print0 | xargs -0 rustfmt --edition 2024 "${check[@]}"
