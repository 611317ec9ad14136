import csv
import datetime
import os
import sys
import warnings

import pytest

from autograder.feedback import FeedbackError, export_gradebook
from autograder.feedback.export import COLUMNS

NBGRADER_COLUMNS = ("assignment,duedate,timestamp,student_id,last_name,first_name,email,"
                    "raw_score,late_submission_penalty,score,max_score")


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory):
    """A gradebook with two assignments and three students, as nbgrader itself writes it."""
    # Creating a gradebook runs the `alembic` command, installed beside this Python.
    pytest.importorskip("nbgrader")
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning

    path = tmp_path_factory.mktemp("course") / "gradebook.db"
    url = f"sqlite:///{path}"
    old_path = os.environ["PATH"]
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + old_path
    try:
        # nbgrader's own add_submission trips a SQLAlchemy autoflush warning; not ours to fix.
        with warnings.catch_warnings(), Gradebook(url, course_id="nnfs") as gb:
            warnings.simplefilter("ignore", SAWarning)
            for name, due in [("01_forward_pass", datetime.datetime(2025, 1, 10, 12)),
                              ("02_backpropagation", None)]:
                gb.update_or_create_assignment(name, duedate=due)
                gb.update_or_create_notebook(name, name)
                gb.update_or_create_grade_cell("f", name, name, max_score=5, cell_type="code")
            gb.update_or_create_student("alice", first_name="Alice", last_name="Smith, Jr.",
                                        email="alice@example.org")
            gb.update_or_create_student("bob", first_name="Bob", last_name="Jones")
            gb.update_or_create_student("carol")
            for student, score in [("alice", 4.0), ("bob", 2.5)]:
                gb.update_or_create_submission("01_forward_pass", student,
                                               timestamp=datetime.datetime(2025, 1, 9, 8))
                grade = gb.find_grade("f", "01_forward_pass", "01_forward_pass", student)
                grade.auto_score = score
                grade.needs_manual_grade = False
            gb.db.commit()
    finally:
        os.environ["PATH"] = old_path
    return url


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_export_has_nbgraders_columns_and_one_row_per_assignment_and_student(gradebook, tmp_path):
    out = export_gradebook(tmp_path / "grades.csv", db_url=gradebook)
    assert out.read_text().splitlines()[0] == NBGRADER_COLUMNS == ",".join(COLUMNS)
    rows = read(out)
    by_key = {(r["assignment"], r["student_id"]): r for r in rows}
    assert len(rows) == len(by_key) == 6
    assert set(by_key) == {(a, s) for a in ("01_forward_pass", "02_backpropagation")
                           for s in ("alice", "bob", "carol")}
    alice = by_key["01_forward_pass", "alice"]
    assert alice["last_name"] == "Smith, Jr." and alice["email"] == "alice@example.org"
    assert (alice["raw_score"], alice["score"], alice["max_score"]) == ("4.0", "4.0", "5.0")
    assert alice["duedate"] == "2025-01-10 12:00:00"
    assert alice["timestamp"] == "2025-01-09 08:00:00"
    carol = by_key["01_forward_pass", "carol"]  # no submission: zero, as nbgrader exports it
    assert (carol["timestamp"], carol["raw_score"], carol["score"]) == ("", "0.0", "0.0")


def test_export_matches_nbgraders_csv_exporter_where_that_writes_valid_csv(gradebook, tmp_path):
    from nbgrader.api import Gradebook
    from nbgrader.plugins.export import CsvExportPlugin

    plugin = CsvExportPlugin()
    plugin.to = str(tmp_path / "nbgrader.csv")
    with Gradebook(gradebook, course_id="nnfs") as gb:
        plugin.export(gb)
    ours = export_gradebook(tmp_path / "ours.csv", db_url=gradebook).read_text().splitlines()
    theirs = (tmp_path / "nbgrader.csv").read_text().splitlines()
    # nbgrader does not quote "Smith, Jr.", so its alice rows have 12 fields; ours are valid CSV.
    assert [line for line in ours if "Smith" not in line] == \
        [line for line in theirs if "Smith" not in line]
    assert all(len(row) == len(COLUMNS) for row in read(tmp_path / "ours.csv"))


def test_export_filters_one_assignment(gradebook, tmp_path):
    rows = read(export_gradebook(tmp_path / "g.csv", "02_backpropagation", db_url=gradebook))
    assert {r["assignment"] for r in rows} == {"02_backpropagation"}
    assert len(rows) == 3
    with pytest.raises(FeedbackError, match="no assignment '03_optimizers'"):
        export_gradebook(tmp_path / "g.csv", "03_optimizers", db_url=gradebook)


def test_export_without_a_gradebook_is_an_error_and_creates_none(tmp_path):
    with pytest.raises(FeedbackError, match="no gradebook"):
        export_gradebook(tmp_path / "g.csv", db_url=f"sqlite:///{tmp_path / 'gradebook.db'}")
    assert not (tmp_path / "gradebook.db").exists()
