#!/usr/bin/env bash
# The whole test suite: installs what the tests need, builds in Release, runs every test project,
# and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

need_apt=()
command -v kcat >/dev/null 2>&1 || need_apt+=(kcat)
# etcd (Debian etcd-server) backs the cluster tests: the metadata store of multi-broker clusters.
[ -x /usr/bin/etcd ] || command -v etcd >/dev/null 2>&1 || need_apt+=(etcd-server)
[ -e /usr/lib/x86_64-linux-gnu/liblz4.so.1 ] || [ -e /usr/lib/aarch64-linux-gnu/liblz4.so.1 ] || need_apt+=(liblz4-1)
[ -e /usr/lib/x86_64-linux-gnu/libzstd.so.1 ] || [ -e /usr/lib/aarch64-linux-gnu/libzstd.so.1 ] || need_apt+=(libzstd1)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ -f tests/compat/kafkajs/package-lock.json ] && [ ! -d tests/compat/kafkajs/node_modules ]; then
  echo "== npm ci (kafkajs compatibility tests)"
  (cd tests/compat/kafkajs && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== building"
if ! dotnet build AkkaLog.sln -c Release -nologo -v q -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0; status=0
results=$(mktemp -d)
for project in tests/*.Tests/*.csproj tests/AkkaLog.IntegrationTests/*.csproj tests/AkkaLog.ClusterTests/*.csproj; do
  [ -f "$project" ] || continue
  name=$(basename "$project" .csproj)
  echo "== $name"
  log="$results/$name.log"
  dotnet test "$project" -c Release --no-build -nologo --blame-hang-timeout 10m 2>&1 | tee "$log" | grep -E '^\s*(Failed|Passed|Skipped)[ !]|error|Total tests' || true
  line=$(grep -E '(Passed|Failed)!.*Total:' "$log" | tail -1)
  p=$(echo "$line" | sed -nE 's/.*Passed: *([0-9]+).*/\1/p'); f=$(echo "$line" | sed -nE 's/.*Failed: *([0-9]+).*/\1/p')
  if [ -z "$line" ]; then
    echo "   (no test summary from $name: counting it as a failure)"
    f=1; p=0
  fi
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ "${f:-0}" -ne 0 ]; then
    status=1
    # The failures' messages and stack traces (the grep above shows only their names), before the log is removed.
    grep -A 25 -E '^\s*Failed [A-Za-z]' "$log" | head -150 || true
  fi
done
rm -rf "$results"
echo "$passed passed, $failed failed"
exit $status
