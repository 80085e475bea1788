"""A PyTorch MLP classifier script, ported by changing only the imports.

Each import keeps the PyTorch line it replaces in its comment. The script uses DataLoader,
CrossEntropyLoss, Adam, a StepLR schedule, train/eval modes, no_grad evaluation and a state_dict
round trip. The suite runs it under both libraries from the same starting weights and compares
every number (tests/nn/test_ported_scripts.py).

Run:  python examples/ported/mlp_classifier.py
"""
import numpy as np

import autograd_core as torch  # PyTorch: import torch
import nn  # PyTorch: from torch import nn
from nn import optim  # PyTorch: from torch import optim
from nn.data import DataLoader, TensorDataset  # PyTorch: from torch.utils.data import DataLoader, TensorDataset


def make_data(n: int = 120, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Three classes in 4-d: class = [x0 + x1^2 > 0.5] + [x2 > 1]."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    y = (X[:, 0] + X[:, 1] ** 2 > 0.5).astype(np.int64) + (X[:, 2] > 1.0).astype(np.int64)
    return X, y


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 16), nn.GELU(), nn.Linear(16, 16), nn.LeakyReLU(0.1),
                                 nn.Linear(16, 3))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return MLP().double()


def train(model, epochs=6):
    X, y = make_data()
    Xt, yt = torch.tensor(X, dtype=torch.float64), torch.tensor(y)
    loader = DataLoader(TensorDataset(Xt[:90], yt[:90]), batch_size=16, shuffle=False)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    history = []
    for _ in range(epochs):
        model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
        scheduler.step()
        model.eval()
        with torch.no_grad():
            logits = model(Xt[90:])
            val_loss = criterion(logits, yt[90:]).item()
            accuracy = (logits.argmax(dim=1) == yt[90:]).float().mean().item()
        history.append((loss.item(), val_loss, accuracy, scheduler.get_last_lr()[0]))
    fresh = MLP().double()
    fresh.load_state_dict(model.state_dict())
    with torch.no_grad():
        same = torch.allclose(fresh(Xt), model(Xt), rtol=0, atol=0)
    return history, same


def main():
    history, same = train(build())
    for epoch, (loss, val_loss, accuracy, lr) in enumerate(history):
        print(f"epoch {epoch}: train loss {loss:.4f}  val loss {val_loss:.4f}  val accuracy {accuracy:.0%}  lr {lr}")
    print("state_dict round trip gives the same outputs:", same)
    return history, same


if __name__ == "__main__":
    main()
