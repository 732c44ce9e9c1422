#!/usr/bin/env python3
"""Generate parity fixtures by running the reference implementation
(yang-song/score_sde_pytorch) on CPU.

The reference is imported from a checkout given by --ref or $SCORE_SDE_REF;
nothing of it is copied here.  See README.md for commands and the fix list.
"""
import argparse
import copy
import importlib
import json
import os
import statistics
import sys
import time

sys.dont_write_bytecode = True  # never write __pycache__ into the reference checkout
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402

import ref_env  # noqa: E402

REF_COMMIT = 'cb1f359f4aadf0ff9a5e122fe8fffc9451fd6e44'
T_VALUES_4 = [0.001, 0.3137, 0.7071, 0.9995]
T_VALUES_2 = [0.001, 0.9995]

# Fixture table.  `fixes` lists the code fixes each fixture needs (verified with --probe).
FIXTURES = [
  dict(id='ve-cifar10_ncsnpp_continuous', config='ve/cifar10_ncsnpp_continuous',
       overrides={'data.image_size': 16, 'model.nf': 8, 'model.num_res_blocks': 1,
                  'model.ch_mult': [1, 1, 2]},
       adam_step=True, seed=1001),
  dict(id='vp-cifar10_ddpmpp_continuous', config='vp/cifar10_ddpmpp_continuous',
       overrides={'data.image_size': 16, 'model.nf': 8, 'model.num_res_blocks': 1,
                  'model.ch_mult': [1, 1, 2]},
       seed=1002),
  dict(id='ve-celebahq_256_ncsnpp_continuous', config='ve/celebahq_256_ncsnpp_continuous',
       overrides={'data.image_size': 32, 'model.nf': 8, 'model.num_res_blocks': 1,
                  'model.ch_mult': [1, 1, 1, 2]},
       seed=1003),
  dict(id='subvp-cifar10_ddpmpp_continuous', config='subvp/cifar10_ddpmpp_continuous',
       overrides={'data.image_size': 16, 'model.nf': 8, 'model.num_res_blocks': 1,
                  'model.ch_mult': [1, 1, 2]},
       seed=1004),
  dict(id='ve-cifar10_ncsnpp', config='ve/cifar10_ncsnpp',
       overrides={'data.image_size': 16, 'model.nf': 8, 'model.num_res_blocks': 1,
                  'model.ch_mult': [1, 1, 2]},
       seed=1005),
  dict(id='vp-ddpm-cifar10', config='vp/ddpm/cifar10',
       overrides={'data.image_size': 16, 'model.nf': 32, 'model.num_res_blocks': 1,
                  'model.ch_mult': [1, 1]},
       seed=1006),
  dict(id='vp-ddpm-cifar10_unconditional', config='vp/ddpm/cifar10_unconditional',
       overrides={'data.image_size': 16, 'model.nf': 32, 'model.num_res_blocks': 1,
                  'model.ch_mult': [1]},
       seed=1007),
  dict(id='vp-cifar10_ncsnpp_continuous-ddpm_residual_cat', config='vp/cifar10_ncsnpp_continuous',
       overrides={'data.image_size': 16, 'model.nf': 8, 'model.num_res_blocks': 1,
                  'model.ch_mult': [1, 1, 2], 'model.resblock_type': 'ddpm',
                  'model.progressive': 'residual', 'model.progressive_input': 'residual',
                  'model.progressive_combine': 'cat', 'model.fir': False,
                  'model.skip_rescale': False, 'model.init_scale': 0.1},
       seed=1008),
  dict(id='vp-cifar10_ncsnpp_continuous-ddpm_fir11_inputskip_cat', config='vp/cifar10_ncsnpp_continuous',
       overrides={'data.image_size': 16, 'model.nf': 8, 'model.num_res_blocks': 1,
                  'model.ch_mult': [1, 1, 2], 'model.resblock_type': 'ddpm', 'model.fir': True,
                  'model.fir_kernel': [1, 1], 'model.progressive': 'residual',
                  'model.progressive_input': 'input_skip', 'model.progressive_combine': 'cat',
                  'model.conditional': False},
       seed=1009),
  dict(id='ve-ncsn-cifar10', config='ve/ncsn/cifar10',
       overrides={'data.image_size': 16, 'model.nf': 4},
       seed=1010),
  dict(id='ve-ncsnv2-cifar10', config='ve/ncsnv2/cifar10',
       overrides={'data.image_size': 16, 'model.nf': 4},
       seed=1011),
  dict(id='ve-ncsnv2-bedroom', config='ve/ncsnv2/bedroom',
       overrides={'data.image_size': 16, 'model.nf': 4, 'training.continuous': False},
       seed=1012,
       note="configs/ve/ncsnv2/bedroom.py sets `training.continuouse = False` (typo), so "
            "training.continuous stays True from the defaults; with continuous=True get_score_fn "
            "passes float sigmas and NCSNv2_128 fails on `self.sigmas[y]` (IndexError: tensors used as "
            "indices must be long...). Override training.continuous=False (the evident intent)."),
  dict(id='ve-ncsnv2-bedroom-ncsnv2_256', config='ve/ncsnv2/bedroom',
       overrides={'data.image_size': 16, 'model.nf': 4, 'training.continuous': False,
                  'model.name': 'ncsnv2_256'},
       seed=1013,
       note="No config under configs/ uses ncsnv2_256; built from ve/ncsnv2/bedroom with "
            "model.name='ncsnv2_256' (and the same continuous override as ve-ncsnv2-bedroom)."),
]

FULL = dict(id='ve-cifar10_ncsnpp_continuous', config='ve/cifar10_ncsnpp_continuous',
            overrides={}, seed=2001, batch=2)


# --------------------------------------------------------------------------- config helpers
def load_config(name):
  mod = importlib.import_module('configs.' + name.replace('/', '.'))
  return mod.get_config()


def set_dotted(config, key, value):
  parts = key.split('.')
  node = config
  for p in parts[:-1]:
    node = getattr(node, p)
  old = node.get(parts[-1]) if hasattr(node, 'get') else None
  if isinstance(old, tuple) and isinstance(value, list):
    value = tuple(value)
  setattr(node, parts[-1], value)


def jsonable(v):
  if hasattr(v, 'to_dict'):
    v = v.to_dict()
  if isinstance(v, dict):
    return {str(k): jsonable(x) for k, x in sorted(v.items())}
  if isinstance(v, (list, tuple)):
    return [jsonable(x) for x in v]
  if isinstance(v, torch.device):
    return str(v)
  if isinstance(v, (np.floating,)):
    return float(v)
  if isinstance(v, (np.integer,)):
    return int(v)
  return v


def resolved_sections(config):
  return {
    'data': jsonable(config.data),
    'model': jsonable(config.model),
    'training.sde': config.training.get('sde'),
    'training.continuous': config.training.get('continuous'),
  }


def all_config_names(ref_dir):
  names = []
  root = os.path.join(ref_dir, 'configs')
  for dirpath, _, files in os.walk(root):
    for f in files:
      if f.endswith('.py') and not f.startswith('default_') and f != '__init__.py':
        rel = os.path.relpath(os.path.join(dirpath, f[:-3]), root)
        names.append(rel.replace(os.sep, '/'))
  return sorted(names)


# --------------------------------------------------------------------------- model helpers
def needed_fixes(config):
  """Code fixes a config needs (all verified with --probe)."""
  m = config.model
  fixes = []
  if m.name == 'ncsnpp':
    if m.resblock_type.lower() == 'ddpm' and not m.fir:
      fixes.append('layerspp_upsample_interpolate_mode')
    if m.fir and (m.resblock_type.lower() == 'ddpm' or m.progressive.lower() == 'residual'):
      fixes += ['upsample_conv_2d_flip', 'upsample_conv_2d_stride']
    if m.progressive.lower() in ('residual', 'output_skip') and not m.fir:
      if 'layerspp_upsample_interpolate_mode' not in fixes:
        fixes.append('layerspp_upsample_interpolate_mode')
  if m.name == 'ddpm' and not m.conditional:
    fixes.append('ddpm_unconditional_modules')
  if m.name in ('ncsn', 'ncsnv2_64', 'ncsnv2_128', 'ncsnv2_256'):
    fixes += ['ncsnv2_data_channels', 'ncsn_conv3x3_no_bias', 'ncsn_dilated_conv_padding']
  if m.name == 'ncsn':
    fixes += ['ncsn_cond_resblock_dilation_default', 'ncsn_conditional_norm']
  return fixes


def prepare_config(spec, exclude=()):
  config = load_config(spec['config'])
  for k, v in spec['overrides'].items():
    set_dotted(config, k, v)
  config.device = torch.device('cpu')
  fixes = needed_fixes(config)
  for f in fixes:
    if f in exclude:
      continue
    ref_env.apply_fix(f)
    if f == 'ncsnv2_data_channels':
      config.data.channels = config.data.num_channels
  return config, fixes


def build_sde(config, sde_lib):
  name = config.training.sde.lower()
  if name == 'vpsde':
    return sde_lib.VPSDE(beta_min=config.model.beta_min, beta_max=config.model.beta_max,
                         N=config.model.num_scales)
  if name == 'subvpsde':
    return sde_lib.subVPSDE(beta_min=config.model.beta_min, beta_max=config.model.beta_max,
                            N=config.model.num_scales)
  if name == 'vesde':
    return sde_lib.VESDE(sigma_min=config.model.sigma_min, sigma_max=config.model.sigma_max,
                         N=config.model.num_scales)
  raise NotImplementedError(config.training.sde)


def redraw_parameters(model, gen, config, R):
  """Re-draw every parameter: weights ~ N(0, 1/fan_in), biases ~ N(0, 0.1^2),
  norm scales 1 + 0.1 N, norm shifts 0.1 N, Fourier W ~ N(0, fourier_scale^2)."""
  layerspp, layers, norm, uods = (R['models.layerspp'], R['models.layers'],
                                  R['models.normalization'], R['models.up_or_down_sampling'])
  nn = torch.nn

  def randn(shape):
    return torch.randn(tuple(shape), generator=gen, dtype=torch.float32)

  seen = set()
  for mod in model.modules():
    for pname, p in mod.named_parameters(recurse=False):
      seen.add(id(p))
      shape = p.shape
      if isinstance(mod, layerspp.GaussianFourierProjection) and pname == 'W':
        new = randn(shape) * float(config.model.fourier_scale)
      elif isinstance(mod, layers.NIN):
        new = randn(shape) / np.sqrt(shape[0]) if pname == 'W' else 0.1 * randn(shape)
      elif isinstance(mod, (nn.Conv2d, nn.Linear, uods.Conv2d)):
        if pname == 'weight':
          new = randn(shape) / np.sqrt(float(np.prod(shape[1:])))
        else:
          new = 0.1 * randn(shape)
      elif isinstance(mod, nn.GroupNorm):
        new = 1 + 0.1 * randn(shape) if pname == 'weight' else 0.1 * randn(shape)
      elif isinstance(mod, (norm.InstanceNorm2dPlus, norm.VarianceNorm2d)):
        new = 0.1 * randn(shape) if pname == 'beta' else 1 + 0.1 * randn(shape)
      elif isinstance(mod, nn.Embedding) and pname == 'weight':
        # only used inside the conditional norms: [gamma | alpha | beta] per label
        nf = shape[1] // 3 if shape[1] % 3 == 0 else shape[1] // 2
        new = 1 + 0.1 * randn(shape)
        if shape[1] % 3 == 0:
          new[:, 2 * nf:] -= 1
      else:
        raise RuntimeError(f'no re-draw rule for {type(mod).__name__}.{pname}')
      with torch.no_grad():
        p.copy_(new)
  assert all(id(p) in seen for p in model.parameters())


# --------------------------------------------------------------------------- fixture
def make_inputs(config, sde, batch, gen):
  t = torch.tensor(T_VALUES_4 if batch == 4 else T_VALUES_2, dtype=torch.float32)
  C, H = config.data.num_channels, config.data.image_size
  u = torch.rand((batch, C, H, H), generator=gen)
  if config.data.centered:
    u = 2 * u - 1
  z = torch.randn((batch, C, H, H), generator=gen)
  mean, std = sde.marginal_prob(u, t)
  x = (mean + std[:, None, None, None] * z).to(torch.float32)
  return x, t


def build_and_run(spec, out_dir, R, batch=None, keep_optimizer=None):
  mutils, ema_mod, sde_lib, losses = (R['models.utils'], R['models.ema'], R['sde_lib'], R['losses'])
  config, fixes = prepare_config(spec)
  torch.manual_seed(spec['seed'])
  gen = torch.Generator().manual_seed(spec['seed'])
  sde = build_sde(config, sde_lib)
  model = mutils.create_model(config)
  optimizer = losses.get_optimizer(config, model.parameters())
  redraw_parameters(model, gen, config, R)                # draw 1 -> becomes the EMA
  ema = ema_mod.ExponentialMovingAverage(model.parameters(), decay=config.model.ema_rate)
  state = dict(optimizer=optimizer, model=model, ema=ema, step=0)
  batch = batch or (4 if config.data.image_size < 64 else 2)
  if spec.get('adam_step'):
    # one real reference training step (run_lib's train_step_fn) -> Adam state + ema.update
    train_step = losses.get_step_fn(sde, train=True, optimize_fn=losses.optimization_manager(config),
                                    reduce_mean=config.training.reduce_mean,
                                    continuous=config.training.continuous,
                                    likelihood_weighting=config.training.likelihood_weighting)
    C, H = config.data.num_channels, config.data.image_size
    data = torch.rand((batch, C, H, H), generator=gen)
    if config.data.centered:
      data = 2 * data - 1
    train_loss = float(train_step(state, data))
  else:
    train_loss = None
  redraw_parameters(model, gen, config, R)                # draw 2 -> the raw model params
  state['step'] = spec.get('step', 1 if spec.get('adam_step') else 4321)

  os.makedirs(out_dir, exist_ok=True)
  ckpt_path = os.path.join(out_dir, 'checkpoint.pth')
  torch.save({'optimizer': optimizer.state_dict(), 'model': model.state_dict(),
              'ema': ema.state_dict(), 'step': state['step']}, ckpt_path)

  x, t = make_inputs(config, sde, batch, gen)

  # evaluate exactly as the reference does: EMA weights into the model, eval mode
  ema.copy_to(model.parameters())
  model.eval()
  captured = {}
  def grab_labels(_module, inputs):
    captured.setdefault('labels', inputs[1].clone())  # returns None: inputs unchanged
  hook = model.register_forward_pre_hook(grab_labels)
  with torch.no_grad():
    score_fn = mutils.get_score_fn(sde, model, train=False, continuous=config.training.continuous)
    score = score_fn(x, t)
    hook.remove()
    labels = captured['labels']
    model_fn = mutils.get_model_fn(model, train=False)
    net_out = model_fn(x, labels)
  assert torch.isfinite(net_out).all() and torch.isfinite(score).all()

  np.save(os.path.join(out_dir, 'x.npy'), x.numpy())
  np.save(os.path.join(out_dir, 't.npy'), t.numpy())
  np.save(os.path.join(out_dir, 'labels.npy'), labels.numpy())
  np.save(os.path.join(out_dir, 'net_out.npy'), net_out.numpy())
  np.save(os.path.join(out_dir, 'score.npy'), score.numpy())

  n_params = sum(p.numel() for p in model.parameters())
  n_ema = sum(p.numel() for p in ema.shadow_params)
  buffers = {k: dict(dtype=str(v.dtype).replace('torch.', ''), shape=list(v.shape))
             for k, v in model.state_dict().items() if k not in dict(model.named_parameters())}
  not_in_ema = [k for k, p in model.named_parameters() if not p.requires_grad]
  meta = {
    'id': spec['id'],
    'reference': {'repo': 'yang-song/score_sde_pytorch', 'commit': REF_COMMIT},
    'torch_version': torch.__version__,
    'numpy_version': np.__version__,
    'config_name': spec['config'],
    'overrides': spec['overrides'],
    'note': spec.get('note'),
    'config': resolved_sections(config),
    'sde': type(sde).__name__,
    'continuous': bool(config.training.continuous),
    'seed': spec['seed'],
    'batch_size': batch,
    't_values': [float(v) for v in t],
    'input_recipe': 'u ~ U[0,1] (U[-1,1] if data.centered); z ~ N(0,1); '
                    'x = mean(u,t) + std(t) * z from sde.marginal_prob (float32)',
    'param_redraw': 'weights N(0,1/fan_in) (NIN.W fan_in = rows), biases N(0,0.1^2), norm scales '
                    '1+0.1N, norm shifts 0.1N, ConditionalInstanceNorm++ embedding [gamma|alpha] 1+0.1N '
                    '[beta] 0.1N, GaussianFourierProjection.W N(0, fourier_scale^2); '
                    'EMA shadow = draw 1' + (' after one reference train step + ema.update' if spec.get('adam_step') else '')
                    + ', checkpoint model = draw 2',
    'evaluation': 'ema.copy_to(model.parameters()); model.eval(); torch.no_grad(); '
                  'score = models.utils.get_score_fn(sde, model, train=False, continuous)(x, t); '
                  'labels = what score_fn passed to the model; net_out = model(x, labels)',
    'reference_plus_fix': bool(fixes),
    'fixes_applied': {f: ref_env.FIXES[f] for f in fixes},
    'dtypes': {'x': str(x.dtype).replace('torch.', ''), 't': str(t.dtype).replace('torch.', ''),
               'labels': str(labels.dtype).replace('torch.', ''),
               'net_out': str(net_out.dtype).replace('torch.', ''),
               'score': str(score.dtype).replace('torch.', '')},
    'shapes': {'x': list(x.shape), 'net_out': list(net_out.shape), 'score': list(score.shape)},
    'labels': labels.tolist(),
    'max_abs_net_out_per_sample': [float(v) for v in net_out.abs().flatten(1).max(1).values],
    'max_abs_score_per_sample': [float(v) for v in score.abs().flatten(1).max(1).values],
    'param_count': n_params,
    'ema_shadow_param_count': n_ema,
    'params_not_in_ema_shadow': not_in_ema,
    'buffers': buffers,
    'checkpoint': {'layout': "{'optimizer', 'model' (DataParallel keys 'module.'), 'ema' "
                             "{decay, num_updates, shadow_params}, 'step'}",
                   'step': state['step'], 'ema_num_updates': ema.num_updates,
                   'ema_decay': ema.decay,
                   'optimizer_state_entries': len(optimizer.state_dict()['state']),
                   'train_loss_of_adam_step': train_loss,
                   'bytes': os.path.getsize(ckpt_path)},
  }
  with open(os.path.join(out_dir, 'fixture.json'), 'w') as f:
    json.dump(meta, f, indent=1, sort_keys=True)
  return meta, model, x, labels


# --------------------------------------------------------------------------- probe
def probe(R, without):
  """Build + run each fixture needing fix `without` with all its other fixes
  applied but not that one, and report the exact error (run one fix per process)."""
  mutils, sde_lib = R['models.utils'], R['sde_lib']
  results = {}
  for spec in FIXTURES:
    config, fixes = prepare_config(spec, exclude=(without,))
    if without not in fixes:
      continue
    try:
      sde = build_sde(config, sde_lib)
      model = mutils.create_model(config)
      model.eval()
      x, t = make_inputs(config, sde, 2, torch.Generator().manual_seed(0))
      with torch.no_grad():
        mutils.get_score_fn(sde, model, train=False, continuous=config.training.continuous)(x, t)
      results[spec['id']] = 'ok'
    except Exception as e:  # noqa: BLE001
      results[spec['id']] = f'{type(e).__name__}: {e}'
    print(f"without {without}: {spec['id']} -> {results[spec['id']]}", flush=True)
  return results


def time_forward(model, config, batch, threads, runs=3):
  torch.set_num_threads(threads)
  C, H = config.data.num_channels, config.data.image_size
  x = torch.rand(batch, C, H, H)
  labels = torch.full((batch,), 1.0)
  model.eval()
  with torch.no_grad():
    model(x, labels)  # warm-up
    ts = []
    for _ in range(runs):
      t0 = time.perf_counter()
      model(x, labels)
      ts.append(time.perf_counter() - t0)
  return statistics.median(ts), ts


def main():
  ap = argparse.ArgumentParser(description=__doc__)
  ap.add_argument('--ref', default=os.environ.get('SCORE_SDE_REF'),
                  help='score_sde_pytorch checkout at %s (or $SCORE_SDE_REF)' % REF_COMMIT)
  ap.add_argument('--out', default=os.path.join(HERE, '..', '..', 'src', 'test', 'resources', 'reference-parity'))
  ap.add_argument('--configs-json', default=os.path.join(HERE, '..', '..', 'src', 'main', 'resources', 'reference-configs.json'))
  ap.add_argument('--full-out', default='/work/ref-out/full')
  ap.add_argument('--only', nargs='*', help='fixture ids to (re)generate')
  ap.add_argument('--skip-fixtures', action='store_true')
  ap.add_argument('--skip-configs', action='store_true')
  ap.add_argument('--full', action='store_true', help='also write the full-size checkpoint + timings')
  ap.add_argument('--probe', metavar='FIX', help='only run the fixtures needing FIX, without FIX, and print the error')
  args = ap.parse_args()
  if not args.ref:
    ap.error('give --ref or set SCORE_SDE_REF')
  R = ref_env.setup(args.ref)
  torch.set_num_threads(int(os.environ.get('REFPARITY_THREADS', '2')))

  if args.probe:
    probe(R, args.probe)
    return

  if not args.skip_configs:
    dump = {}
    for name in all_config_names(args.ref):
      cfg = load_config(name)
      dump[name] = resolved_sections(cfg)
    with open(args.configs_json, 'w') as f:
      json.dump(dump, f, indent=1, sort_keys=True)
    print(f'wrote {len(dump)} configs to {args.configs_json}')

  if not args.skip_fixtures:
    for spec in FIXTURES:
      if args.only and spec['id'] not in args.only:
        continue
      t0 = time.time()
      meta, *_ = build_and_run(spec, os.path.join(args.out, spec['id']), R)
      print(f"{spec['id']}: params={meta['param_count']} ckpt={meta['checkpoint']['bytes']} "
            f"net_out={meta['dtypes']['net_out']} max|net_out|={[round(v, 3) for v in meta['max_abs_net_out_per_sample']]} "
            f"labels={meta['labels']} fixes={list(meta['fixes_applied'])} ({time.time() - t0:.1f}s)", flush=True)

  if args.full:
    out_dir = os.path.join(args.full_out, FULL['id'])
    meta, model, x, labels = build_and_run(FULL, out_dir, R, batch=FULL['batch'])
    config, _ = prepare_config(FULL)
    timing = {}
    for threads in (1, 2):
      for b in (1, 16):
        med, ts = time_forward(model, config, b, threads)
        timing[f'threads={threads},batch={b}'] = {'median_s': med, 'runs_s': ts}
        print(f'full forward threads={threads} batch={b}: median {med:.3f}s runs {ts}', flush=True)
    meta['timing_forward_cpu'] = timing
    with open(os.path.join(out_dir, 'fixture.json'), 'w') as f:
      json.dump(meta, f, indent=1, sort_keys=True)
    print(f"full: params={meta['param_count']} ckpt bytes={meta['checkpoint']['bytes']}")


if __name__ == '__main__':
  main()
