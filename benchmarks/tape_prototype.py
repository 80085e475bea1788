"""A measuring prototype, not part of the library: scalar autodiff on a tape of list columns.

It exists to put numbers on the design docs/design.md sketches under "The garbage collector at 10⁶
ops", so bench_gc_floor.py can run bench_engine's graph on it beside ours and micrograd. It has
only what that graph uses: `* + relu ** backward`, on floats. Each recorded op appends its value,
op code and two parent references (packed in one int) to list columns, and returns a small
handle. A list is one object to the collector however long it grows, and its floats and ints are
not tracked. Temporaries die
at once, so the cyclic collector never sees the graph. A parent reference k > 0 is the entry k
places back; 0 means the operand is a leaf, kept (an object) in the entry's place in the `leaf`
column. Every reference is relative to its entry, so joining two tapes (an op on graphs begun on
different tapes) appends the smaller tape's columns to the larger one's, rewriting nothing; the
moved tape's handles follow a forward pointer. A graph starts on the current tape, held weakly;
a fresh one takes over past ROTATE entries. Backward sweeps the root's tape from the root down,
summing gradients in a list (None: not reached, skipped, so a 0 * inf from an unrelated graph on
the same tape never reaches a leaf).

Left out: threads (one current tape, not one per thread), grad mode, views for `.parents`, and
any check of its input.
"""
from __future__ import annotations

import weakref
from typing import Any

MUL, ADD, RELU, POW = 0, 1, 2, 3
ROTATE = 1 << 16
SHIFT = 30  # an entry's word: code | a << 2 | b << (2 + SHIFT), a and b relative references


_new = object.__new__


class Tape:
    """Recorded ops in columns: value, word (op code and parent references), leaf operands."""

    __slots__ = ("data", "word", "leaf", "moved", "grad", "__weakref__")

    def __init__(self) -> None:
        self.data: list[float] = []
        self.word: list[int] = []
        self.leaf: list[Any] = []  # per entry: None, its leaf operand, or (leaf a, leaf b)
        self.moved: tuple[Tape, int] | None = None  # (the tape this one was appended to, at offset)
        self.grad: list[Any] | None = None

    def append_to(self, big: "Tape") -> None:
        """Move every entry to the end of `big` (references are relative: nothing to rewrite)."""
        self.moved = (big, len(big.data))
        big.data.extend(self.data)
        big.word.extend(self.word)
        big.leaf.extend(self.leaf)
        self.data, self.word, self.leaf = [], [], []


_current: list[Any] = [lambda: None]  # a weak reference to the tape new graphs start on


def _start_tape() -> Tape:
    tape = _current[0]()
    if tape is None or len(tape.data) >= ROTATE:
        tape = Tape()
        _current[0] = weakref.ref(tape)
    return tape


def _where(v: "TapeValue") -> Tape | None:
    """The tape holding v's entry now (following moves, updating v), or None for a leaf."""
    tape = v.tape
    while tape is not None and tape.moved is not None:
        tape, offset = tape.moved
        v.i += offset
        v.tape = tape
    return tape


def _record(x: "TapeValue", y: "TapeValue | None", out: float, code: int) -> "TapeValue":
    """Append op(x, y) = out (y None for a one-input op) to the right tape; its handle."""
    xt = x.tape
    if xt is not None and xt.moved is None and (y is None or y.tape is None):  # the common case
        tape = xt
        i = len(tape.data)
        tape.data.append(out)
        tape.word.append(code | (i - x.i) << 2)
        tape.leaf.append(y)
    else:
        xt, yt = _where(x), (None if y is None else _where(y))
        if xt is not None and yt is not None and xt is not yt:
            small, big = (yt, xt) if len(yt.data) <= len(xt.data) else (xt, yt)
            small.append_to(big)
            xt, yt = _where(x), _where(y)  # type: ignore[arg-type]
        tape = xt or yt or _start_tape()
        i = len(tape.data)
        a = i - x.i if xt is not None else 0
        b = i - y.i if yt is not None else 0  # type: ignore[union-attr]
        tape.data.append(out)
        tape.word.append(code | a << 2 | b << (2 + SHIFT))
        tape.leaf.append(None if (a and (b or y is None)) else
                         (y if a else (x if (b or y is None) else (x, y))))
    v = _new(TapeValue)
    v.data = out
    v.tape = tape
    v.i = i
    v.grad = 0.0
    return v


class TapeValue:
    """A leaf (tape None) or a handle to entry `i` of `tape`."""

    __slots__ = ("data", "tape", "i", "grad")

    def __init__(self, data: float) -> None:
        self.data = float(data)
        self.tape: Tape | None = None
        self.i = -1
        self.grad = 0.0

    def __mul__(self, other: "TapeValue") -> "TapeValue":
        return _record(self, other, self.data * other.data, MUL)

    def __add__(self, other: "TapeValue") -> "TapeValue":
        return _record(self, other, self.data + other.data, ADD)

    def relu(self) -> "TapeValue":
        x = self.data
        return _record(self, None, x if x > 0.0 else 0.0, RELU)

    def __pow__(self, k: int) -> "TapeValue":
        if k != 2:
            raise NotImplementedError("tape_prototype: only ** 2 is prototyped")
        x = self.data
        return _record(self, None, x * x, POW)

    def backward(self) -> None:
        """d(self)/d(entry) for every entry at or below self, and into every leaf's .grad."""
        tape = _where(self)
        if tape is None:
            raise ValueError("tape_prototype: backward from a leaf")
        top = self.i
        data, word, leaf = tape.data, tape.word, tape.leaf
        g: list[Any] = [None] * (top + 1)
        g[top] = 1.0
        mask = (1 << SHIFT) - 1
        # The two "add into an entry's sum" blocks below stay written out: this loop is what the
        # prototype measures, and a helper call per edge would add to every figure.
        for i in range(top, -1, -1):
            gi = g[i]
            if gi is None:
                continue
            w = word[i]
            c = w & 3
            a = (w >> 2) & mask
            b = w >> (2 + SHIFT)
            if c <= ADD:  # MUL or ADD
                if a and b:
                    la = lb = None
                else:
                    ops = leaf[i]
                    la, lb = (ops if not (a or b) else ((None, ops) if a else (ops, None)))
                if c == MUL:
                    xa = data[i - a] if a else la.data
                    xb = data[i - b] if b else lb.data
                    ga, gb = gi * xb, gi * xa
                else:
                    ga = gb = gi
                if b:
                    j = i - b
                    h = g[j]
                    g[j] = gb if h is None else h + gb
                else:
                    lb.grad += gb
            elif c == RELU:
                ga = gi if data[i] > 0.0 else 0.0
                la = leaf[i]
            else:
                la = leaf[i]
                ga = 2.0 * gi * (data[i - a] if a else la.data)
            if a:
                j = i - a
                h = g[j]
                g[j] = ga if h is None else h + ga
            else:
                la.grad += ga
        tape.grad = g
