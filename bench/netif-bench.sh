#!/usr/bin/env bash
# Runs one of netif's benchmark mains (bundles/netif/src/test/java/org/wgkaraf/netif/bench) on the
# test class path and keeps its output in bench/results/<timestamp>-<name>.txt; tcp-bulk.sh and
# tun-iperf3.sh call it. The JVMs of the engine, tunnels and namespaces log through slf4j-simple
# with a thread name first: those lines are left out of the results.
#
#   bench/netif-bench.sh <name> <main class> <max heap> [arguments for the main...]
#   MVN_ARGS="-o -Dmaven.repo.local=/path/to/repo" bench/netif-bench.sh ...
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { echo "usage: bench/netif-bench.sh <name> <main class> <max heap> [arguments...]" >&2; exit 2; }
name=$1 main=$2 heap=$3
shift 3
MVN_ARGS=${MVN_ARGS:-}
mkdir -p bench/results
out=bench/results/$(date -u +%Y%m%dT%H%M%SZ)-$name.txt
# shellcheck disable=SC2086
mvn -B -ntp -q -Dstyle.color=never $MVN_ARGS -pl bundles/netif -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
cp="bundles/netif/target/test-classes:bundles/netif/target/classes:$(cat bundles/netif/target/bench.classpath)"
{
  echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; kernel TCP congestion control: $(sysctl -n net.ipv4.tcp_congestion_control); load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  java -Xmx"$heap" -XX:+UseParallelGC -cp "$cp" "org.wgkaraf.netif.bench.$main" "$@"
} 2>&1 | grep --line-buffered -v -E '^\[(main|wg-|wgk|netif)' | tee "$out"
echo "written: $out"
