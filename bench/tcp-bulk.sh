#!/usr/bin/env bash
# Bulk TCP through the tunnel, in one run: our userspace TCP, the kernel's TCP over the TUN backend
# (our engine), and the kernel's TCP over wireguard-go on both ends; each direction, on a clean path
# and through a lossy relay (1% loss, 50 ms each way, reordering); several runs, medians.
# Needs root and the Debian packages wireguard-go wireguard-tools iproute2 iputils-ping.
# Output: bench/results/<timestamp>-tcp-bulk.txt
#
#   bench/tcp-bulk.sh                      # 3 runs, 64 MiB clean, 4 MiB lossy
#   bench/tcp-bulk.sh --runs 5 --no-lossy  # arguments go to TcpBulkBenchmark
#   MVN_ARGS="-o -Dmaven.repo.local=/path/to/repo" bench/tcp-bulk.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MVN_ARGS=${MVN_ARGS:-}
mkdir -p bench/results
out=bench/results/$(date -u +%Y%m%dT%H%M%SZ)-tcp-bulk.txt
# shellcheck disable=SC2086
mvn -B -ntp -q -Dstyle.color=never $MVN_ARGS -pl bundles/netif -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
cp="bundles/netif/target/test-classes:bundles/netif/target/classes:$(cat bundles/netif/target/bench.classpath)"
{
  echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; kernel TCP congestion control: $(sysctl -n net.ipv4.tcp_congestion_control)"
  echo "# git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  java -Xmx1g -XX:+UseParallelGC -cp "$cp" org.wgkaraf.netif.bench.TcpBulkBenchmark "$@"
} 2>&1 | grep --line-buffered -v -E '^\[(main|wg-|wgk|netif)' | tee "$out"
echo "written: $out"
