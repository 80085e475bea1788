"""Differentiating a recorded graph: backward (count, then accumulate), its generated scalar loop,
the function transforms built on it (grad, jacobian, hessian) and the gradient checker."""
