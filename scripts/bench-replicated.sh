#!/usr/bin/env bash
# Replicated benchmark (run by scripts/bench.sh, or alone): 1 KiB records with acks=all through the
# .NET client (`akkalog perf produce`) against one broker, then against three brokers with etcd on
# this machine (topic with replication factor 3, min.insync.replicas 2); then the failover time:
# kill -9 the leader of partition 0 and time until kcat's first acknowledged acks=all write to it.
# Every process is started here on free loopback ports and stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v etcd >/dev/null || { echo "etcd is not installed (apt-get install etcd-server)" >&2; exit 1; }
dotnet build src/AkkaLog.Server -c Release -nologo -v q -clp:ErrorsOnly > /dev/null
dotnet build src/AkkaLog.Cli -c Release -nologo -v q -clp:ErrorsOnly > /dev/null
server=src/AkkaLog.Server/bin/Release/net10.0/akkalog-server.dll
cli="dotnet src/AkkaLog.Cli/bin/Release/net10.0/akkalog.dll"
records=${REPLICATED_RECORDS:-200000}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 300); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }

dir=$(mktemp -d /tmp/akkalog-bench-rep-XXXXXX)
pids=()
declare -A broker_pid
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
perf_args=(--num-records "$records" --record-size 1024 --output json -X acks=all -X linger.ms=5 -X batch.size=262144)

# One broker (embedded metadata): acks=all is acknowledged as soon as its own log has the batch.
single=$(free_port)
dotnet "$server" --log.dirs="$dir/single" --listeners=PLAINTEXT://127.0.0.1:$single --advertised.listeners=PLAINTEXT://127.0.0.1:$single \
  --log.segment.bytes=1073741824 > "$dir/single.log" 2>&1 &
pids+=($!); single_pid=$!
wait_port "$single"
$cli -b 127.0.0.1:$single topic create perf-single --partitions 1 > /dev/null
$cli -b 127.0.0.1:$single perf produce -t perf-single "${perf_args[@]}" > "$dir/single.json"
kill -TERM "$single_pid"; wait "$single_pid" 2>/dev/null || true

# Three brokers and etcd: every batch must reach a second broker before it is acknowledged.
etcd_port=$(free_port); peer_port=$(free_port)
etcd --name bench --data-dir "$dir/etcd" --listen-client-urls http://127.0.0.1:$etcd_port --advertise-client-urls http://127.0.0.1:$etcd_port \
  --listen-peer-urls http://127.0.0.1:$peer_port --initial-advertise-peer-urls http://127.0.0.1:$peer_port \
  --initial-cluster bench=http://127.0.0.1:$peer_port --log-level warn > "$dir/etcd.log" 2>&1 &
pids+=($!)
wait_port "$etcd_port"
declare -A port
bootstrap=""
for i in 1 2 3; do
  port[$i]=$(free_port)
  dotnet "$server" --node.id=$i --metadata.store=etcd --etcd.endpoints=http://127.0.0.1:$etcd_port --cluster.id=bench \
    --log.dirs="$dir/b$i" --listeners=PLAINTEXT://127.0.0.1:${port[$i]} --advertised.listeners=PLAINTEXT://127.0.0.1:${port[$i]} \
    --log.segment.bytes=1073741824 --offsets.topic.replication.factor=3 --auto.leader.rebalance.enable=false > "$dir/b$i.log" 2>&1 &
  pids+=($!); broker_pid[$i]=$!
  disown $!  # killed on purpose below: no job report
  bootstrap="$bootstrap${bootstrap:+,}127.0.0.1:${port[$i]}"
done
for i in 1 2 3; do wait_port "${port[$i]}"; done
sleep 1
$cli -b "$bootstrap" topic create perf-rep --partitions 1 --replication-factor 3 --config min.insync.replicas=2 > /dev/null
sleep 1
$cli -b "$bootstrap" perf produce -t perf-rep "${perf_args[@]}" > "$dir/replicated.json"

# Failover: kill -9 the leader of perf-rep-0, then try acks=all writes to that partition until one is acknowledged.
leader=$(kcat -b "$bootstrap" -L -t perf-rep | sed -nE 's/.*partition 0, leader ([0-9]+),.*/\1/p')
start=$(date +%s.%N)
kill -9 "${broker_pid[$leader]}"
alive=""
for i in 1 2 3; do [ "$i" = "$leader" ] || alive="$alive${alive:+,}127.0.0.1:${port[$i]}"; done
attempts=0
until echo "after-failover" | kcat -b "$alive" -P -t perf-rep -p 0 -X acks=all -X message.timeout.ms=500 \
        -X retry.backoff.ms=20 -X topic.metadata.refresh.interval.ms=100 -q 2>/dev/null; do
  attempts=$((attempts + 1))
  if [ "$attempts" -gt 200 ]; then echo "no acknowledged write within 200 attempts after the kill" >&2; exit 1; fi
done
end=$(date +%s.%N)

python3 - "$dir/single.json" "$dir/replicated.json" "$start" "$end" "$leader" <<'PY'
import json, sys
s, r = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
mib = 1.048576  # akkalog perf reports MiB/s, like Kafka's tools
print()
print("replicated run (.NET client via akkalog perf, 1 KiB records, acks=all, 256 KiB batches):")
print(f"  1 broker:                          {s['mbPerSec'] * mib:8.0f} MB/s  {s['recordsPerSec']:10,.0f} rec/s  p50 {s['p50Ms']:6.1f} ms  p99 {s['p99Ms']:6.1f} ms")
print(f"  3 brokers, RF 3, min.insync 2:     {r['mbPerSec'] * mib:8.0f} MB/s  {r['recordsPerSec']:10,.0f} rec/s  p50 {r['p50Ms']:6.1f} ms  p99 {r['p99Ms']:6.1f} ms")
print(f"  failover: kill -9 of leader {sys.argv[5]} to the first acknowledged acks=all write on its partition: "
      f"{float(sys.argv[4]) - float(sys.argv[3]):.2f} s (target < 3 s; kcat attempts of up to 0.5 s each)")
PY
