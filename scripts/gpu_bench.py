"""The GPU checks of moonwalk_nb, in one run (what scripts/gpu_bench.sh runs first):

1. parity: every exact engine against backprop in float64 on the device (relative error of the gradients, at most 1e-10);
2. time: interleaved medians of every engine against backprop (float32), and each engine's seconds per phase
   (`phase_breakdown`: on CUDA the phases are timed with CUDA events);
3. memory: the allocator's peak of one gradient call (torch.cuda.max_memory_allocated, in-process), per engine and depth;
4. max depth: the deepest revnet_mlp each engine trains within a memory budget (whole step).

Usage: python scripts/gpu_bench.py [--device cuda|cpu] [--tiny] [--out DIR] [--threads N]
On a machine without CUDA, --device cuda (the default) refuses with exit status 2; --device cpu --tiny checks the script itself.
"""
import argparse, json, sys, time, warnings
from pathlib import Path
import torch

SIZES = {  # problem sizes; tiny: a check of the script on a CPU (seconds of work; memory is measured in subprocesses there)
    'tiny': dict(dim=16, width=32, batch=32, depths=(2, 4), budget=4.0, tol=0.5, cifar_batch=4, cifar_width=4, image=8, repeats=3),
    'full': dict(dim=256, width=512, batch=256, depths=(8, 32, 128), budget=2048.0, tol=0.05, cifar_batch=256, cifar_width=None, image=32, repeats=11),
}

def parse(argv):
    p = argparse.ArgumentParser(prog='gpu_bench.py', description=__doc__.splitlines()[0])
    p.add_argument('--device', choices=('cuda', 'cpu'), default='cuda')
    p.add_argument('--tiny', action='store_true', help='tiny problems (seconds on a CPU): checks the script, measures nothing useful')
    p.add_argument('--out', default=f"bench_out/gpu-checks-{time.strftime('%Y%m%d-%H%M%S')}")
    p.add_argument('--threads', type=int, default=None, help='CPU threads (with --device cpu)')
    return p.parse_args(argv)

def parity(device, sz) -> list[dict]:
    "Every exact engine that applies against backprop, float64, on the device."
    from moonwalk_nb.core import rel_err
    from moonwalk_nb.engines import ENGINES
    from moonwalk_nb.bench import Problem, applicable, run_engine, zero_grads, _grads
    rows = []
    for prob in (Problem('revnet_mlp', depth=4, batch=8, dim=16, width=32, dtype='float64', device=device),
                 Problem('revnet_cifar', depth=3, batch=2, image=8, width=4, dtype='float64', device=device),
                 Problem('relu_convnet', depth=2, batch=2, image=8, width=4, dtype='float64', device=device)):
        model, x, loss_fn = prob.build()
        zero_grads(model); run_engine('backprop', model, x, loss_fn); ref = _grads(model)
        for e, spec in ENGINES.items():
            if not spec.exact or e == 'backprop' or applicable(e, model): continue
            zero_grads(model); run_engine(e, model, x, loss_fn)
            err = rel_err(_grads(model), ref)
            rows.append(dict(model=prob.model, engine=e, rel_err=err, ok=bool(err <= 1e-10)))
    return rows

def peaks(device, sz) -> list[dict]:
    "Peak memory of one gradient call per engine and depth (the allocator's on CUDA, a subprocess's on a CPU)."
    from moonwalk_nb.bench import Problem, measure_memory
    engines = ('backprop', 'checkpointed', 'rev_backprop', 'moonwalk', 'moonwalk/reconstruct')
    return [measure_memory(Problem('revnet_mlp', depth=d, batch=sz['batch'], dim=sz['dim'], width=sz['width'], device=device), e)
            for d in sz['depths'] for e in engines]

def depths(device, sz) -> list[dict]:
    "The deepest revnet_mlp within the budget (whole step), per engine; a search that meets non-finite gradients says where."
    from moonwalk_nb.bench import Problem, budget_depths
    prob, rows = Problem('revnet_mlp', batch=sz['batch'], dim=sz['dim'], width=sz['width'], device=device), []
    for e in ('backprop', 'rev_backprop', 'moonwalk'):
        try: rows.append(budget_depths(prob, e, sz['budget'], start=8, tol=sz['tol']))
        except FloatingPointError as err:   # deep untrained models overflow float32 before the budget is reached (12_report: On a GPU)
            rows.append(dict(engine=e, batch=sz['batch'], max_depth=None, error=f"search stopped: {err}"))
    return rows

def timing(device, sz) -> tuple[list, list]:
    "Time ratios (interleaved medians) and seconds per phase of every engine but naive forward, on revnet_mlp and revnet_cifar."
    from moonwalk_nb.bench import Problem, PEERS, peer_missing, time_engines, phase_breakdown
    engines = ['rev_backprop', 'checkpointed', 'moonwalk', 'moonwalk/reconstruct'] + [p for p in PEERS if not peer_missing(p)]
    probs = [Problem('revnet_mlp', depth=d, batch=sz['batch'], dim=sz['dim'], width=sz['width'], device=device) for d in sz['depths'][-2:]]
    probs.append(Problem('revnet_cifar', depth=sz['depths'][-2], batch=sz['cifar_batch'], image=sz['image'], width=sz['cifar_width'], device=device))
    times, phases = [], []
    for prob in probs:
        times += time_engines(prob, engines, repeats=max(5, sz['repeats']))
        phases += phase_breakdown(prob, engines, repeats=sz['repeats'])
    return times, phases

def show(title, rows, cols):
    print(f"\n{title}\n" + '  '.join(f"{c:>12}" for c in cols))
    for r in rows: print('  '.join(f"{r.get(c, ''):>12.3g}" if isinstance(r.get(c), float) else f"{str(r.get(c, '')):>12}" for c in cols))

def main(argv=None):
    a = parse(sys.argv[1:] if argv is None else argv)
    if a.device == 'cuda' and not torch.cuda.is_available():
        print(f"gpu_bench.py: refusing: --device cuda but CUDA is not available (torch {torch.__version__}, "
              f"cuda {torch.version.cuda}); check the script on a CPU with --device cpu --tiny", file=sys.stderr)
        return 2
    if a.threads: torch.set_num_threads(a.threads)
    warnings.simplefilter('ignore', DeprecationWarning)
    sz, out = SIZES['tiny' if a.tiny else 'full'], Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    dev = torch.cuda.get_device_name(0) if a.device == 'cuda' else f"CPU, {torch.get_num_threads()} threads"
    res = dict(device=dev, torch=torch.__version__, cuda=torch.version.cuda, sizes=sz, started=time.strftime('%Y-%m-%d %H:%M:%S'))
    print(f"gpu_bench.py on {dev} (torch {torch.__version__}), {'tiny' if a.tiny else 'full'} sizes, results in {out}")
    res['parity'] = parity(a.device, sz); show('float64 parity against backprop (rel_err <= 1e-10)', res['parity'], ('model', 'engine', 'rel_err', 'ok'))
    res['time'], res['phases'] = timing(a.device, sz)
    show('time against backprop (interleaved medians, float32)', res['time'], ('model', 'depth', 'engine', 'seconds', 'ratio', 'rel_err_f64'))
    from moonwalk_nb.report import format_tables, write_outputs
    part = dict(meta=dict(device=dev, suite={}), skipped=[], time=[], memory=[], budget=[], pure_vs_naive=[], families=[])
    for model in dict.fromkeys(r['model'] for r in res['phases']):
        print(f"\n{model}:\n" + format_tables(dict(part, phases=[r for r in res['phases'] if r['model'] == model])))
    write_outputs(dict(part, phases=[r for r in res['phases'] if r['model'] == 'revnet_mlp']), out)   # phases.png (and bench.json)
    save = lambda: (out / 'gpu_checks.json').write_text(json.dumps(res, indent=1, default=str))   # after each part: a later failure keeps it
    save()
    res['memory'] = peaks(a.device, sz); show('peak memory of a gradient call (MiB)', res['memory'], ('depth', 'engine', 'call_mib', 'work_mib', 'error')); save()
    res['max_depth'] = depths(a.device, sz); show(f"deepest revnet_mlp within {sz['budget']:g} MiB", res['max_depth'], ('engine', 'batch', 'max_depth', 'error'))
    res['finished'] = time.strftime('%Y-%m-%d %H:%M:%S')
    save()
    bad = [r for r in res['parity'] if not r['ok']]
    if bad: print(f"\nPARITY FAILED: {bad}", file=sys.stderr); return 1
    print(f"\nall {len(res['parity'])} parity checks passed; results in {out}/gpu_checks.json")
    return 0

if __name__ == '__main__': sys.exit(main())
