"""Writes the diffusers parity fixtures (src/test/resources/diffusers-parity/<id>/): small UNet2DModel networks
in the configurations of the Hugging Face ports of the paper's models, every parameter drawn at random, saved
as a pipeline folder (model_index.json, unet/config.json + weights, scheduler/scheduler_config.json), with an
input batch x.npy, the timesteps the pipeline would pass (ScoreSdeVe: sigma; DDPM: integer t) as labels.npy,
and what diffusers computes, model(x, labels).sample, as net_out.npy. See README.md for how to run it."""
import argparse
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "shim"))  # pure-Python stand-in for the safetensors package

import numpy as np  # noqa: E402
import torch  # noqa: E402
from diffusers import (DDPMPipeline, DDPMScheduler, ScoreSdeVePipeline, ScoreSdeVeScheduler,  # noqa: E402
                       UNet2DModel)

# The NCSN++ ports (google/ncsnpp-*): Fourier time embedding, skip (FIR, input/output pyramid) blocks, residual
# outputs rescaled by sqrt(2), GroupNorm groups min(C/4, 32) (norm_num_groups None), eps 1e-6. Small here: the
# attention variant (AttnSkip*Block2D) normalises with 32 groups, which equals the reference only from 128
# channels on, too large for a fixture; the mid block's attention is covered.
NCSNPP = dict(
    sample_size=16, in_channels=3, out_channels=3, center_input_sample=False,
    time_embedding_type="fourier", block_out_channels=[8, 16, 16], layers_per_block=2,
    down_block_types=["SkipDownBlock2D", "SkipDownBlock2D", "SkipDownBlock2D"],
    up_block_types=["SkipUpBlock2D", "SkipUpBlock2D", "SkipUpBlock2D"],
    mid_block_scale_factor=math.sqrt(2.0), norm_num_groups=None, norm_eps=1e-6, act_fn="silu",
    attention_head_dim=None, downsample_padding=1, flip_sin_to_cos=True, freq_shift=1,
)
NCSNPP_SCHEDULER = dict(num_train_timesteps=2000, sigma_min=0.01, sigma_max=348.0, snr=0.15, sampling_eps=1e-5)

# The DDPM port's conventions (google/ddpm-cifar10-32): positional embedding without flip and with frequency
# shift 1 (the reference's get_timestep_embedding), 'SAME' downsampling (padding 0), 32 groups, eps 1e-6,
# single-head attention in the mid block. Not its AttnDownBlock2D/AttnUpBlock2D level: diffusers' AttnUpBlock2D
# attends after each of its layers_per_block + 1 resnets, the reference's DDPM once per level, so that port has no
# reference equivalent (the importer refuses it).
DDPM = dict(
    sample_size=16, in_channels=3, out_channels=3, center_input_sample=False,
    time_embedding_type="positional", flip_sin_to_cos=False, freq_shift=1,
    block_out_channels=[32, 32], layers_per_block=1,
    down_block_types=["DownBlock2D", "DownBlock2D"], up_block_types=["UpBlock2D", "UpBlock2D"],
    mid_block_scale_factor=1, downsample_padding=0, norm_num_groups=32, norm_eps=1e-6, act_fn="silu",
    attention_head_dim=None,
)
DDPM_SCHEDULER = dict(num_train_timesteps=1000, beta_start=0.0001, beta_end=0.02, beta_schedule="linear",
                      variance_type="fixed_small", clip_sample=True, prediction_type="epsilon")

FIXTURES = {
    # id: (unet config, scheduler class, scheduler config, pipeline class, weights format, labels)
    "ncsnpp-ve": (NCSNPP, ScoreSdeVeScheduler, NCSNPP_SCHEDULER, ScoreSdeVePipeline, "bin",
                  np.array([0.02, 1.3, 90.0], dtype=np.float32)),
    "ddpm-cifar10": (DDPM, DDPMScheduler, DDPM_SCHEDULER, DDPMPipeline, "safetensors",
                     np.array([0, 417, 999], dtype=np.int64)),
}


def redraw(model, generator):
    """Every parameter drawn anew (diffusers zero-initialises none here, but the reference's init would):
    weights ~ N(0, 1/fan_in), norms' scales 1 + N(0, 0.1^2), biases N(0, 0.1^2), Fourier W ~ 16 N(0, 1)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            z = torch.randn(p.shape, generator=generator)
            if name.startswith("time_proj."):
                p.copy_(16.0 * z)
            elif "norm" in name and name.endswith(".weight"):
                p.copy_(1.0 + 0.1 * z)
            elif name.endswith(".bias"):
                p.copy_(0.1 * z)
            else:
                fan_in = int(np.prod(p.shape[1:])) if p.dim() > 1 else p.shape[0]
                p.copy_(z / math.sqrt(fan_in))


def write(out_root, fid, seed):
    config, sched_cls, sched_cfg, pipe_cls, fmt, labels = FIXTURES[fid]
    g = torch.Generator().manual_seed(seed)
    model = UNet2DModel(**config).eval()
    redraw(model, g)
    if config["time_embedding_type"] == "fourier":  # W and weight are one tensor registered twice
        assert model.time_proj.W is model.time_proj.weight
    pipe = pipe_cls(unet=model, scheduler=sched_cls(**sched_cfg))
    folder = os.path.join(out_root, fid)
    os.makedirs(folder, exist_ok=True)
    pipe.save_pretrained(folder, safe_serialization=(fmt == "safetensors"))
    x = torch.randn((len(labels), config["in_channels"], config["sample_size"], config["sample_size"]),
                    generator=g)
    if config["time_embedding_type"] == "fourier":  # VE: data at noise level sigma
        x = x * torch.from_numpy(labels).reshape(-1, 1, 1, 1)
    t = torch.from_numpy(labels)
    with torch.no_grad():
        out = model(x, t).sample
        # what was saved is what was run: diffusers reads the folder back to the same output
        weights = os.path.join(folder, "unet", "diffusion_pytorch_model." + fmt)
        if fmt == "bin":
            reloaded = UNet2DModel.from_pretrained(os.path.join(folder, "unet")).eval()
        else:
            import safetensors.torch as st
            reloaded = UNet2DModel.from_config(UNet2DModel.load_config(os.path.join(folder, "unet"))).eval()
            reloaded.load_state_dict(st.load_file(weights))
        again = reloaded(x, t).sample
        assert torch.equal(out, again), "reloaded model differs"
    np.save(os.path.join(folder, "x.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(folder, "labels.npy"), labels)
    np.save(os.path.join(folder, "net_out.npy"), out.numpy().astype(np.float32))
    if config["time_embedding_type"] == "positional":
        # the same weights under flip_sin_to_cos = not flip (diffusers' default is True: cos before sin);
        # DiffusersParityTest imports the folder with config.json changed accordingly
        flipped = UNet2DModel(**dict(config, flip_sin_to_cos=not config["flip_sin_to_cos"])).eval()
        flipped.load_state_dict(model.state_dict())
        with torch.no_grad():
            np.save(os.path.join(folder, "net_out_flipped.npy"), flipped(x, t).sample.numpy().astype(np.float32))
    n = sum(p.numel() for p in model.parameters())
    keys = list(model.state_dict().keys())
    print(f"{fid}: {n} parameters, {len(keys)} state-dict keys, |out| max {out.abs().max():.3g}, {weights}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "..", "..", "src", "test", "resources", "diffusers-parity"))
    ap.add_argument("--seed", type=int, default=20210512)
    args = ap.parse_args()
    torch.set_num_threads(2)
    import diffusers
    print("diffusers", diffusers.__version__, "torch", torch.__version__)
    for i, fid in enumerate(FIXTURES):
        write(os.path.abspath(args.out), fid, args.seed + i)


if __name__ == "__main__":
    main()
