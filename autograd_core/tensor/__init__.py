"""Tensor: the numpy-backed node, its method groups (shape, reductions, selection, products,
conversions, in-place updates), what `.grad` holds, and the PyTorch-style creation functions."""
