"""Shared test setup: import the checkout's packages and give hypothesis CI-friendly defaults."""
from __future__ import annotations

import os
import sys

from hypothesis import settings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# No per-example deadline: a loaded 2-core CI box must not turn slow examples into failures.
settings.register_profile("autograd", deadline=None, max_examples=40, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "autograd"))
