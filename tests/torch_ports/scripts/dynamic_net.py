# A dynamic network: each forward pass reuses one hidden weight 0 to 3 extra times, the count drawn
# at random (Python's random, seeded), so the graph changes from step to step; SGD with momentum.
import math
import random

import torch


class DynamicNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.tensor(0.1))
        self.b = torch.nn.Parameter(torch.tensor(0.2))
        self.c = torch.nn.Parameter(torch.tensor(-0.1))
        self.d = torch.nn.Parameter(torch.tensor(0.05))
        self.e = torch.nn.Parameter(torch.tensor(0.01))

    def forward(self, x):
        y = self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3
        for exp in range(4, random.randint(4, 6)):
            y = y + self.e * x ** exp
        return y


random.seed(3)
x = torch.linspace(-math.pi, math.pi, 500)
y = torch.sin(x)

model = DynamicNet()
criterion = torch.nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
losses = []
for t in range(300):
    y_pred = model(x)
    loss = criterion(y_pred, y)
    if t % 60 == 59:
        losses.append(loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

report = {"losses": losses, "params": [p.item() for p in model.parameters()]}
