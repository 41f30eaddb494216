#!/usr/bin/env bash
# Throughput benchmark: starts a broker on a free loopback port with a scratch data dir, drives it
# with the load generator (pre-encoded produce requests, then fetch everything back), and prints
# MB/s, records/s, p50/p99 latency and each figure as a ratio to the machine's own sequential
# write/read ceiling for the same volume. `scripts/bench.sh micro` runs the BenchmarkDotNet
# micro-benchmarks instead. Options after the script name go to the load generator (--mb N).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/AkkaLog.Server -c Release -nologo -v q -clp:ErrorsOnly
dotnet build tests/AkkaLog.Benchmarks -c Release -nologo -v q -clp:ErrorsOnly
bench=tests/AkkaLog.Benchmarks/bin/Release/net10.0/AkkaLog.Benchmarks.dll
if [ "${1:-}" = "micro" ]; then shift; exec dotnet "$bench" micro "${@:---filter *}"; fi

data=$(mktemp -d /tmp/akkalog-bench-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dotnet src/AkkaLog.Server/bin/Release/net10.0/akkalog-server.dll --log.dirs="$data" \
  --listeners=PLAINTEXT://127.0.0.1:$port --advertised.listeners=PLAINTEXT://127.0.0.1:$port \
  --log.segment.bytes=1073741824 --group.initial.rebalance.delay.ms=0 > "$data.log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null; wait $broker 2>/dev/null; rm -rf "$data" "$data.log"' EXIT
for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
dotnet "$bench" loadgen 127.0.0.1:$port --scratch "$data" "$@"
