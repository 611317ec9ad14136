"""Cells for the instructor only: in the source notebook, never in a release.

A lesson's `<!-- instructor -->` block becomes a Markdown cell whose `nnfs.role` is "instructor"
(expected outcomes of an experiment, for example). nbgrader's generate_assignment runs
`DropInstructorCells` before its own preprocessors (course_config.NBGRADER), so the release never
holds it, whether `nnfs-course release` or `nbgrader generate_assignment` makes it; the leak check
fails a release that does.
"""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor

ROLE = "instructor"


def is_instructor_cell(cell) -> bool:
    return cell.get("metadata", {}).get("nnfs", {}).get("role") == ROLE


class DropInstructorCells(NbGraderPreprocessor):
    """Remove every instructor-only cell from the notebook."""

    def preprocess(self, nb, resources):
        nb.cells = [cell for cell in nb.cells if not is_instructor_cell(cell)]
        return nb, resources
