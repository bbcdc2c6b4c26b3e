#!/usr/bin/env bash
# Supply-chain check: cargo-deny's advisories, bans, licenses and sources,
# offline, against the RustSec database copy in ../shared/advisory-db (the
# machines here have no internet). Run by .ci/run; run it by hand the same way:
#
#     bash scripts/supply-chain.sh
#
# VEXORA_ADVISORY_DB overrides where the database copy is.
set -euo pipefail
cd "$(dirname "$0")/.."

db_source="${VEXORA_ADVISORY_DB:-../shared/advisory-db}"
if [ ! -d "$db_source/crates" ]; then
  echo "supply-chain: no advisory database at $db_source (set VEXORA_ADVISORY_DB)" >&2
  exit 1
fi

if ! command -v cargo-deny >/dev/null; then
  echo "== installing cargo-deny (once per machine)"
  cargo install --locked cargo-deny >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# cargo-deny reads a git checkout in a folder named after the database URL.
cp -r "$db_source" "$work/db"
git -C "$work/db" init -q
git -C "$work/db" add -A
git -C "$work/db" -c user.email=ci@localhost -c user.name=ci commit -qm advisory-db
mkdir -p "$work/dbs"
ln -s "$work/db" "$work/dbs/advisory-db-3157b0e258782691"

# deny.toml names the database folder as a placeholder, filled in here.
sed "s|@ADVISORY_DB_PATH@|$work/dbs|" deny.toml > "$work/deny.toml"

cargo deny --offline --all-features -t x86_64-unknown-linux-gnu --config "$work/deny.toml" \
  check advisories bans licenses sources
