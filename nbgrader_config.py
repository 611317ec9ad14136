# nbgrader only looks for a file of this name; every setting lives in course_config.py beside it.
import os
import runpy

_here = os.path.dirname(os.path.abspath(__file__))
_course = runpy.run_path(os.path.join(_here, "course_config.py"))
_course["apply_nbgrader_config"](get_config())  # noqa: F821 (provided by nbgrader's config loader)
