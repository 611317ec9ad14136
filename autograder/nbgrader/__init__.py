"""nbgrader's side of the course: its configuration, the gradebook and formgrader's notebooks.

course.py: nbgrader's configuration of this course; cells.py: a released notebook's cells as
nbgrader records them; gradebook.py and gradebook_sql.py: recording scores; recorder.py: when the
grading run records them; autograded.py: the notebooks formgrader shows; utc.py: its timestamps.
"""
