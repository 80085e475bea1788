"""nn.data: mini-batch loading, toy data generators, the digits data and an MNIST IDX reader."""
from .dataset import Dataset, TensorDataset
from .digits import load_digits
from .loader import DataLoader
from .mnist import load_mnist, read_idx, write_idx
from .split import Standardizer, train_test_split
from .synthetic import make_adding_problem, make_circles, make_moons, make_parity, make_spirals, make_xor

__all__ = ["DataLoader", "Dataset", "TensorDataset",
           "Standardizer", "load_digits", "load_mnist", "make_adding_problem", "make_circles",
           "make_moons", "make_parity", "make_spirals", "make_xor", "read_idx", "train_test_split",
           "write_idx"]
