#!/usr/bin/env python3
"""PyTorch half of dev.scoresde.bench.TorchComparisonBench (see docs/benchmarks.md).

Runs the paper's reference model class (yang-song/score_sde_pytorch, eager mode, CPU) with the weights of
a reference checkpoint (its EMA, as the reference evaluates) as a worker: the Java side sends one JSON
command per line on stdin and reads one JSON answer per line on stdout (logs go to stderr), so that the two
stacks take turns on the machine, row by row:

  python3 bench.py --reference DIR --checkpoint FILE.pth --job job.json

job.json (written by the Java bench): threads, dir (holding x.npy (B,C,H,W), t.npy (B), x0.npy (B,C,H,W)
training data, xT.npy (16,C,H,W)), config, and the DPM-Solver++(2M) schedule: a list of steps
{s, sigma_s, alpha_s, c: [a, c0, c1?]} computed by the Java side with the project's own
DpmSolverCoefficients, so both sides apply the identical update
  x0hat = (x + sigma_s^2 * score(x, s)) / alpha_s;  x <- a*x + c0*x0hat + c1*x0hat_prev.

Commands ({"op": ...}); every timed one answers {"wall_s": [...], "cpu_s": [...]} per call (process CPU time):
  setup                      -> torch version, BLAS, parameter count, the network's convolutions (shapes, counts)
  forward  batch reps        -> score function s(x, t) on the first rows of x, t under no_grad (flops on the first
                                call of a batch size; DIR/out16_torch.npy for batch 16)
  conv     batch reps backward shapes -> the given plain 3x3 convolutions, one call each per rep
  train    batch reps        -> the reference's own training step (losses.get_step_fn: DSM loss, backward,
                                optimization_manager's warm-up, clipping and Adam, EMA update) on a copy of the model
  sample   reps              -> 20 score evaluations with the DPM-Solver++(2M) update (DIR/sample_torch.npy)
  profile  what batch out    -> one forward or training step under torch.profiler, Chrome trace to out
  quit
"""
import argparse
import copy
import json
import os
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


def conv_flops(out_numel, w_shape, transposed, in_numel):
  if transposed:  # each input element meets every kernel tap
    return 2 * in_numel * w_shape[1] * w_shape[2] * w_shape[3]
  return 2 * out_numel * w_shape[1] * w_shape[2] * w_shape[3]


class FlopCount(TorchDispatchMode):
  """Counts convolution and matmul FLOPs (2 per multiply-add) from shapes at the aten level (einsum, linear,
  conv2d all arrive as convolution / mm / bmm / addmm; a backward pass as convolution_backward, whose input and
  weight gradients cost one forward each), and records every convolution's shape."""

  def __init__(self):
    super().__init__()
    self.flops = {}
    self.convs = {}

  def add(self, key, f):
    self.flops[key] = self.flops.get(key, 0) + int(f)

  def __torch_dispatch__(self, func, types, args=(), kwargs=None):
    kwargs = kwargs or {}
    out = func(*args, **kwargs)
    name = func.overloadpacket.__name__
    if name == 'convolution':
      x, w = args[0], args[1]
      stride, padding, transposed, groups = list(args[3]), list(args[4]), args[6], args[8]
      self.add('conv', conv_flops(out.numel(), w.shape, transposed, x.numel()))
      key = (tuple(x.shape[1:]), tuple(w.shape), tuple(stride), tuple(padding), bool(transposed), int(groups))
      self.convs[key] = self.convs.get(key, 0) + 1
    elif name == 'convolution_backward':
      grad_out, x, w, transposed, mask = args[0], args[1], args[2], args[7], args[10]
      self.add('conv', conv_flops(grad_out.numel(), w.shape, transposed, x.numel()) * (int(mask[0]) + int(mask[1])))
    elif name in ('mm', 'addmm'):
      a, b = (args[0], args[1]) if name == 'mm' else (args[1], args[2])
      self.add('matmul', 2 * a.shape[0] * a.shape[1] * b.shape[1])
    elif name in ('bmm', 'baddbmm'):
      a, b = (args[0], args[1]) if name == 'bmm' else (args[1], args[2])
      self.add('matmul', 2 * a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2])
    return out


def timed(fn, reps):
  wall, cpu = [], []
  for _ in range(reps):
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    wall.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
  return dict(wall_s=wall, cpu_s=cpu)


def blas():
  """The BLAS library this process mapped (Debian's python3-torch takes whichever libblas.so.3 is installed)."""
  try:
    with open('/proc/self/maps') as f:
      libs = sorted({line.split()[-1] for line in f if 'blas' in line.lower() and '.so' in line})
    return [os.path.realpath(p) for p in libs]
  except OSError:
    return []


class Worker:
  def __init__(self, args, job):
    self.job = job
    threads = int(job['threads'])
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    R = ref_env.setup(args.reference)
    import generate  # the parity generator: config loading, fixes, SDE construction
    spec = dict(id='bench', config=job['config'], overrides={}, seed=0)
    config, _ = generate.prepare_config(spec)
    self.config = config
    mutils, ema_mod, sde_lib, losses = R['models.utils'], R['models.ema'], R['sde_lib'], R['losses']
    self.sde = sde = generate.build_sde(config, sde_lib)
    model = mutils.create_model(config)
    state = torch.load(args.checkpoint, map_location='cpu')
    model.load_state_dict(state['model'])
    ema = ema_mod.ExponentialMovingAverage(model.parameters(), decay=config.model.ema_rate)
    ema.load_state_dict(state['ema'])
    ema.copy_to(model.parameters())
    model.eval()
    self.model = model
    self.score_fn = mutils.get_score_fn(sde, model, train=False, continuous=config.training.continuous)
    self.params = sum(p.numel() for p in model.parameters())
    # training: the reference's own step on a copy, so the evaluated weights never change
    self.train_model = copy.deepcopy(model)
    self.train_model.train()
    optimizer = losses.get_optimizer(config, self.train_model.parameters())
    self.train_state = dict(optimizer=optimizer, model=self.train_model, step=0,
                            ema=ema_mod.ExponentialMovingAverage(self.train_model.parameters(),
                                                                 decay=config.model.ema_rate))
    self.train_step = losses.get_step_fn(sde, train=True, optimize_fn=losses.optimization_manager(config),
                                         reduce_mean=config.training.reduce_mean,
                                         continuous=config.training.continuous,
                                         likelihood_weighting=config.training.likelihood_weighting)
    d = job['dir']
    self.dir = d
    self.x = torch.from_numpy(np.load(os.path.join(d, 'x.npy')))
    self.t = torch.from_numpy(np.load(os.path.join(d, 't.npy')))
    self.x0 = torch.from_numpy(np.load(os.path.join(d, 'x0.npy')))
    self.xT = torch.from_numpy(np.load(os.path.join(d, 'xT.npy')))
    self.flops = {}
    log(f'torch {torch.__version__}, threads {torch.get_num_threads()}, params {self.params}, blas {blas()}')

  def setup(self, cmd):
    fc = FlopCount()
    with torch.no_grad(), fc:
      self.score_fn(self.x[:1].contiguous(), self.t[:1].contiguous())
    convs = [dict(in_chw=list(k[0]), weight=list(k[1]), stride=list(k[2]), padding=list(k[3]), transposed=k[4],
                  groups=k[5], count=n) for k, n in fc.convs.items()]
    return dict(torch_version=torch.__version__, threads=torch.get_num_threads(),
                interop_threads=torch.get_num_interop_threads(), params=self.params, blas=blas(),
                parallel_info=torch.__config__.parallel_info().splitlines()[:8], convs=convs, flops_per_image=fc.flops)

  def forward(self, cmd):
    b = int(cmd['batch'])
    x, t = self.x[:b].contiguous(), self.t[:b].contiguous()
    out = {}
    with torch.no_grad():
      if b not in self.flops:
        fc = FlopCount()
        with fc:
          y = self.score_fn(x, t)
        self.flops[b] = fc.flops
        if b == 16:
          np.save(os.path.join(self.dir, 'out16_torch.npy'), y.numpy())
      r = timed(lambda: self.score_fn(x, t), int(cmd['reps']))
    r['flops'] = self.flops[b]
    return r | out

  def conv(self, cmd):
    """The given convolutions (in_chw, weight, count), each run bare at the batch size, no bias: per rep, every
    shape once; answers per-shape medians too."""
    b, backward = int(cmd['batch']), bool(cmd.get('backward', False))
    g = torch.Generator().manual_seed(0)
    shapes = []
    for s in cmd['shapes']:
      x = torch.randn(b, *s['in_chw'], generator=g)
      w = torch.randn(*s['weight'], generator=g)
      shapes.append((x, w, int(s.get('padding', 1))))
    per = [[] for _ in shapes]

    def once():
      for i, (x, w, pad) in enumerate(shapes):
        t0 = time.perf_counter()
        if backward:
          xg = x.detach().requires_grad_(True)
          wg = w.detach().requires_grad_(True)
          y = torch.nn.functional.conv2d(xg, wg, padding=pad)
          y.backward(torch.ones_like(y))
        else:
          with torch.no_grad():
            torch.nn.functional.conv2d(x, w, padding=pad)
        per[i].append(time.perf_counter() - t0)

    r = timed(once, int(cmd['reps']))
    r['per_shape_s'] = per
    return r

  def train(self, cmd):
    b = int(cmd['batch'])
    batch = self.x0[:b].contiguous()
    losses = []

    def step():
      losses.append(float(self.train_step(self.train_state, batch)))

    key = ('train', b)
    if key not in self.flops:
      fc = FlopCount()
      with fc:
        step()
      self.flops[key] = fc.flops
    r = timed(step, int(cmd['reps']))
    r['flops'] = self.flops[key]
    r['loss'] = losses
    return r

  def sample(self, cmd):
    schedule = self.job['schedule']
    n = self.xT.shape[0]
    final = {}

    def run():
      x = self.xT.clone()
      prev = None
      with torch.no_grad():
        for st in schedule:
          s = torch.full((n,), st['s'], dtype=torch.float32)
          x0 = (x + (st['sigma_s'] ** 2) * self.score_fn(x, s)) / st['alpha_s']
          c = st['c']
          nxt = c[0] * x + c[1] * x0
          if len(c) > 2:
            nxt = nxt + c[2] * prev
          x, prev = nxt, x0
      final['x'] = x

    r = timed(run, int(cmd['reps']))
    np.save(os.path.join(self.dir, 'sample_torch.npy'), final['x'].numpy())
    r['nfe'] = len(schedule)
    return r

  def profile(self, cmd):
    b, what = int(cmd['batch']), cmd['what']
    activities = [torch.profiler.ProfilerActivity.CPU]
    if what == 'train':
      batch = self.x0[:b].contiguous()
      fn = lambda: self.train_step(self.train_state, batch)  # noqa: E731
    else:
      x, t = self.x[:b].contiguous(), self.t[:b].contiguous()

      def fn():
        with torch.no_grad():
          self.score_fn(x, t)
    fn()
    with torch.profiler.profile(activities=activities, record_shapes=True) as prof:
      t0 = time.perf_counter()
      fn()
      wall = time.perf_counter() - t0
    prof.export_chrome_trace(cmd['out'])
    return dict(wall_s=[wall], out=cmd['out'])


def main():
  ap = argparse.ArgumentParser(description=__doc__)
  ap.add_argument('--reference', required=True)
  ap.add_argument('--checkpoint', required=True)
  ap.add_argument('--job', required=True)
  args = ap.parse_args()
  with open(args.job) as f:
    job = json.load(f)
  worker = Worker(args, job)
  print(json.dumps(dict(ready=True)), flush=True)
  for line in sys.stdin:
    cmd = json.loads(line)
    op = cmd['op']
    if op == 'quit':
      break
    t0 = time.perf_counter()
    answer = getattr(worker, op)(cmd)
    log(f"{op} {({k: v for k, v in cmd.items() if k not in ('op', 'shapes')})} done in "
        f"{time.perf_counter() - t0:.1f} s")
    print(json.dumps(answer), flush=True)


if __name__ == '__main__':
  main()
