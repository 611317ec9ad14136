"""The Jinja2 environment of the pages and the report: autoescaped, strict, templates beside it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2


def points(value: float) -> str:
    """3.0 -> "3", 2.5 -> "2.5"."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value is not None else "–"


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
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
