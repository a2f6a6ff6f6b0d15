#!/usr/bin/env bash
# The main job on this machine, with nothing but a JDK 17 and Maven: build, start the wgkaraf
# distribution and a WireGuard server on loopback (our own engine, holding the guide's server key),
# type the guide's quick start into Karaf's shell as written, and show that the tunnel works.
#   ./demo.sh              run it, and stop everything at the end (pass or fail)
#   ./demo.sh --keep       leave Karaf and the server running (stop them: target/demo/stop.sh)
#   ./demo.sh --no-build   use what the last build left (target/, ~/.m2) instead of building
# Exit code 0 only when the tunnel carried the guide's ping with 0% loss; on any failure, a message
# says what failed and which log to read, and nothing is left running.
set -euo pipefail
cd "$(dirname "$0")"
keep=no
build=yes
for arg in "$@"; do
  case "$arg" in
    --keep) keep=yes ;;
    --no-build) build=no ;;
    *) echo "demo.sh: unknown option $arg (use --keep, --no-build)" >&2; exit 2 ;;
  esac
done
if [ -d /usr/lib/jvm/java-17-openjdk-amd64 ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi
if [ -z "${JAVA_HOME:-}" ]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  export JAVA_HOME
fi
export PATH="$JAVA_HOME/bin:$PATH"
java -version 2>&1 | grep -q 'version "17' || { echo "demo.sh needs JDK 17 (set JAVA_HOME): Karaf 4.4.10 does not run on newer JDKs" >&2; exit 2; }

fail() {
  echo "== FAILED: $*" >&2
  [ -n "${karaf:-}" ] && echo "   Karaf's log: $PWD/$karaf/data/log/karaf.log (and $PWD/$demo/karaf.out)" >&2
  echo "   the demo server's log: $PWD/$demo/server.log" >&2
  exit 1
}

if [ "$build" = yes ]; then
  echo "== building (mvn -DskipTests install)"
  mvn -B -q -ntp -DskipTests install || fail "the build failed (see Maven's output above)"
fi

demo=target/demo
[ -x "$demo/stop.sh" ] && "$demo/stop.sh" >/dev/null 2>&1 || true # a demo left running with --keep
rm -rf "$demo" && mkdir -p "$demo"
dist=$(ls karaf-dist/target/karaf-dist-*.tar.gz 2>/dev/null | head -1)
[ -n "$dist" ] || fail "no distribution in karaf-dist/target: run without --no-build"
tar xzf "$dist" -C "$demo"
karaf=$(echo "$demo"/karaf-dist-*)
# The guide's server is wg.example.net: this JVM-only hosts file points it at loopback.
printf '127.0.0.1 wg.example.net localhost\n' > "$demo/hosts"

# Everything started from here is stopped by stop.sh, which waits until each process has exited.
cat > "$demo/stop.sh" <<'STOP'
#!/usr/bin/env bash
# Stops the demo's Karaf and WireGuard server and waits until both have exited.
cd "$(dirname "$0")"
wait_gone() { # pid seconds
  for _ in $(seq $(( $2 * 10 ))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}
if [ -f karaf.pid ]; then
  pid=$(cat karaf.pid)
  if kill -0 "$pid" 2>/dev/null; then
    ./karaf-dist-*/bin/stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null
    if ! wait_gone "$pid" 60; then
      echo "Karaf (pid $pid) did not exit within 60 s of bin/stop; its threads:" >&2
      jstack "$pid" > karaf-threads.txt 2>&1 && echo "  written to $PWD/karaf-threads.txt" >&2
      kill -9 "$pid" 2>/dev/null
      wait_gone "$pid" 10
    fi
  fi
  rm -f karaf.pid
fi
if [ -f server.pid ]; then
  pid=$(cat server.pid)
  kill "$pid" 2>/dev/null && { wait_gone "$pid" 10 || kill -9 "$pid" 2>/dev/null; }
  rm -f server.pid
fi
true
STOP
chmod +x "$demo/stop.sh"
finish() {
  rc=$?
  if [ "$keep" = yes ] && [ $rc = 0 ]; then
    echo "== left running; stop with $demo/stop.sh"
  else
    "$demo/stop.sh"
  fi
  exit $rc
}
trap finish EXIT
trap 'exit 130' INT TERM

echo "== starting the demo WireGuard server on 127.0.0.1:51820"
java -cp "demo/target/classes:$(cat demo/target/classpath.txt)" org.wgkaraf.demo.DemoServer 51820 > "$demo/server.log" 2>&1 &
echo $! > "$demo/server.pid"

echo "== starting Karaf ($karaf)"
# In the foreground of a background job (not bin/start), so stop.sh knows the process to wait for.
EXTRA_JAVA_OPTS="-Djdk.net.hosts.file=$PWD/$demo/hosts" "$karaf/bin/karaf" server > "$demo/karaf.out" 2>&1 &
echo $! > "$demo/karaf.pid"
# No credentials: bin/client logs in with the password the distribution made for itself at its
# first start (etc/users.properties).
client() { "$karaf/bin/client" -b "$@" 2>/dev/null; }
ready=no
for _ in $(seq 120); do
  kill -0 "$(cat "$demo/karaf.pid")" 2>/dev/null || fail "Karaf exited during its start"
  kill -0 "$(cat "$demo/server.pid")" 2>/dev/null || fail "the demo server exited"
  if echo 'wireguard status' | client | grep -q 'Connection status:'; then ready=yes; break; fi
  sleep 1
done
[ "$ready" = yes ] || fail "Karaf's console did not answer within 120 s"

echo "== typing the guide's quick start into Karaf's shell"
cat > "$demo/quick-start.txt" <<'QS'
config set network.wireguard local_ip_address 172.16.10.20
config set network.wireguard local_ip_netmask 255.240.0.0
config set network.wireguard local_port 11010
config set network.wireguard local_private_key "kI2/adVWRseT2ZtYxn/5lTzQsPKK8F7YHWcIo3iwgHk="
config set network.wireguard peer_endpoint wg.example.net
config set network.wireguard peer_port 51820
config set network.wireguard peer_public_key "r5xRjMaiu1apmP6YzRviL8djtBfjcWGnOd2mmHNOqm4="
config set network.wireguard preshared_key "JUvxtI5sFm9n0zY6N4Z8rz/nSnww2DaeFKsOPGnC1WA="
config set network.wireguard persistent_keepalive 25
QS
sed 's/^/karaf@root()> /' "$demo/quick-start.txt"
out=$(client -f "$demo/quick-start.txt" < /dev/null) || fail "the quick start was refused: $out"

up=no
for _ in $(seq 60); do
  if echo 'wireguard status' | client | grep -q 'Peer status:  up'; then up=yes; break; fi
  sleep 1
done
for cmd in 'wireguard status' 'network status' 'network ping 172.16.1.10'; do
  echo
  echo "karaf@root()> $cmd"
  echo "$cmd" | client || true
done
echo
[ "$up" = yes ] || fail "the peer did not come up within 60 s of the quick start"
if echo 'network ping 172.16.1.10' | client | grep -q ' 0% packet loss'; then
  echo "== the tunnel works. Karaf's console: $karaf/bin/client (or ssh -p 8101 karaf@localhost; the password is in $karaf/etc/users.properties)"
else
  fail "the peer is up but the ping through the tunnel lost packets"
fi
