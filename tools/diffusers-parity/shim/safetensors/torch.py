"""save_file / load_file of the safetensors format, pure Python on top of torch and numpy."""
import json
import struct

import numpy as np
import torch

from . import SafetensorError

_DTYPES = {
    torch.float32: ("F32", np.float32),
    torch.float64: ("F64", np.float64),
    torch.float16: ("F16", np.float16),
    torch.int64: ("I64", np.int64),
    torch.int32: ("I32", np.int32),
    torch.uint8: ("U8", np.uint8),
    torch.bool: ("BOOL", np.bool_),
}
_BY_CODE = {code: (dt, np_dt) for dt, (code, np_dt) in _DTYPES.items()}


def save_file(tensors, filename, metadata=None):
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        if t.dtype not in _DTYPES:
            raise SafetensorError(f"{name}: dtype {t.dtype} not supported by this stand-in")
        code, np_dt = _DTYPES[t.dtype]
        raw = t.numpy().astype(np_dt).astype(np.dtype(np_dt).newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata is not None:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(filename, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def load_file(filename, device="cpu"):
    with open(filename, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dt, np_dt = _BY_CODE[info["dtype"]]
        start, end = info["data_offsets"]
        arr = np.frombuffer(data[base + start:base + end], dtype=np.dtype(np_dt).newbyteorder("<"))
        out[name] = torch.from_numpy(arr.astype(np_dt).reshape(info["shape"]).copy()).to(device)
    return out
