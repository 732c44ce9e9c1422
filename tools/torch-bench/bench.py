#!/usr/bin/env python3
"""PyTorch half of dev.scoresde.bench.TorchComparisonBench (see docs/benchmarks.md).

Runs the paper's reference model class (yang-song/score_sde_pytorch, eager mode, CPU) with the
weights of a reference checkpoint (its EMA, as the reference evaluates) on inputs written by the Java
side, and prints one JSON object on stdout (logs go to stderr):

  python3 bench.py --reference DIR --checkpoint FILE.pth --job job.json

job.json (written by the Java bench): threads, seconds, min_reps, sample_reps, batches, dir (holding
x.npy (B,C,H,W), t.npy (B), xT.npy (16,C,H,W)), config, and the DPM-Solver++(2M) schedule: a list of
steps {s, sigma_s, alpha_s, c: [a, c0, c1?]} computed by the Java side with the project's own
DpmSolverCoefficients, so both sides apply the identical update
  x0hat = (x + sigma_s^2 * score(x, s)) / alpha_s;  x <- a*x + c0*x0hat + c1*x0hat_prev.
The final samples go to DIR/sample_torch.npy and the batch-16 forward output to DIR/out16_torch.npy.
"""
import argparse
import json
import os
import statistics
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'reference-parity'))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch.utils._python_dispatch import TorchDispatchMode  # noqa: E402

import ref_env  # noqa: E402


def log(*a):
  print(*a, file=sys.stderr, flush=True)


def timed(fn, seconds, min_reps, warmup=1):
  for _ in range(warmup):
    fn()
  ts = []
  start = time.perf_counter()
  while len(ts) < min_reps or time.perf_counter() - start < seconds:
    t0 = time.perf_counter()
    fn()
    ts.append(time.perf_counter() - t0)
  return dict(median_s=statistics.median(ts), runs_s=ts)


class FlopCount(TorchDispatchMode):
  """Counts convolution and matmul FLOPs (2 per multiply-add) from shapes, at the aten level (einsum,
  linear, conv2d, conv_transpose2d all arrive here as convolution / mm / bmm / addmm)."""

  def __init__(self):
    super().__init__()
    self.flops = {}

  def add(self, key, f):
    self.flops[key] = self.flops.get(key, 0) + int(f)

  def __torch_dispatch__(self, func, types, args=(), kwargs=None):
    kwargs = kwargs or {}
    out = func(*args, **kwargs)
    name = func.overloadpacket.__name__
    if name == 'convolution':
      x, w = args[0], args[1]
      transposed, groups = args[6], args[8]
      if transposed:
        # each input element meets every kernel tap: 2 * N * Cin * H_in * W_in * (Cout/groups) * k^2
        cout_g = w.shape[1]
        f = 2 * x.numel() * cout_g * w.shape[2] * w.shape[3]
      else:
        cin_g = w.shape[1]
        f = 2 * out.numel() * cin_g * w.shape[2] * w.shape[3]
      self.add('conv', f)
    elif name in ('mm', 'addmm'):
      a, b = (args[0], args[1]) if name == 'mm' else (args[1], args[2])
      self.add('matmul', 2 * a.shape[0] * a.shape[1] * b.shape[1])
    elif name in ('bmm', 'baddbmm'):
      a, b = (args[0], args[1]) if name == 'bmm' else (args[1], args[2])
      self.add('matmul', 2 * a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2])
    return out


def main():
  ap = argparse.ArgumentParser(description=__doc__)
  ap.add_argument('--reference', required=True)
  ap.add_argument('--checkpoint', required=True)
  ap.add_argument('--job', required=True)
  args = ap.parse_args()
  with open(args.job) as f:
    job = json.load(f)
  threads = int(job['threads'])
  torch.set_num_threads(threads)
  torch.set_num_interop_threads(1)
  R = ref_env.setup(args.reference)
  import generate  # the parity generator: config loading, fixes, SDE construction
  spec = dict(id='bench', config=job['config'], overrides={}, seed=0)
  config, _ = generate.prepare_config(spec)
  mutils, ema_mod, sde_lib = R['models.utils'], R['models.ema'], R['sde_lib']
  sde = generate.build_sde(config, sde_lib)
  model = mutils.create_model(config)
  state = torch.load(args.checkpoint, map_location='cpu')
  model.load_state_dict(state['model'])
  ema = ema_mod.ExponentialMovingAverage(model.parameters(), decay=config.model.ema_rate)
  ema.load_state_dict(state['ema'])
  ema.copy_to(model.parameters())
  model.eval()
  score_fn = mutils.get_score_fn(sde, model, train=False, continuous=config.training.continuous)
  params = sum(p.numel() for p in model.parameters())
  log(f'torch {torch.__version__}, threads {torch.get_num_threads()}, params {params}')

  d = job['dir']
  x_all = torch.from_numpy(np.load(os.path.join(d, 'x.npy')))
  t_all = torch.from_numpy(np.load(os.path.join(d, 't.npy')))
  result = dict(torch_version=torch.__version__, threads=torch.get_num_threads(),
                interop_threads=torch.get_num_interop_threads(), params=params,
                parallel_info=torch.__config__.parallel_info().splitlines()[:8], forward={})
  seconds, min_reps = float(job['seconds']), int(job['min_reps'])

  # raw 3x3 convolution rate, the same shape as NetworkBench's: 64->64 channels, 32x32, batch 64
  g = torch.Generator().manual_seed(0)
  cx = torch.randn(64, 64, 32, 32, generator=g)
  cw = torch.randn(64, 64, 3, 3, generator=g)
  with torch.no_grad():
    r = timed(lambda: torch.nn.functional.conv2d(cx, cw, padding=1).sum().item(), min(max(seconds, 2), 3), 10, warmup=3)
  r['gflops'] = 2.0 * 64 * 64 * 64 * 9 * 32 * 32 / r['median_s'] / 1e9
  result['raw_conv'] = r
  log(f"raw conv {r['gflops']:.1f} GFLOP/s")

  with torch.no_grad():
    for b in job['batches']:
      x, t = x_all[:b].contiguous(), t_all[:b].contiguous()
      fc = FlopCount()
      with fc:
        out = score_fn(x, t)
      if b == 16:
        np.save(os.path.join(d, 'out16_torch.npy'), out.numpy())
      r = timed(lambda: score_fn(x, t), seconds, min_reps)
      r['flops'] = fc.flops
      result['forward'][str(b)] = r
      log(f"forward batch {b}: median {r['median_s']:.3f}s runs {[round(v, 3) for v in r['runs_s']]} flops {fc.flops}")

    schedule = job['schedule']
    xT = torch.from_numpy(np.load(os.path.join(d, 'xT.npy')))
    n = xT.shape[0]
    final = {}

    def sample():
      x = xT.clone()
      prev = None
      for st in schedule:
        s = torch.full((n,), st['s'], dtype=torch.float32)
        x0 = (x + (st['sigma_s'] ** 2) * score_fn(x, s)) / st['alpha_s']
        c = st['c']
        nxt = c[0] * x + c[1] * x0
        if len(c) > 2:
          nxt = nxt + c[2] * prev
        x, prev = nxt, x0
      final['x'] = x

    if int(job['sample_reps']) > 0:
      r = timed(sample, 0, int(job['sample_reps']), warmup=0)
      r['nfe'] = len(schedule)
      result['sample'] = r
      np.save(os.path.join(d, 'sample_torch.npy'), final['x'].numpy())
      log(f"sample {n}x{len(schedule)} NFE: median {r['median_s']:.3f}s")
  print(json.dumps(result))


if __name__ == '__main__':
  main()
