"""When a candidate explanation becomes a name (autograder/diagnosis/acceptance.py).

Each rule is judged on the numbers of a real answer that was named wrongly before it: a summed
loss on a 2-sample check, a momentum variant whose ratio changes from step to step, a staircase
decay, a rate that underflows, a precedence slip beside an overflow, a row repeated along an
axis, a convention seen through a square W, a loss that works on a (1, m) row only, a step
activation's 0 read as relu's, an accuracy over 3 samples that raised on class indices.
"""

from collections import Counter

import numpy as np

from autograder.diagnosis import acceptance, choose, replication
from autograder.diagnosis.relations import Finding, explain


def _found(actual, expected, args=()):
    return explain(actual, expected, args) + acceptance.size_findings(actual, expected, args,
                                                                      1e-5, 1e-8)


def test_a_factor_2_on_two_samples_names_the_size_not_the_number():
    probs = np.array([[0.0, 1.0, 0.0], [0.3, 0.3, 0.4]])
    found = _found(1.20397, 0.601986, (probs, probs))
    assert {f.id for f in found} == {"scaled-double", "scaled-times-n"}
    chosen = choose(found, Counter())
    assert chosen.id == "scaled-times-n" and "rows (samples)" in chosen.explanation


def test_a_factor_2_without_a_size_of_2_stays_a_number():
    found = _found(np.array([2.0, 4.0, 6.0]), np.array([1.0, 2.0, 3.0]), (np.ones(3),))
    assert {f.id for f in found} == {"scaled-double"}


def test_an_earlier_check_that_tried_a_claim_contradicts_it():
    neighbour = Finding("neighbour-tanh_backward", "returned what `tanh_backward` returns", "x")
    tried = acceptance.Record(tried={"neighbour-tanh_backward"})
    assert acceptance.contradicted(neighbour, [tried])
    fitted_once = acceptance.Record(fitted={"neighbour-tanh_backward"})
    assert not acceptance.contradicted(neighbour, [fitted_once])
    assert not acceptance.contradicted(neighbour, [acceptance.Record()])


def test_a_constant_ratio_must_hold_on_every_comparable_check():
    step = explain(np.array([2.0, 4.0, 6.0]), np.array([-1.0, -2.0, -3.0]))
    ratio = next(f for f in step if f.id == "scaled-constant")
    earlier = acceptance.record_for(np.array([0.1, 0.2]), np.array([0.3, 0.5]), ())
    assert acceptance.contradicted(ratio, [earlier])  # no constant ratio there
    other = explain(np.array([3.0, 6.0]), np.array([1.0, 2.0]))  # another constant (a t)
    earlier.fitted = {acceptance.key(f) for f in other}
    assert not acceptance.contradicted(ratio, [earlier])
    one_number = acceptance.record_for(0.05, 0.06, ())  # no ratio is read off one value
    assert not acceptance.contradicted(ratio, [one_number])


def test_a_claim_about_a_constant_is_keyed_by_that_constant():
    a = Finding("argument-fixed", "argument `decay` replaced by 1e-06", "x")
    b = Finding("argument-fixed", "argument `decay` replaced by 0.0001", "x")
    assert acceptance.key(a) != acceptance.key(b)
    n3 = Finding("scaled-times-n", "result n = 3 times the expected one", "x")
    n5 = Finding("scaled-times-n", "result n = 5 times the expected one", "y")
    assert acceptance.key(n3) == acceptance.key(n5)  # the size may differ between checks


def test_a_zero_candidate_proves_nothing_against_a_tiny_result():
    assert acceptance.tiny(0.0, 1.21337e-168, 1e-8)
    assert not acceptance.tiny(0.0, 0.0, 1e-8)
    assert not acceptance.tiny(0.5, 0.5, 1e-8)


def test_an_overflow_name_needs_the_finite_part_right():
    expected = np.array([0.0, 0.0, 0.5, 1.0, 1.0])
    slip = np.array([np.inf, 5.18e21, 2.0, 1.0, 1.0])  # 1 / 1 + exp(-z)
    overflow = np.array([0.0, 0.0, 0.5, 1.0, np.nan])  # exp(z) / (1 + exp(z))
    assert not acceptance.finite_part_right(slip, expected, 1e-5, 1e-8)
    assert acceptance.finite_part_right(overflow, expected, 1e-5, 1e-8)


def test_a_result_repeated_along_an_axis_is_no_mean_left_out():
    expected = np.array([32.0, 50.0, 68.0])
    assert acceptance.repeated(np.repeat(expected[:, None], 3, axis=1), expected, 1e-5, 1e-8)
    per_sample = np.array([[30.0, 32.0, 34.0], [50.0, 49.0, 51.0], [68.0, 60.0, 76.0]])
    assert not acceptance.repeated(per_sample, expected, 1e-5, 1e-8)


def test_the_numbers_of_a_rerun_change_and_rates_stay_rates():
    args, kwargs = replication.perturbed((1.0, 0.001, 1000, np.ones(2)), {"beta2": 0.999})
    assert args[0] == 1.5 and args[1] == 0.0005 and args[2] == 2000 and args[3] is not None
    assert 0 < kwargs["beta2"] < 1 and kwargs["beta2"] != 0.999
    assert replication.perturbed((np.ones(2), np.zeros(2)), {}) is None


def test_the_square_probe_names_the_relation_that_explains_its_result():
    probe = Finding("probe-square-only", "works only when W is square", "raised.", 1)
    own = Finding("input-transposed", "argument 3 used transposed", "W transposed.", 3)
    other = Finding("convention-cs231n-affine", "W taken as (n_inputs, n_neurons) (cs231n)",
                    "Your dX is dvalues @ W.T.", 1)
    assert acceptance.square_name(acceptance.Explained(*_fields(probe), own)).id == \
        "probe-square-only"
    named = acceptance.square_name(acceptance.Explained(*_fields(probe), other))
    assert named.id == "convention-cs231n-affine" and "non-square" in named.explanation


def _fields(f: Finding):
    return f.id, f.title, f.explanation, f.tier, f.lecture


class _RowOnly:
    """A loss that divides by shape[1]: right on a (1, m) row, wrong on an (n, 1) column."""

    def _probe(self, function, args, kwargs):
        from types import SimpleNamespace

        p, y = args
        return SimpleNamespace(value=float(-np.sum(y * np.log(p)) / p.shape[1]))


def test_a_batch_of_one_proves_a_2d_batch_only_if_the_column_works_too():
    from autograder.diagnosis.probed import matches as _matches

    def reference(p, y):
        return float(-np.mean(y * np.log(p)))

    p, y = np.array([0.9, 0.2, 0.6]), np.array([1.0, 0.0, 1.0])
    original = reference(p, y)
    assert not acceptance.column_agrees(_RowOnly(), reference, "loss", (p, y), {}, original,
                                        _matches)
    softmax_like = (np.array([1.0, 2.0, 3.0]),)  # a column means something else: no claim

    def softmax(z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    assert acceptance.column_agrees(None, softmax, "softmax", softmax_like, {},
                                    softmax(softmax_like[0]), _matches)


def test_a_count_one_too_many_and_one_too_few_are_two_claims():
    many = Finding("argument-off-by-one", "`t` off by one", "for t = 2 instead of 1: one too many")
    few = Finding("argument-off-by-one", "`t` off by one", "for t = 0 instead of 1: one too few")
    later = Finding("argument-off-by-one", "`t` off by one", "for t = 2 instead of 3: one too few")
    assert acceptance.key(many) != acceptance.key(few)
    assert acceptance.key(few) == acceptance.key(later)


def test_a_zero_or_constant_value_proves_no_formula():
    # relu of a negative expected value is 0, as is a step activation's "off": no relu is proved
    assert acceptance.trivial(0.0, -6.0)
    assert acceptance.trivial(np.ones(3), np.array([1.0, 2.0, 3.0]))
    assert not acceptance.trivial(np.ones(3), np.ones(3) * 2)  # a constant expected: a scale
    assert not acceptance.trivial(3.1, 7.2)


def test_a_known_mistake_s_one_number_proves_nothing_after_a_raise():
    from autograder.diagnosis import Context

    context = Context()
    assert not acceptance.after_a_raise(context, "accuracy", 1 / 3, 1 / 3)
    context.history["raised:accuracy"] = True
    assert acceptance.after_a_raise(context, "accuracy", 1 / 3, 1 / 3)
    assert not acceptance.after_a_raise(context, "accuracy", np.zeros(3), np.zeros(3))
    assert not acceptance.after_a_raise(context, "mse", 1 / 3, 1 / 3)


def test_an_error_message_alone_names_python_2_a_name_and_a_method_given_self_twice():
    from autograder.diagnosis.errors import from_message

    found = from_message((), "NameError: name 'reduce' is not defined")
    assert found.id == "python-2-builtin" and "functools.reduce" in found.explanation
    found = from_message((), "NameError: name 'reduct' is not defined")  # no builtin: a typo
    assert found.id == "name-not-defined" and "`reduct`" in found.explanation
    found = from_message((), "UnboundLocalError: cannot access local variable 'total' where it "
                             "is not associated with a value")
    assert found.id == "local-read-before-assignment" and "`total`" in found.title
    found = from_message((), "TypeError: Cannot interpret '1' as a data type")
    assert found.id == "shape-as-two-arguments" and "np.zeros((n, 1))" in found.explanation
    message = ("TypeError: matrix_product.<locals>.get_column() missing 1 required positional "
               "argument: 'j'")
    assert from_message((), message, "matrix_product").id == "helper-argument-missing"
    # the graded function's own signature asks for more than the exercise's: not a helper
    assert from_message((), "TypeError: softmax() missing 1 required positional argument: "
                            "'axis'", "softmax") is None
    found = from_message((), "TypeError: f.<locals>.Sigmoid.__call__() takes 2 positional "
                             "arguments but 3 were given")
    assert found.id == "method-argument-too-many" and "self.__call__(x)" in found.explanation
    assert from_message((), "TypeError: Sigmoid.__call__() takes 2 positional arguments but 5 "
                            "were given") is None


def test_a_broadcast_with_a_vector_of_its_size_probes_a_2d_argument_flattened():
    from autograder.diagnosis.probed import flat_argument

    x = np.ones((2, 3))
    message = "ValueError: operands could not be broadcast together with shapes (2,3) (6,) "
    assert flat_argument((x,), message)[0] == 0
    assert flat_argument((x,), "ValueError: operands could not be broadcast together with "
                               "shapes (2,3) (4,) ") is None
