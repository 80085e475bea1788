"""Module: discovery in attributes and containers, names, modes, zero_grad, repr, scopes for viz."""
from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd_core import Tensor, Value, topological_order


class Block(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.scale = nn.Parameter(np.ones(3))
        self.pair = (nn.Linear(3, 2, seed=0), nn.Linear(2, 3, seed=1))
        self.heads = {"a": nn.Linear(3, 1, seed=2), "b": [nn.Parameter(np.zeros(2))]}
        self.cache = Tensor(np.ones(4), requires_grad=True)   # a plain Tensor: not a parameter
        self._private = nn.Linear(5, 5)                      # leading underscore: not searched
        self.sizes = [1, 2, 3]

    def forward(self, x):
        return self.pair[1](self.pair[0](x * self.scale))


def test_discovery_in_lists_tuples_dicts_with_dotted_names():
    names = [n for n, _ in Block().named_parameters()]
    # torch's order: the module's own parameters first (here also one found in a container), then each
    # submodule's
    assert names == ["scale", "heads.b.0", "pair.0.weight", "pair.0.bias", "pair.1.weight", "pair.1.bias",
                     "heads.a.weight", "heads.a.bias"]
    b = Block()
    assert [n for n, _ in b.named_children()] == ["pair.0", "pair.1", "heads.a"]
    assert [n for n, _ in b.named_modules()] == ["", "pair.0", "pair.1", "heads.a"]
    assert b.num_parameters() == 3 + (6 + 2) + (6 + 3) + (3 + 1) + 2
    params = b.parameters()
    assert next(params) is b.scale and next(params) is b.heads["b"][0]  # an iterator, as torch's
    assert len(list(b.parameters())) == 8


def test_shared_parameter_and_module_reported_once():
    class Tied(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(2, 2, seed=0)
            self.b = self.a
            self.w = self.a.weight

    t = Tied()
    assert [n for n, _ in t.named_parameters()] == ["w", "a.bias"]  # torch's too: own parameters first
    assert len(list(t.children())) == 1
    assert t.num_parameters() == 6


def test_notes_one_hidden_layer_parameter_count():
    for dx, h, dy in [(2, 16, 1), (784, 30, 10), (5, 7, 3)]:
        assert nn.MLP(dx, [h, dy]).num_parameters() == (dx + 1) * h + (h + 1) * dy


def test_unknown_attribute_names_class_and_attribute():
    m = nn.Linear(2, 3)
    with pytest.raises(AttributeError, match=r"Linear has no attribute 'wieght'"):
        m.wieght  # noqa: B018 - the attribute read is what raises

    class Forgot(nn.Module):
        def __init__(self):
            self.x = 1

    with pytest.raises(AttributeError, match="super"):
        Forgot().training  # noqa: B018 - the attribute read is what raises


def test_forward_must_be_defined():
    with pytest.raises(NotImplementedError, match="Module.forward"):
        nn.Module()(1)


def test_repr_tree():
    model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Dropout(0.25), nn.Softmax(dim=1))
    assert repr(model) == ("Sequential(\n"
                           "  (0): Linear(in_features=2, out_features=4, bias=True)\n"
                           "  (1): ReLU()\n"
                           "  (2): Dropout(p=0.25)\n"
                           "  (3): Softmax(dim=1)\n"
                           ")")
    nested = repr(nn.Sequential(nn.Sequential(nn.Linear(1, 1, bias=False))))
    assert nested == ("Sequential(\n  (0): Sequential(\n    (0): Linear(in_features=1, out_features=1, bias=False)\n"
                      "  )\n)")
    assert repr(nn.MLP(2, [3, 1])).splitlines()[1] == "  nin=2, sizes=[3, 1], activation='relu'"


def test_train_eval_propagate():
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout(0.5)))
    assert model.eval() is model
    assert [m.training for m in model.modules()] == [False] * 4
    model.train()
    assert all(m.training for m in model.modules())


def test_zero_grad_tensor_and_value(rng):
    model = nn.MLP(3, [4, 2], seed=0)
    model(rng.normal(size=(5, 3))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    smodel = nn.scalar.MLP(2, [2, 1], seed=0)
    smodel([1.0, -2.0]).backward()
    assert any(p.grad != 0.0 for p in smodel.parameters())
    smodel.zero_grad()
    assert [p.grad for p in smodel.parameters()] == [0.0] * 9


def test_requires_grad_and_to_dtype():
    m = nn.Linear(3, 2, seed=0)
    m.requires_grad_(False)
    assert [p.requires_grad for p in m.parameters()] == [False, False]
    assert m.num_parameters(trainable_only=True) == 0
    m.to(np.float32)
    assert m.weight.dtype == np.float32 and m(np.ones((1, 3), dtype=np.float32)).dtype == np.float32


def test_parameter_basics():
    p = nn.Parameter([1, 2])
    assert isinstance(p, Tensor) and p.requires_grad and p.dtype == np.float64
    assert nn.Parameter(np.zeros(2), dtype=np.float32).dtype == np.float32
    assert not hasattr(p, "__dict__")
    assert repr(p).startswith("Parameter containing:\nTensor([1., 2.]")
    assert type(p * 2) is Tensor
    s = nn.ScalarParameter(0.5, "w0")
    assert isinstance(s, Value) and s.label == "w0" and type(s * 2) is Value


# ---- scopes ------------------------------------------------------------------------------------


def _owners(model, node):
    """The module paths (with time steps) of the scopes a node was recorded in, outermost first."""
    paths = {id(m): name or type(m).__name__ for name, m in model.named_modules()}
    if node.scope is None:
        return []
    return [paths[id(s.owner)] + ("" if s.step is None else f"[t={s.step}]") for s in node.scope.chain()]


def test_scopes_stamped_by_an_mlp_forward(rng):
    model = nn.MLP(2, [3, 3, 1], seed=0)
    out = model(rng.normal(size=(4, 2)))
    by_op = {}
    for node in topological_order(out):
        by_op.setdefault(node.op_name, []).append(_owners(model, node))
    # the three affine nodes (fused "linear", or "matmul") belong to layers 0, 1, 2; the relus only to the MLP
    affine = "linear" if "linear" in by_op else "matmul"
    assert by_op[affine] == [["MLP", "layers.0"], ["MLP", "layers.1"], ["MLP", "layers.2"]]
    assert by_op["relu"] == [["MLP"], ["MLP"]]
    params = {id(p) for p in model.parameters()}
    leaves = [n for n in topological_order(out) if n.op is None]
    # the parameters were made at construction, outside every call; the input constant inside layers.0
    assert [_owners(model, n) for n in leaves if id(n) in params] == [[]] * 6
    assert [_owners(model, n) for n in leaves if id(n) not in params] == [["MLP", "layers.0"]]


def test_scopes_stamped_by_an_rnn_per_time_step(rng):
    rnn = nn.RNN(2, 3, seed=0)
    out, h = rnn(rng.normal(size=(3, 1, 2)))
    tanhs = [n for n in topological_order(out) if n.op_name in ("tanh", "rnn_tanh_step")]
    assert [_owners(rnn, n) for n in tanhs] == [["RNN", f"cell[t={t}]"] for t in range(3)]
    assert out.op_name == "stack" and _owners(rnn, out) == ["RNN"]
    assert [n.scope.step for n in tanhs] == [0, 1, 2] and tanhs[0].scope.depth == 1

    class Wrap(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = rnn

        def forward(self, x):
            return self.rnn(x)[0]

    w = Wrap()
    y = w(rng.normal(size=(2, 1, 2)))
    tanhs = [n for n in topological_order(y) if n.op_name in ("tanh", "rnn_tanh_step")]
    assert [_owners(w, n) for n in tanhs] == [["Wrap", "rnn", f"rnn.cell[t={t}]"] for t in range(2)]


def test_scopes_of_an_old_forward_survive_a_new_one(rng):
    a = nn.Linear(2, 2)
    first = a(np.ones(2))
    second = a(np.ones(2))
    assert first.scope.owner is a and second.scope.owner is a and first.scope is not second.scope


def test_scope_recovers_after_error():
    from autograd_core.graph.grad_mode import current_scope

    bad = nn.Sequential(nn.Linear(2, 2))
    with pytest.raises(ValueError):
        bad(np.ones(3))
    assert current_scope() is None
    good = nn.Linear(2, 1)
    assert good(np.ones(2)).scope.owner is good


def test_deepcopy_and_pickle_keep_structure_and_numbers(rng):
    import copy
    import pickle

    model = nn.Sequential(nn.Linear(2, 3, seed=0), nn.Tanh(), nn.GRU(3, 2, seed=1))
    x = rng.normal(size=(4, 1, 2))
    for clone in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert clone[0].weight is not model[0].weight and isinstance(clone[0].weight, nn.Parameter)
        assert [n for n, _ in clone.named_parameters()] == [n for n, _ in model.named_parameters()]
        np.testing.assert_array_equal(clone(x)[0].data, model(x)[0].data)


def test_apply_visits_children_first():
    model = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.ReLU()))
    seen = []
    model.apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "ReLU", "Sequential", "Sequential"]
    model.apply(lambda m: nn.init.zeros_(m.weight) if isinstance(m, nn.Linear) else None)
    assert model[0].weight.data[0, 0] == 0.0
