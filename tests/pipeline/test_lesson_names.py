"""A release notebook stands on its own: every name it uses is given there or written there.

A student has only the notebook. When its prose tells them to call a function (a code span such
as `dense_backward(dvalues, X, W)`, or the bare name of a course function such as
`relu_backward`), or a check or demo calls one, that function must be defined in the notebook:
in a given cell, or in an answer cell the student fills in. Otherwise the student gets a
NameError, or goes looking for code from an earlier assignment.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import re
import symtable

import nbformat
import pytest

from autograder.config import assignments

ALL = [a.id for a in assignments()]
BUILTINS = set(dir(builtins))
FENCED = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
CALL = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\s*\(")


def course_functions() -> set[str]:
    """Every function of every reference module: the names a lesson may mention as code."""
    names = set()
    for assignment in assignments():
        module = assignment.reference_module()
        names |= {name for name, value in vars(module).items()
                  if inspect.isfunction(value) and not name.startswith("_")}
    return names


def _scopes(table: symtable.SymbolTable):
    yield table
    for child in table.get_children():
        yield from _scopes(child)


def bound_names(source: str) -> set[str]:
    """Names a code cell binds at the top level (defs, imports, assignments, loop targets)."""
    table = symtable.symtable(source, "cell", "exec")
    return {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}


def used_names(source: str) -> tuple[set[str], set[str]]:
    """(global names the cell's top level reads, global names its functions and lambdas read)."""
    table = symtable.symtable(source, "cell", "exec")
    top = {s.get_name() for s in table.get_symbols() if s.is_referenced()}
    nested = set()
    for scope in _scopes(table):
        if scope is table:
            continue
        nested |= {s.get_name() for s in scope.get_symbols()
                   if s.is_referenced() and s.is_global()}
    return top, nested


def names_in_prose(markdown: str, functions: set[str]) -> set[str]:
    """Names a Markdown cell asks the reader to call: the functions called in its code spans, and
    code spans that are just the name of a course function."""
    found = set()
    for _, span in CODE_SPAN.findall(FENCED.sub("", markdown)):
        span = span.strip()
        if span in functions:
            found.add(span)
            continue
        try:
            tree = ast.parse(span, mode="eval")
        except SyntaxError:
            found |= set(CALL.findall(span))
            continue
        # `relu(z)` names a function; `y.max()` or `np.dot(a, b)` call a method of a value.
        found |= {node.func.id for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    return found


def undefined_names(nb: nbformat.NotebookNode, functions: set[str]) -> list[str]:
    """One line per name the notebook uses but never defines, saying where it is used."""
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    everywhere = set(BUILTINS)
    for _, cell in code:
        everywhere |= bound_names(cell.source)
    problems = []
    so_far = set(BUILTINS)
    for index, cell in enumerate(nb.cells):
        role = cell.metadata.get("nnfs", {}).get("role", cell.cell_type)
        if cell.cell_type == "markdown":
            for name in sorted(names_in_prose(cell.source, functions) - everywhere):
                problems.append(f"cell {index} (prose) names `{name}`, which the notebook "
                                "neither gives nor asks the student to write")
            continue
        top, nested = used_names(cell.source)
        so_far |= bound_names(cell.source)
        for name in sorted((top - so_far) | (nested - everywhere)):
            problems.append(f"cell {index} ({role}) uses `{name}`, which no cell before it "
                            "defines")
    return problems


@pytest.mark.parametrize("assignment_id", ALL)
def test_release_notebook_defines_every_name_it_uses(assignment_id):
    assignment = next(a for a in assignments() if a.id == assignment_id)
    nb = nbformat.read(assignment.release_notebook(), as_version=4)
    assert undefined_names(nb, course_functions()) == []


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    for kind, source in cells:
        maker = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = maker(source)
        cell.metadata["nnfs"] = {"role": kind}
        nb.cells.append(cell)
    return nb


def test_prose_naming_an_earlier_assignments_function_is_found():
    nb = _notebook(("given", "import numpy as np"),
                   ("markdown", "These are assignment 02's `softmax_cross_entropy_backward`, "
                                "`dense_backward` and `relu_backward`, chained."),
                   ("solution", "def train(X):\n    raise NotImplementedError()"))
    assert undefined_names(nb, {"dense_backward", "relu_backward",
                                "softmax_cross_entropy_backward"}) == [
        f"cell 1 (prose) names `{name}`, which the notebook neither gives nor asks the "
        "student to write"
        for name in ("dense_backward", "relu_backward", "softmax_cross_entropy_backward")]


def test_calls_in_prose_checks_and_helpers_are_found():
    nb = _notebook(("given", "import numpy as np\ndef helper(v):\n    return one_hot(v, 3)"),
                   ("markdown", "Compare with `accuracy(probs, y)`; `np.dot(X, W.T) + b`, "
                                "`y.max() + 1` and `relu` are fine, and `W` is no function."),
                   ("solution", "def relu(z):\n    raise NotImplementedError()"),
                   ("checks", "out = relu(np.zeros(2))\nassert sigmoid(out).shape == (2,)\n"
                              "assert all(relu(v) == 0 for v in [0.0])"))
    assert undefined_names(nb, {"relu", "sigmoid", "accuracy", "one_hot"}) == [
        "cell 0 (given) uses `one_hot`, which no cell before it defines",
        "cell 1 (prose) names `accuracy`, which the notebook neither gives nor asks the "
        "student to write",
        "cell 3 (checks) uses `sigmoid`, which no cell before it defines",
    ]


def test_a_name_used_before_the_cell_that_defines_it_is_found():
    nb = _notebook(("checks", "assert later() == 1"),
                   ("given", "def later():\n    return 1"))
    assert undefined_names(nb, set()) == [
        "cell 0 (checks) uses `later`, which no cell before it defines"]
