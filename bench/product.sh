#!/usr/bin/env bash
# The product benchmark (issue 10): the real distribution, configured by the guide's quick start,
# against a wireguard-go server, beside wireguard-go against the same server, in one run.
#
#   namespace pm   the module: our distribution (Karaf as root, interface_backend tun, then userspace)
#   namespace gm   a module made of wireguard-go, the reference
#   namespace sv   the server: one wireguard-go with both modules as peers, iperf3 -s, nc
#
# Each run measures, for the product and for wireguard-go, alternating which goes first:
#   - iperf3 TCP through the tunnel, module to server and server to module (Mbit/s);
#   - the CPU seconds the module's process (Karaf's JVM, or the module's wireguard-go) spent per
#     gigabyte carried (utime + stime from /proc, over the iperf3 run);
#   - ping RTT from the server to the module's tunnel address: 500 pings, 10 ms apart; the run's
#     median (ping-rtt), mean (ping-rtt-mean) and 99th percentile (ping-rtt-p99). The goal is
#     judged on the median, the typical round trip: on this virtual machine a few pings in a
#     hundred take 1 to 5 ms for either program, and one of them moves a hundred pings' mean by
#     up to 0.05 ms, the whole of the goal's margin. The mean and the tail are reported beside it.
# Then the product moves to the userspace backend (our own TCP; the module reaches the server
# through its SOCKS5 proxy) and each run measures a bulk transfer with OpenBSD nc both ways, beside
# the same nc transfer over wireguard-go, and ping again.
# Medians of the runs, and their ratios to wireguard-go, are printed at the end; the raw output of
# every run is kept in bench/results/<timestamp>-product.txt.
#
#   bench/product.sh                 # 5 runs, iperf3 10 s, 256 MiB nc transfers; builds first
#   bench/product.sh --runs 3 --seconds 5 --bytes 64 --no-build
#   bench/product.sh --java-opts "-Dwgkaraf.aead=bc"   # system properties for Karaf's JVM (A/B runs)
#   MVN_ARGS="-o" bench/product.sh   # extra arguments for the build
#
# Needs root and the Debian packages wireguard-go wireguard-tools iproute2 iputils-ping iperf3 jq
# netcat-openbsd, and JDK 17 with Maven (or --no-build and a built karaf-dist). Cleans up after
# itself: namespaces, processes and the unpacked distribution.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5 seconds=10 mib=256 build=yes java_opts=
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --bytes) mib=$2; shift 2 ;;
    --no-build) build=no; shift ;;
    --java-opts) java_opts=$2; shift 2 ;;
    *) echo "product.sh: unknown option $1 (use --runs N, --seconds S, --bytes MiB, --no-build, --java-opts '-Dx=y')" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "product.sh needs root (network namespaces, the TUN backend)" >&2; exit 2; }
for cmd in wireguard-go wg ip ping iperf3 jq nc java; do
  command -v $cmd >/dev/null || { echo "missing $cmd: apt-get install -y wireguard-go wireguard-tools iproute2 iputils-ping iperf3 jq netcat-openbsd (and a JDK 17)" >&2; exit 2; }
done
nc -h 2>&1 | grep -q OpenBSD || { echo "nc must be OpenBSD's: apt-get install -y netcat-openbsd" >&2; exit 2; }
if [ -d /usr/lib/jvm/java-17-openjdk-amd64 ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi
if [ "$build" = yes ]; then
  # shellcheck disable=SC2086
  mvn -B -q -ntp ${MVN_ARGS:-} -DskipTests install
fi
dist=$(ls karaf-dist/target/karaf-dist-*.tar.gz 2>/dev/null | head -1)
[ -n "$dist" ] || { echo "no distribution in karaf-dist/target: run without --no-build" >&2; exit 2; }

mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=bench/results/$stamp-product.txt
work=$(mktemp -d /tmp/wgk-product.XXXXXX)
PM=wgkp$$m GM=wgkp$$g SV=wgkp$$s
# wireguard-go's interfaces: names unique to this run, as its control sockets
# (/var/run/wireguard/<name>.sock) are shared by all namespaces
WS=wgkp$$w WM=wgkp$$v
karaf_pid=
cleanup() {
  local rc=$?
  set +e
  if [ $rc != 0 ] && [ -n "${karaf:-}" ] && [ -f "$karaf/data/log/karaf.log" ]; then
    cp "$karaf/data/log/karaf.log" "bench/results/$stamp-product-karaf.log"
    echo 'wireguard status' | client > "bench/results/$stamp-product-status.txt"
    echo "product.sh failed; Karaf's log and status: bench/results/$stamp-product-{karaf.log,status.txt}" >&2
  fi
  if [ -n "$karaf_pid" ] && kill -0 "$karaf_pid" 2>/dev/null; then
    ip netns exec $PM "$karaf/bin/stop" >/dev/null 2>&1 || kill "$karaf_pid"
    for _ in $(seq 300); do kill -0 "$karaf_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$karaf_pid" 2>/dev/null
  fi
  for ns in $PM $GM $SV; do
    ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null
  done
  sleep 0.5
  for ns in $PM $GM $SV; do
    ip netns pids $ns 2>/dev/null | xargs -r kill -9 2>/dev/null
    ip netns del $ns 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits until a command succeeds: up to $1 tenths of a second, then fails with message $2.
await() {
  local tenths=$1 what=$2; shift 2
  for _ in $(seq "$tenths"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "product.sh: timed out waiting for $what" >&2
  exit 1
}

# ---------------------------------------------------------------- the three namespaces
for ns in $PM $GM $SV; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add wgkp$$a type veth peer name wgkp$$b
ip link add wgkp$$c type veth peer name wgkp$$d
ip link set wgkp$$a netns $PM; ip link set wgkp$$b netns $SV
ip link set wgkp$$c netns $GM; ip link set wgkp$$d netns $SV
ip -n $PM addr add 10.217.1.1/24 dev wgkp$$a; ip -n $SV addr add 10.217.1.2/24 dev wgkp$$b
ip -n $GM addr add 10.217.2.1/24 dev wgkp$$c; ip -n $SV addr add 10.217.2.2/24 dev wgkp$$d
for l in "$PM wgkp$$a" "$SV wgkp$$b" "$GM wgkp$$c" "$SV wgkp$$d"; do set -- $l; ip -n "$1" link set "$2" up; done
# The module needs a default route: that is when the netif registry calls the network ready.
ip -n $PM route add default via 10.217.1.2
ip -n $GM route add default via 10.217.2.2

umask 077
for k in sv pm gm; do wg genkey > "$work/$k.key"; wg pubkey < "$work/$k.key" > "$work/$k.pub"; done
wg genpsk > "$work/psk"
umask 022

ip netns exec $SV env WG_PROCESS_FOREGROUND=1 wireguard-go $WS >"$work/wg-sv.log" 2>&1 &
ip netns exec $GM env WG_PROCESS_FOREGROUND=1 wireguard-go $WM >"$work/wg-gm.log" 2>&1 &
await 50 "wireguard-go's interfaces" ip -n $SV link show $WS
await 50 "wireguard-go's interfaces" ip -n $GM link show $WM
ip netns exec $SV wg set $WS private-key "$work/sv.key" listen-port 51820 \
  peer "$(cat "$work/pm.pub")" preshared-key "$work/psk" allowed-ips 172.16.10.20/32 \
  peer "$(cat "$work/gm.pub")" preshared-key "$work/psk" allowed-ips 172.16.10.30/32
ip netns exec $GM wg set $WM private-key "$work/gm.key" listen-port 11010 \
  peer "$(cat "$work/sv.pub")" preshared-key "$work/psk" allowed-ips 172.16.0.0/12 \
  endpoint 10.217.2.2:51820 persistent-keepalive 25
ip -n $SV addr add 172.16.1.10/12 dev $WS; ip -n $SV link set $WS mtu 1420 up
ip -n $GM addr add 172.16.10.30/12 dev $WM; ip -n $GM link set $WM mtu 1420 up
gm_pid=$(ip netns pids $GM | head -1)
ip netns exec $SV iperf3 -s -B 172.16.1.10 >/dev/null 2>&1 &
await 50 "iperf3 -s" sh -c "ip netns exec $SV ss -ltn | grep -q '172.16.1.10:5201 '"

# ---------------------------------------------------------------- the product, as a user runs it
tar xzf "$dist" -C "$work"
karaf=$(echo "$work"/karaf-dist-*)
ip netns exec $PM env EXTRA_JAVA_OPTS="$java_opts" "$karaf/bin/karaf" server >"$work/karaf.out" 2>&1 &
client() { ip netns exec $PM "$karaf/bin/client" -b "$@" 2>/dev/null; }
status_has() { echo 'wireguard status' | client | grep -q "$1"; }
await 1200 "Karaf's console (see $work/karaf.out)" status_has 'Connection status:'
karaf_pid=$(pgrep -f -- "-Dkaraf.home=$karaf" | head -1)
[ -n "$karaf_pid" ] || { echo "product.sh: cannot find Karaf's JVM" >&2; exit 1; }
cat > "$work/quick-start.txt" <<QS
config set network.wireguard local_ip_address 172.16.10.20
config set network.wireguard local_ip_netmask 255.240.0.0
config set network.wireguard local_port 11010
config set network.wireguard local_private_key "$(cat "$work/pm.key")"
config set network.wireguard peer_endpoint 10.217.1.2
config set network.wireguard peer_port 51820
config set network.wireguard peer_public_key "$(cat "$work/sv.pub")"
config set network.wireguard preshared_key "$(cat "$work/psk")"
config set network.wireguard persistent_keepalive 25
config set network.wireguard interface_backend tun
QS
client -f "$work/quick-start.txt" </dev/null >/dev/null
await 600 "the product's tunnel (wireguard status: Peer status up)" status_has 'Peer status:  up'
await 100 "a ping through the product's tunnel" ip netns exec $PM ping -c1 -W1 172.16.1.10
await 100 "a ping through wireguard-go's tunnel" ip netns exec $GM ping -c1 -W1 172.16.1.10

ticks_per_second=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
cpu_per_gb() { awk -v t="$1" -v hz="$ticks_per_second" -v B="$2" 'BEGIN{printf "%.2f", t/hz/(B/1e9)}'; } # ticks bytes
mbit_per_s() { awk -v B="$1" -v s="$2" -v e="$3" 'BEGIN{printf "%.1f", B*8/1e6/(e-s)}'; } # bytes start end
# The median of one measure of one setup over the runs, "-" when there is none.
med() { awk -F'\t' -v s="$1" -v m="$2" '$2==s && $3==m {print $4}' "$work/results.tsv" | sort -g |
  awk '{v[NR]=$1} END{if (NR==0) print "-"; else if (NR%2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2]+v[NR/2+1])/2}'; }
# One line per measurement: run setup measure value unit
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >> "$work/results.tsv"; printf 'run %s  %-12s %-28s %10s %s\n' "$@"; }

# iperf3 from namespace $3, whose module process is pid $4; $5 is "" (module to server) or -R.
iperf() {
  local run=$1 setup=$2 ns=$3 pid=$4 reverse=$5 dir before after json
  dir=$([ -z "$reverse" ] && echo from-module || echo to-module)
  before=$(cpu_ticks "$pid")
  json=$(ip netns exec "$ns" iperf3 -c 172.16.1.10 -t "$seconds" -J $reverse)
  after=$(cpu_ticks "$pid")
  local bps bytes
  bps=$(jq '.end.sum_received.bits_per_second' <<<"$json")
  bytes=$(jq '.end.sum_received.bytes' <<<"$json")
  record "$run" "$setup" "iperf3-$dir" "$(awk -v b="$bps" 'BEGIN{printf "%.1f", b/1e6}')" Mbit/s
  record "$run" "$setup" "cpu-$dir" "$(cpu_per_gb $((after - before)) "$bytes")" s/GB
}

ping_rtt() { # run setup address
  local times
  times=$({ ip netns exec $SV ping -n -c 500 -i 0.01 "$3" || true; } | sed -n 's/.*time=\([0-9.]*\) ms$/\1/p' | sort -g)
  [ -n "$times" ] || { echo "product.sh: no ping answered by $2 ($3)" >&2; exit 1; }
  record "$1" "$2" ping-rtt "$(awk '{v[NR]=$1} END{printf "%.3f", NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}' <<<"$times")" ms
  record "$1" "$2" ping-rtt-mean "$(awk '{s+=$1} END{printf "%.3f", s/NR}' <<<"$times")" ms
  record "$1" "$2" ping-rtt-p99 "$(awk '{v[NR]=$1} END{i=int(NR*0.99+0.5); if (i<1) i=1; printf "%.3f", v[i]}' <<<"$times")" ms
}

# nc bulk transfer of $mib MiB: $3 namespace, $4 pid, $5 nc options to reach the server, $6 port base
bulk() {
  local run=$1 setup=$2 ns=$3 pid=$4 via=$5 port=$6 bytes=$((mib * 1048576)) start end before after
  # to module: the server sends, the module's nc only reads
  ip netns exec $SV sh -c "head -c $bytes /dev/zero | nc -N -l 172.16.1.10 $port" &
  local server=$!
  await 50 "nc -l" sh -c "ip netns exec $SV ss -ltn | grep -q '172.16.1.10:$port '"
  before=$(cpu_ticks "$pid"); start=$(date +%s.%N)
  # shellcheck disable=SC2086
  ip netns exec "$ns" nc -d $via 172.16.1.10 "$port" | wc -c > "$work/received"
  end=$(date +%s.%N); after=$(cpu_ticks "$pid")
  wait $server || true
  [ "$(cat "$work/received")" = "$bytes" ] || { echo "product.sh: $setup received $(cat "$work/received") of $bytes bytes" >&2; exit 1; }
  record "$run" "$setup" nc-to-module "$(mbit_per_s "$bytes" "$start" "$end")" Mbit/s
  record "$run" "$setup" cpu-nc-to-module "$(cpu_per_gb $((after - before)) "$bytes")" s/GB
  # from module: the module's nc sends, the server counts
  ip netns exec $SV sh -c "nc -d -l 172.16.1.10 $((port + 1)) | wc -c > $work/sent" &
  server=$!
  await 50 "nc -l" sh -c "ip netns exec $SV ss -ltn | grep -q '172.16.1.10:$((port + 1)) '"
  before=$(cpu_ticks "$pid"); start=$(date +%s.%N)
  # shellcheck disable=SC2086
  head -c $bytes /dev/zero | ip netns exec "$ns" nc -N $via 172.16.1.10 $((port + 1))
  wait $server || true
  end=$(date +%s.%N); after=$(cpu_ticks "$pid")
  [ "$(cat "$work/sent")" = "$bytes" ] || { echo "product.sh: the server got $(cat "$work/sent") of $bytes bytes from $setup" >&2; exit 1; }
  record "$run" "$setup" nc-from-module "$(mbit_per_s "$bytes" "$start" "$end")" Mbit/s
  record "$run" "$setup" cpu-nc-from-module "$(cpu_per_gb $((after - before)) "$bytes")" s/GB
}

{
  echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1)"
  echo "# git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)'); $(wireguard-go --version | head -1); $(iperf3 --version | head -1)"
  echo "# $runs runs; iperf3 -t $seconds; nc $mib MiB; the product's JVM: pid $karaf_pid${java_opts:+, with $java_opts}"
  echo "# the product on the tun backend (kernel TCP over our TUN interface and engine), and wireguard-go"
  # Warm-up, not recorded: the JIT compiles the packet path before anything is measured.
  ip netns exec $PM iperf3 -c 172.16.1.10 -t 5 >/dev/null
  ip netns exec $PM iperf3 -c 172.16.1.10 -t 5 -R >/dev/null
  port=6000
  for run in $(seq "$runs"); do
    order="tun wireguard-go"; [ $((run % 2)) = 0 ] && order="wireguard-go tun"
    for setup in $order; do
      if [ "$setup" = tun ]; then ns=$PM pid=$karaf_pid addr=172.16.10.20; else ns=$GM pid=$gm_pid addr=172.16.10.30; fi
      iperf "$run" "$setup" "$ns" "$pid" ""
      iperf "$run" "$setup" "$ns" "$pid" -R
      ping_rtt "$run" "$setup" "$addr"
    done
  done
  echo "# the product on the userspace backend (our TCP; nc through its SOCKS5 proxy), and wireguard-go (nc direct)"
  printf 'config set network.wireguard socks_port 1080\nconfig set network.wireguard interface_backend userspace\n' > "$work/userspace.txt"
  client -f "$work/userspace.txt" </dev/null >/dev/null
  await 600 "the SOCKS5 proxy on the userspace backend" sh -c "ip netns exec $PM ss -ltn | grep -qE '127.0.0.1\]?:1080 '"
  await 600 "the userspace tunnel" status_has 'Peer status:  up'
  await 300 "a ping to the userspace backend" ip netns exec $SV ping -c1 -W1 172.16.10.20
  bulk 0 warm-up $PM "$karaf_pid" "-X 5 -x 127.0.0.1:1080" $port >/dev/null
  port=$((port + 2))
  for run in $(seq "$runs"); do
    order="userspace wireguard-go"; [ $((run % 2)) = 0 ] && order="wireguard-go userspace"
    for setup in $order; do
      if [ "$setup" = userspace ]; then
        bulk "$run" userspace $PM "$karaf_pid" "-X 5 -x 127.0.0.1:1080" $port
        ping_rtt "$run" userspace 172.16.10.20
      else
        bulk "$run" wireguard-go $GM "$gm_pid" "" $port
      fi
      port=$((port + 2))
    done
  done
  echo
  echo "# the product's $(grep -ho 'Transport AEAD: .*' "$karaf"/data/log/karaf.log | tail -1)"
  echo "# medians over $runs runs, and the product's ratio to wireguard-go (for CPU and RTT, lower is better)"
  printf '%-22s %12s %12s %12s %8s\n' measure tun userspace wireguard-go ratio
  for m in iperf3-from-module iperf3-to-module cpu-from-module cpu-to-module ping-rtt ping-rtt-mean ping-rtt-p99 nc-from-module nc-to-module cpu-nc-from-module cpu-nc-to-module; do
    t=$(med tun $m); u=$(med userspace $m); g=$(med wireguard-go $m)
    if [[ $m == nc* || $m == cpu-nc* ]]; then ours=$u; else ours=$t; fi
    if [[ $m == ping-rtt* ]]; then # a difference, not a ratio: the goal is within 0.05 ms (of the medians)
      printf '%-22s %12s %12s %12s %8s\n' $m "$t" "$u" "$g" "$(awk -v a="$t" -v b="$g" 'BEGIN{printf "%+.3f ms", a-b}')"
      continue
    fi
    printf '%-22s %12s %12s %12s %8s\n' $m "$t" "$u" "$g" "$(awk -v a="$ours" -v b="$g" 'BEGIN{if (b>0 && a!="-") printf "%.2f", a/b; else print "-"}')"
  done
} 2>&1 | tee "$out"
echo "written: $out"
