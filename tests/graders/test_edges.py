"""The edge table (autograder/graders/edges.py): derived from the spec, shown in docs/, met by the
graders, and no stricter than the acceptable idioms."""

import inspect

import numpy as np
import pytest

from autograder.config import COURSE_ROOT, assignments, get_assignment
from autograder.engine.graders import run_graders, run_graders_batch
from autograder.graders.edges import cells, edges_of, markdown
from autograder.harness import ReferenceSubmission
from autograder.variants import variants_for
from reference import backpropagation, forward_pass

# The spec's edges ("Grading policy", "Edges") and 04's experiments, function by function.
SPEC_CELLS = {
    ("sigmoid", "sigmoid-1000"), ("tanh", "tanh-1000"), ("softmax", "logits-1000"),
    ("softmax", "softmax-1d"), ("categorical_cross_entropy", "p-0"),
    ("categorical_cross_entropy", "p-1"), ("binary_cross_entropy", "p-0"),
    ("binary_cross_entropy", "p-1"), ("relu_backward", "relu-0"),
    ("sigmoid_backward", "sigmoid-1000"), ("tanh_backward", "tanh-1000"),
    ("categorical_cross_entropy_backward", "p-0"), ("categorical_cross_entropy_backward", "p-1"),
    ("forward", "logits-1000"), ("predict", "logits-1000"),
    ("train_classifier", "momentum-0"), ("train_classifier", "decay-0"),
}

EXPONENTIAL_TANH_BACKWARD = '''
def tanh_backward(dvalues, z):
    t = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
    return dvalues * (1 - t**2)
'''


def test_the_table_holds_exactly_the_spec_s_edges():
    found = {(f, edge.key) for a in assignments() for f, edge in cells(a)}
    assert found == SPEC_CELLS


def test_docs_show_the_table_as_it_is():
    assert (COURSE_ROOT / "docs" / "edges.md").read_text() == markdown()


def test_a_new_function_gets_its_edges_from_what_it_computes():
    def leaky_tanh(z):
        return np.tanh(z) + 0.01 * z

    def scaled(x, factor):
        return x * factor

    def train(X, y, epochs=10, momentum=0.9):
        return X, y, epochs, momentum

    assert [e.key for e in edges_of(leaky_tanh)] == ["tanh-1000"]
    assert edges_of(scaled) == []  # the default: no edge
    assert [e.key for e in edges_of(train)] == ["momentum-0"]
    assert inspect.signature(edges_of).parameters.keys() == {"function"}


def test_exponential_tanh_backward_loses_the_edge_point_with_a_message_saying_where():
    run = run_graders("02_backpropagation", ReferenceSubmission(
        "02_backpropagation", {"tanh_backward": EXPONENTIAL_TANH_BACKWARD}))
    points = get_assignment("02_backpropagation").points["tanh_backward"]
    lost = [t for t in run.tests if t.score < t.max_score]
    assert [t.description for t in lost] == ["finite and right for |z| up to 1000 (no overflow)"]
    assert run.by_function()["tanh_backward"] == (points - lost[0].max_score, points)
    assert "nan for z = -1000, where the derivative is 0: exp(1000) overflows to inf" \
        in lost[0].output
    assert lost[0].mistake == "tanh from exponentials overflows in the backward pass"


@pytest.mark.parametrize("assignment_id", [a.id for a in assignments()
                                           if any(True for _ in cells(a))])
@pytest.mark.slow
def test_the_acceptable_idioms_keep_every_point_at_every_edge(assignment_id):
    at_edges = {f for f, _ in cells(get_assignment(assignment_id))}
    variants = [v for v in variants_for(get_assignment(assignment_id).module)
                if v.function in at_edges]
    assert variants
    # in a notebook, the given cells define the earlier assignments' functions (relu, softmax)
    given = {name: f for module in (forward_pass, backpropagation)
             for name, f in vars(module).items() if inspect.isfunction(f)}
    runs = run_graders_batch(assignment_id, {
        v.id: (lambda v=v: ReferenceSubmission(assignment_id, given | {v.function: v.source}))
        for v in variants})
    for variant in variants:
        lost = [f"{t.name}: {t.output}" for t in runs[variant.id].tests if t.score < t.max_score]
        assert not lost, (variant.id, lost)
