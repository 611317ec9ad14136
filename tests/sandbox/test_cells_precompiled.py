"""Cells the template compiled once (cells.precompile: a cell a second notebook has at the same
place) behave in every later child as cells each child compiles itself: the same statuses,
outputs, names, tracebacks with the student's line numbers, and compiler warnings."""

HELPER = '''
# a given cell, the same in every notebook
def checking(name):
    return f"checking {name}"
'''

ANSWER = '''
def mean_of(values):
    total = 0.0
    for v in values:
        total += v
    return total / len(values)
'''

BROKEN = '''
def divide(a, b):
    """A cell that fails on its fifth line, in the fourth."""
    x = a
    return x / b
VALUE = divide(1, 0)
def after():
    return 1
'''

WARNS = '''
def same(x):
    return x is 1
'''


def _result(proc):
    cells = [(c.status, c.output, c.error) for c in proc.cells]
    return cells, proc.call("mean_of", ([1.0, 2.0, 6.0],), {}).value


def test_a_notebook_loaded_again_gives_the_same_cells_and_answers(load):
    first = _result(load(HELPER, ANSWER, BROKEN))
    again = load(HELPER, ANSWER, BROKEN)  # the template has compiled these cells by now
    assert _result(again) == first
    assert first[1] == 3.0
    status, _, error = first[0][2]
    assert status == "error"
    assert error.splitlines() == ["ZeroDivisionError: division by zero",
                                  "  cell 3, line 5, in <module>: VALUE = divide(1, 0)",
                                  "  cell 3, line 4, in divide: return x / b"]
    assert again.call("checking", ("x",), {}).value == "checking x"


def test_a_cell_whose_compiling_warns_still_shows_its_warning_every_time(load):
    outputs = [load(HELPER, WARNS).cells[1].output for _ in range(3)]
    assert all("SyntaxWarning" in out for out in outputs), outputs
