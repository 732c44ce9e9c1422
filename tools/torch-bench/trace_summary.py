#!/usr/bin/env python3
"""Where the time goes: summarises libtorch profiler traces (Chrome trace JSON) of one forward pass or training
step, as TorchComparisonBench --profile writes them for both stacks (Java: DJL's JniUtils.startProfile, libtorch
2.7.1; PyTorch: torch.profiler, torch 1.13), side by side.

  python3 trace_summary.py java-forward16.json torch-forward16.json

Self time of every aten op (its duration minus its children's), summed by category and by op; "native ops" counts
the aten ops not called from another aten op (for the Java side, about one per JNI call).
"""
import collections
import json
import sys

CATEGORIES = ['convolution', 'matmul', 'group norm (layer norm)', 'sigmoid / SiLU', 'copies and layout',
              'element-wise and other']
COPIES = {'copy_', 'cat', 'constant_pad_nd', 'pad', 'fill_', 'zero_', 'clone', 'contiguous', '_to_copy', 'to', 'empty',
          'empty_strided', 'zeros', 'ones', 'full', 'index', 'slice', 'stack', 'flip', 'repeat', 'as_strided',
          'reshape', 'view', 'permute', 'transpose', 'expand', 'unsqueeze', 'squeeze', 't', 'detach', 'resize_'}


def category(name):
  op = name.split('::', 1)[-1]
  if 'conv' in op:
    return 'convolution'
  if op in ('mm', 'addmm', 'bmm', 'baddbmm', 'matmul', 'linear', 'einsum'):
    return 'matmul'
  if 'layer_norm' in op or 'group_norm' in op:
    return 'group norm (layer norm)'
  if 'sigmoid' in op or 'silu' in op:
    return 'sigmoid / SiLU'
  if op in COPIES:
    return 'copies and layout'
  return 'element-wise and other'


def load(path):
  with open(path) as f:
    data = json.load(f)
  events = data['traceEvents'] if isinstance(data, dict) else data
  return [e for e in events if e.get('ph') == 'X' and 'dur' in e and str(e.get('name', '')).startswith('aten::')]


def summarize(path):
  by_thread = collections.defaultdict(list)
  for e in load(path):
    by_thread[(e.get('pid'), e.get('tid'))].append(e)
  self_time = collections.Counter()
  calls = collections.Counter()
  native = 0
  top_time = 0.0
  for events in by_thread.values():
    events.sort(key=lambda e: (float(e['ts']), -float(e['dur'])))
    stack = []
    for e in events:
      ts, d = float(e['ts']), float(e['dur'])
      while stack and ts >= stack[-1][0] + stack[-1][1] - 1e-3:
        stack.pop()
      e['_self'] = d
      if stack:
        stack[-1][2]['_self'] -= d
      else:
        native += 1
        top_time += d
      stack.append((ts, d, e))
    for e in events:
      self_time[e['name']] += max(e['_self'], 0.0)
      calls[e['name']] += 1
  return dict(self=self_time, calls=calls, native=native, top=top_time)


def main(paths):
  sums = [summarize(p) for p in paths]
  print('| | ' + ' | '.join(paths) + ' |')
  print('|---|' + '---|' * len(paths))
  print('| time in aten ops, s | ' + ' | '.join(f"{s['top'] / 1e6:.3f}" for s in sums) + ' |')
  print('| native ops (not called from another aten op) | ' + ' | '.join(str(s['native']) for s in sums) + ' |')
  for c in CATEGORIES:
    cells = []
    for s in sums:
      t = sum(v for n, v in s['self'].items() if category(n) == c)
      total = sum(s['self'].values())
      cells.append(f'{t / 1e6:.3f} s ({100 * t / total:.0f} %)')
    print(f'| {c} | ' + ' | '.join(cells) + ' |')
  for p, s in zip(paths, sums):
    total = sum(s['self'].values())
    print(f'\n{p}: the 15 ops with the most self time')
    for n, t in s['self'].most_common(15):
      print(f'  {n:42s} {t / 1e6:8.3f} s {100 * t / total:5.1f} %  {s["calls"][n]:6d} calls')


if __name__ == '__main__':
  main(sys.argv[1:])
