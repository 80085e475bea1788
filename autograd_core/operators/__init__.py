"""The operators and elementwise methods Value and Tensor share (+ - * / ** @, exp, tanh, ...,
comparisons), each mapped to its op-table entry."""
