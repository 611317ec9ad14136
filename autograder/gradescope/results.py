"""The engine's results document, shaped the way Gradescope shows it to a student.

Each check becomes a test with its name, points, status and the student's message; the top-level
output summarises the score per function. Visibility comes from course_config.GRADESCOPE. Nothing
a hidden grader is made of (its source, its traceback) is copied over.
"""

from __future__ import annotations

from autograder.config import gradescope_settings

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
DEFAULTS = {"visibility": "visible", "visibility_by_function": {},
            "stdout_visibility": "hidden", "assignment": None}


class SettingsError(ValueError):
    """course_config.GRADESCOPE is wrong."""


def settings() -> dict:
    """course_config.GRADESCOPE with defaults, checked."""
    given = gradescope_settings()
    merged = {**DEFAULTS, **given}
    values = [("visibility", merged["visibility"]), ("stdout_visibility",
                                                     merged["stdout_visibility"])]
    values += [(f"visibility_by_function[{name!r}]", value)
               for name, value in merged["visibility_by_function"].items()]
    for where, value in values:
        if value not in VISIBILITIES:
            raise SettingsError(f"course_config.py: GRADESCOPE {where} is {value!r}; use one of "
                                f"{', '.join(VISIBILITIES)}")
    return merged


def shape(document: dict, *, seconds: float, isolation: str, config: dict | None = None) -> dict:
    """The Gradescope results.json for the engine's `document` of one submission."""
    config = config or settings()
    by_function = config["visibility_by_function"]
    tests = []
    for test in document["tests"]:
        extra = test.get("extra_data", {})
        function = extra.get("function", "")
        passed = test["score"] >= test["max_score"]
        tests.append({
            "name": f"{function}: {test['name']}" if function else test["name"],
            "number": test["number"],
            "score": test["score"],
            "max_score": test["max_score"],
            "status": "passed" if passed else "failed",
            "output": test["output"] or ("Passed." if passed else "Failed."),
            "output_format": "text",
            "tags": list(test.get("tags", [])),
            "visibility": by_function.get(function, config["visibility"]),
            "extra_data": {key: extra[key] for key in ("function", "outcome", "mistake",
                                                         "lecture") if key in extra},
        })
    extra = document.get("extra_data", {})
    return {
        "score": document["score"],
        "execution_time": round(seconds, 3),
        "output": summary(document),
        "output_format": "md",
        "visibility": "visible",
        "stdout_visibility": config["stdout_visibility"],
        "extra_data": {"assignment": extra.get("assignment"), "status": extra.get("status"),
                       "isolation": isolation, "functions": extra.get("functions", {})},
        "tests": tests,
    }


def summary(document: dict) -> str:
    """Markdown: the score, any problem with the notebook, and a table of scores per function."""
    extra = document.get("extra_data", {})
    lines = [f"**Score: {document['score']:g} / {document['max_score']:g}**", ""]
    if extra.get("problem"):
        lines += [f"Your notebook could not be run: {_plain(extra['problem'])}", ""]
    for cell in extra.get("cells", []):
        error = _plain(cell.get("error", "").splitlines()[0] if cell.get("error") else "")
        lines.append(f"- Code cell {cell['index'] + 1}: {cell['status']}"
                     + (f": {error}" if error else ""))
    if extra.get("cells"):
        lines.append("")
    functions = extra.get("functions", {})
    if functions:
        lines += ["| function | score |", "| --- | --- |"]
        for name, points in functions.items():
            lines.append(f"| `{name}` | {points['score']:g} / {points['max_score']:g} |")
    return "\n".join(lines)


def failure(message: str, *, seconds: float) -> dict:
    """A results.json with no score: the upload could not be graded, saying why."""
    return {
        "score": 0.0,
        "execution_time": round(seconds, 3),
        "output": message,
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"status": "no-notebook"},
        "tests": [],
    }


def _plain(text: str) -> str:
    """One line of text safe inside markdown (no table pipes, no HTML)."""
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;")
