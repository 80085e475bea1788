"""Each notes experiment, run in quick mode: its numbers, within stated tolerances, and its pictures."""
from __future__ import annotations

import math

import numpy as np
import pytest

from autograd_notes import EXPERIMENTS
from autograd_notes.items import ITEMS

approx = pytest.approx


@pytest.mark.parametrize("name", list(EXPERIMENTS))
def test_experiment_writes_its_pictures_and_lines(quick, name):
    result = quick(name)
    assert result.lines and all(isinstance(line, str) for line in result.lines)
    named = {i.picture for i in ITEMS if i.experiment == name and i.picture}
    written = {p.name for p in result.pictures}
    assert named <= written, f"{name}: the items name pictures it did not write: {named - written}"
    for path in result.pictures:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000


ISSUE_KEYS = {
    "ce-vs-quadratic": {"epochs", "quadratic_output", "cross_entropy_output"},
    "vanishing-gradients": {"layer_grad_norms_sigmoid", "layer_grad_norms_relu"},
    "l1-vs-l2": {"weight_norm", "fraction_near_zero", "test_accuracy"},
    "learning-rate": {"rates", "final_loss"},
    "minibatch-noise": {"batch_sizes", "cosine"},
    "sign-network": {"k", "and_correct", "or_correct"},
    "nielsen-sgd": {"dataset", "test_accuracy_quadratic", "test_accuracy_cross_entropy"},
    "skip-gram": {"neighbour_same_class", "loss_first", "loss_last"},
}


@pytest.mark.parametrize("name", list(ISSUE_KEYS))
def test_json_has_the_promised_keys(quick, name):
    numbers = quick(name).numbers
    assert ISSUE_KEYS[name] <= set(numbers)
    if name == "l1-vs-l2":
        assert all(set(numbers[k]) == {"none", "l1", "l2"} for k in ISSUE_KEYS[name])


def test_ce_vs_quadratic(quick):
    n = quick("ce-vs-quadratic").numbers
    assert n["epochs"] == [50, 150, 300]
    assert n["quadratic_output"] == approx([0.976, 0.933, 0.203], abs=2e-3)     # the issue's 0.976/0.933/0.204
    assert n["cross_entropy_output"] == approx([0.0985, 0.0257, 0.0120], abs=1e-3)


def test_vanishing_gradients(quick):
    n = quick("vanishing-gradients").numbers
    sig, relu = n["layer_grad_norms_sigmoid"], n["layer_grad_norms_relu"]
    assert len(sig) == len(relu) == 6
    assert all(a < b for a, b in zip(sig, sig[1:]))            # grows from the first layer to the last
    assert sig[0] < 1e-4 and sig[-1] > 1e-2                     # issue: 2.5e-6 -> 7.6e-2 (one seed)
    assert n["ratio_last_to_first_sigmoid"] > 100 * n["ratio_last_to_first_relu"]


def test_l1_vs_l2(quick):
    n = quick("l1-vs-l2").numbers
    norm, zero, acc = n["weight_norm"], n["fraction_near_zero"], n["test_accuracy"]
    assert norm["l1"] < 0.7 * norm["none"] and norm["l2"] < 0.7 * norm["none"]
    assert zero["l1"] > 0.6 and zero["l1"] > 3 * zero["l2"] and zero["none"] < 0.1
    assert acc["l1"] > acc["none"] + 0.04 and acc["l2"] > acc["none"] + 0.04
    step = n["one_step"]
    assert step["l2"] == approx([-1.8, -0.09, 0.09, 1.8]) and step["l1"] == approx([-1.9, 0.0, 0.0, 1.9])
    assert step["notes_l1_formula"] == step["l2"]


def test_learning_rate(quick):
    n = quick("learning-rate").numbers
    small, good, large = n["final_loss"]
    assert n["rates"][0] < n["rates"][1] < n["divergence_rate"] < n["rates"][2]
    assert good < 0.05 and 0.3 < small < n["initial_loss"] and large > 100 * n["initial_loss"]


def test_minibatch_noise(quick):
    n = quick("minibatch-noise").numbers
    assert n["batch_sizes"] == [1, 10, 100, 1000]
    c = n["cosine"]
    assert all(a < b for a, b in zip(c, c[1:])) and c[0] < 0.3 and c[-1] > 0.98


def test_sign_network(quick):
    n = quick("sign-network").numbers
    assert n["k"] == [2, 3, 4, 5, 6]
    assert n["and_correct"] == [1.0] * 5 and n["or_correct"] == [1.0] * 5
    assert n["notes_bias_and_correct"] == approx([2.0 ** -k for k in n["k"]])   # always +1: right only on 1...1


def test_nielsen_sgd(quick):
    n = quick("nielsen-sgd").numbers
    assert n["dataset"] == "digits" and n["epochs"] == 4
    assert n["test_accuracy_quadratic"] > 0.85 and n["test_accuracy_cross_entropy"] > 0.9


def test_skip_gram(quick):
    n = quick("skip-gram").numbers
    assert n["neighbour_same_class"] >= 0.9 and n["neighbour_same_class_negative_sampling"] >= 0.9
    assert n["loss_last"] < n["loss_first"] - 0.8 and n["loss_first"] == approx(math.log(n["vocabulary"]), abs=0.1)
    assert n["max_error_grad_vc"] < 1e-12 and n["max_error_grad_u"] < 1e-12


def test_dc_vs_gradient(quick):
    n = quick("dc-vs-gradient").numbers
    assert all(d < 0 for d in n["delta_c"])
    assert n["ratio"][-1] == approx(1.0, abs=1e-3) and abs(n["ratio"][0] - 1) > abs(n["ratio"][-1] - 1)
    assert n["steepest_direction_cosine"] > 0.9999 and n["max_slope_over_grad_norm"] == approx(1.0, abs=1e-4)
    assert n["gd_end"] == approx(0.96, abs=0.01) and n["gd_end_cost"] > n["global_min_cost"] + 0.5


def test_zero_one_loss(quick):
    n = quick("zero-one-loss").numbers
    assert n["gradient"] == [0.0, 0.0, 0.0] and n["finite_difference"] == [0.0, 0.0, 0.0]
    assert n["bce_gradient_norm"] > 1.0
    assert n["distinct_values_along_line"] < n["points_along_line"] / 5


def test_width_approximation(quick):
    n = quick("width-approximation").numbers
    e1, e2 = n["max_error_1d"], n["max_error_2d"]
    assert e1[-1] < 0.03 and e1[-1] < e1[0] / 5 and e2[-1] < e2[0] / 2
    assert e2[-1] > e1[-1]                                       # the same width does worse in 2-D
    assert n["grid_cells_for_precision"]["0.1"] == [20, 400, 8000, 160000]


def test_two_layer_derivations(quick):
    n = quick("two-layer-derivations").numbers
    for key in ("mse_V", "mse_W", "bce_v", "bce_w", "softmax_V", "softmax_W", "dx"):
        assert n[f"max_error_{key}"] < 1e-12, key
    assert n["notes_bce_w_relative_error"] > 0.3 and n["notes_l2_sign_ratio"] == approx(-1.0)
    assert n["parameter_count"] == n["parameter_formula"] == 23860


def test_jacobian_chain_rule(quick):
    n = quick("jacobian-chain-rule").numbers
    for key in ("chain_rule", "D_sigma", "D_softmax", "D_x", "D_W", "D_b"):
        assert n[f"max_error_{key}"] < 1e-14, key
    assert n["shapes"] == {"d scalar / d vector": [4], "d vector / d vector": [3, 4], "d vector / d matrix": [3, 3, 4]}


def test_logistic_log_odds(quick):
    n = quick("logistic-log-odds").numbers
    assert n["fitted_theta"] == approx(n["true_theta"], abs=0.15)
    assert n["nll_minus_bce"] < 1e-9 and n["max_gradient_error"] < 1e-9
    assert n["update_when_agree"] == approx(0.1)


def test_one_vs_all(quick):
    n = quick("one-vs-all").numbers
    k = n["k"]
    assert n["classifiers"] == {"one_vs_all": k, "one_vs_one": k * (k - 1) // 2, "softmax": k}
    assert n["notes_one_vs_one_count"] == k * (k + 1) // 2
    assert all(a > 0.9 for a in n["test_accuracy"].values())


def test_softmax_shift(quick):
    n = quick("softmax-shift").numbers
    assert max(n["max_difference"]) < 1e-13
    assert n["correct_by_shift"] == {"none": False, "max": True, "min": False, "mean": False}
    assert n["logsumexp_big"] == approx(1000.0) and n["logsumexp_grad"] == approx([0.0, 0.0, 1.0])


def test_newton(quick):
    n = quick("newton").numbers
    assert n["steps_to_min"]["newton"] <= 8 and n["steps_to_min"]["gradient_descent"] is None
    after = n["loss_after"]
    assert after["notes_no_minus"][0] > n["initial_loss"]                       # the missing minus climbs
    assert after["notes_no_inverse"][-1] > after["newton"][-1] + 1e-3           # no inverse: slow
    assert after["newton"][-1] == approx(n["min_loss"], abs=1e-10)


def test_softmax_cross_entropy(quick):
    n = quick("softmax-cross-entropy").numbers
    assert n["sum"] == approx(1.0) and n["jacobian_offdiagonal_max"] > 0.1
    for key in ("o_minus_y", "jacobian", "log_softmax_jacobian", "ln_a", "layer_weights", "layer_bias"):
        assert n[f"max_error_{key}"] < 1e-14, key
    assert n["notes_log_softmax_error"] > 0.5 and n["notes_ln_a_error"] > 1.0


def test_backprop_equations(quick):
    n = quick("backprop-equations").numbers
    assert n["max_error_weights"] < 1e-15 and n["max_error_biases"] < 1e-15
    assert n["hadamard"] == [3.0, 8.0]
    assert n["demon_dC_over_dz"] == approx(n["delta_1_0"], rel=1e-4)
    assert n["grad_from_off_input"] < 1e-10 < 1e-4 < n["grad_from_on_inputs"]
    assert n["notes_step4_relative_error"] > 1.0


def test_rate_factors(quick):
    n = quick("rate-factors").numbers
    assert n["paths"] == 2 and n["max_error"] < 1e-15
    assert n["path_products"] == approx(n["hand_path_products"], abs=1e-15)
    assert sum(n["path_products"]) == approx(n["grad"], abs=1e-15)


def test_binary_entropy(quick):
    n = quick("binary-entropy").numbers
    assert n["argmin"] == approx(n["targets"], abs=1e-4)
    assert n["min_cost"] == approx(n["binary_entropy"], abs=1e-8)
    assert n["binary_entropy"][2] == approx(math.log(2))


def test_sigmoid_derivative(quick):
    n = quick("sigmoid-derivative").numbers
    assert n["max_error_sigma_prime"] < 1e-15 and n["max_sigma_prime"] == approx(0.25)
    assert n["max_error_tanh_identity"] < 1e-15 and n["relu_grad_at"] == {"-1": 0.0, "0": 0.0, "1": 1.0}
    r = n["theta_rules"]
    assert r["log_h"] == approx(r["formula_log_h"]) and r["one_minus_h"] == approx(r["formula_one_minus_h"])
    assert r["notes_one_minus_h"] == approx(r["log_one_minus_h"]) != approx(r["one_minus_h"])
    assert n["notes_sigma_e_plus_x_at_2"] == approx(1 - n["sigma_at_2"])


def test_worked_neuron(quick):
    n = quick("worked-neuron").numbers
    assert n["z"] == approx(0.6)
    assert (n["y_step"], n["y_sigmoid"], n["y_tanh"], n["y_relu"]) == approx((1.0, 0.645656, 0.537050, 0.6), abs=1e-6)
    assert n["grad_theta"] == approx([n["sigmoid_prime"]] * 3)


def test_linear_discriminant(quick):
    n = quick("linear-discriminant").numbers
    assert n["g_on_boundary"] == approx([0.0, 0.0], abs=1e-12) and n["g_sides"] == [6.0, -4.0]
    assert n["normal"] == [2.0, 3.0] and n["distance_from_origin"] == approx(1 / math.sqrt(13), abs=1e-6)


def test_perceptron(quick):
    n = quick("perceptron").numbers
    assert n["threshold_output"] == n["bias_output"] == [0.0, 1.0]
    assert n["perceptron_change"] == 1.0 and n["sigmoid_change"] == approx(n["predicted_sigmoid_change"], rel=1e-3)
    assert n["sigmoid_change"] == approx(0.25e-3, rel=1e-2) and n["notes_sigmoid_formula"] > 1.0
    assert n["big_bias_output"] == [0.0, 1.0]


def test_gates(quick):
    n = quick("gates").numbers
    g = n["gate_grads"]
    assert g == {"add": [7.0, 7.0], "mul": [-14.0, 21.0], "max": [7.0, 0.0], "min": [0.0, 7.0],
                 "scale_by_c": [35.0, 0.0]}
    assert n["example"] == {"L": -2.0, "dL/dx": 2.0, "dL/dy": 4.0, "dL/dw": 0.5}


def test_hidden_layer(quick):
    n = quick("hidden-layer").numbers
    acc = dict(zip(n["hidden_units"], n["test_accuracy"]))
    assert acc[0] < 0.6 and acc[8] > 0.97 and acc[3] > 0.9 and acc[1] < 0.8


def test_rnn_sharing(quick):
    n = quick("rnn-sharing").numbers
    assert n["parameter_count"] == 2 * 3 + 3 * 3 + 3 + 3
    assert n["max_error_sum_of_steps"] < 1e-14 and np.count_nonzero(n["per_step_grad_max"]) >= 3
    assert n["order_sensitive"] is True


def test_every_experiment_has_a_numbers_test():
    tested = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_")}
    assert set(EXPERIMENTS) <= tested, set(EXPERIMENTS) - tested
