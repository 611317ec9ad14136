"""Two mistakes at once (autograder/diagnosis/combined.py), and the relations and error messages
added for answers that no earlier set foresaw: a rounded result, a percentage, a mean over the
samples alone, a generator or an object array returned, a reshape with a size and -1.
"""

import numpy as np

from autograder.diagnosis import combined
from autograder.diagnosis.errors import from_message
from autograder.diagnosis.relations import Finding, explain


def _pairs(actual, expected, args=(), values=()):
    return {f.id for f, _ in combined.combine(actual, expected, args, list(values), 1e-5, 1e-8)}


def test_one_based_classes_in_a_column_are_an_extra_axis_and_a_shift():
    classes = np.array([2, 0, 1, 1])
    assert _pairs((classes + 1).reshape(-1, 1), classes) == {"axis-too-many+shifted"}


def test_a_right_value_in_a_tuple_is_named_alone_and_a_wrong_one_with_its_relation():
    out = np.arange(6.0).reshape(2, 3) - 2
    assert _pairs((out, (1, 2)), out) == {"extra-return"}
    assert _pairs((-out, "cache"), out) == {"extra-return+negated"}


def test_a_relation_on_top_of_a_candidate_names_both_and_the_convention_first():
    convention = Finding("convention-x", "a convention", "your result is x.", 1)
    changed = Finding("input-through-softmax", "softmax first", "your result is y.", 3)
    value = np.array([0.5, 2.0, 0.25])
    args = (np.ones((3, 4)),)
    kept = [(convention, value, True, True), (changed, value, True, True)]  # as evaluated's
    pairs = combined.combine(3 * value, np.ones(3), args, kept, 1e-5, 1e-8)
    assert {f.id for f, _ in pairs} == {"convention-x+scaled-times-n",
                                        "input-through-softmax+scaled-times-n"}
    assert combined.unique(pairs).id == "convention-x+scaled-times-n"


def test_two_pairs_of_the_same_rank_name_nothing_and_a_size_beats_its_number():
    a = Finding("argument-default", "a ignored", "x", 3)
    b = Finding("argument-ignored", "b ignored", "x", 3)
    two = [(combined._both(a, Finding("negated", "sign", "x")), 3),
           (combined._both(b, Finding("negated", "sign", "x")), 3)]
    assert combined.unique(two) is None
    size = [(combined._both(a, Finding("scaled-double", "2", "x")), 3),
            (combined._both(a, Finding("scaled-times-n", "n = 2", "x")), 3)]
    assert combined.unique(size).id == "argument-default+scaled-times-n"


def test_an_unrelated_value_is_ruled_out_before_any_relation():
    factors = combined.factors_of(())
    assert not combined._possible(np.array([1.0, 5.0, 2.0]), np.array([1.0, 2.0, 3.0]), (), factors)
    assert combined._possible(np.array([2.0, 4.0, 6.0]), np.array([1.0, 2.0, 3.0]), (), factors)
    assert not combined._possible(np.array([3.7, 7.4]), np.array([1.0, 2.0]), (), factors)


def test_a_rounded_result_names_its_decimals_and_whole_numbers_prove_nothing():
    (found,) = explain(-1.85, -1.851309)
    assert found.id == "rounded" and "2 decimals" in found.title
    assert not [f for f in explain(np.array([0.0, 1.0]), np.array([0.2, 0.9]))
                if f.id == "rounded"]


def test_a_percentage_where_a_fraction_belongs():
    assert {f.id for f in explain(66.66667, 2 / 3)} == {"scaled-percent"}


def test_a_mean_over_the_samples_alone_says_the_columns_are_left():
    y = np.zeros((5, 3))
    (found,) = explain(np.array([1.0, 2.0, 3.0]), 2.0, (y, y))
    assert found.id == "not-reduced-mean" and found.title == "mean over the columns left out"
    (per_sample,) = explain(np.array([1.0, 2.0, 3.0]), 2.0, (np.zeros((3, 4)),))
    assert per_sample.title == "mean over the samples left out"


def test_values_that_are_no_plain_data_are_named_from_the_message():
    assert from_message((10, 3, 0), "a generator cannot be sent as plain data").id \
        == "returns-an-iterator"
    assert from_message((np.ones(3),), "arrays of dtype object cannot be sent as plain "
                        "data").id == "returns-object-array"
    assert from_message((np.ones(3),), "a Foo cannot be sent as plain data") is None
    told = from_message((np.ones((3, 4)),), "ValueError: cannot reshape array of size 12 into "
                        "shape (100,newaxis)")
    assert told.id == "hard-coded-size" and "100" in told.title
