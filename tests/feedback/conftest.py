import pytest
from feedback_class import write_tiny_class


@pytest.fixture
def tiny_class(tmp_path):
    """The results directory of feedback_class's tiny class."""
    return write_tiny_class(tmp_path / "grades" / "01_forward_pass")
