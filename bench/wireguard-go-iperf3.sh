#!/usr/bin/env bash
# Reference figure for the README: TCP throughput through a wireguard-go <-> wireguard-go tunnel
# between two network namespaces on this machine, measured with iperf3. Needs root and the
# Debian packages wireguard-go wireguard-tools iproute2 iperf3. Cleans up after itself.
set -euo pipefail
SECONDS_TO_RUN=${1:-10}
id=$$
A=wgkb${id}a; B=wgkb${id}b; VA=wgkb${id}va; VB=wgkb${id}vb
work=$(mktemp -d)
cleanup() {
  set +e
  for ns in $A $B; do
    ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null
    ip netns del $ns 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
for cmd in wireguard-go wg ip iperf3; do
  command -v $cmd >/dev/null || { echo "missing $cmd: apt-get install -y wireguard-go wireguard-tools iproute2 iperf3" >&2; exit 2; }
done
ip netns add $A; ip netns add $B
ip link add $VA type veth peer name $VB
ip link set $VA netns $A; ip link set $VB netns $B
ip -n $A addr add 10.215.0.1/24 dev $VA; ip -n $B addr add 10.215.0.2/24 dev $VB
for ns in $A $B; do ip -n $ns link set lo up; done
ip -n $A link set $VA up; ip -n $B link set $VB up
umask 077
wg genkey > "$work/a.key"; wg genkey > "$work/b.key"
ip netns exec $A env WG_PROCESS_FOREGROUND=1 wireguard-go wga >/dev/null 2>&1 &
ip netns exec $B env WG_PROCESS_FOREGROUND=1 wireguard-go wgb >/dev/null 2>&1 &
for i in $(seq 50); do ip -n $A link show wga >/dev/null 2>&1 && ip -n $B link show wgb >/dev/null 2>&1 && break; sleep 0.1; done
ip netns exec $A wg set wga private-key "$work/a.key" listen-port 51820 peer "$(wg pubkey < "$work/b.key")" allowed-ips 10.216.0.2/32 endpoint 10.215.0.2:51820
ip netns exec $B wg set wgb private-key "$work/b.key" listen-port 51820 peer "$(wg pubkey < "$work/a.key")" allowed-ips 10.216.0.1/32 endpoint 10.215.0.1:51820
ip -n $A addr add 10.216.0.1/24 dev wga; ip -n $B addr add 10.216.0.2/24 dev wgb
ip -n $A link set wga mtu 1420 up; ip -n $B link set wgb mtu 1420 up
ip netns exec $B iperf3 -s -1 -B 10.216.0.2 >/dev/null 2>&1 &
for i in $(seq 50); do ip netns exec $A ping -c1 -W1 10.216.0.2 >/dev/null 2>&1 && break; done
for i in $(seq 50); do ip netns exec $B ss -ltn | grep -q ':5201 ' && break; sleep 0.1; done
ip netns exec $A iperf3 -c 10.216.0.2 -t "$SECONDS_TO_RUN" -f m | tail -4
