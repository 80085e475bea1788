# An LSTM part-of-speech tagger: embeddings, an LSTM over the sentence, a linear layer to tag scores.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

lstm = nn.LSTM(3, 3)
with torch.no_grad():
    for k, param in enumerate(lstm.parameters()):
        param.copy_(torch.linspace(-0.4, 0.4, param.numel()).view_as(param) * (1 + 0.1 * k))
inputs = [torch.arange(3.0).view(1, 3) * 0.1 * (i + 1) for i in range(5)]
hidden = (torch.zeros(1, 1, 3), torch.zeros(1, 1, 3))
for i in inputs:
    out, hidden = lstm(i.view(1, 1, -1), hidden)
stepwise = out.tolist()
hidden = (torch.zeros(1, 1, 3), torch.zeros(1, 1, 3))
out, hidden = lstm(torch.cat(inputs).view(len(inputs), 1, -1), hidden)


def prepare_sequence(seq, to_ix):
    idxs = [to_ix[w] for w in seq]
    return torch.tensor(idxs, dtype=torch.long)


training_data = [
    ("The dog ate the apple".split(), ["DET", "NN", "V", "DET", "NN"]),
    ("Everybody read that book".split(), ["NN", "V", "DET", "NN"]),
]
word_to_ix = {}
for sent, _tags in training_data:
    for word in sent:
        if word not in word_to_ix:
            word_to_ix[word] = len(word_to_ix)
tag_to_ix = {"DET": 0, "NN": 1, "V": 2}
EMBEDDING_DIM = 6
HIDDEN_DIM = 6


class LSTMTagger(nn.Module):
    def __init__(self, embedding_dim, hidden_dim, vocab_size, tagset_size):
        super(LSTMTagger, self).__init__()
        self.hidden_dim = hidden_dim
        self.word_embeddings = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim)
        self.hidden2tag = nn.Linear(hidden_dim, tagset_size)

    def forward(self, sentence):
        embeds = self.word_embeddings(sentence)
        lstm_out, _ = self.lstm(embeds.view(len(sentence), 1, -1))
        tag_space = self.hidden2tag(lstm_out.view(len(sentence), -1))
        return F.log_softmax(tag_space, dim=1)


model = LSTMTagger(EMBEDDING_DIM, HIDDEN_DIM, len(word_to_ix), len(tag_to_ix))
with torch.no_grad():
    for k, param in enumerate(model.parameters()):
        param.copy_(torch.linspace(-1.0, 1.0, param.numel()).view_as(param).cos() * 0.3 * (-1) ** k)
loss_function = nn.NLLLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)

with torch.no_grad():
    before = model(prepare_sequence(training_data[0][0], word_to_ix)).tolist()

losses = []
for _epoch in range(60):
    for sentence, tags in training_data:
        model.zero_grad()
        sentence_in = prepare_sequence(sentence, word_to_ix)
        targets = prepare_sequence(tags, tag_to_ix)
        tag_scores = model(sentence_in)
        loss = loss_function(tag_scores, targets)
        loss.backward()
        optimizer.step()
    losses.append(loss.item())

with torch.no_grad():
    tag_scores = model(prepare_sequence(training_data[0][0], word_to_ix))

report = {"stepwise": stepwise, "whole": out[-1].tolist(), "hidden": [hidden[0].tolist(), hidden[1].tolist()],
          "before": before, "losses": losses, "after": tag_scores.tolist(),
          "predicted": tag_scores.argmax(dim=1).tolist()}
