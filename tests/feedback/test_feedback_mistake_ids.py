"""results.json carries a failing check's named mistake as {"id", "title"}; the class report
counts the ids, so one mistake found by two routes (a grader's catalogue, a relation) is one row."""

from autograder.feedback.results import StudentResult, _test
from autograder.feedback.stats import class_stats


def _entry(function, mistake, score=0.0):
    return {"name": f"{function}: a check", "score": score, "max_score": 1.0, "output": "",
            "extra_data": {"function": function, "outcome": "failed", "mistake": mistake}}


def _student(name, *entries):
    tests = tuple(_test(i, e) for i, e in enumerate(entries))
    return StudentResult(name, "a1", 0.0, 1.0, "graded", "", "", None, (), {}, tests)


def test_a_mistake_dict_is_read_with_its_id_and_an_old_title_string_still_reads():
    new = _test(0, _entry("dense_forward", {"id": "bias-as-column", "title": "column bias"}))
    old = _test(1, _entry("relu", "min instead of max in ReLU"))
    none = _test(2, _entry("relu", None))
    assert (new.mistake, new.mistake_id) == ("column bias", "bias-as-column")
    assert (old.mistake, old.mistake_id) == ("min instead of max in ReLU",) * 2
    assert (none.mistake, none.mistake_id) == (None, None)


def test_the_class_report_counts_each_id_once_per_student():
    same = {"id": "bias-as-column", "title": "assumes a column-shaped bias (n, 1)"}
    stats = class_stats([
        _student("ann", _entry("dense_forward", same), _entry("dense_forward", same)),
        _student("bob", _entry("dense_forward", same)),
        _student("cat", _entry("softmax", {"id": "rows-first-only", "title": "first only"})),
    ])
    counts = {m.title: m.count for m in stats.mistakes}
    assert counts == {"assumes a column-shaped bias (n, 1)": 2, "first only": 1}
