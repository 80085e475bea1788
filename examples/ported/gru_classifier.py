"""A PyTorch sequence classifier (2-layer bidirectional GRU), ported by changing only the imports.

A 2-layer bidirectional GRU with batch_first reads (B, T, 2) sequences, and a Linear head classifies
the final states of the top layer's two directions (is the running sum of the first feature
positive at the end?).

Run:  python examples/ported/gru_classifier.py
"""
import numpy as np

import autograd_core as torch  # PyTorch: import torch
import nn  # PyTorch: from torch import nn
from nn import functional as F  # PyTorch: from torch.nn import functional as F
from nn import optim  # PyTorch: from torch import optim


def make_data(n: int = 64, steps: int = 6, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, steps, 2))
    return X, (X[:, :, 0].sum(axis=1) > 0).astype(np.int64)


class GRUClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(input_size=2, hidden_size=8, num_layers=2, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * 8, 2)

    def forward(self, x):
        out, h_n = self.gru(x)  # out: (B, T, 16); h_n: (num_layers * 2, B, 8)
        last = torch.cat([h_n[-2], h_n[-1]], dim=1)  # the top layer's forward and reverse final states
        return self.head(last)


def build():
    torch.manual_seed(0)
    return GRUClassifier().double()


def train(model, epochs=8):
    X, y = make_data()
    Xt, yt = torch.tensor(X), torch.tensor(y)
    optimizer = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    losses = []
    for _ in range(epochs):
        model.train()
        optimizer.zero_grad()
        loss = F.cross_entropy(model(Xt), yt)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        logits = model(Xt)
        probs = F.softmax(logits, dim=1)
        accuracy = (probs.argmax(dim=1) == yt).float().mean().item()
    return losses, accuracy, probs.numpy()


def main():
    losses, accuracy, _ = train(build())
    print("losses:", " ".join(f"{v:.4f}" for v in losses), f"\ntraining accuracy {accuracy:.0%}")
    return losses, accuracy


if __name__ == "__main__":
    main()
