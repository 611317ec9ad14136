"""The Jinja2 environment of the pages and the report: autoescaped, strict, templates beside it."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

# Inline Markdown of the graders' messages: `code` spans and **strong**, nothing else (no links,
# images or HTML), so nothing a student's output holds can become markup.
_CODE = re.compile(r"(`+)(.+?)\1", re.S)
_STRONG = re.compile(r"(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])")


def points(value: float) -> str:
    """3.0 -> "3", 2.5 -> "2.5"."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value is not None else "–"


def markdown(text) -> Markup:
    """`text` escaped, with its code spans as <code> and **strong** as <strong>."""
    text = "" if text is None else str(text)
    out, last = [], 0
    for match in _CODE.finditer(text):
        out.append(_strong(text[last:match.start()]))
        out.append(Markup("<code>%s</code>") % match.group(2).strip())
        last = match.end()
    out.append(_strong(text[last:]))
    return Markup("").join(out)


def _strong(text: str) -> Markup:
    escaped = str(escape(text))
    return Markup(_STRONG.sub(r"<strong>\1</strong>", escaped))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent),
        autoescape=True,  # every value is text, much of it written by students
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["points"] = points
    env.filters["md"] = markdown
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
