#!/usr/bin/env bash
# Runs every benchmark of the bench module COUNT times (default 10), in
# COUNT rounds of one run of each, then prints benchstat's comparison of
# the implementations (-col /impl) and markdown tables of the medians (internal/benchtable): per kernel,
# derivmath's median, each peer's median and allocs, the ratio of derivmath
# to the fastest of udecimal and govalues and derivmath/float64; the
# account checks against float64 with issue 10's targets; the order book.
# RESULTS.md holds one run. About 3 1/2 minutes with the defaults: each of
# the 10 rounds runs 73 benchmarks (sub-benchmarks counted) for about
# 1.2 x 200ms each (go test aims 20% past -benchtime), about 18 s, plus
# about 3 s of set-up (one -benchtime 1x round takes 3 s). Only ratios
# from one run compare: the machine's speed drifts between runs.
#
#   bench/run.sh                      # COUNT=10 BENCHTIME=200ms
#   COUNT=6 BENCHTIME=100ms RAW=/tmp/raw.txt bench/run.sh
set -euo pipefail
cd "$(dirname "$0")"

count=${COUNT:-10}
benchtime=${BENCHTIME:-200ms}
BENCHSTAT_VERSION=v0.0.0-20260908200009-22c9c6c9d4da

if [ -x ../.tools/bin/benchstat ]; then
	benchstat() { ../.tools/bin/benchstat "$@"; }
elif command -v benchstat >/dev/null; then
	benchstat() { command benchstat "$@"; }
else
	benchstat() { go run "golang.org/x/perf/cmd/benchstat@$BENCHSTAT_VERSION" "$@"; }
fi

raw=${RAW:-$(mktemp)}

# COUNT rounds of one run of every benchmark, not COUNT runs of each in a
# row: a burst of load on a shared machine then falls on every
# implementation of a kernel alike instead of on one of them.
bin=$(mktemp -d)
trap 'rm -rf "$bin"; [ -n "${RAW:-}" ] || rm -f "$raw"' EXIT
go test -c -o "$bin/bench.test" .
: >"$raw"
echo "$count rounds of: bench.test -test.run '^\$' -test.bench . -test.benchtime $benchtime -test.benchmem" >&2
for i in $(seq "$count"); do
	if ! "$bin/bench.test" -test.run '^$' -test.bench . -test.benchtime "$benchtime" -test.benchmem -test.timeout 30m >>"$raw"; then
		cat "$raw" >&2
		exit 1
	fi
done

echo '```'
benchstat -col /impl "$raw"
echo '```'
echo
echo "$(date -u +%Y-%m-%d), $(go version | cut -d' ' -f3-), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; median of $count runs of $benchtime"
echo
benchstat -col /impl -format csv "$raw" 2>/dev/null | go run ./internal/benchtable
