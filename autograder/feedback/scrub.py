"""Keep the graders' and the reference solutions' source out of student feedback.

Feedback pages are built only from results.json, so no source should reach them; this is the
second line of defence. A grader that breaks writes pytest's traceback (which quotes its source)
into a test's output; a future change could do worse. Every line longer than MIN_CHARS of the
hidden graders (`autograder/graders/test_*.py` and the exercises in its folders) and of the
reference solutions' function bodies (`reference/**/*.py`) is a secret; a line of feedback text
that contains one is withheld.

Docstrings and the inner lines of multi-line strings are not secrets: a grader's docstring is the
test's name students see, its strings are messages written for them, and the reference
docstrings are the specifications printed in the released notebook.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

from autograder.config import COURSE_ROOT

MIN_CHARS = 20
WITHHELD = "[line withheld: it quoted the course's grading code]"
WITHHELD_ALL = "[text withheld: it quoted the course's grading code]"

_SPACE = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


class Scrubber:
    """Withholds any line of text that quotes one of `secrets` (whitespace-insensitive)."""

    def __init__(self, secrets: Iterable[str]):
        self.secrets = frozenset(s for s in map(_normal, secrets) if len(s) > MIN_CHARS)
        self.withheld = 0  # lines withheld so far

    @classmethod
    def for_course(cls, root: Path = COURSE_ROOT) -> Scrubber:
        """The secrets of the course at `root`, and of the installed package's course."""
        roots = dict.fromkeys([Path(root).resolve(), COURSE_ROOT])
        graders = [p for r in roots for pattern in ("test_*.py", "*/*.py")
                   for p in sorted(r.glob(f"autograder/graders/{pattern}"))]
        references = [p for r in roots for p in sorted(r.glob("reference/**/*.py"))]
        secrets: list[str] = []
        for path in graders:
            secrets += source_lines(path.read_text(encoding="utf-8"))
        for path in references:
            secrets += function_body_lines(path.read_text(encoding="utf-8"))
        return cls(secrets)

    def leaks(self, text: str) -> bool:
        normal = _normal(text)
        return any(secret in normal for secret in self.secrets)

    def __call__(self, text: str) -> str:
        """`text` with every line that quotes a secret replaced by a notice."""
        if not text or not self.secrets:
            return text
        lines = []
        for line in text.splitlines():
            if self.leaks(line):
                self.withheld += 1
                lines.append(WITHHELD)
            else:
                lines.append(line)
        cleaned = "\n".join(lines)
        if self.leaks(cleaned):  # a secret wrapped across lines
            self.withheld += 1
            return WITHHELD_ALL
        return cleaned


def source_lines(source: str) -> list[str]:
    """Every line of a module except its docstrings and the inner lines of its strings."""
    skip = _text_lines(_parse(source))
    return [line for n, line in enumerate(source.splitlines(), 1) if n not in skip]


def function_body_lines(source: str) -> list[str]:
    """The lines of every function body in a module, docstrings left out."""
    tree = _parse(source)
    if tree is None:
        return source.splitlines()  # unparseable: treat all of it as secret
    lines = source.splitlines()
    skip = _text_lines(tree)
    body: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body.update(range(node.body[0].lineno, (node.end_lineno or node.lineno) + 1))
    return [lines[n - 1] for n in sorted(body - skip) if n <= len(lines)]


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def _text_lines(tree: ast.Module | None) -> set[int]:
    """Lines of docstrings, and lines wholly inside a multi-line string."""
    if tree is None:
        return set()
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.end_lineno:
            lines.update(range(node.lineno + 1, node.end_lineno))
        if not isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        first = node.body[0] if node.body else None
        if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)):
            lines.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return lines
