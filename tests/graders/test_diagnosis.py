"""Diagnosis by reconstruction, judged on its own cases and on single relations.

The cases (autograder/diagnosis/cases.py) are graded in-process by the hidden graders: the
reference is told nothing, every diagnosis mutant its own mistake, every relation and probe has a
mutant, and no acceptable variant is named.
"""

import numpy as np
import pytest

from autograder.diagnosis import choose
from autograder.diagnosis.relations import Finding, explain
from autograder.validate.diagnosis import check_diagnosis

pytestmark = pytest.mark.slow


def test_every_relation_probe_and_convention_names_its_mutant_and_nothing_else():
    report = check_diagnosis()
    assert not report.problems, report.problems


def _ids(actual, expected, args=()):
    return {f.id for f in explain(actual, expected, args)}


def test_an_expected_zero_proves_no_scale_and_a_symmetric_result_no_transpose():
    assert _ids(np.zeros(3), np.zeros(3)) == set()
    sym = np.array([[1.0, 2.0], [2.0, 1.0]])
    assert "transposed" not in _ids(sym * 3, sym)
    assert _ids(sym.T * 0.5, sym) == {"scaled-half"}


def test_per_sample_losses_are_told_their_mean_is_missing():
    losses = np.array([0.2, 0.4, 0.9])
    assert _ids(losses, losses.mean()) == {"not-reduced-mean"}


def test_a_finding_that_ties_is_named_only_when_another_check_saw_it():
    a, b = Finding("over-n", "t", "x", 3), Finding("scaled-half", "t", "x", 3)
    assert choose([a, b]) is None
    from collections import Counter

    assert choose([a, b], Counter({"scaled-half": 1})) is b


@pytest.mark.parametrize("rows, why", [([0], "rows-first-only"), ([0, 1, 2], "rows-last-missing")])
def test_right_on_some_rows_names_which_and_why(rows, why):
    expected = np.arange(12.0).reshape(4, 3) + 1
    actual = np.zeros_like(expected)
    actual[rows] = expected[rows]
    assert _ids(actual, expected) == {why}


class _Probed:
    """A submission whose function raises on the check and does `then` on a probe."""

    def __init__(self, then):
        from autograder.diagnosis import context_for

        self._diagnosis, self.then, self.probes = context_for("01_forward_pass"), then, 0

    def _probe(self, function, args, kwargs):  # the diagnosis's extra calls
        self.probes += 1
        return self.then(args)


def _raise(kind):
    from autograder.harness import StudentError

    def then(args):
        raise StudentError(kind, "it ran longer than the 1 s limit")
    return then


def test_a_stub_is_not_probed_and_a_probe_that_times_out_proves_nothing():
    from autograder.diagnosis.probes import diagnose_raise

    z = np.array([1.0, 2.0, 3.0])
    stub = _Probed(_raise("exception"))
    assert diagnose_raise(stub, "softmax", (z,), {}, "NotImplementedError: ") is None
    assert stub.probes == 0
    slow = _Probed(_raise("timeout"))
    assert diagnose_raise(slow, "softmax", (z,), {}, "AxisError: axis 1 is out of bounds") is None
    assert slow.probes == 1


def test_a_probe_that_runs_and_matches_names_the_assumption():
    from autograder.diagnosis.probes import diagnose_raise
    from autograder.harness import Call
    from reference.forward_pass import softmax

    def batch_only(args):
        return Call("softmax", args, {}, softmax(args[0]), args, {})

    z = np.array([1.0, 2.0, 3.0])
    found = diagnose_raise(_Probed(batch_only), "softmax", (z,), {}, "AxisError: axis 1")
    assert found is not None and found.id == "probe-needs-2d"


def test_the_shared_acceptable_corpus_is_judged_as_acceptable():
    from autograder.validate.diagnosis import shared_variants
    from autograder.variants import variants_for

    rows = shared_variants("03_optimizers")
    corpus = variants_for("reference.optimizers")
    assert len(rows) == len(corpus) > 0
    assert all(r[:3] == ("03_optimizers", v.function, None) and r[3].endswith(v.source)
               for r, v in zip(rows, corpus))
    report = check_diagnosis("03_optimizers")
    assert any(label.endswith(":acceptable") for label in report.named)
    assert not [p for p in report.problems if p.startswith("acceptable")], report.problems


def test_a_nan_is_explained_by_its_inputs_only_at_an_edge():
    from autograder.diagnosis import _ordinary

    labels, p = np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.2, 0.6])
    assert _ordinary((p, labels))  # a nan here comes from the formula
    assert not _ordinary((np.array([0.0, 1.0, 1.0]), labels))  # predictions at 0 and 1
    assert not _ordinary((np.array([0.0, 0.3, 1.0]), labels))  # a probability at the edge
    assert not _ordinary((np.array([-1000.0, 0.5]),))  # exp overflows
    assert not _ordinary(({"W": p}, p))  # a dict of parameters is not judged


def test_a_constant_offset_is_named_only_when_the_constant_tells_its_cause():
    expected = np.array([1.0, 2.0, 3.0])
    assert _ids(expected + 0.01, expected) == {"shifted"}  # a 0.01 left in
    assert _ids(expected + 1.0, expected) == {"shifted"}  # classes counted from 1
    assert _ids(expected - 9.9e-5, expected) == set()  # a coincidence of the inputs


def test_equal_batches_stacked_into_one_array_are_read_as_the_list_of_batches():
    expected = [np.array([4, 6, 2, 7]), np.array([3, 5, 9, 0]), np.array([8, 1])]
    stacked = np.array([[4, 6, 2, 7], [3, 5, 9, 0]])
    assert _ids(stacked, expected) == {"last-batch-dropped"}


def test_a_column_convention_result_is_read_back_in_the_course_layout():
    from autograder.diagnosis.probes import _columns, _course_layout

    dvalues, X, W = np.ones((3, 2)), np.ones((3, 4)), np.ones((2, 4))
    probe = _columns((dvalues, X, W))
    assert [a.shape for a in probe] == [(2, 3), (4, 3), (2, 4)]  # the weights stay as they are
    expected = (np.zeros((3, 4)), np.zeros((2, 4)), np.zeros(2))
    back = _course_layout((np.zeros((4, 3)), np.zeros((2, 4)), np.zeros((2, 1))), expected)
    assert [a.shape for a in back] == [(3, 4), (2, 4), (2,)]


def test_one_number_where_an_array_belongs_is_named_when_it_is_its_sum_or_mean():
    expected = np.array([0.5, -1.5, 3.0])
    assert _ids(np.float64(2.0), expected) == {"reduced-to-a-number"}  # the sum
    assert _ids(np.float64(2.0 / 3), expected) == {"reduced-to-a-number"}  # the mean
    assert _ids(np.float64(1.234), expected) == set()  # no relation to it


def test_a_relation_an_earlier_check_told_apart_and_missed_is_not_named():
    from autograder.diagnosis import acceptance

    off = Finding("argument-off-by-one", "`t` off by one", "for t = 3 instead of 2", 3)
    assert choose([off]) is off
    other_t = "argument-off-by-one:`t` off by one:for t = # instead of # (another variant)"
    missed = acceptance.Record(tried={other_t})  # a variant of it, told apart and not fitted
    assert acceptance.contradicted(off, [missed])
    fitted = acceptance.Record(fitted={other_t})  # a variant fitted an earlier check: no
    assert not acceptance.contradicted(off, [missed, fitted])
    fixed = Finding("argument-fixed", "t", "x", 3)  # at t = 2, t - 1 and t = 1 are one value
    assert choose([off, fixed]) is None
    survivors = [f for f in (off, fixed) if not acceptance.contradicted(f, [missed])]
    assert choose(survivors) is fixed


def test_the_reference_with_a_function_swapped_is_the_neighbour_mixed_up():
    from autograder.diagnosis.substitute import substitutions
    from reference.backpropagation import tanh_backward

    dvalues, z = np.array([1.0, 2.0, 3.0]), np.array([-1.0, 0.5, 2.0])
    found = {f.id: thunk() for f, thunk in substitutions(tanh_backward, (dvalues, z), {})}
    s = 1 / (1 + np.exp(-z))
    assert set(found) == {"function-sigmoid-for-tanh"}  # its code uses tanh and nothing else
    assert np.allclose(found["function-sigmoid-for-tanh"], dvalues * (1 - s**2))


def test_what_an_error_message_proves_by_itself():
    from autograder.diagnosis.errors import from_message

    y_pred, y_true = np.ones((4, 3)), np.array([0, 1, 2, 1])
    told = from_message((y_pred, y_true), "ValueError: cannot reshape array of size 12 into "
                        "shape (10,4)")
    assert told is not None and told.id == "hard-coded-size" and "10" in told.title
    # every size there is one the inputs give: nothing is hard-coded
    assert from_message((y_pred, y_true), "ValueError: operands could not be broadcast "
                        "together with shapes (4,3) (4,)") is None
    assert from_message((y_pred,), "TypeError: unsupported operand type(s) for -: 'int' and "
                        "'tuple'").id == "tuple-used-as-array"
    assert from_message((y_pred,), "ModuleNotFoundError: No module named 'scipy'").id \
        == "module-not-available"
