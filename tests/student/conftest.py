from student_lab import browser, jupyter_lab  # noqa: F401  (the fixtures of tests/student)
