# The cubic fit with an optimizer (RMSprop) doing the update.
import math

import torch

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)

model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
with torch.no_grad():
    for param in model.parameters():
        param.zero_()
loss_fn = torch.nn.MSELoss(reduction="sum")

optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
losses = []
for t in range(500):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        losses.append(loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

layer = model[0]
report = {"losses": losses, "bias": layer.bias.item(), "weights": layer.weight.detach().flatten().tolist()}
