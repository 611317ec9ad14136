"""pyplot and matplotlib, imported but not used, stay unloaded in a student's process even when a
cell fails (IPython's traceback reads every module's file; loading pyplot for that cost 0.3 s), and
load, with the Agg backend, when a cell uses them."""

PYPLOT_STATE = """
def pyplot_state():
    import sys
    return type(sys.modules["matplotlib.pyplot"]).__name__


def matplotlib_state():
    import sys
    return type(sys.modules["matplotlib"]).__name__
"""


def test_a_cell_that_fails_after_importing_pyplot_leaves_it_unloaded(load):
    proc = load("import matplotlib.pyplot as plt", "raise ValueError('a mistake')",
                "import sys\nsys.exit(0)", PYPLOT_STATE)
    assert [c.status for c in proc.cells] == ["ok", "error", "error", "ok"]
    assert proc.cells[1].error.startswith("ValueError: a mistake")
    assert proc.call("pyplot_state").value != "module"  # still the lazy module
    assert proc.call("matplotlib_state").value != "module"


def test_pyplot_loads_when_it_is_used(load):
    proc = load("import matplotlib.pyplot as plt", "plt.plot([1, 2])\nprint(plt.gcf().number)",
                PYPLOT_STATE)
    assert [c.status for c in proc.cells] == ["ok", "ok", "ok"]
    assert proc.cells[1].output == "1\n"
    assert proc.call("pyplot_state").value == "module"


def test_matplotlib_loads_with_agg_when_a_cell_uses_it_and_a_later_pyplot_import_works(load):
    proc = load("import matplotlib", "print(matplotlib.get_backend().lower())",
                "import matplotlib.pyplot as plt\nprint(type(plt.figure()).__name__)",
                PYPLOT_STATE)
    assert [c.status for c in proc.cells] == ["ok", "ok", "ok", "ok"]
    assert proc.cells[1].output == "agg\n"
    assert proc.cells[2].output == "Figure\n"
    assert proc.call("matplotlib_state").value == "module"


USES = [  # (code, whether a notebook whose cells are this uses pyplot)
    ("import matplotlib.pyplot as plt\nplt.plot([1, 2])", True),
    ("import matplotlib.pyplot as plt\nx = 1", False),
    ("from matplotlib import pyplot\npyplot.show()", True),
    ("from matplotlib import pyplot as P\nP.show()", True),
    ("import matplotlib.pyplot as mp\nmp .figure()", True),
    ("import matplotlib\nmatplotlib.pyplot.plot([1])", True),
    ("from matplotlib.pyplot import plot", True),
    ("plt.plot([1])", True),  # it fails in the child, which is where the error belongs
    ("xplt.value = 1\nmy_plt.show()", False),
    ("pyplot = make_plots()\npyplot.show()", False),  # the check helper's own `pyplot`
    ("import numpy as np\n" * 2000 + "def f(x):\n    return np.tanh(x)\n", False),
]


def test_whether_a_notebook_uses_pyplot_is_read_from_its_code():
    import sys
    from pathlib import Path

    inside = str(Path(__file__).parents[2] / "autograder" / "sandbox" / "inside")
    sys.path.insert(0, inside)
    try:
        from lazy_pyplot import LazyPyplot
    finally:
        sys.path.remove(inside)
    assert [LazyPyplot.used_in(code) for code, _ in USES] == [uses for _, uses in USES]
