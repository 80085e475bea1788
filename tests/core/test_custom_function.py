"""torch.autograd.Function under `import autograd_core as torch`: ctx, saved tensors, needs_input_grad,
mark_non_differentiable, gradient checks to second order, names in grad_fn and viz, and the errors
a wrong backward gets. Compared with torch where it is installed."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd_core as ac

from torch_pair import libraries


def functions(lib: Any) -> dict[str, Any]:
    """The same user Functions, written once, for either library."""

    class MyReLU(lib.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.save_for_backward(x)
            return x.clamp(min=0)

        @staticmethod
        def backward(ctx: Any, grad_output: Any) -> Any:
            x, = ctx.saved_tensors
            grad = grad_output.clone()
            grad[x < 0] = 0
            return grad

    class LegendreP3(lib.autograd.Function):
        """P3(x) = (5x^3 - 3x) / 2, saving its input; backward is differentiable."""

        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.save_for_backward(x)
            return 0.5 * (5 * x ** 3 - 3 * x)

        @staticmethod
        def backward(ctx: Any, grad_output: Any) -> Any:
            x, = ctx.saved_tensors
            return grad_output * 1.5 * (5 * x ** 2 - 1)

    class ScaledExp(lib.autograd.Function):
        """scale * e^x, saving its output and a number; the number gets no gradient."""

        @staticmethod
        def forward(ctx: Any, x: Any, scale: float) -> Any:
            y = x.exp() * scale
            ctx.save_for_backward(y)
            ctx.needs = ctx.needs_input_grad
            return y

        @staticmethod
        def backward(ctx: Any, grad_output: Any) -> Any:
            y, = ctx.saved_tensors
            return grad_output * y, None

    class MulAdd(lib.autograd.Function):
        """a * b + c for two tensors that may or may not require grad."""

        @staticmethod
        def forward(ctx: Any, a: Any, b: Any, c: Any) -> Any:
            ctx.save_for_backward(a, b)
            ctx.seen = ctx.needs_input_grad
            return a * b + c

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            a, b = ctx.saved_tensors
            return (g * b if ctx.needs_input_grad[0] else None,
                    g * a if ctx.needs_input_grad[1] else None, g)

    return {"MyReLU": MyReLU, "LegendreP3": LegendreP3, "ScaledExp": ScaledExp, "MulAdd": MulAdd}


def test_values_gradients_and_names_match_torch() -> None:
    results = []
    for lib in libraries():
        fns = functions(lib)
        x = lib.tensor([-1.0, 0.5, 2.0], requires_grad=True)
        y = fns["LegendreP3"].apply(fns["MyReLU"].apply(x))
        z = fns["ScaledExp"].apply(y, 0.5)
        z.sum().backward()
        results.append((z.tolist() + x.grad.tolist(), z.grad_fn.name(), y.grad_fn.name()))
    np.testing.assert_allclose(results[0][0], results[-1][0], rtol=1e-12)
    for _, outer, inner in results:
        assert (outer, inner) == ("ScaledExpBackward", "LegendreP3Backward")


def test_needs_input_grad_and_none_gradients() -> None:
    for lib in libraries():
        muladd = functions(lib)["MulAdd"]
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([3.0, 4.0])
        c = lib.tensor([0.5, 0.5], requires_grad=True)
        out = muladd.apply(a, b, c)
        out.sum().backward()
        assert out.grad_fn is not None and a.grad.tolist() == [3.0, 4.0] and c.grad.tolist() == [1.0, 1.0]
        assert b.grad is None


def test_custom_functions_are_gradient_checked_to_second_order() -> None:
    fns = functions(ac)
    x = ac.tensor([-0.7, 0.3, 1.1], requires_grad=True)
    assert ac.autograd.gradcheck(fns["LegendreP3"].apply, (x,))
    assert ac.autograd.gradgradcheck(fns["LegendreP3"].apply, (x,))
    assert ac.autograd.gradgradcheck(lambda t: fns["ScaledExp"].apply(t, 2.0), (x,))  # saved output
    assert ac.gradcheck(lambda t: fns["MyReLU"].apply(t).sum(), np.array([-0.7, 0.3, 1.1]))
    a, b = (ac.tensor([0.2, -0.4], requires_grad=True) for _ in range(2))
    assert ac.autograd.gradgradcheck(fns["MulAdd"].apply, (a, b, ac.tensor([1.0, 1.0])))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-1.5, 1.5, allow_nan=False), min_size=1, max_size=5))
def test_second_derivatives_through_a_custom_function_equal_the_closed_form(xs: list[float]) -> None:
    p3 = functions(ac)["LegendreP3"]
    x = ac.tensor(xs, requires_grad=True)
    g, = ac.autograd.grad(p3.apply(x).sum(), x, create_graph=True)
    h, = ac.autograd.grad(g.sum(), x)
    np.testing.assert_allclose(g.tolist(), 1.5 * (5 * np.array(xs) ** 2 - 1), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h.tolist(), 15 * np.array(xs), rtol=1e-12, atol=1e-12)


def test_mark_non_differentiable_and_no_grad() -> None:
    class Argmax(ac.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            out = x.argmax(dim=0)
            ctx.mark_non_differentiable(out)
            return out

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            raise AssertionError("never called")

    x = ac.tensor([1.0, 3.0, 2.0], requires_grad=True)
    assert Argmax.apply(x).item() == 1 and not Argmax.apply(x).requires_grad
    with ac.no_grad():
        y = functions(ac)["LegendreP3"].apply(x)
    assert not y.requires_grad and y.grad_fn is None


def test_a_wrong_backward_gets_torchs_errors() -> None:
    class TooFew(ac.autograd.Function):
        @staticmethod
        def forward(ctx: Any, a: Any, b: Any) -> Any:
            return a * b

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return g

    class WrongShape(ac.autograd.Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            return a * 2.0

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return ac.ones(5)

    a = ac.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"TooFewBackward returned an incorrect number of gradients \(expected 2, got 1\)"):
        TooFew.apply(a, a).sum().backward()
    with pytest.raises(RuntimeError, match=r"WrongShapeBackward returned an invalid gradient at index 0 - got \[5\] "
                                           r"but expected shape compatible with \[2\]"):
        WrongShape.apply(a).sum().backward()
    with pytest.raises(TypeError, match="save_for_backward can only save tensors"):
        class Saves(ac.autograd.Function):
            @staticmethod
            def forward(ctx: Any, a: Any) -> Any:
                ctx.save_for_backward(a, 3.0)
                return a
        Saves.apply(a)


def test_changing_a_saved_input_in_place_makes_backward_raise() -> None:
    p3 = functions(ac)["LegendreP3"]
    x = ac.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1.0
    y = p3.apply(h)
    with ac.no_grad():
        h.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation.*input 0 of LegendreP3"):
        y.sum().backward()


def test_viz_draws_a_custom_function_by_its_name() -> None:
    viz = pytest.importorskip("viz")
    x = ac.Tensor([0.5, -1.0], requires_grad=True, label="x")
    out = functions(ac)["LegendreP3"].apply(x).sum()
    out.backward()
    svg = viz.to_svg(out)
    assert ">LegendreP3<" in svg
    assert out.parents[0].op.function is not None and out.parents[0].op.function.onnx is None


def test_variable_is_the_tensor_itself() -> None:
    t = ac.tensor([1.0, 2.0])
    assert ac.autograd.Variable(t) is t and not t.requires_grad
    v = ac.autograd.Variable(t, requires_grad=True)
    assert v is t and t.requires_grad


def test_compile_refuses_a_custom_function_naming_it() -> None:
    p3 = functions(ac)["LegendreP3"]
    w = ac.Tensor([0.5, -0.5], requires_grad=True)

    def step(x: Any) -> Any:
        loss = (p3.apply(x * w)).sum()
        loss.backward()
        return loss

    compiled = ac.compile(step)
    with pytest.raises(ac.TraceError, match="custom autograd.Function LegendreP3 cannot be traced"):
        for _ in range(3):
            compiled(ac.Tensor([1.0, 2.0]))


def test_export_of_a_custom_function_without_an_onnx_form_names_the_class() -> None:
    pytest.importorskip("onnx", reason="ONNX export needs the onnx extra")
    from autograd_core.onnx import ExportError, export

    p3 = functions(ac)["LegendreP3"]
    with pytest.raises(ExportError, match="custom autograd.Function LegendreP3 has no ONNX form"):
        export(lambda x: p3.apply(x), (ac.Tensor([[0.5, -0.5]]),), None)


def test_a_custom_function_with_an_onnx_form_exports_and_runs_in_onnxruntime(tmp_path: Any) -> None:
    pytest.importorskip("onnx", reason="ONNX export needs the onnx extra")
    ort = pytest.importorskip("onnxruntime", reason="ONNX export needs the onnx extra")
    from autograd_core.onnx import export

    class SoftSign(ac.autograd.Function):
        """x / (1 + |x|)."""

        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.save_for_backward(x)
            return x / (1.0 + abs(x))

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            x, = ctx.saved_tensors
            return g / (1.0 + abs(x)) ** 2

        @staticmethod
        def onnx(b: Any, x: str) -> str:
            return b.op("Softsign", x)

    w = ac.Tensor([[0.5, -2.0], [1.5, 0.25]], requires_grad=True)
    export(lambda x: SoftSign.apply(x @ w), (ac.Tensor([[0.5, -0.5]]),), tmp_path / "f.onnx",
           dynamic_axes={"input": {0: "batch"}})
    x = np.array([[0.3, -1.2], [2.0, 0.1], [0.0, 5.0]])
    got, = ort.InferenceSession(str(tmp_path / "f.onnx"), providers=["CPUExecutionProvider"]).run(None, {"input": x})
    expected = SoftSign.apply(ac.Tensor(x) @ w).tolist()
    np.testing.assert_allclose(got, expected, rtol=1e-10)
