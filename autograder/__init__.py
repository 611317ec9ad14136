"""nnfs-course: build, release, grade and validate the Neural Networks from Scratch exercises.

The rooms, in the order the course flows through them:
- pipeline/: reference/ -> source/ notebooks -> release/ (nbgrader's generate_assignment);
- sandbox/: student code runs there; only plain data (sandbox/calls.py) comes back;
- harness.py and checks/: what the hidden graders in graders/ are written with; diagnosis/
  names the mistake behind a wrong answer; mutants/ and variants/ prove the graders;
- engine/: a grading run, its results.json and grades.csv;
- nbgrader/: nbgrader's gradebook and formgrader's notebooks; feedback/: pages and reports;
- gradescope/, similarity/, validate/, commands/ and cli.py: the ways in.
Underneath them all: config.py (the one reader of course_config.py), files.py and
reference_code.py. Imports run only down this map: .importlinter holds it, lint-imports checks it.
"""
