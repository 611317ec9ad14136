"""A cell that needs nothing of IPython runs by plain compile + exec, and everything a student or a
grader sees is as it was through IPython's run_cell: statuses, messages and their line numbers,
output, names, time limits, `sys.exit` and `exit()`. A cell that needs IPython still gets it."""

import pytest
from cell_paths import side_by_side

from autograder.harness import StudentError

# (what the cell proves, its source, the path it takes)
FIXTURES = [
    ("a magic", "%who_ls", "ipython"),
    ("a cell magic", "%%capture captured\nprint('kept for later')", "ipython"),
    ("a shell escape", "!echo from the shell", "ipython"),
    ("top-level await", "import asyncio\nawait asyncio.sleep(0)\nawaited = 'yes'", "ipython"),
    ("display and get_ipython",
     "display('shown')\nshell = type(get_ipython()).__name__\ndef shell_name():\n"
     "    return shell\n", "ipython"),
    ("an answer cell", "import numpy as np\n\ndef double(a):\n    return 2 * np.asarray(a)\n",
     "plain"),
    ("printing", "print('hello')\nfor i in range(2):\n    print(i)\ndef said():\n"
     "    return 'hello'", "plain"),
    ("raising", "total = 0\nfor i in range(3):\n    total += i\nif total:\n"
     "    raise ValueError(f'total {total}')\ndef unreached():\n    pass", "plain"),
    ("a later call that raises",
     "def mse(y_pred, y_true):\n    diff = y_pred - y_true\n    return float(diff) + missing\n",
     "plain"),
    ("a SyntaxError", "def broken(:\n    pass", "ipython"),
    ("SystemExit", "code = 4\nif code:\n    raise SystemExit(code)\n"
     "def after_exit():\n    pass", "plain"),
    ("sys.exit", "import sys\nsys.exit(3)\ndef after_sys_exit():\n    pass", "ipython"),
    ("exit()", "exit()\ndef after_exit_call():\n    pass", "ipython"),
    ("pyplot", "import matplotlib.pyplot as plt\nplt.plot([1, 2])\ndef figures():\n"
     "    return len(plt.get_fignums())", "plain"),
    ("timing out", "running = True\nwhile running:\n    pass\ndef never():\n    pass", "plain"),
    ("a last expression", "seen = [n for n, _ in enumerate('ab')]\nlen(seen)", "ipython"),
    ("a one-line cell", "one_line = 1", "ipython"),
    # IPython rewrites these cells before it runs them; the plain path runs what it would.
    ("leading blank lines", "\n\nblank = 1\nif blank:\n    raise ValueError('line 2')\n"
     "def after_blank():\n    pass", "plain"),
    ("a line of only blanks", "text = '''a\n    \nb'''\ndef text_lines():\n    return text\n",
     "plain"),
    ("pasted prompts", "In [1]: prompted = 1\n   ...: def from_prompt():\n   ...:     "
     "return prompted\n", "plain"),
    ("__future__", "from __future__ import annotations\ndef annotated(x: nowhere):\n"
     "    return x", "ipython"),
    ("after __future__", "def later(x: nowhere_either):\n    return x\n", "plain"),
    # Cells the plain path cannot prove it runs as IPython would.
    ("a def in a string", "len('''\ndef fake(): pass''')", "ipython"),
    ("a decorated def", "import functools\n@functools.cache\ndef cached(n):\n    return n",
     "ipython"),
    ("history names", "def last_input():\n    return _i\n", "ipython"),
]
SOURCES = [source for _, source, _ in FIXTURES]


@pytest.fixture(scope="module")
def both_ways():
    ipython, plain = side_by_side([(SOURCES, set())])
    return ipython, plain


def test_each_cell_takes_the_path_it_needs(both_ways):
    ipython, plain = both_ways
    assert ipython["paths"] == ["ipython"] * len(FIXTURES)
    assert dict(zip([what for what, _, _ in FIXTURES], plain["paths"], strict=True)) == \
        {what: path for what, _, path in FIXTURES}


def test_both_paths_send_the_same_cells_and_leave_the_same_names(both_ways):
    ipython, plain = both_ways
    for what, by_ipython, by_plain in zip([w for w, _, _ in FIXTURES], ipython["cells"],
                                          plain["cells"], strict=True):
        assert by_plain == by_ipython, what
    assert plain["names"] == ipython["names"]  # In, _i, _i3, ... included
    assert plain["execution_count"] == ipython["execution_count"]


def test_the_student_sees_what_run_cell_gave(load):
    proc = load(*SOURCES)
    cells = {what: cell for (what, _, _), cell in zip(FIXTURES, proc.cells, strict=True)}
    assert {what for what, cell in cells.items() if cell.status != "ok"} == {
        "raising", "a SyntaxError", "SystemExit", "sys.exit", "exit()", "timing out",
        "leading blank lines"}
    assert cells["printing"].output == "hello\n0\n1\n"
    assert cells["a shell escape"].output.strip() == "from the shell"
    assert "shown" in cells["display and get_ipython"].output
    assert "Out[16]: 2" in cells["a last expression"].output
    assert cells["raising"].error == (
        "ValueError: total 3\n  cell 8, line 5, in <module>: raise ValueError(f'total {total}')")
    assert cells["a SyntaxError"].error.startswith("SyntaxError: ")
    assert cells["SystemExit"].error == (
        "SystemExit: 4\n  cell 11, line 3, in <module>: raise SystemExit(code)")
    assert cells["sys.exit"].error == "SystemExit: 3\n  cell 12, line 2, in <module>: sys.exit(3)"
    assert cells["exit()"].error.startswith("SystemExit: exit() was called\n  cell 13, line 1")
    assert cells["timing out"].status == "timeout"
    assert cells["leading blank lines"].error.endswith(
        "cell 18, line 3, in <module>: raise ValueError('line 2')")  # IPython drops the blanks
    assert "Out[23]: 17" in cells["a def in a string"].output
    assert proc.call("text_lines").value == "a\n\nb"  # IPython's dedent empties the blank line
    assert proc.call("from_prompt").value == 1
    assert proc.call("later", (1,)).value == 1  # the annotation is never evaluated
    assert proc.call("double", ([1, 2],)).value.tolist() == [2, 4]
    assert proc.call("shell_name").value == "InteractiveShell"
    assert proc.call("figures").value == 1
    assert proc.call("said").value == "hello"
    assert not proc.has("unreached") and not proc.has("never") and not proc.has("after_exit")
    with pytest.raises(StudentError) as raised:
        proc.call("mse", (3.0, 1.0))
    assert raised.value.message == ("NameError: name 'missing' is not defined\n"
                                    "  cell 9, line 3, in mse: return float(diff) + missing")
