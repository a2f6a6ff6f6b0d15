#!/bin/sh
# Builds the engine's native X25519 (libwgkx25519.so) for Linux x86-64; run by Maven
# (bundles/engine/pom.xml, profile native-x25519) in the compile phase.
#
#   build.sh SOURCE_DIR OUTPUT_DIR JAVA_HOME WORK_DIR
#
# Generic x86-64 code (no -march=native: the build machine is not the target).
set -eu
src=$1; out=$2; jdk=$3; work=$4
skip_hint="or build with -Dx25519.native.skip=true to use BouncyCastle's X25519 (slower handshakes)"
cc=${CC:-gcc}
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "[x25519] $cc not found: install gcc to build the native X25519 (Debian/Ubuntu: apt-get install gcc libc6-dev), $skip_hint" >&2
  exit 1
fi
if [ ! -f "$jdk/include/jni.h" ] && [ -f "$jdk/../include/jni.h" ]; then
  jdk="$jdk/.."  # java.home of a JDK 8 layout (jre/)
fi
if [ ! -f "$jdk/include/jni.h" ]; then
  echo "[x25519] no jni.h under $jdk/include: run Maven on a full JDK (Debian: openjdk-17-jdk-headless), $skip_hint" >&2
  exit 1
fi
mkdir -p "$out" "$work"
flags="-std=gnu11 -O2 -fPIC -Wall -Wextra -Werror -fvisibility=hidden -march=x86-64 -mtune=generic"
# -fstack-usage: the frames' sizes, checked below against the stack area wiped after each call.
if ! "$cc" $flags -fstack-usage -c "$src/x25519.c" -o "$work/x25519.o" \
  || ! "$cc" $flags -fstack-usage -c "$src/x25519_mulx.c" -o "$work/x25519_mulx.o" \
  || ! "$cc" $flags -I"$jdk/include" -I"$jdk/include/linux" -c "$src/x25519_jni.c" -o "$work/x25519_jni.o"; then
  echo "[x25519] compiling failed: is libc6-dev installed (apt-get install gcc libc6-dev)? $skip_hint" >&2
  exit 1
fi
# Everything but the entry points, the wiping function and what runs once at load (the table's
# builder, on public values, and the processor check) together is an upper bound of the depth
# a computation reaches below its entry point's frame.
depth=$(cat "$work/x25519.su" "$work/x25519_mulx.su" \
  | awk -F'\t' '$1 !~ /:(wgk_x25519|wgk_x25519_base|wgk_x25519_portable|burn_stack|build_table|choose_ladder|wgk_x25519_mulx_usable)$/ { n += $2 } END { print n + 0 }')
burn=$(sed -n 's/^#define BURN_BYTES \([0-9]*\).*/\1/p' "$src/x25519.c")
if [ "$depth" -ge $((burn - 256)) ]; then
  echo "[x25519] the computation's frames take up to $depth bytes of stack, the wipe covers $burn: raise BURN_BYTES in x25519.c" >&2
  exit 1
fi
# -z now: symbols bound at load. Bound lazily, the first call of explicit_bzero went through the
# dynamic linker, which saved the registers (scalar bytes among them) on the stack below the
# wiped area; the stack test below found them there.
"$cc" -shared -fPIC -Wl,-z,noexecstack -Wl,-z,relro,-z,now -Wl,--no-undefined -o "$out/libwgkx25519.so" \
  "$work/x25519.o" "$work/x25519_mulx.o" "$work/x25519_jni.o"
# No copy of the scalar or the result may be left on the stack after a call.
"$cc" -std=gnu11 -O2 -I"$src" -Wl,-z,now -o "$work/x25519_stack_test" "$src/../../test/c/x25519_stack_test.c" "$work/x25519.o" "$work/x25519_mulx.o"
if ! "$work/x25519_stack_test"; then
  echo "[x25519] key material was left on the stack after a call (x25519_stack_test above)" >&2
  exit 1
fi
# The fixed-base multiplication against RFC 7748's public keys and the ladder from u = 9.
"$cc" -std=gnu11 -O2 -I"$src" -Wl,-z,now -o "$work/x25519_base_test" "$src/../../test/c/x25519_base_test.c" "$work/x25519.o" "$work/x25519_mulx.o"
if ! "$work/x25519_base_test"; then
  echo "[x25519] the fixed-base multiplication differs from the ladder (x25519_base_test above)" >&2
  exit 1
fi
# The BMI2/ADX ladder's field operations against a bit-serial reference and its agreements against
# the portable ladder (it includes x25519_mulx.c itself, so it links x25519.o alone).
"$cc" -std=gnu11 -O2 -I"$src" -Wl,-z,now -o "$work/x25519_mulx_test" "$src/../../test/c/x25519_mulx_test.c" "$work/x25519.o"
if ! "$work/x25519_mulx_test"; then
  echo "[x25519] the BMI2/ADX ladder differs from the reference or the portable ladder (x25519_mulx_test above)" >&2
  exit 1
fi
echo "[x25519] built $out/libwgkx25519.so (frames $depth bytes, wiped $burn; stack, fixed-base and BMI2/ADX tests passed)"
