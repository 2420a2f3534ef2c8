#!/usr/bin/env bash
# Runs every fuzz target (or those named) of the libFuzzer build of neurotool-fuzz for SECONDS each.
#
#   tools/fuzz.sh FUZZ_BINARY SECONDS [TARGET...]
#
# Each target starts from its seeds (committed fixtures) and the corpus earlier runs grew in
# .build/fuzz/corpus/TARGET. A crash is a trap, a sanitizer report, a hang past 10 s, an allocation of
# 2 GB or more, 2 GB resident, or an error spanning more than one line. Each crash is classified by where
# it happened:
#   ours      the first frame outside the sanitizer, libFuzzer and libc runtimes is neurotool's (or the
#             Swift runtime called from it), or a memory error hit a buffer neurotool allocated;
#   upstream  it is inside a Debian C library (libhdf5, libmatio, libnetcdf, zlib…) on memory that library
#             allocated: a bug there, kept in .build/fuzz/upstream/TARGET/ to report, and fuzzing goes on.
# The script prints one line per target (runs, runs per second, coverage, corpus, peak memory, crashes)
# and fails when any crash is ours; those are in .build/fuzz/crashes/TARGET/. Commit each to
# Tests/Fuzz/crashers/TARGET/ with its fix: `make test` replays them.
set -uo pipefail
fuzz=$1 seconds=$2
shift 2
root=$(pwd)
work=$root/.build/fuzz
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(NEUROTOOL_FUZZ_TARGET=list "$fuzz" | cut -f1)
fi
# allocator_may_return_null: a C library asking for more than exists gets NULL, as it would without the
# sanitizer (and handles it); neurotool's own allocations still trap on NULL.
export SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1

runtime='compiler-rt|/libc\.so|/libstdc\+\+|/libgcc|fuzzer::|__sanitizer|__asan|libclang_rt|<compiler-generated>'
clibs='libhdf5|libmatio|libnetcdf|libz\.so|libsz\.so|libaec|libdeflate|libcurl'

# The first stack frame after line $2 of log $1 that is not in a runtime.
first_frame() {
    tail -n +"$2" "$1" | awk '/^ *#[0-9]+ /{print; seen=1; next} seen && !/^ *#/{exit}' | grep -Ev "$runtime" | head -1
}

# Prints "ours" or "upstream" for the crash reported in log $1.
classify() {
    local log=$1 start frame alloc
    start=$(grep -n -m1 -E 'ERROR: (AddressSanitizer|libFuzzer)|ALARM|Fatal error|deadly signal' "$log" | cut -d: -f1)
    [ -z "$start" ] && { echo ours; return; }
    frame=$(first_frame "$log" "$start")
    alloc=$(grep -n -m1 -E 'allocated by thread' "$log" | cut -d: -f1)
    if [ -n "$alloc" ] && ! first_frame "$log" "$alloc" | grep -Eq "$clibs"; then echo ours; return; fi
    if echo "$frame" | grep -Eq "$clibs"; then echo upstream; else echo ours; fi
}

failed=0
printf '%-22s %10s %8s %6s %7s %8s %6s %9s\n' target runs runs/s cov corpus peak_MB ours upstream
for target in "${targets[@]}"; do
    seeds=$(NEUROTOOL_FUZZ_TARGET=list "$fuzz" | awk -F'\t' -v t="$target" '$1 == t { print $2 }')
    if [ -z "$seeds" ]; then echo "no target '$target'" >&2; failed=1; continue; fi
    mkdir -p "$work/corpus/$target" "$work/seeds/$target" "$work/crashes/$target" "$work/upstream/$target"
    for seed in $seeds; do cp "$root/$seed" "$work/seeds/$target/"; done
    runs=0 rate_sum=0 rounds=0 peak=0 cov=- ours=0 upstream=0 notes=""
    deadline=$(( $(date +%s) + seconds ))
    # One libFuzzer run per round: a crash ends a run; the next round goes on from the grown corpus.
    while left=$(( deadline - $(date +%s) )); [ "$left" -gt 0 ]; do
        log=$work/$target.log artifacts=$work/round-$target
        rm -rf "$artifacts"; mkdir -p "$artifacts"
        NEUROTOOL_FUZZ_TARGET=$target "$fuzz" "$work/corpus/$target" "$work/seeds/$target" \
            -max_total_time="$left" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -detect_leaks=0 \
            -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
        status=$?
        rounds=$((rounds + 1))
        runs=$((runs + $(awk '/stat::number_of_executed_units/ { print $2 }' "$log" | tail -1 | grep . || echo 0)))
        p=$(awk '/stat::peak_rss_mb/ { print $2 }' "$log" | tail -1); [ -n "$p" ] && [ "$p" -gt "$peak" ] && peak=$p
        c=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2); [ -n "$c" ] && cov=$c
        [ $status -eq 0 ] && break
        artifact=$(ls "$artifacts" | head -1)
        [ -z "$artifact" ] && { notes="$notes; libFuzzer failed (exit $status), see $log"; failed=1; break; }
        kind=$(classify "$log")
        if [ "$kind" = upstream ]; then
            upstream=$((upstream + 1)); dest=$work/upstream/$target
        else
            ours=$((ours + 1)); dest=$work/crashes/$target; failed=1
            what=$(grep -m1 -oE 'ERROR: [A-Za-z]+: [a-z-]+|Fatal error: .{0,80}|out-of-memory|ALARM: working on the last Unit for [0-9]+ seconds' "$log")
            notes="$notes; ${what:-crash}"
        fi
        mv "$artifacts/$artifact" "$dest/"
        cp "$log" "$dest/$artifact.log"
        # Crashing inputs are kept out of the corpus so that the next round does not stop on them again.
        [ -e "$work/corpus/$target/${artifact#*-}" ] && rm -f "$work/corpus/$target/${artifact#*-}"
    done
    # A crashed run leaves its scratch directory (on tmpfs) behind.
    rm -rf "$work/round-$target" /dev/shm/neurotool-fuzz-"$target"-* "${TMPDIR:-/tmp}"/neurotool-fuzz-"$target"-*
    elapsed=$(( seconds > 0 ? seconds : 1 ))
    corpus=$(ls "$work/corpus/$target" | wc -l)
    printf '%-22s %10s %8s %6s %7s %8s %6s %9s%s\n' "$target" "$runs" "$((runs / elapsed))" "$cov" "$corpus" "$peak" \
        "$ours" "$upstream" "${notes:+  ${notes#; }}"
done
exit $failed
