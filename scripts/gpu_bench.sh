#!/usr/bin/env bash
# The GPU checks and the benchmark suite on a CUDA GPU, in one go. Run from the repository root, in an
# environment where moonwalk_nb (and optionally the peers: pip install --no-deps memcnn revlib) is
# installed with a CUDA build of torch.
#   usage: scripts/gpu_bench.sh [OUT_DIR] [gpu_bench.py options]
#   1. scripts/gpu_bench.py: float64 parity of every engine against backprop on the GPU, time ratios and
#      seconds per phase (CUDA events), the allocator's peak per engine and depth, max depth under a budget;
#   2. moonwalk bench --full --device cuda: the whole suite, its table beside bench.json and the figures.
# Without a GPU it refuses (exit status 2). `scripts/gpu_bench.sh OUT --device cpu --tiny` checks the
# scripts on a CPU in a minute or two (step 2 is skipped with --tiny).
set -euo pipefail
out="${1:-bench_out/gpu-$(date +%Y%m%d-%H%M%S)}"
shift || true
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
nvidia-smi > "$out/nvidia-smi.txt" 2>&1 || true
python "$here/gpu_bench.py" --out "$out/checks" "$@" | tee "$out/checks.txt"
case " $* " in *" --tiny "*) echo "results in $out (--tiny: the full suite skipped)"; exit 0;; esac
moonwalk bench --full --device cuda --out "$out/suite" | tee "$out/suite_table.txt"
echo "results in $out"
