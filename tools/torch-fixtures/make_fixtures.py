#!/usr/bin/env python3
"""Writes the .pth fixtures of dev.scoresde.checkpoint.torch into src/test/resources/torch/.

Run from the repository root with Debian's torch (1.13):  /usr/bin/python3 tools/torch-fixtures/make_fixtures.py
The outputs are deterministic up to the zip timestamps; the tests compare values, not bytes.
"""
import collections
import json
import os
import pickle
import sys

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'src', 'test', 'resources', 'torch')


def describe(t):
    """A tensor as JSON: dtype, shape, stride, storage offset, requires_grad and its values in row-major order."""
    flat = t.detach().reshape(-1)
    if t.dtype == torch.bool:
        values = [bool(v) for v in flat.tolist()]
    elif t.dtype in (torch.float16, torch.bfloat16):
        values = flat.float().tolist()
    else:
        values = flat.tolist()
    return {'dtype': str(t.dtype).replace('torch.', ''), 'shape': list(t.shape), 'stride': list(t.stride()),
            'offset': t.storage_offset(), 'requires_grad': t.requires_grad, 'values': values}


def tensors_fixture():
    g = torch.Generator().manual_seed(7)
    base = torch.arange(12, dtype=torch.float32) * 0.25 - 1.0
    matrix = torch.randn(3, 4, generator=g)
    ordered = collections.OrderedDict([('w', torch.tensor([1.5, -2.0])), ('b', torch.tensor([0.125]))])
    ordered._metadata = collections.OrderedDict([('', {'version': 1}), ('sub', {'version': 2})])
    tensors = {
        'f32': torch.randn(2, 3, generator=g),
        'f64': torch.tensor([[1.0 / 3.0, -2.5e-300], [1e300, 0.1]], dtype=torch.float64),
        'f16': torch.tensor([0.1, -65504.0, 6.1e-5, 1.0 / 3.0], dtype=torch.float16),
        'bf16': torch.tensor([0.1, -3.0e38, 1.0 / 3.0], dtype=torch.bfloat16),
        'i64': torch.tensor([-(2 ** 40), 2 ** 62, 0, -1], dtype=torch.int64),
        'i32': torch.tensor([[-(2 ** 31), 2 ** 31 - 1]], dtype=torch.int32),
        'i16': torch.tensor([-32768, 32767, 5], dtype=torch.int16),
        'i8': torch.tensor([-128, 127], dtype=torch.int8),
        'u8': torch.tensor([0, 200, 255], dtype=torch.uint8),
        'bool': torch.tensor([True, False, True]),
        'scalar': torch.tensor(2.75),
        'empty': torch.zeros(0, 3),
        'transposed': matrix.t(),                 # non-contiguous: stride (1, 4)
        'column': matrix[:, 1],                   # storage offset 1, stride (4,), shares matrix's storage
        'base': base,
        'slice': base[2:5],                       # storage offset 2, shares base's storage
        'strided': base.view(3, 4)[1:, ::2],      # offset 4, stride (4, 2)
        'expanded': torch.tensor([1.0, 2.0, 3.0]).expand(2, 3),  # stride (0, 1)
        'param': torch.nn.Parameter(torch.tensor([0.5, 0.25])),
    }
    root = dict(tensors)
    root['ordered'] = ordered
    root['nested'] = {
        'state': {0: {'step': 3, 'flag': True}, 1: {'step': 3.0, 'flag': False}},
        'groups': [{'lr': 2e-4, 'betas': (0.9, 0.999), 'eps': 1e-8, 'amsgrad': False, 'foreach': None,
                    'params': [0, 1], 'name': 'héllo ✓'}],
        'big': 2 ** 70, 'neg': -(2 ** 63), 'small': -5, 'int2': 40000, 'empty_tuple': (), 'single': (None,),
    }  # no bytes: protocol 2 pickles them as a call of _codecs.encode, which the reader refuses
    root['ema'] = {'decay': 0.999, 'num_updates': 3, 'shadow_params': [base, matrix.t(), tensors['f32'] * 2]}
    torch.save(root, os.path.join(OUT, 'tensors.pth'))
    expected = {name: describe(t) for name, t in tensors.items()}
    expected['ordered.w'] = describe(ordered['w'])
    expected['ordered.b'] = describe(ordered['b'])
    expected.update({'ema.shadow_params.%d' % i: describe(t) for i, t in enumerate(root['ema']['shadow_params'])})
    return expected


class Tiny(torch.nn.Module):
    """A Conv2d, a GroupNorm, a Linear, a frozen parameter and a float64 buffer."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 2, 3, padding=1)
        self.norm = torch.nn.GroupNorm(1, 2)
        self.dense = torch.nn.Linear(2, 3)
        self.frozen = torch.nn.Parameter(torch.tensor([0.5, -0.5]), requires_grad=False)
        self.register_buffer('sigmas', torch.tensor([50.0, 5.0, 0.5, 0.01], dtype=torch.float64))

    def forward(self, x):
        h = self.norm(self.conv(x)).mean(dim=(2, 3)) + self.frozen
        return self.dense(h)


def score_sde_fixture():
    torch.manual_seed(1)
    m = Tiny()
    optimizer = torch.optim.Adam(m.parameters(), lr=2e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0)
    loss = m(torch.randn(2, 1, 4, 4)).pow(2).sum()
    loss.backward()
    optimizer.step()
    ema = {'decay': 0.999, 'num_updates': 1,
           'shadow_params': [p.clone().detach() for p in m.parameters() if p.requires_grad]}
    state = {'optimizer': optimizer.state_dict(), 'model': torch.nn.DataParallel(m).state_dict(), 'ema': ema,
             'step': 1}
    torch.save(state, os.path.join(OUT, 'score_sde.pth'))
    opt = optimizer.state_dict()
    expected = {'model.' + k: describe(v) for k, v in state['model'].items()}
    for i, s in opt['state'].items():
        for k, v in s.items():
            expected['optimizer.state.%d.%s' % (i, k)] = describe(v) if torch.is_tensor(v) else v
    expected.update({'ema.shadow_params.%d' % i: describe(t) for i, t in enumerate(ema['shadow_params'])})
    expected['optimizer.param_groups'] = opt['param_groups']
    return expected


class Reduce:
    """Pickles as a call of func(*args): what a malicious checkpoint does."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


class Thing:
    pass


def hostile_fixtures():
    torch.save({'model': Reduce(os.system, 'echo pwned > /tmp/pwned')}, os.path.join(OUT, 'evil_system.pth'))
    torch.save({'model': Reduce(eval, '__import__("os").system("echo pwned")')}, os.path.join(OUT, 'evil_eval.pth'))
    torch.save({'thing': Thing()}, os.path.join(OUT, 'evil_class.pth'))
    torch.save({'w': torch.tensor([1.0, 2.0])}, os.path.join(OUT, 'legacy.pth'), _use_new_zipfile_serialization=False)
    torch.jit.save(torch.jit.script(torch.nn.Linear(1, 1)), os.path.join(OUT, 'torchscript.pt'))


def protocol4_fixture():
    """A bare protocol 4 pickle (no torch) with the opcodes torch.save does not use: FRAME, MEMOIZE, STACK_GLOBAL,
    SHORT_BINUNICODE, SHORT_BINBYTES, EMPTY_SET/ADDITEMS, FROZENSET, LONG1."""
    value = {'set': {1, 2, 3}, 'frozen': frozenset(['a']), 'bytes': b'\x00\xff', 'big': 2 ** 100, 'neg': -(2 ** 70),
             'tuple3': (1, 2.5, None), 'nested': [[1, [2, [3]]]], 'od': collections.OrderedDict(a=1, b=2),
             'unicode': 'ünï ✓', 'true': True, 'int': -123456789}
    with open(os.path.join(OUT, 'values_p4.pkl'), 'wb') as f:
        pickle.dump(value, f, protocol=4)


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {'tensors': tensors_fixture(), 'score_sde': score_sde_fixture(), 'torch': torch.__version__}
    hostile_fixtures()
    protocol4_fixture()
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write('\n')
    print('wrote fixtures to', os.path.normpath(OUT), file=sys.stderr)


if __name__ == '__main__':
    main()
