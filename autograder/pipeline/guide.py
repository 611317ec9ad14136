"""What every notebook gets besides its lesson: how to work in it, and the check cells' helper.

The same for every assignment, so it lives here and not in each lesson's prose. `build` puts the
guide after the lesson's first Markdown cell and the helper after it, and wraps every check cell
in `with checking("<function>"):` and every demo in `with demo():`. Both cells carry the
`raises-exception` tag, so JupyterLab's Run All goes on past a failing one to the end of the
notebook; nbgrader still scores a check cell that ends in an error 0, and Validate lists it.
"""

from __future__ import annotations

import ast
import io
import textwrap
import tokenize

RUN_ON = "raises-exception"


def _helper_diagnosis() -> str:
    from autograder.diagnosis.public import helper_source

    return helper_source()
  # JupyterLab's and nbclient's tag: Run All does not stop here

GUIDE = """\
### How to work in this notebook

1. **One section at a time, from the top.** Run the first cells (the imports and the checks'
   helper), then for each section: read it, replace `raise NotImplementedError()` in its answer
   cell with your code, and run the answer cell and the check cell under it with **Shift+Enter**.
2. **Each check cell reports on its own function.** It prints one line, `✓ {function} passed
   {count} in this cell`, when they pass; it shows the check that failed when one does not; and
   it says `{function} is not written yet` until you write it.
3. **Run → Run All Cells** runs every section. A function you have not written yet only says
   "not written yet", and the run goes on to the last cell.
4. **Save, then submit.** Before you submit, run **Kernel → Restart Kernel and Run All Cells…**
   and read each check's line. Save with **Ctrl+S** (**⌘S** on a Mac) and submit the notebook file
   `{notebook}` itself. When you submit, hidden tests try more inputs than these checks, and your
   feedback page explains every one of them."""

HELPER = '''\
# The check cells and demos below run inside this helper. Run this cell first; you need not
# change it (and it is read-only).
class checking:
    """`with checking("relu"):` runs relu's checks and reports on them in one line.

    While relu still raises NotImplementedError it says "not written yet" instead of a long
    traceback, and Run All goes on. A check that fails shows its error and counts as failed.
    """

    def __init__(self, function=None, checks=0):
        self.function, self.checks = function, checks

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        name = self.function
        if kind is not None and issubclass(kind, AssertionError):
            _name_the_mistake(trace)
        if kind is None:
            if name:
                count = f"all {self.checks} checks" if self.checks != 1 else "its check"
                print(f"\\u2713 {name} passed {count} in this cell.")
            return False
        if issubclass(kind, NotImplementedError):
            callers = []  # the functions between this cell and the stub that raised
            while trace.tb_next is not None:
                trace = trace.tb_next
                callers.append(trace.tb_frame.f_code.co_name)
            stub = trace.tb_frame.f_code.co_name
            if stub == "<module>":
                stub = name or "a function"
            if not name:
                print(f"This demo needs `{stub}`, which is not written yet. "
                      "It runs once you have written it.")
                _close_figures()
                return True
            if stub != name and name in callers:
                text = f"{name} calls {stub}, which is not written yet."
            elif stub != name:
                text = (f"The checks of {name} use {stub}, which is not written yet: "
                        f"write {stub} first.")
            else:
                text = (f"{name} is not written yet: replace `raise NotImplementedError()` "
                        "in its answer cell above, run that cell, then this one.")
            raise NotWrittenYet(text) from None
        if name and issubclass(kind, NameError) and getattr(error, "name", None) == name:
            raise NotWrittenYet(f"{name} is not defined yet: run its answer cell above first, "
                                "then this one.") from None
        return False


def demo():
    """`with demo():` runs a demo, or says which function it still needs."""
    return checking()


class NotWrittenYet(Exception):
    """A check that cannot run yet. It counts as failed, in one line."""

    def _render_traceback_(self):  # what IPython shows instead of a traceback
        return [f"\\u2717 {self}"]


def _close_figures():
    import sys

    figures = sys.modules.get("matplotlib.pyplot")  # not imported here: plotting stays lazy
    if figures is not None:
        figures.close("all")  # no empty axes from a demo that stopped early'''

# --- diagnosis hook: the public checks name the relations the hidden graders name
HELPER += _helper_diagnosis()


def guide_text(notebook: str, function: str = "relu", checks: int = 3) -> str:
    """The guide, its example check line taken from `function`, whose cell has `checks`."""
    count = f"all {checks} checks" if checks != 1 else "its check"
    return GUIDE.format(notebook=notebook, function=function, count=count)


def count_checks(code: str) -> int:
    """The checks in a cell of public checks: its `assert`s and `assert_*` calls."""
    count = 0
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Assert):
            count += 1
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            count += name.startswith("assert")
    return count


def wrap_checks(function: str, code: str) -> str:
    header = f'with checking("{function}", checks={count_checks(code)}):'
    return header + "\n" + _indented(code)


def wrap_demo(code: str) -> str:
    return "with demo():\n" + _indented(code)


def _indented(code: str) -> str:
    ast.parse(code)  # a SyntaxError names the line
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type == tokenize.STRING and token.start[0] != token.end[0]:
            # Indenting the cell would change the string's text.
            raise ValueError(f"line {token.start[0]}: a multi-line string in a check or demo "
                             "cell (write it on one line, or with \\n)")
    body = textwrap.indent(code, "    ")
    return body if body.strip() else "    pass"
