"""Parse a lesson file (reference/lessons/<id>.md) into an ordered list of cell directives.

The format is described in reference/lessons/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from autograder.pipeline import PipelineError

DIRECTIVE = re.compile(r"^<!--\s*(?P<kind>[a-z]+)\s*(?::\s*(?P<arg>[^>]*?))?\s*-->\s*$")
FENCE = re.compile(r"^```(?P<lang>\w*)\s*$")
KINDS = {"markdown", "instructor", "given", "solution", "checks", "code", "demo"}
NEEDS_CODE = {"checks", "code", "demo"}


@dataclass(frozen=True)
class Block:
    kind: str  # one of KINDS
    arg: str  # the function name(s) after the colon, or ""
    text: str  # Markdown text, or the code of the fenced block
    line: int  # where the directive is, for error messages


def parse_lesson(path: Path) -> list[Block]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PipelineError(f"{path}: no such lesson file") from None
    except UnicodeDecodeError as error:
        raise PipelineError(f"{path}: not UTF-8 text ({error.reason})") from None
    return list(_blocks(path, text.splitlines()))


def _blocks(path: Path, lines: list[str]):
    kind, arg, start, body = "markdown", "", 1, []
    for number, line in enumerate(lines, start=1):
        match = DIRECTIVE.match(line.strip())
        if match and match["kind"] in KINDS:
            yield from _finish(path, kind, arg, start, body)
            kind, arg, start, body = match["kind"], (match["arg"] or "").strip(), number, []
        elif match:
            raise PipelineError(f"{path}:{number}: unknown directive <!-- {match['kind']} -->; "
                                f"use one of {', '.join(sorted(KINDS))}")
        else:
            body.append(line)
    yield from _finish(path, kind, arg, start, body)


def _finish(path: Path, kind: str, arg: str, line: int, body: list[str]):
    if kind in ("markdown", "instructor"):
        text = "\n".join(body).strip()
        if text:
            yield Block(kind, arg, text, line)
        return
    if kind in ("solution",) or (kind == "given" and arg):
        if not arg:
            raise PipelineError(f"{path}:{line}: <!-- {kind} --> needs a function name")
        if any(row.strip() for row in body):
            # Text after a solution/given-by-name directive starts a Markdown cell of its own.
            yield Block(kind, arg, "", line)
            yield from _finish(path, "markdown", "", line + 1, body)
            return
        yield Block(kind, arg, "", line)
        return
    code, rest = _fenced_code(path, line, body)
    if kind == "checks" and not arg:
        raise PipelineError(f"{path}:{line}: <!-- checks --> needs a function name")
    if code is None:
        if kind in NEEDS_CODE or kind == "given":
            raise PipelineError(f"{path}:{line}: <!-- {kind}{': ' + arg if arg else ''} --> "
                                "must be followed by a ```python block")
    yield Block(kind, arg, code, line)
    yield from _finish(path, "markdown", "", line + 1, rest)


def _fenced_code(path: Path, line: int, body: list[str]):
    """The first fenced code block in `body`, and the lines after it."""
    index = 0
    while index < len(body) and not body[index].strip():
        index += 1
    if index == len(body) or not FENCE.match(body[index].strip()):
        return None, body[index:]
    for end in range(index + 1, len(body)):
        if body[end].strip() == "```":
            return "\n".join(body[index + 1:end]).strip("\n"), body[end + 1:]
    raise PipelineError(f"{path}:{line}: code block is not closed with ```")
