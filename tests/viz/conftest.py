"""The explorer's browser tests share this: one headless Chromium per test module (resized per case)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def browser():
    """A selenium driver for headless Chromium at 1400x860; skips with a message where there is none."""
    pytest.importorskip("selenium", reason="selenium is not installed (pip install 'autograd-core[test]')")
    from viz.explore.browser import BrowserUnavailable, start
    try:
        driver = start(1400, 860)
    except BrowserUnavailable as e:
        pytest.skip(f"browser tests skipped: {e}")
    yield driver
    driver.quit()
