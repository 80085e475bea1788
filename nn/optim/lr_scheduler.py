"""Learning-rate schedules: StepLR, MultiStepLR, ExponentialLR, LambdaLR, CosineAnnealingLR, ReduceLROnPlateau.

Like torch.optim.lr_scheduler: building a scheduler records each group's `initial_lr` and sets
epoch 0; each `scheduler.step()` (once per epoch, after `optimizer.step()`) advances the epoch
and writes the new rate into every parameter group's "lr".
"""
from __future__ import annotations

import bisect
import math
from typing import Any, Sequence

from autograd_core.jit import active_recorder, replayed

from .optimizer import Optimizer


def _positive_int(scheduler: str, name: str, value: Any) -> int:
    """`value` if it is an int >= 1, else a ValueError naming the scheduler and the argument."""
    if not isinstance(value, int) or value < 1:
        raise ValueError(f"{scheduler}: {name} must be a positive integer, got {value!r}")
    return value


def _positive_gamma(scheduler: str, gamma: Any) -> float:
    """`gamma` if it is > 0 (a decay factor), else a ValueError naming the scheduler."""
    if not gamma > 0:
        raise ValueError(f"{scheduler}: gamma must be > 0, got {gamma!r}")
    return gamma


class LRScheduler:
    """Base class: subclasses give `lr_at(base_lr, epoch)` in closed form."""

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(self).__name__}: expected an Optimizer, got {type(optimizer).__name__}")
        self.optimizer = optimizer
        for i, group in enumerate(optimizer.param_groups):
            if last_epoch == -1:
                group.setdefault("initial_lr", group["lr"])
            elif "initial_lr" not in group:
                raise KeyError(f"{type(self).__name__}: param group {i} has no 'initial_lr' "
                               f"(needed when resuming with last_epoch={last_epoch})")
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._last_lr: list[float] = []
        self.step()

    def lr_at(self, base_lr: float, epoch: int) -> float:
        raise NotImplementedError

    def get_last_lr(self) -> list[float]:
        """The learning rates the last step() set, one per group."""
        return list(self._last_lr)

    def step(self) -> None:
        """Advance one epoch and set every group's lr (inside a compiled step: on every replay)."""
        if active_recorder() is not None:
            replayed(self._advance)
        else:
            self._advance()

    def _advance(self) -> None:
        self.last_epoch += 1
        for group, base in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = self.lr_at(base, self.last_epoch)
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimizer."""
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update(state_dict)


class StepLR(LRScheduler):
    """Step decay: lr_t = base_lr * gamma ** floor(t / step_size)."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1) -> None:
        self.step_size = _positive_int("StepLR", "step_size", step_size)
        self.gamma = _positive_gamma("StepLR", gamma)
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        return base_lr * self.gamma ** (epoch // self.step_size)


class CosineAnnealingLR(LRScheduler):
    """Cosine annealing: lr_t = eta_min + (base_lr - eta_min) (1 + cos(pi t / T_max)) / 2.

    Falls from base_lr at t = 0 to eta_min at t = T_max (and, like torch, rises again after).
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1) -> None:
        self.T_max = _positive_int("CosineAnnealingLR", "T_max", T_max)
        if not eta_min >= 0:
            raise ValueError(f"CosineAnnealingLR: eta_min must be >= 0, got {eta_min!r}")
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        return self.eta_min + (base_lr - self.eta_min) * (1.0 + math.cos(math.pi * epoch / self.T_max)) / 2.0


class ExponentialLR(LRScheduler):
    """Exponential decay: lr_t = base_lr * gamma ** t."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = _positive_gamma("ExponentialLR", gamma)
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        return base_lr * self.gamma ** epoch


class MultiStepLR(LRScheduler):
    """Decay at milestones: lr_t = base_lr * gamma ** (number of milestones <= t)."""

    def __init__(self, optimizer: Optimizer, milestones: Sequence[int], gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        ms = list(milestones)
        if any(not isinstance(m, int) or m < 0 for m in ms) or ms != sorted(ms):
            raise ValueError(f"MultiStepLR: milestones must be increasing non-negative ints, got {milestones!r}")
        self.milestones = ms
        self.gamma = _positive_gamma("MultiStepLR", gamma)
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        return base_lr * self.gamma ** bisect.bisect_right(self.milestones, epoch)


class LambdaLR(LRScheduler):
    """lr_t = base_lr * lr_lambda(t) (one function, or one per parameter group)."""

    def __init__(self, optimizer: Optimizer, lr_lambda: Any, last_epoch: int = -1) -> None:
        n = len(optimizer.param_groups)
        fns = list(lr_lambda) if isinstance(lr_lambda, (list, tuple)) else [lr_lambda] * n
        if len(fns) != n or not all(callable(f) for f in fns):
            raise ValueError(f"LambdaLR: expected one function or a list of {n} functions (one per group)")
        self.lr_lambdas = fns
        self._group = 0
        super().__init__(optimizer, last_epoch)

    def _advance(self) -> None:
        """Advance one epoch and set lr = base_lr * lambda_g(epoch) in every group g (step() calls it,
        on every replay inside a compiled step)."""
        self.last_epoch += 1
        for group, base, fn in zip(self.optimizer.param_groups, self.base_lrs, self.lr_lambdas):
            group["lr"] = base * float(fn(self.last_epoch))
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimizer and the functions (as torch, which keeps only callable objects)."""
        return {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "lr_lambdas")}


class ReduceLROnPlateau:
    """Multiply every group's lr by `factor` once the metric passed to step(metric) has not improved
    for more than `patience` epochs (improved: beyond `threshold`, relative or absolute), then wait
    `cooldown` epochs; never below min_lr. As torch.optim.lr_scheduler.ReduceLROnPlateau."""

    def __init__(self, optimizer: Optimizer, mode: str = "min", factor: float = 0.1, patience: int = 10,
                 threshold: float = 1e-4, threshold_mode: str = "rel", cooldown: int = 0, min_lr: Any = 0.0,
                 eps: float = 1e-8) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"ReduceLROnPlateau: expected an Optimizer, got {type(optimizer).__name__}")
        if not 0.0 < factor < 1.0:
            raise ValueError(f"ReduceLROnPlateau: factor must be in (0, 1), got {factor!r}")
        if mode not in ("min", "max") or threshold_mode not in ("rel", "abs"):
            raise ValueError(f"ReduceLROnPlateau: mode must be 'min' or 'max' and threshold_mode 'rel' or 'abs', "
                             f"got {mode!r}, {threshold_mode!r}")
        n = len(optimizer.param_groups)
        self.min_lrs = list(min_lr) if isinstance(min_lr, (list, tuple)) else [min_lr] * n
        if len(self.min_lrs) != n:
            raise ValueError(f"ReduceLROnPlateau: expected {n} min_lr values (one per group), got {len(self.min_lrs)}")
        self.optimizer = optimizer
        self.mode, self.factor, self.patience = mode, factor, patience
        self.threshold, self.threshold_mode, self.cooldown, self.eps = threshold, threshold_mode, cooldown, eps
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    def _better(self, a: float, best: float) -> bool:
        if self.mode == "min":
            edge = best * (1.0 - self.threshold) if self.threshold_mode == "rel" else best - self.threshold
            return a < edge
        edge = best * (1.0 + self.threshold) if self.threshold_mode == "rel" else best + self.threshold
        return a > edge

    def step(self, metrics: Any) -> None:
        """Record one epoch's metric (a number or a one-element tensor) and reduce the lr if it stalled."""
        current = float(metrics)
        self.last_epoch += 1
        if self._better(current, self.best):
            self.best, self.num_bad_epochs = current, 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            self._reduce()
            self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _reduce(self) -> None:
        for group, low in zip(self.optimizer.param_groups, self.min_lrs):
            new = max(group["lr"] * self.factor, low)
            if group["lr"] - new > self.eps:
                group["lr"] = new

    def get_last_lr(self) -> list[float]:
        """The learning rates after the last step(), one per group."""
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimizer."""
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update(state_dict)
