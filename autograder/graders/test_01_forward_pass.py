import numpy as np

from autograder.harness import Mistake, check_close, grader

ASSIGNMENT = "01_forward_pass"
M = Mistake("summed a only", "explain", "001")


@grader("dot_product", points=3)
def test_dot_product_example(student):
    """lecture example"""
    call = student.call("dot_product", np.array([1.0, 2, 3]), np.array([4.0, 5, 6]))
    check_close(call, 32.0, mistakes=[M.with_value(6.0)])
