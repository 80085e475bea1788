# A walk through autograd: requires_grad, grad_fn, backward of a scalar and of a vector
# (vector-Jacobian products), no_grad, detach, requires_grad_ and gradient accumulation.
import torch

x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
names = [y.grad_fn.name(), z.grad_fn.name()]
out.backward()
grad_of_mean = x.grad.tolist()  # d out / dx = 6 (x + 2) / 4 = 4.5

a = torch.tensor([[2.0, -1.0], [0.5, 3.0]])
a = (a * 3) / (a - 1)
before = a.requires_grad
a.requires_grad_(True)
b = (a * a).sum()
after = (a.requires_grad, b.grad_fn.name())

x = torch.tensor([0.3, -1.2, 0.7], requires_grad=True)
y = x * 2
steps = 0
while y.detach().norm() < 1000:
    y = y * 2
    steps += 1
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
vjp = x.grad.tolist()

with torch.no_grad():
    inside = (x ** 2).requires_grad
detached = x.detach()
same_values = x.eq(detached).all().item()

w = torch.tensor([1.0, 2.0], requires_grad=True)
for _ in range(3):
    (w * w).sum().backward()
accumulated = w.grad.tolist()  # three backward passes add up: 3 * 2w
w.grad.zero_()
(w ** 3).sum().backward()

report = {"names": names, "grad_of_mean": grad_of_mean, "before_after": [before, *after], "steps": steps,
          "vjp": vjp, "no_grad": inside, "detach": [detached.requires_grad, same_values],
          "accumulated": accumulated, "after_zero": w.grad.tolist()}
