"""Stand-in for the `safetensors` Python package (its wheel needs a compiled Rust extension, which cannot be
built here). Implements the file format (8-byte little-endian header length, JSON header of
{name: {dtype, shape, data_offsets}} plus optional __metadata__, then the raw little-endian tensor bytes)
for what diffusers' UNet2DModel save/load calls: safetensors.torch.save_file / load_file."""


class SafetensorError(Exception):
    pass


def safe_open(*args, **kwargs):
    raise SafetensorError("safe_open is not provided by this stand-in")

from . import torch  # noqa: E402,F401  (safetensors.torch, as the real package exposes it)
