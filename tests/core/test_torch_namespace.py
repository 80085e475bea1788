"""`import autograd_core as torch` is a torch namespace: nn, optim, autograd, utils.data, dtypes,
devices, cuda, grad_fn, legacy constructors; compared with torch's own answers where installed."""
from __future__ import annotations

import importlib
import sys

import numpy as np
import pytest

import autograd_core as torch_ns


def test_the_subpackages_are_the_library_modules_themselves_never_copies() -> None:
    import nn
    import nn.functional
    import nn.optim

    assert torch_ns.nn is nn and torch_ns.nn.functional is nn.functional and torch_ns.nn.init is nn.init
    assert torch_ns.nn.utils.clip_grad_norm_ is nn.utils.clip_grad_norm_
    assert torch_ns.optim is nn.optim and torch_ns.optim.lr_scheduler.StepLR is nn.optim.lr_scheduler.StepLR
    assert torch_ns.utils.data.DataLoader is nn.data.DataLoader
    for name in ("autograd_core.nn", "autograd_core.nn.functional", "autograd_core.optim",
                 "autograd_core.optim.lr_scheduler", "autograd_core.utils.data"):
        module = importlib.import_module(name)
        original = name.replace("autograd_core.optim", "nn.optim").replace("autograd_core.utils.data", "nn.data")
        assert module is sys.modules[original.replace("autograd_core.", "")], name
    for key, module in list(sys.modules.items()):
        if key.startswith("autograd_core.nn."):
            assert module is sys.modules["nn." + key[len("autograd_core.nn."):]], key


def test_import_statements_as_pytorch_scripts_write_them() -> None:
    import autograd_core.nn as nn
    import autograd_core.nn.functional as F
    import autograd_core.optim as optim
    from autograd_core.autograd import Function, Variable
    from autograd_core.utils.data import DataLoader, TensorDataset

    x = torch_ns.randn(8, 3)
    loader = DataLoader(TensorDataset(x, torch_ns.zeros(8)), batch_size=4)
    model = nn.Linear(3, 1)
    opt = optim.SGD(model.parameters(), lr=0.1)
    for xb, _ in loader:
        opt.zero_grad()
        F.relu(model(Variable(xb))).sum().backward()
        opt.step()
    assert issubclass(Function, object) and model.weight.grad.shape == (1, 3)


def test_getting_an_attribute_that_does_not_exist_says_so() -> None:
    with pytest.raises(AttributeError, match="module 'autograd_core' has no attribute 'fft'"):
        torch_ns.fft  # noqa: B018
    with pytest.raises(AttributeError, match="only utils.data exists here"):
        torch_ns.utils.tensorboard  # noqa: B018


def test_dtypes_devices_and_cuda() -> None:
    assert (torch_ns.float, torch_ns.double, torch_ns.long, torch_ns.int, torch_ns.bool) == tuple(
        np.dtype(d) for d in ("float32", "float64", "int64", "int32", "bool"))
    assert torch_ns.float32 is torch_ns.float and torch_ns.int64 is torch_ns.long
    x = torch_ns.linspace(-1.0, 1.0, 5, device=torch_ns.device("cpu"), dtype=torch_ns.float)
    assert x.dtype == np.float32 and x.device == torch_ns.device("cpu") == "cpu" and str(x.device) == "cpu"
    assert x.to("cpu") is x and x.to(torch_ns.device("cpu"), torch_ns.double).dtype == np.float64
    assert not torch_ns.cuda.is_available() and torch_ns.cuda.device_count() == 0
    device = torch_ns.device("cuda" if torch_ns.cuda.is_available() else "cpu")
    assert torch_ns.zeros(2, device=device).device == device
    torch_ns.set_default_device("cpu")
    for bad in ("cuda", "cuda:0", "mps", 0):
        with pytest.raises(RuntimeError, match="runs on the CPU only"):
            torch_ns.zeros(2, device=bad)
        with pytest.raises(RuntimeError, match="runs on the CPU only"):
            x.to(bad)
    with pytest.raises(RuntimeError, match="runs on the CPU only"):
        torch_ns.set_default_device("cuda")
    with pytest.raises(RuntimeError, match="runs on the CPU only"):
        x.cuda()
    with pytest.raises(ValueError, match="default floating dtype here is float64"):
        torch_ns.set_default_dtype(torch_ns.float32)
    torch_ns.set_default_dtype(torch_ns.float64)
    assert torch_ns.get_default_dtype() == np.float64


def test_legacy_constructors_match_torch() -> None:
    ours = [torch_ns.Tensor(1, 5), torch_ns.Tensor([1, 2]), torch_ns.LongTensor([3, 4]), torch_ns.FloatTensor(2, 3),
            torch_ns.LongTensor(2), torch_ns.Tensor(), torch_ns.BoolTensor([True, False]), torch_ns.empty(2, 2)]
    assert [t.shape for t in ours] == [(1, 5), (2,), (2,), (2, 3), (2,), (0,), (2,), (2, 2)]
    assert [str(t.dtype) for t in ours] == ["float64", "float64", "int64", "float32", "int64", "float64", "bool",
                                           "float64"]
    assert not ours[0].requires_grad and ours[1].tolist() == [1.0, 2.0] and ours[2].tolist() == [3, 4]
    with pytest.raises(TypeError, match="pass requires_grad= and dtype= by keyword"):
        torch_ns.Tensor([1.0], True)
    torch = pytest.importorskip("torch", reason="compares with PyTorch")
    theirs = [torch.Tensor(1, 5), torch.Tensor([1, 2]), torch.LongTensor([3, 4]), torch.FloatTensor(2, 3),
              torch.LongTensor(2), torch.Tensor(), torch.BoolTensor([True, False]), torch.empty(2, 2)]
    assert [tuple(t.shape) for t in theirs] == [t.shape for t in ours]
    assert [t.requires_grad for t in theirs] == [t.requires_grad for t in ours]


@pytest.mark.parametrize("program,name", [
    (lambda t, x, w: x + w, "AddBackward0"), (lambda t, x, w: x * w, "MulBackward0"),
    (lambda t, x, w: (x * w).sum(), "SumBackward0"), (lambda t, x, w: x.exp(), "ExpBackward0"),
    (lambda t, x, w: x.tanh(), "TanhBackward0"), (lambda t, x, w: x - w, "SubBackward0"),
    (lambda t, x, w: x / w, "DivBackward0"), (lambda t, x, w: x.sigmoid(), "SigmoidBackward0"),
])
def test_grad_fn_names_and_next_functions_as_torch(program, name) -> None:  # type: ignore[no-untyped-def]
    libs = [torch_ns]
    try:
        import torch
        libs.append(torch)
    except ImportError:
        pass
    for lib in libs:
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        w = lib.tensor([3.0, 4.0])
        y = program(lib, x, w)
        assert y.grad_fn.name() == name and x.grad_fn is None
        leaves, stack = [], [y.grad_fn]
        while stack:  # walk next_functions down to the AccumulateGrad ends
            fn = stack.pop()
            for nxt, index in fn.next_functions:
                assert index == 0
                if nxt is not None and nxt.name() == "torch::autograd::AccumulateGrad":
                    leaves.append(nxt.variable)
                elif nxt is not None:
                    stack.append(nxt)
        assert len(leaves) == 1 and leaves[0] is x


def test_autograd_grad_takes_torchs_arguments() -> None:
    ag = torch_ns.autograd
    x = torch_ns.tensor([1.0, 2.0], requires_grad=True)
    unused = torch_ns.tensor([5.0], requires_grad=True)
    y = (x ** 3).sum()
    gx, gu = ag.grad(y, [x, unused], allow_unused=True, retain_graph=True)
    assert gx.tolist() == [3.0, 12.0] and gu is None and x.grad is None
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
        ag.grad(y, [x, unused], retain_graph=True)
    g, = ag.grad([x * 2.0, x * x], x, grad_outputs=[torch_ns.ones(2), torch_ns.ones(2)])
    assert g.tolist() == [4.0, 6.0]
    with pytest.raises(RuntimeError, match="does not require grad"):
        ag.grad(y, torch_ns.tensor([1.0]))
    ag.backward([(x * x).sum()], retain_graph=False)
    assert x.grad.tolist() == [2.0, 4.0]


@pytest.mark.parametrize("call", [
    lambda x: x.norm(), lambda x: x.norm(dim=1), lambda x: x.norm(p=1, dim=0, keepdim=True),
    lambda x: x.norm(float("inf")), lambda x: x.norm(3, dim=1), lambda x: x.topk(2)[0], lambda x: x.topk(1, dim=0)[0],
    lambda x: x.topk(2, largest=False)[0], lambda x: x.grad_fn,
])
def test_norm_and_topk_values_and_gradients_match_torch(call) -> None:  # type: ignore[no-untyped-def]
    torch = pytest.importorskip("torch", reason="compares with PyTorch")
    data = [[3.0, -4.0, 0.5], [0.0, 0.0, 0.0], [1.0, 2.5, -2.0]]  # a zero row: norm's slope there is 0
    outs = []
    for lib in (torch_ns, torch):
        x = lib.tensor(data, dtype=lib.float64, requires_grad=True)
        y = call(x)
        if y is None:
            outs.append(None)
            continue
        (y * lib.ones_like(y)).sum().backward()
        outs.append((np.asarray(y.tolist()), np.asarray(x.grad.tolist())))
    if outs[0] is not None:
        np.testing.assert_allclose(outs[0][0], outs[1][0], rtol=1e-12)
        np.testing.assert_allclose(outs[0][1], outs[1][1], rtol=1e-12, atol=1e-15)
    _, ours = torch_ns.tensor(data).topk(2, dim=1)
    assert ours.tolist()[0] == torch.tensor(data).topk(2, dim=1)[1].tolist()[0] == [0, 2]
