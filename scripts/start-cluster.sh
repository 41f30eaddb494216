#!/usr/bin/env bash
# Starts a local AkkaLog cluster: etcd plus N brokers (default 3, at most 5) on 127.0.0.1, from
# hocon/cluster/broker-<i>.conf, with data and logs under ./data/cluster. Prints the brokers'
# addresses and waits; Ctrl-C (or SIGTERM) stops every broker cleanly, then etcd.
#   scripts/start-cluster.sh [N]
# Environment: ETCD_PORT (default 2379), BASE_PORT (broker i listens on BASE_PORT+i; default: the
# ports in the conf files, 9092..9096), FRESH=1 deletes ./data/cluster first.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3}
if ! [[ "$n" =~ ^[1-5]$ ]]; then echo "usage: scripts/start-cluster.sh [N]   (N = 1..5 brokers)" >&2; exit 2; fi
etcd_port=${ETCD_PORT:-2379}
peer_port=$((etcd_port + 1))
root=data/cluster
[ "${FRESH:-0}" = 1 ] && rm -rf "$root"
mkdir -p "$root"

if ! command -v etcd >/dev/null 2>&1; then
  echo "etcd is not installed: sudo apt-get install etcd-server" >&2
  exit 1
fi
echo "== building the broker"
dotnet build src/AkkaLog.Server -c Release -nologo -v q -clp:ErrorsOnly
server=src/AkkaLog.Server/bin/Release/net10.0/akkalog-server.dll

pids=()
etcd_pid=""
stop() {
  trap - INT TERM EXIT
  echo
  echo "== stopping ${#pids[@]} brokers"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$etcd_pid" ]; then
    echo "== stopping etcd"
    kill -TERM "$etcd_pid" 2>/dev/null || true
    wait "$etcd_pid" 2>/dev/null || true
  fi
  exit 0
}
trap stop INT TERM EXIT

wait_port() { # host port what
  for _ in $(seq 1 300); do (echo > "/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 0.1; done
  echo "$3 did not come up on $1:$2; see its log" >&2
  return 1
}

echo "== etcd on 127.0.0.1:$etcd_port (data $root/etcd, log $root/etcd.log)"
# Own sessions: Ctrl-C reaches only this script, which stops the brokers first and etcd last.
setsid etcd --name akkalog-local --data-dir "$root/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-cluster "akkalog-local=http://127.0.0.1:$peer_port" --log-level warn > "$root/etcd.log" 2>&1 &
etcd_pid=$!
wait_port 127.0.0.1 "$etcd_port" etcd

addresses=()
for i in $(seq 1 "$n"); do
  args=(--config "hocon/cluster/broker-$i.conf" "--etcd.endpoints=http://127.0.0.1:$etcd_port")
  # Fewer than three brokers cannot hold three replicas: replicate as widely as there are brokers.
  if [ "$n" -lt 3 ]; then
    args+=("--default.replication.factor=$n" "--offsets.topic.replication.factor=$n" "--min.insync.replicas=1")
  fi
  port=$((9091 + i))
  if [ -n "${BASE_PORT:-}" ]; then
    port=$((BASE_PORT + i))
    args+=("--listeners=PLAINTEXT://127.0.0.1:$port" "--advertised.listeners=PLAINTEXT://127.0.0.1:$port")
  fi
  setsid dotnet "$server" "${args[@]}" > "$root/broker-$i.log" 2>&1 &
  pids+=($!)
  addresses+=("127.0.0.1:$port")
done
for i in $(seq 1 "$n"); do wait_port 127.0.0.1 "${addresses[$((i - 1))]#*:}" "broker $i"; done

echo
echo "AkkaLog cluster '$(sed -nE 's/^cluster.id = "(.*)"/\1/p' hocon/cluster/common.conf)' is up: $n brokers, etcd at http://127.0.0.1:$etcd_port"
for i in $(seq 1 "$n"); do echo "  broker $i  ${addresses[$((i - 1))]}   log $root/broker-$i.log"; done
echo "bootstrap.servers=$(IFS=,; echo "${addresses[*]}")"
echo "Ctrl-C stops them all."
while true; do
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then echo "broker $((i + 1)) exited; see $root/broker-$((i + 1)).log"; fi
  done
  sleep 5 &
  wait $! || true
done
