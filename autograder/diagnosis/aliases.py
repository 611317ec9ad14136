"""Names the graders' own catalogue gives to the mistakes of the diagnosis mutants (cases.py).

A mutant may be told its relation's id or one of these: the same mistake under the catalogue's
title.
"""

ALIASES = {
    "not-finite-nan": {"no-clipping-before-the-log"},  # a log of 0: the graders' edge check
    "negated": {"stepped-up-the-gradient"},
    "scaled-times-n": {"a-missing-1-n"},
    "swapped-arguments": {"multiplied-in-the-wrong-order"},
    "input-transposed": {"multiplied-in-the-wrong-order"},
    "axis-too-many": {"keepdims-left-an-extra-axis"},
    "not-reduced-sum": {"db-not-summed-over-the-batch", "keepdims-left-an-extra-axis"},
    "scaled-times-n-over-2": {"scaled-half"},  # n = 1: the same factor
    "convention-inputs-first-dw": {"dw-transposed"},
    "convention-cs231n-affine": {"probe-square-only"},
    "probe-square-only": {"w-t-where-w-belongs-in-dx"},  # the graders' own, on a square W
    "convention-derivative-of-output": {"tanh-s-derivative-taken-of-z-instead-of-tanh-z"},
    "convention-unshuffled": {"seed-ignored", "batches-not-shuffled"},
    "convention-nielsen-half-squares": {"mse-gradient-without-the-factor-2"},
    "convention-legacy-random-state": {"np-random-seed-instead-of-default-rng-seed"},
    "convention-sutskever-plus": {"momentum-sign-flipped"},
    "transposed": {"dw-transposed"},
    "argument-default": {"rho-ignored"},
    # a fixed epsilon inside the root is an ignored epsilon where the root hides the difference
    "convention-eps-inside-sqrt": {"argument-default"},
    "argument-off-by-one": {"adam-with-t-counted-from-0"},
    "last-batch-dropped": {"last-partial-batch-dropped"},
    "convention-ng-mean-in-dw": {"db-averaged-instead-of-summed"},
    "probe-needs-2d": {"softmax-fails-on-a-1-d-input"},
    "probe-labels-one-hot-only": {"handles-only-one-form-of-labels"},
    "probe-labels-indices-only": {"handles-only-one-form-of-labels"},
    "function-log10-for-log": {"log-base-10-in-cross-entropy"},
    "reduced-to-a-number": {"axis-too-few"},  # of one element, the sum is that element
}
