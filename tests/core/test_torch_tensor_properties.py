"""Property tests (hypothesis) of the PyTorch-named Tensor methods.

Identities that must hold for any shape and data, and prod's gradient with zeros against its
definition prod_{j != i} x_j.
"""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ac

SHAPES = hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4)
FLOATS = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
FEW = settings(max_examples=40, deadline=None)


def arrays(shape=SHAPES):
    return hnp.arrays(np.float64, shape, elements=FLOATS)


@FEW
@given(a=arrays(), data=st.data())
def test_permute_and_its_inverse_and_transpose_swaps(a: np.ndarray, data: st.DataObject) -> None:
    order = data.draw(st.permutations(range(a.ndim)))
    x = ac.tensor(a)
    back = x.permute(*order).permute(*np.argsort(order).tolist())
    np.testing.assert_array_equal(back.data, a)
    d0, d1 = data.draw(st.integers(0, a.ndim - 1)), data.draw(st.integers(0, a.ndim - 1))
    np.testing.assert_array_equal(x.transpose(d0, d1).data, np.swapaxes(a, d0, d1))


@FEW
@given(a=arrays(), data=st.data())
def test_reductions_agree_with_each_other(a: np.ndarray, data: st.DataObject) -> None:
    x, d = ac.tensor(a), data.draw(st.integers(-a.ndim, a.ndim - 1))
    values, indices = x.max(d)
    np.testing.assert_array_equal(values.data, x.amax(d).data)
    np.testing.assert_array_equal(values.data, np.take_along_axis(a, np.expand_dims(indices.data, d % a.ndim),
                                                                  d % a.ndim).squeeze(d % a.ndim))
    np.testing.assert_allclose(x.cumsum(d).data.take(-1, axis=d % a.ndim), x.sum(d).data, atol=1e-12)
    np.testing.assert_allclose(x.sum(d, keepdim=True).squeeze(d).data, x.sum(d).data)
    np.testing.assert_array_equal(x.unsqueeze(d).squeeze(d).data, a)


@FEW
@given(a=arrays(), reps=st.lists(st.integers(1, 3), min_size=4, max_size=5))
def test_repeat_tiles_and_repeat_interleave_repeats(a: np.ndarray, reps: list[int]) -> None:
    x = ac.tensor(a)
    np.testing.assert_array_equal(x.repeat(*reps).data, np.tile(a, reps))
    np.testing.assert_array_equal(x.repeat_interleave(reps[0], dim=0).data, np.repeat(a, reps[0], axis=0))


@FEW
@given(a=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5),
                    elements=st.sampled_from([0.0, 0.5, -1.5, 2.0, 1.0])))
def test_prod_gradient_is_the_product_of_the_others_even_with_zeros(a: np.ndarray) -> None:
    x = ac.tensor(a, requires_grad=True)
    x.prod().backward()
    flat = a.ravel()
    want = np.array([np.prod(np.delete(flat, i)) for i in range(flat.size)]).reshape(a.shape)
    np.testing.assert_allclose(x.grad, want, rtol=1e-12, atol=0)
    assert np.all(np.isfinite(x.grad))
