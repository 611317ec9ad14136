"""The release notebooks' share of the diagnosis: the relations, and the hook that applies them.

A public check compares with `np.testing.assert_allclose(actual, desired)`; when it fails, the
check helper finds that call's frame in the traceback, reads the two values, and names the
relation that reproduces `actual` from `desired` (relations.py), the same name the hidden graders
give on the same values. Only the public expected values and the relation code are needed: no
reference code and no grader enters the release (the release's leak check proves it).
"""

from __future__ import annotations

import inspect

from autograder.diagnosis import relations

HOOK = '''

def _name_the_mistake(trace):
    """After a failed assert_allclose: the relation between what came back and what was
    expected, when exactly one explains it (the hidden graders name the same)."""
    while trace is not None:
        seen = trace.tb_frame.f_locals
        if trace.tb_frame.f_code.co_name.startswith("assert_") \\
                and ("desired" in seen or "y" in seen):
            actual, desired = seen.get("actual", seen.get("x")), seen.get("desired", seen.get("y"))
            try:
                found = explain(actual, desired)
            except Exception:
                return
            if found:
                best = min(f.tier for f in found)
                top = {f.id: f for f in found if f.tier == best}
                if len(top) == 1:
                    finding = next(iter(top.values()))
                    text = finding.explanation[:1].upper() + finding.explanation[1:]
                    print(f"Known mistake: {finding.title}. {text}")
            return
        trace = trace.tb_next
'''


def helper_source() -> str:
    """relations.py without its docstring and future import, then the hook."""
    source = inspect.getsource(relations)
    body = source.split('"""', 2)[2]
    body = body.replace("from __future__ import annotations\n", "")
    return ("\n\n# What the hidden graders also name: relations between a result and the expected "
            "one.\n" + body.strip("\n") + "\n" + HOOK.rstrip("\n"))
