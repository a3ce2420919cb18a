#!/bin/sh
# npm run build:native [-- ROOT=root.pem CONFIG=maker.json TARGET=arm-linux-gnueabihf ...]: make in
# native/, with ROOT and CONFIG read from the caller's folder; stops with one line when the C
# compiler or the Debian packages the build links are missing.
set -eu
caller=${INIT_CWD:-$(pwd)}
cd "$(dirname "$0")"
args=""
target=""
for arg in "$@"; do
  case $arg in
    ROOT=?*|CONFIG=?*)
      value=${arg#*=}
      case $value in /*) ;; *) value="$caller/$value" ;; esac
      arg="${arg%%=*}=$value" ;;
    TARGET=*) target=${arg#TARGET=} ;;
  esac
  args="$args '$arg'"
done
cc=${CC:-cc}
case " $* " in *" SANITIZE=1 "*) cc=clang-14 ;; esac
[ -n "$target" ] && cc="$target-gcc"
if ! command -v "$cc" >/dev/null 2>&1 || ! command -v make >/dev/null 2>&1; then
  echo "build:native needs a C compiler and make: apt-get install gcc make libmbedtls-dev libbearssl-dev libsodium-dev libjansson-dev${target:+ gcc-$target}" >&2
  exit 1
fi
if ! printf '#include <mbedtls/rsa.h>\n#include <bearssl/bearssl_ec.h>\n#include <sodium/crypto_sign_ed25519.h>\n#include <jansson.h>\n' | "$cc" -E - >/dev/null 2>&1; then
  echo "build:native needs mbedTLS, BearSSL, libsodium and jansson headers: apt-get install libmbedtls-dev libbearssl-dev libsodium-dev libjansson-dev${target:+ (for $target: dpkg --add-architecture and the :arch packages)}" >&2
  exit 1
fi
# One build at a time (test files build on start, possibly side by side).
mkdir -p build
if command -v flock >/dev/null 2>&1; then
  exec 9>build/.lock
  flock 9
fi
eval "make -s $args"
