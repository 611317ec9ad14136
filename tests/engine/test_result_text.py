"""The text of results.json and of the autograded notebooks: its layout, and the places in a
student's notebook named the way the student sees them."""

from __future__ import annotations

import json

from autograder.engine.results import Place, name_places, notebook_places
from autograder.files import json_text


def test_json_text_puts_each_key_and_each_row_on_a_line_of_its_own():
    document = {"score": 1.5, "tests": [{"name": "é", "tags": ["a"]}, [1, None]], "empty": [],
                "extra_data": {"nested": [1, 2]}}
    text = json_text(document, "tests")
    assert text == ('{\n "score": 1.5,\n "tests": [\n  {"name": "\\u00e9", "tags": ["a"]},\n'
                    '  [1, null]\n ],\n "empty": [],\n "extra_data": {"nested": [1, 2]}\n}\n')
    assert json.loads(text) == document
    assert '"é"' in json_text(document, "tests", ensure_ascii=False)
    assert json_text({}, "tests") == "{}\n"
    assert json_text({"tests": []}, "tests") == '{\n "tests": []\n}\n'


def _markdown(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _answer(function):
    return {"cell_type": "code", "source": "def f(): pass",
            "metadata": {"nnfs": {"role": "solution"},
                         "nbgrader": {"grade_id": function}}}


def test_places_are_named_from_the_sections_and_only_where_a_message_names_one():
    cells = [_markdown("# Title\n\ntext"), _answer("relu"),
             _markdown("## 2. Softmax: `softmax`\n### not a section"), _answer("softmax")]
    places = notebook_places(cells)
    assert places == [Place("solution", "relu", "Title"),
                      Place("solution", "softmax", "not a section")]
    assert notebook_places(cells) == places  # the headings of a cell are kept, not changed
    assert name_places("ValueError in cell 2, line 3", places) == \
        "ValueError in line 3 of the answer cell of `softmax` (section “not a section”)"
    assert name_places("File <ipython-input-4-0a1b>, in f", places) == \
        "File a notebook cell, in f"
    plain = "expected 0.5, got 0.25 (the cells of a row)"
    assert name_places(plain, places) is plain
