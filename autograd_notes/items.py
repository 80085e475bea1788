"""The 42 items of the lecture notes, in the notes' order: what each states, where it slips, what shows it.

The notes are OCR text of handwriting: a `slip` is the author's (the text is unambiguous and
wrong), a `reading` is OCR noise (a lost prime, superscript or sign, margin scribbles merged into
a line) that the page names so that nobody blames the author for it.
"""
from __future__ import annotations

from dataclasses import dataclass

PAGES = {"000": "000-sign-units-softmax-rnn.md", "001": "001-nielsen-backprop.md",
         "002": "002-classifiers-and-graphs.md", "003": "003-jacobians-mnist.md", "004": "004-softmax-word2vec.md"}


@dataclass(frozen=True)
class Item:
    """Item `number` (1..42) of note file `note`: its title, the experiment that shows it, the author's
    slip ("" when the notes have it right), the picture file it refers to ("" when it has none) and
    the OCR reading noise the page explains ("" when there is none)."""

    number: int
    note: str
    title: str
    experiment: str
    slip: str
    picture: str
    reading: str = ""

    @property
    def page(self) -> str:
        return PAGES[self.note]


_RAW = [
    ("000", "AND and OR of k sign units", "sign-network",
     "", "sign_network.png"),
    ("000", "Networks for Boolean and 1-Lipschitz functions grow exponentially with the dimension",
     "width-approximation",
     "1-Lipschitz is written |f(u) - f(v)| <= |u - v|^2; it is |u - v| (with the square only constants qualify)",
     "width_approximation.png"),
    ("000", "Softmax turns k scores into probabilities; with cross-entropy, ∂L/∂v_i = o_i − y_i",
     "softmax-cross-entropy", "the loss is written -sum_{i=1}^{infinity} y_i log o_i; the sum runs to k",
     "softmax_cross_entropy_graph.png"),
    ("000", "Recurrent networks: order, variable length, parameter sharing", "rnn-sharing", "",
     "rnn_sharing_graph.png"),
    ("001", "Perceptrons and sigmoid neurons", "perceptron",
     "the sigmoid neuron's output is written 1/2 + exp(-sum w_j x_j - b); it is 1 / (1 + exp(-sum w_j x_j - b))",
     "perceptron.png"),
    ("001", "The quadratic cost and gradient descent: ΔC ≈ −η ‖∇C‖²", "dc-vs-gradient",
     "the update is written v -> v - eta C (it is v - eta grad C), and repeating it is said to reach a global "
     "minimum: it reaches a stationary point, often a local minimum", "dc_vs_gradient.png"),
    ("001", "Stochastic gradient descent: the mini-batch estimates the gradient", "minibatch-noise",
     "written sum_j grad C_xj ~ sum_x grad C_x: the averages (1/m) and (1/n) are missing", "minibatch_noise.png"),
    ("001", "Mini-batch SGD updates and epochs on MNIST", "nielsen-sgd", "", "nielsen_sgd.png"),
    ("001", "Notation, the feedforward a^l = σ(W^l a^{l−1} + b^l) and the Hadamard product", "backprop-equations",
     "", "backprop_equations_graph.png"),
    ("001", "The error δ^l_j = ∂C/∂z^l_j and the four equations BP1–BP4, with their proofs", "backprop-equations",
     "", "backprop_equations_graph.png"),
    ("001", "Slow learning: weights from low activations, and saturated neurons", "vanishing-gradients", "",
     "vanishing_gradients.png"),
    ("001", "The backpropagation algorithm", "backprop-equations",
     "", ""),
    ("001", "The big picture: a sum over paths of products of rate factors", "rate-factors", "",
     "rate_factors_graph.png"),
    ("001", "Cross-entropy for a sigmoid neuron: no learning slowdown",
     "ce-vs-quadratic", "", "ce_vs_quadratic.png"),
    ("001", "Cross-entropy for many outputs, binary entropy, cross-entropy of distributions", "binary-entropy",
     "the cross-entropy of distributions is written sum_j p_j ln q_j (it needs a minus sign); C ~ 0 holds only for "
     "y in {0, 1}", "binary_entropy.png"),
    ("001", "The softmax output layer and the log-likelihood cost", "softmax-cross-entropy",
     "ln a_j is written z_j + ln sum_k e^(z_k); it is z_j - ln sum_k e^(z_k)", "softmax_cross_entropy_graph.png"),
    ("001", "L2 regularization and weight decay", "l1-vs-l2", "", "l1_vs_l2.png"),
    ("001", "L1 regularization: constant shrinking, sparse weights", "l1-vs-l2",
     "the L1 update is written w(1 - eta lambda / n) - eta dC0/dw, which is the L2 update; it is "
     "w - (eta lambda / n) sgn(w) - eta dC0/dw", "l1_vs_l2.png"),
    ("001", "The Hessian technique (Newton's method)", "newton",
     "the step is written dw = H^-1 grad C (it is -H^-1 grad C)",
     "newton.png"),
    ("001", "tanh as a rescaled sigmoid, and ReLU", "sigmoid-derivative", "", "sigmoid_derivative.png"),
    ("002", "The worked neuron: weights (0.1, 0.2, 0.3), input (1, 1)", "worked-neuron", "",
     "worked_neuron_graph.png"),
    ("002", "Linear discriminants: sign, normal vector, distance, the bias as x_0 = 1", "linear-discriminant",
     "theta_0 is called the distance of the boundary from the origin; the distance is |theta_0| / |(theta_1, theta_2)|",
     "linear_discriminant.png"),
    ("002", "The sigmoid from a linear log-likelihood ratio", "logistic-log-odds", "", "logistic_log_odds.png"),
    ("002", "Derivatives of the sigmoid and of log-sigmoid with respect to θ", "sigmoid-derivative",
     "d/dtheta (1 - h) is written -h x; it is -h (1 - h) x (-h x is d/dtheta log(1 - h))", "sigmoid_derivative.png"),
    ("002", "Learning rate too small or too large", "learning-rate", "", "learning_rate.png"),
    ("002", "The empirical 0-1 loss has zero gradient", "zero-one-loss",
     "X** is said to hold samples of class C0; y = 1 is class C1", "zero_one_loss.png"),
    ("002", "Maximum likelihood gives binary cross-entropy; its gradient and update",
     "logistic-log-odds",
     "'no update when prediction and label agree' holds only for hard labels: h = 0.9, y = 1 still moves theta",
     "logistic_log_odds.png"),
    ("002", "One-vs-all and one-vs-one; softmax for many classes", "one-vs-all",
     "one-vs-one is said to need K(K+1)/2 classifiers; it needs K(K-1)/2", "one_vs_all.png"),
    ("002", "The softmax derivative, log-softmax, categorical cross-entropy and its gradient", "softmax-cross-entropy",
     "d log softmax_j / dz_i is written softmax_i (-delta_ij - softmax_j); it is delta_ij - softmax_i", ""),
    ("002", "Hidden layers that increase (h > n) or reduce (h < n) the dimension", "hidden-layer", "",
     "hidden_layer.png"),
    ("002", "Two-layer networks: linear output with MSE, sigmoid output with BCE, softmax output",
     "two-layer-derivations",
     "the BCE hidden-layer gradient carries a stray y_hat (1 - y_hat); the L2 loss gradient is written "
     "2 sum (y - y_hat) dy/dw2 (it is -2 sum (y - y_hat) dy/dw2); the losses lack their minus signs",
     "two_layer_derivations_graph.png"),
    ("002", "Computational graphs: add, mul, max and min gates in the backward pass", "gates",
     "the chain rule is written dL/dx = dL/dz . dz/dy . dL/dy; it is dL/dx = dL/dz . dz/dx", "gates_graph.png"),
    ("002", "The shapes of gradients: vector, matrix, rank-3 tensor", "jacobian-chain-rule", "", ""),
    ("003", "A network for MNIST, the empirical risk and SGD by sweeping a shuffled set", "nielsen-sgd", "",
     "nielsen_sgd.png"),
    ("003", "The chain rule in Jacobian form: Dσ, D softmax, D_x, D_W, D_b", "jacobian-chain-rule",
     "the sigmoid is written 1 / (1 + e^z); it is 1 / (1 + e^-z)", "jacobian_chain_rule.png"),
    ("003", "log-sum-exp and the stable softmax", "softmax-shift",
     "'max vs min vs mean makes no big difference': only c = max x is safe (min and mean overflow)",
     "softmax_shift.png"),
    ("004", "softmax(x + c) = softmax(x)", "softmax-shift", "", "softmax_shift.png"),
    ("004", "σ′(x) = σ(x)(1 − σ(x))", "sigmoid-derivative",
     "sigma is written 1 / (1 + e^x); it is 1 / (1 + e^-x)", "sigmoid_derivative.png"),
    ("004", "The gradient of cross-entropy with respect to the softmax input: ŷ − y", "softmax-cross-entropy", "",
     "softmax_cross_entropy_graph.png"),
    ("004", "One hidden layer: ∂J/∂x = δ_3 W_1ᵀ", "two-layer-derivations", "", "two_layer_derivations_graph.png"),
    ("004", "The number of parameters: (D_x + 1) H + (H + 1) D_y", "two-layer-derivations", "", ""),
    ("004", "Skip-gram: the gradients with respect to v_c and u_w, and skip-gram trained", "skip-gram",
     "the output vector u_o is written v_o", "skip_gram.png"),
]

# OCR reading noise, checked against the OCR text in shared/notes/ (item number -> what was misread).
READINGS = {
    1: "the labels AND and 'Bias k+1' are margin scribbles ('-K+K-1>-AND', '-(k-2)+K+>1') that the OCR "
       "merged into the line of the OR formula sign(sum g_i + k - 1); the AND needs bias -(k - 1)",
    12: "step 4 reads sigma(z^l) where step 3 of the same algorithm reads sigma'(z^L): the OCR lost the prime",
    19: "the update reads w - H grad C, but the next line reads w' - H'-1 grad'C: the superscript -1 of "
        "H^-1 was lost in reading",
}

ITEMS: list[Item] = [Item(i + 1, *row, reading=READINGS.get(i + 1, "")) for i, row in enumerate(_RAW)]
