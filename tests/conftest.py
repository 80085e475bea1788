"""Shared test setup: import the checkout's packages and give hypothesis CI-friendly defaults."""
from __future__ import annotations

import os
import sys

import pytest
from hypothesis import settings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# No per-example deadline: a loaded 2-core CI box must not turn slow examples into failures.
settings.register_profile("autograd", deadline=None, max_examples=40, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "autograd"))


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium (selenium) for the module's tests; they skip with the reason when there is none."""
    pytest.importorskip("selenium", reason="selenium is not installed (pip install 'autograd-core[test]')")
    from viz.explore.browser import BrowserUnavailable, start

    try:
        driver = start(1400, 860)
    except BrowserUnavailable as e:
        pytest.skip(f"browser tests skipped: {e}")
    yield driver
    driver.quit()


@pytest.fixture(autouse=True)
def _torch_default_dtype_restored():
    """Tests that compare with torch in float64 set torch's default dtype; put it back after each
    test, so later tests see torch as it starts (float32)."""
    torch = sys.modules.get("torch")
    before = torch.get_default_dtype() if torch is not None else None
    yield
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_default_dtype(before if before is not None else torch.float32)
