"""The adversarial suite imports its harness and the op table's input specs (tests/core) by module name."""
from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
for path in (HERE, os.path.join(os.path.dirname(HERE), "core")):
    if path not in sys.path:
        sys.path.insert(0, path)
