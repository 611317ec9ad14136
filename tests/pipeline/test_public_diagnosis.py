"""The release notebooks' public checks name the same relations as the hidden graders."""

import pytest

from autograder.pipeline.guide import HELPER, wrap_checks


def run(code: str) -> dict:
    namespace: dict = {}
    exec(HELPER, namespace)
    exec(code, namespace)
    return namespace


def test_a_public_check_names_a_factor_of_one_half(capsys):
    code = ("import numpy as np\n"
            "def mse_backward(p, y):\n    return (p - y) / p.size\n"
            + wrap_checks("mse_backward", "np.testing.assert_allclose("
                          "mse_backward(np.array([1.0, 3.0]), np.array([0.0, 0.0])), [1.0, 3.0])"))
    with pytest.raises(AssertionError):
        run(code)
    out = capsys.readouterr().out
    assert "Known mistake: result 1/2 times the expected one." in out


def test_a_public_check_names_nothing_when_no_relation_fits(capsys):
    code = ("import numpy as np\n"
            + wrap_checks("f", "np.testing.assert_allclose(np.array([1.0, 5.0]), [2.0, 3.0])"))
    with pytest.raises(AssertionError):
        run(code)
    assert "Known mistake" not in capsys.readouterr().out


def test_the_helper_carries_no_reference_or_grader_code():
    assert "reference" not in HELPER and "autograder" not in HELPER
