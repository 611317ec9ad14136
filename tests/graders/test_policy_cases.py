"""The grading policy's cases, graded through the real engine (sandboxed, as students are).

Each case is a source notebook with some answer cells replaced by a student's answer, built in
memory; the results.json the engine writes is what the student gets.
"""

import copy
import inspect
import json

import nbformat
import pytest

from autograder.config import get_assignment
from autograder.engine.grade import grade
from autograder.grader_layout import mutants_for
from reference import training

pytestmark = pytest.mark.slow

KEEPDIMS_DB = '''def dense_backward(dvalues, X, W):
    return dvalues @ W, dvalues.T @ X, np.sum(dvalues, axis=0, keepdims=True)
'''
LOG_PLUS_EPSILON = '''def categorical_cross_entropy(y_pred, y_true):
    y_pred = np.asarray(y_pred, dtype=float)
    y_true = np.asarray(y_true)
    if y_true.ndim == 1:
        y_true = np.eye(y_pred.shape[1])[y_true]
    return float(-np.mean(np.sum(y_true * np.log(y_pred + 1e-7), axis=1)))
'''
UINT8_ONE_HOT = '''def one_hot(labels, n_classes):
    labels = np.asarray(labels)
    out = np.zeros((labels.size, n_classes), dtype=np.uint8)
    out[np.arange(labels.size), labels] = 1
    return out
'''
# The (1, n)-biases init_params, as the course's known-wrong answers state it.
ROW_BIASES = next(m for m in mutants_for("reference.training")
                  if m.names == "biases of shape (1, n)").source()
SMALL_WEIGHTS = '''def init_params(n_inputs, n_hidden, n_outputs, seed):
    rng = np.random.default_rng(seed)
    return {"W1": 0.01 * rng.standard_normal((n_hidden, n_inputs)), "b1": np.zeros(n_hidden),
            "W2": 0.01 * rng.standard_normal((n_outputs, n_hidden)), "b2": np.zeros(n_outputs)}
'''


def _training_that_calls_init_params():
    """The reference loop, drawing its first guess from the student's own init_params."""
    source = inspect.getsource(training.train_classifier)
    start = source.index("    rng = np.random.default_rng(seed)")
    end = source.index("    velocity = {name")
    return (source[:start] + "    params = init_params(n_inputs, n_hidden, n_outputs, seed)\n"
            + source[end:])


def _graded(tmp_path, assignment_id, students):
    """Grade one notebook per student (answers: function -> source); their results.json."""
    assignment = get_assignment(assignment_id)
    source = nbformat.read(assignment.source_notebook(), as_version=4)
    folder = tmp_path / "class"
    folder.mkdir()
    for student, answers in students.items():
        nb = copy.deepcopy(source)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution") and meta.get("grade_id") in answers:
                cell.source = answers[meta["grade_id"]]
        nbformat.write(nb, folder / f"{student}.ipynb")
    grade(assignment_id, [folder], tmp_path / "out", 1, record_gradebook=False)
    return {s: json.loads((tmp_path / "out" / s / "results.json").read_text())
            for s in students}


def _functions(document):
    return {f: (v["score"], v["max_score"]) for f, v in document["extra_data"]["functions"].items()}


def _lost(document, function):
    return [t for t in document["tests"]
            if t["extra_data"]["function"] == function and t["score"] < t["max_score"]]


def _full_elsewhere(document, function):
    return all(s == m for f, (s, m) in _functions(document).items() if f != function)


def test_keepdims_db_keeps_the_dx_and_dw_points_and_is_named(tmp_path):
    doc = _graded(tmp_path, "02_backpropagation", {"keepdims": {"dense_backward": KEEPDIMS_DB}})
    doc = doc["keepdims"]
    score, best = _functions(doc)["dense_backward"]
    assert score == pytest.approx(best * 2 / 3)  # dX and dW right in every check, db in none
    assert _full_elsewhere(doc, "dense_backward")
    for test in _lost(doc, "dense_backward"):
        named = test["extra_data"]["mistake"]
        assert named["title"] == "keepdims left an extra axis", test["output"]
        assert "dX right; dW right; db wrong" in test["output"]
        assert "not summed over the batch" not in test["output"]


def test_an_integer_one_hot_loses_the_dtype_point_and_log_plus_epsilon_gets_full_marks(tmp_path):
    doc = _graded(tmp_path, "01_forward_pass", {
        "student": {"one_hot": UINT8_ONE_HOT, "categorical_cross_entropy": LOG_PLUS_EPSILON}})
    doc = doc["student"]
    functions = _functions(doc)
    points = get_assignment("01_forward_pass").points  # from the graders
    cce, one_hot = points["categorical_cross_entropy"], points["one_hot"]
    assert functions["categorical_cross_entropy"] == (cce, cce)
    assert functions["one_hot"] == (one_hot - 1, one_hot)
    (lost,) = _lost(doc, "one_hot")
    assert lost["extra_data"]["mistake"]["title"] == "integer one-hot"
    assert "uint8" in lost["output"] and "255" in lost["output"]
    assert _full_elsewhere(doc, "one_hot")


def test_row_biases_cost_only_init_params_and_training_names_it(tmp_path):
    docs = _graded(tmp_path, "04_training", {
        "rows": {"init_params": ROW_BIASES, "train_classifier": _training_that_calls_init_params()},
        "small": {"init_params": SMALL_WEIGHTS}})
    doc = docs["rows"]
    functions = _functions(doc)
    points = get_assignment("04_training").points  # from the graders
    training, init = points["train_classifier"], points["init_params"]
    assert functions["train_classifier"] == (training, training)
    assert functions["init_params"] == (init - 1, init)
    (lost,) = _lost(doc, "init_params")
    assert lost["extra_data"]["mistake"]["title"] == "biases of shape (1, n)"
    training_outputs = [t["output"] for t in doc["tests"]
                        if t["extra_data"]["function"] == "train_classifier"]
    assert any("calls your `init_params`, which is wrong: biases of shape (1, n)" in text
               for text in training_outputs), training_outputs
    # the spec allows any weight scale from 0.01 up to He's
    assert docs["small"]["score"] == docs["small"]["max_score"]
