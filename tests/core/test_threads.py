"""Grad mode and scopes are per thread; concurrent backward passes over shared leaves add up exactly."""
from __future__ import annotations

import threading

import numpy as np

from autograd_core import Tensor, Value, enable_grad, is_grad_enabled, no_grad
from autograd_core.graph.grad_mode import current_scope, recording_scope, set_grad_enabled


def _run_all(targets: list) -> None:
    threads = [threading.Thread(target=t) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)


def test_no_grad_in_one_thread_leaves_recording_on_in_another() -> None:
    entered, release = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def quiet() -> None:
        with no_grad():
            entered.set()
            release.wait(10)
            seen["quiet"] = (Value(2.0) * Value(3.0)).requires_grad

    def trainer() -> None:
        entered.wait(10)
        seen["enabled"] = is_grad_enabled()
        seen["records"] = (Value(2.0) * Value(3.0)).requires_grad
        release.set()

    _run_all([quiet, trainer])
    assert seen == {"quiet": False, "enabled": True, "records": True}


def test_out_of_order_exits_across_threads_never_leave_recording_off() -> None:
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:  # enters first, exits first
        with no_grad():
            a_in.set()
            b_in.wait(10)
        a_out.set()

    def second() -> None:  # enters second, exits last
        a_in.wait(10)
        with no_grad():
            b_in.set()
            a_out.wait(10)

    _run_all([first, second])
    assert is_grad_enabled()
    results: list[bool] = []
    _run_all([lambda: results.append(is_grad_enabled())])
    assert results == [True]


def test_one_decorator_instance_used_by_many_threads_at_once() -> None:
    decorator = no_grad()
    barrier = threading.Barrier(4)
    flags: list[bool] = []

    @decorator
    def quiet_step() -> bool:
        barrier.wait(10)
        return (Value(1.0) * 2.0).requires_grad

    def worker() -> None:
        flags.append(quiet_step())
        flags.append(is_grad_enabled())

    _run_all([worker] * 4)
    assert sorted(flags) == [False] * 4 + [True] * 4


def test_nested_modes_in_one_thread() -> None:
    with no_grad():
        assert not is_grad_enabled()
        with enable_grad():
            assert (Value(1.0) * 2.0).requires_grad
        with set_grad_enabled(False):
            assert not (Value(1.0) * 2.0).requires_grad
    assert is_grad_enabled()


def test_training_thread_never_sees_another_threads_no_grad() -> None:
    stop = threading.Event()
    failures: list[int] = []
    w = Tensor(np.ones(3), requires_grad=True)

    def evaluator() -> None:
        while not stop.is_set():
            with no_grad():
                (w * 2.0).sum()

    def trainer() -> None:
        for step in range(300):
            loss = (w * w).sum()
            if not loss.requires_grad:
                failures.append(step)
        stop.set()

    _run_all([evaluator, trainer])
    assert failures == []


def test_scopes_are_per_thread() -> None:
    owner_a, owner_b = object(), object()
    stamped: dict[str, object] = {}
    barrier = threading.Barrier(2)

    def make(name: str, owner: object) -> None:
        with recording_scope(owner, step=1):
            barrier.wait(10)
            node = Value(1.0) * 3.0
            barrier.wait(10)
        stamped[name] = node.scope.owner if node.scope else None
        stamped[name + "_after"] = current_scope()

    _run_all([lambda: make("a", owner_a), lambda: make("b", owner_b)])
    assert stamped == {"a": owner_a, "a_after": None, "b": owner_b, "b_after": None}


def test_concurrent_backward_passes_over_shared_parameters_add_up_exactly() -> None:
    w = Value(0.5)
    b = Tensor([1.0, -2.0], requires_grad=True)
    steps = 200

    def worker() -> None:
        for _ in range(steps):
            ((w * 3.0).tanh() + w).backward()
            ((b * b).sum() * 0.5).backward()

    _run_all([worker] * 4)
    expected_w = 4 * steps * (3.0 * (1 - np.tanh(1.5) ** 2) + 1.0)
    assert abs(w.grad - expected_w) < 1e-9 * expected_w
    np.testing.assert_allclose(b.grad, 4 * steps * np.array([1.0, -2.0]), rtol=1e-12)


def test_a_copied_context_in_another_thread_never_changes_the_callers_mode() -> None:
    """asyncio.to_thread (and copy_context().run) hand a worker the caller's context: the worker
    starts in the caller's mode, and neither side's later changes reach the other."""
    import asyncio
    import contextvars

    started, release = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def worker() -> None:
        seen["inherited"] = is_grad_enabled()
        with enable_grad():
            started.set()
            release.wait(10)
            seen["worker"] = (Value(2.0) * Value(3.0)).requires_grad

    async def main() -> None:
        with no_grad():
            task = asyncio.ensure_future(asyncio.to_thread(worker))
            while not started.is_set():
                await asyncio.sleep(0.001)
            seen["caller"] = is_grad_enabled()
        seen["caller after"] = is_grad_enabled()
        release.set()
        await task

    asyncio.run(main())
    assert seen == {"inherited": False, "worker": True, "caller": False, "caller after": True}
    ctx = contextvars.copy_context()
    with no_grad():
        assert ctx.run(is_grad_enabled) is True and is_grad_enabled() is False


def test_leaving_more_contexts_than_entered_is_an_error() -> None:
    import pytest

    mode = no_grad()
    with pytest.raises(RuntimeError, match="exited more times than entered"):
        mode.__exit__(None, None, None)
