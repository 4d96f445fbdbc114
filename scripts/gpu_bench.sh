#!/usr/bin/env bash
# The benchmark suite on a CUDA GPU, in one go: `moonwalk bench --full --device cuda`, its table
# saved beside bench.json and the figures. Run from anywhere, in an environment where moonwalk_nb
# (and optionally the peers: pip install --no-deps memcnn revlib) is installed with a CUDA build of torch.
#   usage: scripts/gpu_bench.sh [OUT_DIR] [extra moonwalk bench options...]
# Memory on CUDA is read from the allocator (max_memory_allocated), in-process; times are medians of
# interleaved calls with torch.cuda.synchronize() around each. Expect well under an hour on a modern GPU.
set -euo pipefail
out="${1:-bench_out/gpu-$(date +%Y%m%d-%H%M%S)}"
shift || true
python -c 'import torch, sys; ok = torch.cuda.is_available(); print("torch", torch.__version__, "| cuda", torch.version.cuda, "|", torch.cuda.get_device_name(0) if ok else "no GPU"); sys.exit(0 if ok else 1)' \
    || { echo "gpu_bench.sh: no CUDA device visible to torch" >&2; exit 1; }
mkdir -p "$out"
nvidia-smi > "$out/nvidia-smi.txt" 2>&1 || true
moonwalk bench --full --device cuda --out "$out" "$@" | tee "$out/table.txt"
echo "results in $out"
