#!/usr/bin/env bash
# Analysis speed as a ratio to FFmpeg's decode-only speed on the same file, in the same run.
#
#   tests/bench/analysis_bench.sh [--bench PATH] [--baseline PATH] [--runs N] [--full-runs N]
#                                 [--only NAME] [--write FILE]
#
# For each sample video (opencv-doc's examples/data/*.avi and python3-imageio's cockatoo.mp4)
# it times, interleaved so that load on the machine hits all three alike:
#   decode     ffmpeg -i FILE -an -f null -          (decode only, FFmpeg's own threading)
#   shots      mmv_analysis_bench --shots-only FILE  (shots, keyframes, colours, motion, outline)
#   full       mmv_analysis_bench FILE               (+ faces, people, audio)
# Times are wall clock inside each process, from after opening and probing the file to the
# end, so that loading the shared libraries (OpenCV's pull in GDAL and more: ~0.1 s here) and
# probing are left out of both: FFmpeg's own -benchmark "rtime", and the bench's time around
# VideoAnalyzer::run less its "open_s". Median of the runs. Ratios are analysis frames/s over
# decode frames/s. --write also writes the Markdown table. --baseline runs a second bench
# executable (an earlier build) interleaved with the first and adds its ratios, so that a
# before/after comparison shares the machine's load. The machine's other load is reported
# as the 1-minute load average before the run and after each file (our own processes add
# about 1-2 to it while they run).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bench="$here/../../build/tests/mmv_analysis_bench"
runs=5
full_runs=3
write=""
baseline=""
only=""
while [[ $# -gt 0 ]]; do
    case "$1" in
    --bench) bench=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --full-runs) full_runs=$2; shift 2 ;;
    --write) write=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
[[ -x "$bench" ]] || { echo "no bench executable at $bench (build target mmv_analysis_bench, or pass --bench)" >&2; exit 2; }
command -v ffmpeg >/dev/null || { echo "ffmpeg is missing (scripts/setup.sh)" >&2; exit 2; }

files=(/usr/share/doc/opencv-doc/examples/data/*.avi
       /usr/lib/python3/dist-packages/imageio/resources/images/cockatoo.mp4)
for f in "${files[@]}"; do
    [[ -f "$f" ]] || { echo "missing $f (install opencv-doc and python3-imageio)" >&2; exit 2; }
done

decode_seconds() {
    ffmpeg -hide_banner -nostats -benchmark -i "$1" -an -f null - 2>&1 |
        sed -n 's/.*rtime=\([0-9.]*\)s.*/\1/p'
}

analysis_seconds() {
    "$bench" "$@" 2>/dev/null | awk '/^frames/ { print $4 - $8 }'
}

baseline_seconds() {
    "$baseline" "$@" 2>/dev/null | awk '/^frames/ { print $4 - $8 }'
}

median() {
    (($# > 0)) || { echo 0; return; }
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

load() { cut -d' ' -f1 /proc/loadavg; }
rows=()
start_load=$(load)
echo "load average before the run: $start_load"
printf '%-20s %6s %9s %9s %6s %9s %6s %5s\n' file frames decode/s shots/s ratio full/s ratio load
for f in "${files[@]}"; do
    name=$(basename "$f")
    [[ -z "$only" || "$name" == *"$only"* ]] || continue
    frames=$("$bench" --shots-only "$f" 2>/dev/null | awk '/^frames/ { print $2 }')
    geometry=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height,codec_name \
        -of csv=p=0 "$f" | awk -F, '{ print $2 "x" $3 " " $1 }')
    decode=() shots=() full=() bshots=() bfull=()
    for ((i = 0; i < runs; i++)); do
        decode+=("$(decode_seconds "$f")")
        shots+=("$(analysis_seconds --shots-only "$f")")
        [[ -n "$baseline" ]] && bshots+=("$(baseline_seconds --shots-only "$f")")
        if ((i < full_runs)); then
            full+=("$(analysis_seconds "$f")")
            [[ -n "$baseline" ]] && bfull+=("$(baseline_seconds "$f")")
        fi
    done
    td=$(median "${decode[@]}")
    ts=$(median "${shots[@]}")
    tf=$(median "${full[@]}")
    row=$(awk -v n="$frames" -v d="$td" -v s="$ts" -v f="$tf" -v name="$name" -v geo="$geometry" 'BEGIN {
        full = f > 0 ? sprintf("%.0f|%.2f", n / f, d / f) : "-|-"
        printf "%s|%s|%d|%.0f|%.0f|%.2f|%s", name, geo, n, n / d, n / s, d / s, full }')
    row="$row|$(load)"
    if [[ -n "$baseline" ]]; then
        bs=$(median "${bshots[@]}")
        bf=$(median "${bfull[@]}")
        row="$row|$(awk -v d="$td" -v s="$bs" -v f="$bf" 'BEGIN { printf "%.2f|%.2f", d / s, d / f }')"
    else
        row="$row|-|-"
    fi
    rows+=("$row")
    IFS='|' read -r c1 c2 c3 c4 c5 c6 c7 c8 c9 c10 c11 <<<"$row"
    printf '%-20s %6s %9s %9s %6s %9s %6s %5s' "$c1" "$c3" "$c4" "$c5" "$c6" "$c7" "$c8" "$c9"
    [[ -n "$baseline" ]] && printf '   baseline ratios %s %s' "$c10" "$c11"
    printf '\n'
done

if [[ -n "$write" ]]; then
    {
        if [[ -n "$baseline" ]]; then
            echo "| file | video | frames | decode-only fps | shots-only fps | ratio | full fps | ratio | baseline shots ratio | baseline full ratio | load after |"
            echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        else
            echo "| file | video | frames | decode-only fps | shots-only fps | ratio | full fps | ratio | load after |"
            echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
        fi
        for row in "${rows[@]}"; do
            IFS='|' read -r c1 c2 c3 c4 c5 c6 c7 c8 c9 c10 c11 <<<"$row"
            if [[ -n "$baseline" ]]; then
                echo "| $c1 | $c2 | $c3 | $c4 | $c5 | **$c6** | $c7 | **$c8** | $c10 | $c11 | $c9 |"
            else
                echo "| $c1 | $c2 | $c3 | $c4 | $c5 | **$c6** | $c7 | **$c8** | $c9 |"
            fi
        done
        echo
        echo "Load average (1 min) before the run: $start_load."
    } >"$write"
    echo "table written to $write"
fi
