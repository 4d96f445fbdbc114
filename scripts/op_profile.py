#!/usr/bin/env python
"""Per-operation CPU time of backprop, mixed Moonwalk and RevBackprop on one benchmark problem (torch.profiler,
self time per aten op, per gradient call). The phases part of `moonwalk bench` says which phase costs; this says
which operations inside it do.
  usage: python scripts/op_profile.py [--model revnet_mlp] [--depth 32] [--batch 256] [--threads 1] [--calls 3] [--top 28]"""
import argparse
import torch
from torch.profiler import profile, ProfilerActivity
from moonwalk_nb.bench import Problem, run_engine, zero_grads

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--model', default='revnet_mlp'); p.add_argument('--depth', type=int, default=32)
p.add_argument('--batch', type=int, default=256); p.add_argument('--threads', type=int, default=1)
p.add_argument('--calls', type=int, default=3); p.add_argument('--top', type=int, default=28)
p.add_argument('--engines', default='backprop,moonwalk,rev_backprop')
a = p.parse_args()
torch.set_num_threads(a.threads)
kw = dict(dim=256, width=512) if a.model == 'revnet_mlp' else {}
model, x, loss_fn = Problem(a.model, depth=a.depth, batch=a.batch, **kw).build()
res = {}
for e in a.engines.split(','):
    for _ in range(2): zero_grads(model); run_engine(e, model, x, loss_fn)          # warm-up
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(a.calls): zero_grads(model); run_engine(e, model, x, loss_fn)
    res[e] = {k.key: (k.self_cpu_time_total / 1e3 / a.calls, k.count // a.calls) for k in prof.key_averages()}
ops = sorted(set().union(*res.values()), key=lambda n: -max(r.get(n, (0, 0))[0] for r in res.values()))
print(f"{a.model}, depth {a.depth}, batch {a.batch}, {a.threads} thread(s), torch {torch.__version__}: self CPU ms and calls per gradient call")
print(f"{'op':<40}" + ''.join(f"{e:>22}" for e in res))
for n in ops[:a.top]:
    print(f"{n[:40]:<40}" + ''.join(f"{res[e].get(n, (0, 0))[0]:>14.1f}ms {res[e].get(n, (0, 0))[1]:>5}" for e in res))
print(f"{'total':<40}" + ''.join(f"{sum(v[0] for v in res[e].values()):>14.1f}ms      " for e in res))
