#!/usr/bin/env bash
# Set up a working checkout: the Graphviz `dot` program, a .venv with the package and its extras.
# Usage: bash scripts/setup.sh            (idempotent; safe to run again)
#        bash scripts/setup.sh --test     also Debian's chromium + chromium-driver (browser tests), onnx + onnxruntime
set -euo pipefail
cd "$(dirname "$0")/.."

TEST=0
for arg in "$@"; do
  case "$arg" in
    --test) TEST=1 ;;
    *) echo "setup: unknown option $arg (expected --test)" >&2; exit 2 ;;
  esac
done

SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
if [ "$TEST" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]} from Debian's packages" >&2
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e ".[all]"
# The ONNX export tests need onnx and onnxruntime (the `onnx` extra); --test installs them, so CI runs them.
if [ "$TEST" = 1 ]; then
  .venv/bin/python -m pip install -q -e ".[onnx]" || echo "setup: onnx/onnxruntime not installed; tests/onnx_export will skip" >&2
fi

# PyTorch is an optional oracle for the conformance tests; install it only from a local wheel
# (never pull a multi-GB build from the network).
if ls "${PIP_FIND_LINKS:-/opt/wheels}"/torch-2.13.0* >/dev/null 2>&1 \
    && ! .venv/bin/python -c "import torch" >/dev/null 2>&1; then
  .venv/bin/python -m pip install -q torch==2.13.0 || echo "setup: torch not installed (optional)" >&2
fi
echo "setup: ready (.venv)" >&2
