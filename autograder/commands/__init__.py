"""The `nnfs-course` commands, registered on the group in autograder/cli.py.

One module per stage of the course: notebooks.py (times, build, release), grading.py (grade,
validate, gradescope), results.py (feedback, report, export), instructor.py (publish,
similarity); options.py holds what they share. Each command parses its options, calls one
library function and echoes the result.
"""
