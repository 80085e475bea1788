"""PyTorch-style module functions: torch.exp(x) is x.exp(), torch.mm(a, b) is a.mm(b), and the
functions over several inputs (max, maximum, softmax, logsumexp, norm, topk)."""
