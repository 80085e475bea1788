"""PyTorch tensor manipulation, ported by changing only the import.

It standardizes, reshapes, permutes, masks, reduces with (values, indices), computes pairwise
distances by broadcasting and a soft attention, and takes the gradient of the whole thing.

Run:  python examples/ported/tensor_manipulation.py
"""
import numpy as np

import autograd_core as torch  # PyTorch: import torch


def run(data: np.ndarray) -> dict:
    x = torch.tensor(data, dtype=torch.float64, requires_grad=True)  # (6, 4)
    z = (x - x.mean(dim=0, keepdim=True)) / x.std(dim=0, keepdim=True)
    out = {"z": z}
    out["t"] = z.transpose(0, 1).reshape(2, 12)
    out["p"] = z.view(3, 2, 4).permute(2, 0, 1).flatten(1)
    mask = z > 0
    out["masked"] = torch.where(mask, z, torch.zeros_like(z)).sum(dim=1)
    out["count"] = mask.sum(dim=0)
    values, indices = z.max(dim=1)
    out["values"], out["indices"] = values, indices
    out["top"] = z[torch.arange(6), z.argmin(dim=1)]
    d = (z.unsqueeze(1) - z.unsqueeze(0)).pow(2).sum(dim=-1).clamp(min=1e-12).sqrt()  # (6, 6) distances
    out["dist"] = d
    attention = torch.softmax(-d, dim=1) @ z
    out["attention"] = attention
    out["stacked"] = torch.stack([z.amax(dim=0), z.amin(dim=0), z.prod(dim=0), z.cumsum(dim=0)[-1]])
    out["extras"] = torch.cat([z.sin().mean(dim=0), z.exp().log1p().var(dim=0), z.abs().sqrt().sum(dim=0)])
    loss = attention.pow(2).mean() + out["stacked"].sum() + out["extras"].sum() + values.sum()
    loss.backward()
    out["loss"], out["grad"] = loss, x.grad
    return out


def main():
    result = run(np.random.default_rng(0).normal(size=(6, 4)))
    for name, value in result.items():
        print(f"{name}: shape {tuple(value.shape)}")
    return result


if __name__ == "__main__":
    main()
