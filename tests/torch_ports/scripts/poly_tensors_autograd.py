# Fit y = sin(x) on [-pi, pi] with a cubic a + b x + c x^2 + d x^3: tensors, autograd, and a
# hand-written gradient step on each coefficient (the first lesson of the PyTorch material).
import math

import torch

dtype = torch.float
device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

# fixed starting coefficients so both libraries start from the same point
a = torch.tensor(0.1, device=device, dtype=dtype, requires_grad=True)
b = torch.tensor(-0.2, device=device, dtype=dtype, requires_grad=True)
c = torch.tensor(0.3, device=device, dtype=dtype, requires_grad=True)
d = torch.tensor(-0.05, device=device, dtype=dtype, requires_grad=True)

learning_rate = 1e-6
losses = []
for t in range(300):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    if t % 50 == 49:
        losses.append(loss.item())
    loss.backward()
    with torch.no_grad():
        for param in (a, b, c, d):
            param -= learning_rate * param.grad
            param.grad = None

report = {"losses": losses, "coefficients": [a.item(), b.item(), c.item(), d.item()],
          "leaves": [p.is_leaf and p.requires_grad for p in (a, b, c, d)], "dtype": str(a.dtype).split(".")[-1]}
