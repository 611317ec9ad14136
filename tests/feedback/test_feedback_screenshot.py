import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from feedback_class import ASSIGNMENT
from PIL import Image

from autograder.config import COURSE_ROOT
from autograder.feedback import write_report
from autograder.feedback.charts import ACCENT

pytestmark = pytest.mark.slow

SCRIPT = COURSE_ROOT / "docs" / "screenshot_report.sh"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.skipif(not Path(CHROMIUM).is_file(),
                    reason=f"headless chromium is not installed (looked for {CHROMIUM})")
def test_the_report_renders_in_headless_chromium(tiny_class, tmp_path):
    report = write_report(ASSIGNMENT, tiny_class, tmp_path / "report.html")
    png = tmp_path / "report.png"
    done = subprocess.run(["bash", str(SCRIPT), str(report), str(png), "1200", "1600"],
                          capture_output=True, text=True, timeout=120,
                          env=os.environ | {"CHROMIUM": CHROMIUM})
    assert done.returncode == 0, done.stderr
    assert png.stat().st_size > 20_000
    pixels = np.asarray(Image.open(png).convert("RGB")).reshape(-1, 3).astype(int)
    assert len(pixels) == 1200 * 1600
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    assert len(colours) > 100 and counts.max() < 0.9 * len(pixels)  # not one flat colour
    accent = np.array([int(ACCENT[i:i + 2], 16) for i in (1, 3, 5)])
    assert (np.abs(pixels - accent).sum(axis=1) < 12).sum() > 5_000  # the histogram's bars


def test_the_screenshot_script_explains_its_usage():
    done = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "screenshot_report.sh reports/01_forward_pass.html report.png" in done.stderr
