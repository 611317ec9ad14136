"""pyplot, imported but not used, stays unloaded in a student's process even when a cell fails
(IPython's traceback reads every module's file; loading pyplot for that cost 0.3 s)."""

PYPLOT_STATE = """
def pyplot_state():
    import sys
    return type(sys.modules["matplotlib.pyplot"]).__name__
"""


def test_a_cell_that_fails_after_importing_pyplot_leaves_it_unloaded(load):
    proc = load("import matplotlib.pyplot as plt", "raise ValueError('a mistake')",
                "import sys\nsys.exit(0)", PYPLOT_STATE)
    assert [c.status for c in proc.cells] == ["ok", "error", "error", "ok"]
    assert proc.cells[1].error.startswith("ValueError: a mistake")
    assert proc.call("pyplot_state").value != "module"  # still the lazy module


def test_pyplot_loads_when_it_is_used(load):
    proc = load("import matplotlib.pyplot as plt", "plt.plot([1, 2])\nprint(plt.gcf().number)",
                PYPLOT_STATE)
    assert [c.status for c in proc.cells] == ["ok", "ok", "ok"]
    assert proc.cells[1].output == "1\n"
    assert proc.call("pyplot_state").value == "module"
