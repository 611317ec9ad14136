"""A student's first session, in a real JupyterLab in headless Chromium: open the release
notebook, write one function, Run All, save, and get exactly that function's points."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import nbformat
import pytest
from student_lab import BIN, UI_MS, needs_chromium

from autograder.config import get_assignment

pytestmark = [pytest.mark.slow, needs_chromium]

ASSIGNMENT = get_assignment("01_forward_pass")
SOLVED = "relu"
ANSWER = ("def relu(z):\n"
          "    return np.maximum(0.0, np.asarray(z, dtype=float))\n")
INSTRUCTOR_COMMANDS = ["nbgrader:open-formgrader", "nbgrader:open-create-assignment",
                       "nbgrader:open-course-list", "nbgrader:open-assignment-list"]


def roles(nb) -> list[tuple[str, str]]:
    """(role, function) of every cell of the notebook, in order."""
    out = []
    for cell in nb.cells:
        role = cell.metadata.get("nnfs", {}).get("role", "")
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        out.append((role, grade_id.removeprefix("test_")))
    return out


def test_a_student_writes_one_function_runs_all_saves_and_earns_its_points(
        jupyter_lab, browser, tmp_path):
    name = ASSIGNMENT.release_notebook().name
    shutil.copy(ASSIGNMENT.release_notebook(), jupyter_lab.work / name)
    layout = roles(nbformat.read(ASSIGNMENT.release_notebook(), as_version=4))
    answer_at = layout.index(("solution", SOLVED))
    checks_at = {function: i for i, (role, function) in enumerate(layout) if role == "checks"}

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(UI_MS)
    problems: list[str] = []
    try:
        page.goto(jupyter_lab.notebook_url(name), timeout=UI_MS)
        tab = page.locator(".lm-TabBar-tab[data-type='document-title']", has_text=name)
        page.wait_for_selector(".jp-Notebook .jp-Cell")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
        page.wait_for_timeout(3000)  # give JupyterLab its chance to rewrite the notebook
        assert "jp-mod-dirty" not in (tab.get_attribute("class") or ""), \
            "the notebook shows as unsaved right after opening"

        # A student's JupyterLab: Validate is there, no instructor tool, no exchange error.
        assert page.locator(".jp-Toolbar-item", has_text="Validate").count() == 1
        commands = page.evaluate("""() => Array.from(document.querySelectorAll('[data-command]'))
                                    .map(e => e.getAttribute('data-command'))""")
        menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
        assert "Nbgrader" not in menus, menus  # its items are the instructor's tools
        assert not set(commands) & set(INSTRUCTOR_COMMANDS), commands
        server_log = jupyter_lab.log.read_text(errors="replace")
        for part in ("formgrader", "assignment_list", "course_list"):  # their server parts
            assert f"nbgrader.server_extensions.{part} | extension was" not in server_log
        assert "nbgrader.server_extensions.validate_assignment | extension was" in server_log
        toasts = " ".join(page.locator(".Toastify__toast").all_inner_texts())
        assert "exchange" not in toasts.lower() and "courses" not in toasts.lower(), toasts

        # Type the answer into relu's answer cell, replacing the stub.
        cell = page.locator(".jp-Notebook .jp-Cell").nth(answer_at)
        cell.scroll_into_view_if_needed()
        editor = cell.locator(".cm-content")
        editor.click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(ANSWER)
        page.wait_for_function("(i) => document.querySelectorAll('.jp-Notebook .jp-Cell')[i]"
                               ".textContent.includes('np.maximum(0.0')", arg=answer_at)

        # Run All, and wait until every code cell has run.
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel").filter(has_text=re.compile(r"^Run All Cells$")).click()
        page.wait_for_function("""() => {
            const prompts = Array.from(document.querySelectorAll(
                '.jp-Notebook .jp-CodeCell .jp-InputArea-prompt'));
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""", timeout=UI_MS * 2)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")

        # textContent, not innerText: JupyterLab does not render cells scrolled out of view.
        outputs = page.evaluate("""() => Array.from(document.querySelectorAll(
            '.jp-Notebook .jp-Cell')).map(c => Array.from(c.querySelectorAll(
                '.jp-OutputArea-output')).map(o => o.textContent.trim()).join('\\n'))""")
        for function, index in checks_at.items():
            shown = outputs[index].strip()
            if function == SOLVED:
                if not shown.startswith(f"✓ {SOLVED} passed"):
                    problems.append(f"{function}: {shown!r}")
            elif "not written yet" not in shown or len(shown.splitlines()) != 1:
                problems.append(f"{function}: {shown!r}")
        assert not problems, "check cells that did not report as expected:\n" + "\n".join(problems)

        # Save, and wait until JupyterLab says it is saved.
        page.keyboard.press("Escape")
        page.keyboard.press("Control+s")
        page.wait_for_function("""(name) => {
            const tabs = document.querySelectorAll(".lm-TabBar-tab[data-type='document-title']");
            const tab = Array.from(tabs).find(t => t.innerText.includes(name));
            return tab && !tab.classList.contains('jp-mod-dirty');
        }""", arg=name)
    finally:
        page.screenshot(path=str(tmp_path / "jupyterlab.png"))
        context.close()

    saved = nbformat.read(jupyter_lab.work / name, as_version=4)
    assert "np.maximum(0.0" in saved.cells[answer_at].source
    assert saved.cells[checks_at[SOLVED]].outputs, "the saved notebook keeps the checks' output"

    out = tmp_path / "grades"
    done = subprocess.run([str(BIN / "nnfs-course"), "grade", ASSIGNMENT.id,
                           str(jupyter_lab.work / name), "--out", str(out), "--no-gradebook"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    # A notebook saved under the assignment's own name belongs to its folder: the student id
    # is the folder's name, never the assignment id.
    results = json.loads((out / jupyter_lab.work.name / "results.json").read_text())
    per_function = results["extra_data"]["functions"]
    assert results["score"] == ASSIGNMENT.points[SOLVED], results["output"]
    assert per_function[SOLVED]["score"] == per_function[SOLVED]["max_score"] \
        == ASSIGNMENT.points[SOLVED]
    assert all(v["score"] == 0 for f, v in per_function.items() if f != SOLVED)
