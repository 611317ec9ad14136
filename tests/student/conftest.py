import pytest
from student_lab import browser, jupyter_lab  # noqa: F401  (the fixtures of tests/student)


@pytest.fixture
def tiny_class(tmp_path):
    """The results of tests/feedback's tiny class (feedback_class.py)."""
    from feedback_class import write_tiny_class

    return write_tiny_class(tmp_path / "grades" / "01_forward_pass")
