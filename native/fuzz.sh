#!/bin/sh
# npm run fuzz:native [-- --seconds N]: builds the libFuzzer target with Debian's clang and runs it
# for N seconds (60 by default) from the committed corpus (native/fuzz/corpus, never written to);
# new inputs go to a temporary folder. Fails on a crash, a leak, undefined behaviour or a timeout.
set -eu
cd "$(dirname "$0")"
seconds=60
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --seconds=*) seconds=${1#--seconds=}; shift ;;
    *) echo "usage: npm run fuzz:native [-- --seconds N]" >&2; exit 2 ;;
  esac
done
if ! command -v clang-14 >/dev/null 2>&1; then
  echo "fuzz:native needs Debian's clang: apt-get install clang-14 libclang-rt-14-dev libmbedtls-dev libbearssl-dev libsodium-dev libjansson-dev" >&2
  exit 1
fi
make -s fuzz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# -timeout: one input may take at most 10 s (a 3 KB license takes microseconds); -rss_limit_mb: a board's memory.
./build/fuzz/parse -max_total_time="$seconds" -timeout=10 -rss_limit_mb=512 -max_len=16384 -print_final_stats=1 \
  -artifact_prefix="$work/" "$work" fuzz/corpus 2>&1 | tail -n 25
