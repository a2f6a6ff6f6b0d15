#!/usr/bin/env bash
# Runs every JMH benchmark of the engine, then the wireguard-go reference, in one go, so the README's
# figures come from one run on one machine. Output: bench-results/<timestamp>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench-results
out=bench-results/$(date -u +%Y%m%dT%H%M%SZ).txt
{
  echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
  echo "# JMH: ${JMH_ARGS:=-f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc}"
  mvn -B -ntp -q -Pbench -DskipTests -pl bundles/engine -am verify -Djmh.args="$JMH_ARGS -rf text -rff /dev/stdout" \
    | grep -E '^(Benchmark|[A-Za-z]+Benchmark\.|Transport\.choice)' | grep -vE 'gc\.(count|time)|churn'
  echo
  echo "# wireguard-go <-> wireguard-go, TCP through the tunnel between two namespaces (iperf3, 10 s)"
  bash bench/wireguard-go-iperf3.sh 10
} | tee "$out"
echo "written: $out"
