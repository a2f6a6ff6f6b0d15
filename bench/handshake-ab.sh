#!/usr/bin/env bash
# HandshakeBenchmark on two builds of the engine, or on one build with two sets of JVM options,
# forks interleaved (A B A B ...), so that a busy, shared machine weighs on both alike. Each
# build is a directory holding the engine's `classes` and `test-classes` (copy
# bundles/engine/target/{classes,test-classes} after building each version with
# `mvn -o -DskipTests -pl bundles/engine -am install`). An A or B that starts with -D is JVM
# options instead (space-separated, e.g. -Dwgkaraf.x25519=bc), run on the current build,
# bundles/engine/target.
#
#   bench/handshake-ab.sh ROUNDS DIR_A DIR_B [MAVEN_ARGS...]
#   bench/handshake-ab.sh 4 -Dwgkaraf.x25519=bc -Dwgkaraf.x25519=native -o
#
# Prints per fork: wall-clock handshakes/s, handshakes per second of the benchmark thread's own
# CPU time (what one core does when it is ours), bytes allocated per handshake, load average,
# and the X25519 implementation the fork used. With HANDSHAKE_AB_RAW=FILE each fork's whole JMH
# output is appended to FILE too.
set -euo pipefail
rounds=$1; a=$2; b=$3; shift 3
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -Dstyle.color=never "$@" -f bundles/engine/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
deps=$(cat "$cp_file")
for r in $(seq 1 "$rounds"); do
  for side in "$a" "$b"; do
    if [[ $side == -D* ]]; then
      d=bundles/engine/target; opts=$side; label=$side
    else
      d=$side; opts=; label=$(basename "$side")
    fi
    # the lock keeps two JMH runs apart; on a machine shared with other workers it is ignored.
    # JMH's forks inherit this JVM's options.
    # shellcheck disable=SC2086
    out=$(java $opts -Djmh.ignoreLock=true -cp "$d/test-classes:$d/classes:$deps" org.openjdk.jmh.Main \
      'HandshakeBenchmark.handshake$' -f 1 -wi 2 -w 2s -i 4 -r 2s -prof gc 2>&1)
    if [[ -n ${HANDSHAKE_AB_RAW:-} ]]; then
      printf '==== round %s %s\n%s\n' "$r" "$label" "$out" >>"$HANDSHAKE_AB_RAW"
    fi
    wall=$(awk '$1 == "HandshakeBenchmark.handshake" {print $4}' <<<"$out")
    cpu=$(awk '$1 ~ /:cpuNanos$/ {print $4}' <<<"$out")
    n=$(awk '$1 ~ /:handshakes$/ {print $4}' <<<"$out")
    bytes=$(awk '$1 ~ /alloc.rate.norm$/ {print $4}' <<<"$out")
    impl=$(awk -F': ' '/^X25519.implementation\(\): / {print $2; exit}' <<<"$out")
    percpu=$(awk -v n="$n" -v c="$cpu" 'BEGIN {printf "%.0f", n * 1e9 / c}')
    echo "round $r $label wall/s $wall per-cpu-s $percpu B/op $bytes load $(cut -d' ' -f1 /proc/loadavg) x25519 ${impl:-?}"
  done
done
