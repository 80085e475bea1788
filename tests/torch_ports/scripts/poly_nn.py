# The cubic fit with the nn package: a Linear layer over the features (x, x^2, x^3), a summed
# squared-error loss, and the update written by hand over model.parameters().
import math

import torch

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)

model = torch.nn.Sequential(
    torch.nn.Linear(3, 1),
    torch.nn.Flatten(0, 1),
)
with torch.no_grad():
    model[0].weight.copy_(torch.tensor([[0.5, -0.1, 0.05]]))
    model[0].bias.fill_(0.2)

loss_fn = torch.nn.MSELoss(reduction="sum")

learning_rate = 1e-6
losses = []
for t in range(300):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        losses.append(loss.item())
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad

linear_layer = model[0]
report = {"losses": losses, "bias": linear_layer.bias.item(),
          "weights": [linear_layer.weight[:, i].item() for i in range(3)],
          "shape": list(xx.shape), "still_parameters": [p.is_leaf for p in model.parameters()]}
