"""Gradescope: build the autograder zip, and grade one submission inside Gradescope's container.

`build` writes `dist/<id>-autograder.zip` (setup.sh, run_autograder, the package, the graders,
the reference, course_config.py). `run` is what run_autograder starts: it grades the one notebook
in /autograder/submission with the engine of `nnfs-course grade` and always writes
/autograder/results/results.json. `results` turns the engine's results document into the one
Gradescope shows.
"""
