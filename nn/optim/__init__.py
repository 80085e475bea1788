"""nn.optim: optimizers (SGD, Adam, AdamW, RMSprop), learning-rate schedules and gradient clipping."""
from . import lr_scheduler
from .adam import Adam, AdamW
from .clip import clip_grad_norm_
from .lr_scheduler import (CosineAnnealingLR, ExponentialLR, LambdaLR, LRScheduler, MultiStepLR, ReduceLROnPlateau,
                           StepLR)
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Adam", "AdamW", "CosineAnnealingLR", "ExponentialLR", "LRScheduler", "LambdaLR", "MultiStepLR",
           "ReduceLROnPlateau", "Optimizer", "RMSprop", "SGD", "StepLR",
           "clip_grad_norm_", "lr_scheduler"]
