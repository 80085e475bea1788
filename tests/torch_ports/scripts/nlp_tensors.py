# Tensors for NLP, from the deep-learning-for-NLP material: making tensors of several ranks,
# indexing, operations, concatenation, reshaping, and how the computation graph is recorded.
import torch

torch.manual_seed(1)

V_data = [1., 2., 3.]
V = torch.tensor(V_data)
M = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
T = torch.tensor([[[1., 2.], [3., 4.]], [[5., 6.], [7., 8.]]])
legacy = torch.Tensor(2, 5)
indexing = [V[0].item(), M[0].tolist(), T[0].tolist()]

x = torch.randn((3, 4, 5))
shapes = [list(legacy.shape), list(x.shape)]

x = torch.tensor([1., 2., 3.])
y = torch.tensor([4., 5., 6.])
z = x + y

x_1 = torch.arange(10.).view(2, 5)
y_1 = torch.arange(15.).view(3, 5)
z_1 = torch.cat([x_1, y_1])
x_2 = torch.arange(6.).view(2, 3)
y_2 = torch.arange(16.).view(2, 8)
z_2 = torch.cat([x_2, y_2], 1)
x = torch.arange(24.).view(2, 3, 4)
reshaped = x.view(2, 12)
same = x.view(2, -1)

x = torch.tensor([1., 2., 3], requires_grad=True)
y = torch.tensor([4., 5., 6], requires_grad=True)
z = x + y
s = z.sum()
s.backward()

a = torch.arange(4.).view(2, 2)
b = torch.arange(4., 8.).view(2, 2)
c = a + b
before = (c.grad_fn is None, c.requires_grad)
a = a.requires_grad_()
b = b.requires_grad_()
c = a + b
new_z = c.detach()

report = {"indexing": indexing, "shapes": shapes, "sum": z.tolist(), "cat0": z_1.tolist(), "cat1": z_2.tolist(),
          "views": [reshaped.tolist(), same.tolist()], "grad_fn": s.grad_fn.name(), "x_grad": x.grad.tolist(),
          "graph": [*before, c.grad_fn.name(), new_z.grad_fn is None, new_z.requires_grad]}
