#!/usr/bin/env bash
# iperf3 TCP through the TUN backend with offloads on and off, against wireguard-go on both ends,
# taking turns run by run; each direction; medians, ratios to wireguard-go, CPU seconds per GB.
# Needs root and the Debian packages wireguard-go wireguard-tools iproute2 iputils-ping iperf3.
# Output: bench/results/<timestamp>-tun-iperf3.txt
#
#   bench/tun-iperf3.sh                          # 5 runs of 5 s each way
#   bench/tun-iperf3.sh --runs 7 --seconds 10    # arguments go to TunIperfBenchmark
#   MVN_ARGS="-o -Dmaven.repo.local=/path/to/repo" bench/tun-iperf3.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MVN_ARGS=${MVN_ARGS:-}
mkdir -p bench/results
out=bench/results/$(date -u +%Y%m%dT%H%M%SZ)-tun-iperf3.txt
# shellcheck disable=SC2086
mvn -B -ntp -q -Dstyle.color=never $MVN_ARGS -pl bundles/netif -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
cp="bundles/netif/target/test-classes:bundles/netif/target/classes:$(cat bundles/netif/target/bench.classpath)"
{
  echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) cores; kernel TCP congestion control: $(sysctl -n net.ipv4.tcp_congestion_control); load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  java -Xmx512m -XX:+UseParallelGC -cp "$cp" org.wgkaraf.netif.bench.TunIperfBenchmark "$@"
} 2>&1 | grep --line-buffered -v -E '^\[(main|wg-|wgk|netif)' | tee "$out"
echo "written: $out"
