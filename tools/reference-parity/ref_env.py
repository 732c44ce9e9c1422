"""Make the reference checkout (yang-song/score_sde_pytorch) importable on CPU
without installing anything, and apply the small runtime fixes the generator
needs under torch 1.13.  Nothing in the checkout is modified: fixes are
monkeypatches applied in this process only.

Source-level fixes are applied by reading the reference function's source from
the checkout at run time, substituting one exact snippet (asserted to occur
exactly once) and re-compiling it in the reference module's own namespace.
"""
import importlib
import inspect
import os
import sys
import textwrap

import ml_collections_stub

# Description of every fix: id -> (where, what it changes, why).
FIXES = {
  'layerspp_upsample_interpolate_mode': dict(
    where='models/layerspp.py Upsample.forward (fir=False)',
    change="F.interpolate(x, (H * 2, W * 2), 'nearest') -> F.interpolate(x, (H * 2, W * 2), mode='nearest')",
    why="the positional 'nearest' lands in scale_factor"),
  'upsample_conv_2d_flip': dict(
    where='models/up_or_down_sampling.py upsample_conv_2d',
    change='w[..., ::-1, ::-1] -> torch.flip(w, dims=(-2, -1))',
    why='torch tensors do not support negative-step slicing'),
  'upsample_conv_2d_stride': dict(
    where='models/up_or_down_sampling.py upsample_conv_2d',
    change='drop the line `stride = [1, 1, factor, factor]` so stride stays (factor, factor); '
           'output_padding then evaluates to (0, 0) as the TF original (VALID, output (H-1)*factor+k)',
    why='TF-style 4-element NCHW stride passed to F.conv_transpose2d (and used to compute output_padding)'),
  'ncsnv2_data_channels': dict(
    where='models/ncsnv2.py (NCSN, NCSNv2, NCSNv2_128, NCSNv2_256) read config.data.channels',
    change='config.data.channels = config.data.num_channels before building the model',
    why='the configs only define data.num_channels'),
  'ddpm_unconditional_modules': dict(
    where='models/ddpm.py DDPM.__init__',
    change='insert `modules = []` before `if conditional:`',
    why='the module list is only created inside `if conditional:`'),
  'ncsn_conditional_norm': dict(
    where='models/ncsnv2.py NCSN.__init__ (model name "ncsn", NCSNv1)',
    change='while NCSN.__init__ runs, get_normalization(config) returns normalization.ConditionalInstanceNorm2dPlus '
           '(the conditional InstanceNorm++, called by the NCSN code as (num_features, num_scales[, bias]))',
    why='get_normalization(config) without conditional=True returns the unconditional InstanceNorm2dPlus, '
        'whose forward takes no label; get_normalization(config, conditional=True) cannot be used either '
        '(needs config.model.num_classes and clashes with the positional num_classes)'),
  'ncsn_dilated_conv_padding': dict(
    where='models/layers.py ncsn_conv3x3 (used with dilation>1 by ResidualBlock / ConditionalResidualBlock)',
    change='padding=padding -> padding=dilation if dilation > 1 else padding (shape-preserving dilated 3x3 '
           'conv, as the NCSN/NCSNv2 originals\' dilated_conv3x3)',
    why='padding=1 with dilation=2/4 shrinks the feature map so the residual sum fails'),
  'ncsn_conv3x3_no_bias': dict(
    where='models/layers.py ncsn_conv3x3 (bias=False callers: CRPBlock, RCUBlock, CondCRPBlock, CondRCUBlock)',
    change='conv.bias.data *= init_scale -> only when conv.bias is not None',
    why='with bias=False conv.bias is None'),
  'ncsn_cond_resblock_dilation_default': dict(
    where='models/layers.py ConditionalResidualBlock.__init__ (NCSNv1 only)',
    change='default dilation=None -> dilation=1 (as ResidualBlock)',
    why='`if dilation > 1` with the default None'),
}

_applied = set()
_ref_dir = None


def setup(ref_dir):
  """Put the reference on sys.path, stub ml_collections and the CUDA op build,
  import the model modules.  Returns a namespace dict of reference modules."""
  global _ref_dir
  ref_dir = os.path.abspath(ref_dir)
  if _ref_dir is not None:
    assert _ref_dir == ref_dir
    return modules()
  if not os.path.isfile(os.path.join(ref_dir, 'models', 'ncsnpp.py')):
    raise SystemExit(f'{ref_dir} does not look like a score_sde_pytorch checkout')
  _ref_dir = ref_dir
  sys.path.insert(0, ref_dir)
  ml_collections_stub.install(sys.modules)

  import torch
  import torch.utils.cpp_extension as cpp_ext

  class _NoCudaOp:
    """Stands in for the JIT-built CUDA extension; must never be called."""
    def __init__(self, name):
      self.name = name

    def __getattr__(self, item):
      raise RuntimeError(f'CUDA extension {self.name}.{item} called; only the CPU path is supported')

  real_load = cpp_ext.load
  cpp_ext.load = lambda name, *a, **k: _NoCudaOp(name)
  try:
    import op  # noqa: F401  (upfirdn2d / fused_act bind `load` at import)
  finally:
    cpp_ext.load = real_load
  for name in ('models.utils', 'models.layers', 'models.layerspp', 'models.normalization',
               'models.up_or_down_sampling', 'models.ncsnpp', 'models.ddpm', 'models.ncsnv2',
               'models.ema', 'sde_lib', 'losses'):
    importlib.import_module(name)
  for banned in ('tensorflow', 'utils', 'run_lib'):
    assert banned not in sys.modules, f'{banned} got imported'
  return modules()


def modules():
  return {n: sys.modules[n] for n in ('models.utils', 'models.layers', 'models.layerspp',
                                      'models.normalization', 'models.up_or_down_sampling',
                                      'models.ncsnpp', 'models.ddpm', 'models.ncsnv2',
                                      'models.ema', 'sde_lib', 'losses', 'op.upfirdn2d')}


# Source fixes: fix id -> (module name, owner attr path, [(old, new), ...]).
# Several fixes may touch one function; it is rebuilt from the original source with
# every selected fix's substitutions, so each fix can be switched off alone (--probe).
SOURCE_FIXES = {
  'layerspp_upsample_interpolate_mode': ('models.layerspp', 'Upsample.forward', [
    ("F.interpolate(x, (H * 2, W * 2), 'nearest')", "F.interpolate(x, (H * 2, W * 2), mode='nearest')")]),
  'upsample_conv_2d_flip': ('models.up_or_down_sampling', 'upsample_conv_2d', [
    ('w[..., ::-1, ::-1]', 'torch.flip(w, dims=(-2, -1))')]),
  'upsample_conv_2d_stride': ('models.up_or_down_sampling', 'upsample_conv_2d', [
    ('stride = [1, 1, factor, factor]\n', '\n')]),
  'ddpm_unconditional_modules': ('models.ddpm', 'DDPM.__init__', [
    ('  if conditional:\n    # Condition on noise levels.\n',
     '  modules = []\n  if conditional:\n    # Condition on noise levels.\n')]),
  'ncsn_conv3x3_no_bias': ('models.layers', 'ncsn_conv3x3', [
    ('  conv.bias.data *= init_scale\n', '  if conv.bias is not None:\n    conv.bias.data *= init_scale\n')]),
  'ncsn_dilated_conv_padding': ('models.layers', 'ncsn_conv3x3', [
    ('dilation=dilation, padding=padding, kernel_size=3)',
     'dilation=dilation, padding=dilation if dilation > 1 else padding, kernel_size=3)')]),
  'ncsn_cond_resblock_dilation_default': ('models.layers', 'ConditionalResidualBlock.__init__', [
    ('adjust_padding=False, dilation=None):', 'adjust_padding=False, dilation=1):')]),
}
_originals = {}


def _rebuild(module_name, path):
  module = sys.modules[module_name]
  parts = path.split('.')
  owner = module
  for p in parts[:-1]:
    owner = getattr(owner, p)
  key = (module_name, path)
  if key not in _originals:
    _originals[key] = getattr(owner, parts[-1])
  orig = _originals[key]
  selected = [f for f, (m, pth, _) in SOURCE_FIXES.items() if (m, pth) == key and f in _applied]
  src = textwrap.dedent(inspect.getsource(orig))
  for f in selected:
    for old, new in SOURCE_FIXES[f][2]:
      n = src.count(old)
      if n != 1:
        raise RuntimeError(f'fix {f}: expected exactly one occurrence of {old!r} in {path}, found {n}')
      src = src.replace(old, new)
  factory = ('def __refparity_factory(__class__):\n' + textwrap.indent(src, '  ') +
             f'\n  return {orig.__name__}\n')
  scope = {}
  code = compile(factory, f'<reference {module_name}.{path} + fixes {selected}>', 'exec')
  exec(code, module.__dict__, scope)
  new_fn = scope['__refparity_factory'](owner if isinstance(owner, type) else None)
  new_fn.__refparity_fixes__ = selected
  setattr(owner, parts[-1], new_fn)


def apply_fix(fix_id):
  """Apply one code fix (config-level fixes are applied by the generator)."""
  if fix_id in _applied:
    return
  m = modules()
  _applied.add(fix_id)
  if fix_id in SOURCE_FIXES:
    _rebuild(SOURCE_FIXES[fix_id][0], SOURCE_FIXES[fix_id][1])
  elif fix_id == 'ncsn_conditional_norm':
    nv = m['models.ncsnv2']
    norm_mod = m['models.normalization']
    orig_init = nv.NCSN.__init__

    def ncsn_init(self, config):
      saved = nv.get_normalization

      def conditional_norm(cfg, conditional=False):
        if cfg.model.normalization == 'InstanceNorm++':
          return norm_mod.ConditionalInstanceNorm2dPlus
        return saved(cfg, conditional=conditional)
      nv.get_normalization = conditional_norm
      try:
        orig_init(self, config)
      finally:
        nv.get_normalization = saved
    ncsn_init.__refparity_fixes__ = [fix_id]
    nv.NCSN.__init__ = ncsn_init
  elif fix_id == 'ncsnv2_data_channels':
    pass  # config-level; see generator
  else:
    _applied.discard(fix_id)
    raise KeyError(fix_id)


def applied():
  return sorted(_applied)
