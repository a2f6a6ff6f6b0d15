#!/usr/bin/env bash
# The main job on this machine, with nothing but a JDK 17 and Maven: build, start the wgkaraf
# distribution and a WireGuard server on loopback (our own engine, holding the guide's server key),
# type the guide's quick start into Karaf's shell as written, and show that the tunnel works.
#   ./demo.sh          run it and stop everything at the end
#   ./demo.sh --keep   leave Karaf and the server running (stop: target/demo/stop.sh)
set -euo pipefail
cd "$(dirname "$0")"
keep=${1:-}
if [ -d /usr/lib/jvm/java-17-openjdk-amd64 ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi
export PATH="${JAVA_HOME:+$JAVA_HOME/bin:}$PATH"
java -version 2>&1 | grep -q 'version "17' || { echo "demo.sh needs JDK 17 (set JAVA_HOME): Karaf 4.4.10 does not run on newer JDKs" >&2; exit 2; }

echo "== building (mvn -DskipTests install)"
mvn -B -q -ntp -DskipTests install

demo=target/demo
rm -rf "$demo" && mkdir -p "$demo"
tar xzf karaf-dist/target/karaf-dist-*.tar.gz -C "$demo"
karaf=$(echo "$demo"/karaf-dist-*)
# The guide's server is wg.example.net: this JVM-only hosts file points it at loopback.
printf '127.0.0.1 wg.example.net localhost\n' > "$demo/hosts"

echo "== starting the demo WireGuard server on 127.0.0.1:51820"
java -cp "demo/target/classes:$(cat demo/target/classpath.txt)" org.wgkaraf.demo.DemoServer 51820 > "$demo/server.log" 2>&1 &
server=$!
cat > "$demo/stop.sh" <<STOP
#!/usr/bin/env bash
"$PWD/$karaf/bin/stop" 2>/dev/null; kill $server 2>/dev/null; true
STOP
chmod +x "$demo/stop.sh"
trap '[ "$keep" = "--keep" ] || "$demo/stop.sh"' EXIT

echo "== starting Karaf ($karaf)"
EXTRA_JAVA_OPTS="-Djdk.net.hosts.file=$PWD/$demo/hosts" "$karaf/bin/start"
client() { "$karaf/bin/client" -u karaf -p karaf -b "$@" 2>/dev/null; }
for i in $(seq 90); do echo 'wireguard status' | client >/dev/null && break; sleep 1; done

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
client -f "$demo/quick-start.txt" < /dev/null

for i in $(seq 30); do echo 'wireguard status' | client | grep -q 'Peer status:  up' && break; sleep 1; done
for cmd in 'wireguard status' 'network status' 'network ping 172.16.1.10'; do
  echo
  echo "karaf@root()> $cmd"
  echo "$cmd" | client
done
echo
if echo 'network ping 172.16.1.10' | client | grep -q ' 0% packet loss'; then
  echo "== the tunnel works. Karaf's console: ssh -p 8101 karaf@localhost (password karaf)"
else
  echo "== the tunnel did not come up; see $karaf/data/log/karaf.log and $demo/server.log" >&2
  exit 1
fi
