#!/usr/bin/env bash
# iperf3 TCP through the TUN backend with offloads on and off, against wireguard-go on both ends,
# taking turns run by run; each direction; medians, ratios to wireguard-go, CPU seconds per GB.
# Needs root and the Debian packages wireguard-go wireguard-tools iproute2 iputils-ping iperf3.
# Output: bench/results/<timestamp>-tun-iperf3.txt
#
#   bench/tun-iperf3.sh                          # 5 runs of 5 s each way
#   bench/tun-iperf3.sh --runs 7 --seconds 10    # arguments go to TunIperfBenchmark
#   MVN_ARGS="-o -Dmaven.repo.local=/path/to/repo" bench/tun-iperf3.sh
exec "$(dirname "$0")/netif-bench.sh" tun-iperf3 TunIperfBenchmark 512m "$@"
