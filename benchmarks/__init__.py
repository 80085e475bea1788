"""Side-by-side benchmarks of autograd-core against Karpathy's micrograd (run each file as a script)."""
