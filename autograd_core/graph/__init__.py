"""What a recording is: the Node every Value and Tensor is, its per-thread recording state (grad
mode, module scopes), the orders of a graph, version counters and what backward leaves behind."""
