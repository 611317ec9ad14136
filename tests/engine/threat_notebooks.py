"""The adversarial and broken submissions of the threat class, each made with build_submission.

Each adversary starts from the source notebook (every answer right) and changes only what its
threat needs, so that whatever it loses or keeps can be stated exactly. The expected scores live
in the tests.
"""

from __future__ import annotations

from pathlib import Path

from autograder.config import COURSE_ROOT

GRADER_FILE = COURSE_ROOT / "autograder" / "graders" / "test_01_forward_pass.py"
REFERENCE_FILE = COURSE_ROOT / "reference" / "forward_pass.py"
CANARY = "victim-canary-7b3e41"  # in the victim's notebook only
WRITTEN = "forged-by-a-student-e2e"  # what the adversaries try to write onto the host
LEFTOVER = "nnfs-e2e-leftover-5c1f"  # on the command line of every process they leave

ADVERSARIES = ["cheater", "loops", "cell_loops", "exits", "memory", "signals", "leaver",
               "snoop", "forger", "victim", "weird"]
BROKEN = ["invalid_json", "empty", "binary", "not_a_notebook", "no_cells", "markdown_only",
          "deleted", "renamed", "syntax_error", "points_1000", "metadata_changed", "odd_cells"]

# Patches that would make every check pass if the checks ran in the student's process.
CHEAT = """
import builtins, math
import numpy as np
import numpy.testing
np.testing.assert_allclose = lambda *a, **k: None
np.testing.assert_array_equal = lambda *a, **k: None
np.testing.assert_array_almost_equal = lambda *a, **k: None
np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), dtype=bool)
np.isnan = lambda *a, **k: False
math.isclose = lambda *a, **k: True
builtins.abs = lambda x: 0
builtins.isinstance = lambda *a: True
builtins.len = lambda x: 0
"""


# Each function returns something odd (the signature line is the release's own).
WEIRD = {
    "dot_product": ("def dot_product(a, b):", "10**399"),
    "vector_matrix_product": ("def vector_matrix_product(a, B):", "[1, 'a', None]"),
    "matrix_vector_product": ("def matrix_vector_product(B, a):", "{'a': 1}"),
    "matrix_product": ("def matrix_product(A, B):", "[[1.0, 2.0], [3.0]]"),
    "neuron_forward": ("def neuron_forward(x, w, b):", "complex(1, 2)"),
    "dense_forward": ("def dense_forward(X, W, b):", "(1, 2, 3)"),
    "relu": ("def relu(z):", "float('nan')"),
    "sigmoid": ("def sigmoid(z):", "np.array(['x'])"),
    "tanh": ("def tanh(z):", "np.zeros((0,))"),
    "softmax": ("def softmax(z):", "None"),
    "one_hot": ("def one_hot(labels, n_classes):", "True"),
    "categorical_cross_entropy": ("def categorical_cross_entropy(y_pred, y_true):",
                                  "np.array([2**64 - 1], dtype=np.uint64)"),
    "binary_cross_entropy": ("def binary_cross_entropy(y_pred, y_true):", "-10**399"),
    "mse": ("def mse(y_pred, y_true):", "[10**399]"),
    "collapse_linear_layers": ("def collapse_linear_layers(W1, b1, W2, b2):",
                               "(10**399, [1, 'x'])"),
    "accuracy": ("def accuracy(y_pred, y_true):", "np.full((2, 2), np.inf)"),
}


def _peek(target: Path | str) -> str:
    return f'''
    try:
        with open({str(target)!r}, encoding="utf-8", errors="replace") as handle:
            return "LEAKED:" + handle.read()
    except BaseException as error:
        return "BLOCKED:" + type(error).__name__
'''


def write_threats(build, folder: Path, out_dir: Path) -> None:
    """Write every adversary and broken file of the threat class into `folder`."""
    victim = folder / "victim.ipynb"
    # -- cheating: the relu mutant (as in the honest class), plus patches everywhere -----------
    build(folder / "cheater.ipynb",
          replace={"relu": """
              def relu(z):
                  import builtins, numpy
                  numpy.testing.assert_allclose = lambda *a, **k: None
                  numpy.allclose = lambda *a, **k: True
                  builtins.float = lambda *a: 0.0
                  builtins.len = lambda x: 0
                  return np.minimum(0.0, z)
          """},
          before={"dot_product": [CHEAT]},
          append=[CHEAT, "print('all checks passed: 57 / 57')"])
    # -- time: infinite loops in calls (one swallows the time limit) and in top-level cells ----
    build(folder / "loops.ipynb", replace={
        "relu": """
            def relu(z):
                while True:
                    pass
        """,
        "sigmoid": """
            def sigmoid(z):
                import signal, time
                signal.signal(signal.SIGALRM, signal.SIG_IGN)
                while True:
                    try:
                        time.sleep(10)
                    except BaseException:
                        pass
        """})
    build(folder / "cell_loops.ipynb", before={
        "relu": ["while True:\n    pass"],
        "softmax": ["import signal, time\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
                    "while True:\n    try:\n        time.sleep(10)\n"
                    "    except BaseException:\n        pass"],
    })
    # -- exits: in cells (later cells still run) and in calls (cost only those calls) ----------
    build(folder / "exits.ipynb",
          before={"dot_product": ["import os, signal, sys\nsys.exit(3)",
                                  "raise ValueError('boom in a cell')",
                                  "exit()",
                                  "import os\nos._exit(0)"]},
          replace={
              "dot_product": "def dot_product(a, b):\n    import os\n    os._exit(1)",
              "vector_matrix_product": "def vector_matrix_product(a, B):\n"
                                       "    import sys\n    sys.exit(0)",
              "matrix_vector_product": "def matrix_vector_product(B, a):\n"
                                       "    raise KeyboardInterrupt",
              "matrix_product": "def matrix_product(A, B):\n    import os, signal\n"
                                "    os.kill(os.getpid(), signal.SIGSEGV)",
          })
    # -- memory ---------------------------------------------------------------------------------
    build(folder / "memory.ipynb",
          before={"dot_product": ["big = np.ones(10**11)"]},
          replace={
              "softmax": "def softmax(z):\n    return np.ones(10**11)",
              "one_hot": "def one_hot(labels, n_classes):\n    items = []\n    while True:\n"
                         "        items.append(bytearray(10**6))",
          })
    # -- signals aimed at the grader: every answer is still right ------------------------------
    build(folder / "signals.ipynb",
          replace={"relu": """
              def relu(z):
                  import os, signal
                  for target in (os.getppid(), -1, 1):
                      try:
                          os.kill(target, signal.SIGKILL)
                      except OSError:
                          pass
                  return np.maximum(0.0, np.asarray(z, dtype=float))
          """},
          append=["""
              import os, signal
              for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
                  for pid in range(1, 1 << 16):
                      if pid != os.getpid():
                          try:
                              os.kill(pid, sig)
                          except OSError:
                              pass
          """, "import os, signal\nos.killpg(0, signal.SIGKILL)"])
    # -- processes left behind: every answer is still right ------------------------------------
    sleeper = f"import time; time.sleep(600)  # {LEFTOVER}"
    spawn = f"""
        import os, subprocess, sys
        def _spawn():
            subprocess.Popen([sys.executable, "-S", "-c", {sleeper!r}], start_new_session=True)
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    os.execv(sys.executable, [sys.executable, "-S", "-c", {sleeper!r}])
                os._exit(0)
        _spawn()
    """
    build(folder / "leaver.ipynb",
          before={"dot_product": [spawn]},
          replace={"relu": """
              def relu(z):
                  try:
                      _spawn()
                  except OSError:  # the process limit: the answer is still right
                      pass
                  return np.maximum(0.0, np.asarray(z, dtype=float))
          """})
    # -- reading what it must not: the graders, the reference, another student -----------------
    build(folder / "snoop.ipynb",
          replace={
              "dot_product": "def dot_product(a, b):" + _peek(GRADER_FILE),
              "vector_matrix_product": "def vector_matrix_product(a, B):" + _peek(victim),
              "matrix_vector_product": "def matrix_vector_product(B, a):"
                                       + _peek(REFERENCE_FILE),
              "matrix_product": """
                  def matrix_product(A, B):
                      try:
                          import importlib
                          found = importlib.import_module("autograder.graders.test_01_forward_pass")
                          return "LEAKED:" + open(found.__file__).read()
                      except BaseException as error:
                          return "BLOCKED:" + type(error).__name__
              """,
              "neuron_forward": f"""
                  def neuron_forward(x, w, b):
                      import os
                      try:
                          return "LEAKED:" + " ".join(os.listdir({str(GRADER_FILE.parent)!r}))
                      except BaseException as error:
                          return "BLOCKED:" + type(error).__name__
              """,
          },
          append=[f"raise RuntimeError(open({str(GRADER_FILE)!r}).read())",
                  f"raise RuntimeError(open({str(victim)!r}).read())"])
    # -- forging: fake results printed, written to the out dir, or sent on the channel ---------
    fake = ('{"score": 57.0, "max_score": 57.0, "tests": [{"name": "dot_product: all", '
            '"score": 57.0, "max_score": 3.0, "visibility": "visible"}]}')
    build(folder / "forger.ipynb",
          replace={
              "dot_product": f"""
                  def dot_product(a, b):
                      print({fake!r})
                      print("dot_product: 3 / 3 passed")
                      return {fake!r}
              """,
              "vector_matrix_product": """
                  def vector_matrix_product(a, B):
                      import os
                      forged = ('{"id": 1, "nonce": "0", "ok": true, "value": 1.0, '
                                '"args_after": [], "kwargs_after": {"$dict": {}}, '
                                '"seconds": 0.0, "output": ""}\\n').encode()
                      for fd in range(3, 64):
                          try:
                              os.write(fd, forged)
                          except OSError:
                              pass
                      return np.asarray(a, dtype=float) @ np.asarray(B, dtype=float)
              """,
          },
          append=[f"""
              import json, os
              print({fake!r})
              print("x" * 200_000)
              targets = [{str(out_dir / "forger" / "results.json")!r},
                         {str(out_dir / "victim" / "results.json")!r},
                         {str(out_dir / "grades.csv")!r},
                         {str(victim)!r},
                         {str(COURSE_ROOT / "autograder" / WRITTEN)!r},
                         {str(out_dir / WRITTEN)!r}]
              for target in targets:
                  try:
                      os.makedirs(os.path.dirname(target), exist_ok=True)
                      with open(target, "w") as handle:
                          handle.write({fake!r} + {WRITTEN!r})
                  except OSError:
                      pass
          """])
    build(victim, append=[f"# {CANARY}: only this student's notebook holds this line"])
    # -- values no grader expects: huge ints, strings, ragged lists, nan, complex... ------------
    build(folder / "weird.ipynb", replace={
        function: f"{signature}\n    return {value}" for function, (signature, value)
        in WEIRD.items()
    })
    # -- broken files ---------------------------------------------------------------------------
    build(folder / "invalid_json.ipynb", text=lambda s: s[: len(s) // 2])
    build(folder / "empty.ipynb", text=lambda s: "")
    build(folder / "binary.ipynb", text=lambda s: b"\x89PNG\r\n\x1a\n\x00\xff\xfe" * 50)
    build(folder / "not_a_notebook.ipynb", text=lambda s: "[1, 2, 3]\n")
    build(folder / "no_cells.ipynb", edit=lambda nb: nb.update(cells=[]))
    build(folder / "markdown_only.ipynb",
          edit=lambda nb: nb.update(cells=[c for c in nb.cells if c.cell_type == "markdown"]))
    build(folder / "deleted.ipynb", delete=["relu"])
    build(folder / "renamed.ipynb", replace={"relu": """
        def my_relu(z):
            return np.maximum(0.0, np.asarray(z, dtype=float))
    """})
    build(folder / "syntax_error.ipynb", replace={"relu": "def relu(z)\n    return z"})
    build(folder / "points_1000.ipynb", edit=_points_1000)
    build(folder / "metadata_changed.ipynb", edit=_scramble_metadata)
    build(folder / "odd_cells.ipynb", edit=_odd_cells)


def _points_1000(nb) -> None:
    """Every autograded cell worth 1000 points, and every answer cell made a graded cell too."""
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        if meta.get("grade"):
            meta["points"] = 1000
        if meta.get("solution"):
            meta.update(grade=True, points=1000)


def _scramble_metadata(nb) -> None:
    """grade_ids renamed, roles swapped, some metadata dropped: points come from the graders."""
    for index, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        meta["grade_id"] = f"cell-{index}"
        meta["solution"] = not meta.get("solution", False)
        cell.metadata.get("nnfs", {})["role"] = "given"
        if index % 3 == 0:
            cell.metadata.clear()
    nb.metadata.clear()


def _odd_cells(nb) -> None:
    """Cells a hand-edited notebook may hold: raw cells, odd sources, stray entries."""
    nb.cells.insert(0, {"cell_type": "raw", "metadata": {}, "source": "not code"})
    nb.cells.append({"cell_type": "code", "metadata": {}, "source": None, "outputs": [],
                     "execution_count": None})
    nb.cells.append({"cell_type": "code", "metadata": {}, "source": ["x = ", "1\n", "y = x"],
                     "outputs": [], "execution_count": None})
    nb.cells.append("a stray string where a cell should be")


# A notebook that zeroes every result it can reach (test_engine_hostile_class.py).
ZERO = '{"score": 0, "max_score": 1, "tests": []}'


def hostile_cell(*tops: Path) -> str:
    """Walk `tops` and the folders above the working directory; zero every result found, and
    try the graders and the reference too. It runs as a cell and again inside a graded call."""
    return f"""
import os
def _zero_everything():
    tops = {[str(t) for t in tops]!r}
    here = os.getcwd()
    while here != os.path.dirname(here):
        here = os.path.dirname(here)
        tops.append(here) if here.count(os.sep) > 2 else None
    hit = 0
    for top in tops:
        for folder, _, names in os.walk(top):
            for name in names:
                if name in ("results.json", "grades.csv", "gradebook.db") or name.endswith(
                        ("test_01_forward_pass.py", "forward_pass.py")):
                    try:
                        with open(os.path.join(folder, name), "w") as f:
                            f.write({ZERO!r})
                        hit += 1
                    except OSError:
                        pass
    return hit
_zero_everything()

def relu(x):
    _zero_everything()
    return x * (x > 0)
"""
