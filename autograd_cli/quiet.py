"""Keep Python's warnings off the command line's stderr: the CLI reports problems in its own words."""
from __future__ import annotations

import warnings
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def no_warnings() -> Iterator[None]:
    """Ignore every warning (numpy's RuntimeWarnings, the parser's SyntaxWarnings) while the command runs.

    Whatever they would have said is either reported by the command itself (a non-finite
    derivative, a diverged training run, a syntax error) or does not concern the user.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
