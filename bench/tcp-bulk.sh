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
exec "$(dirname "$0")/netif-bench.sh" tcp-bulk TcpBulkBenchmark 1g "$@"
