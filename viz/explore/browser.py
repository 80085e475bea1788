"""A headless Chromium driven by selenium, for the explorer's tests and screenshots (not used by viz itself).

Finds Debian's `chromium` and `chromium-driver` (or any Chromium/Chrome with a matching driver on
PATH) and starts it with a fresh profile and no network services. `BrowserUnavailable` says what to
install when there is none.
"""
from __future__ import annotations

import shutil
import tempfile
from typing import Any

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DRIVERS = ("chromedriver", "chromium-driver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         "--hide-scrollbars")


class BrowserUnavailable(RuntimeError):
    """No headless browser (or no selenium) on this machine."""


def _first(names: tuple[str, ...]) -> str | None:
    return next((p for p in map(shutil.which, names) if p), None)


def start(width: int = 1400, height: int = 860) -> Any:
    """A selenium WebDriver for headless Chromium with a window of width x height CSS pixels."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        raise BrowserUnavailable("selenium is not installed (pip install 'autograd-core[test]')") from None
    browser, driver = _first(BROWSERS), _first(DRIVERS)
    if browser is None or driver is None:
        raise BrowserUnavailable("no headless browser: install Debian's chromium and chromium-driver "
                                 "(sudo apt-get install -y chromium chromium-driver)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--window-size={width},{height}")
    opts.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='autograd-chromium-')}")
    return webdriver.Chrome(options=opts, service=Service(executable_path=driver))
