"""Screenshots of feedback pages and the class report on a laptop and on a phone.

    .venv/bin/python docs/screenshots.py                # the README's images (the example class)
    .venv/bin/python docs/screenshots.py PAGE.html ...  # any pages, into --out (default .)

Each page is shown in headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM; no browser is
ever downloaded) at 1366x900 and at 390x844, and saved as <name>-1366.png and <name>-390.png.
It also measures the page with every <details> opened: an element wider than the screen, or
reaching past its edge, is reported and the script exits 1. The test suite uses the same code
(tests/student/test_screens.py), so the README's images show what the tests check.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SCREENS = {"1366": (1366, 900), "390": (390, 844)}  # name: (width, height)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
DOCS = Path(__file__).resolve().parent

# Every visible element's box, with all <details> open; those reaching past the screen's edges.
MEASURE = """(width) => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const bad = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.left < -0.5 || box.right > width + 0.5) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '');
      bad.push(`${name}: ${Math.round(box.left)}..${Math.round(box.right)} px`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, bad: bad};
}"""


@dataclass
class Shot:
    page: Path
    screen: str
    png: Path
    width: int
    scroll_width: int
    too_wide: list[str]  # elements reaching past the screen's edges


def chromium_path() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return found


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


def capture(browser, page_path: Path, out_dir: Path, name: str | None = None) -> list[Shot]:
    """Screenshot `page_path` at every size in SCREENS into out_dir; measure what overflows."""
    name = name or Path(page_path).stem
    out_dir.mkdir(parents=True, exist_ok=True)
    shots = []
    for screen, (width, height) in SCREENS.items():
        phone = width < 600
        context = browser.new_context(viewport={"width": width, "height": height},
                                      device_scale_factor=1, is_mobile=phone, has_touch=phone)
        try:
            page = context.new_page()
            page.set_default_timeout(120_000)
            page.goto(Path(page_path).resolve().as_uri(), wait_until="load")
            page.wait_for_function("document.readyState === 'complete' && "
                                   "Array.from(document.images).every(i => i.complete)")
            png = out_dir / f"{name}-{screen}.png"
            page.screenshot(path=str(png))
            measured = page.evaluate(MEASURE, width)
            shots.append(Shot(Path(page_path), screen, png, width, measured["scrollWidth"],
                              measured["bad"]))
        finally:
            context.close()
    return shots


def example_pages(work: Path) -> dict[str, Path]:
    """Grade the bundled example class into `work`; its report and one student's page."""
    root = DOCS.parent
    cli = [sys.executable, "-m", "autograder"]
    grades, feedback = work / "grades", work / "feedback"
    submitted = root / "tests" / "fixtures" / "example_class" / "submitted"
    for args in (["grade", "01_forward_pass", str(submitted), "--out", str(grades),
                  "--no-gradebook"],
                 ["feedback", "01_forward_pass", "--results", str(grades), "--out", str(feedback)],
                 ["report", "01_forward_pass", "--results", str(grades),
                  "--out", str(work / "reports" / "01_forward_pass.html"),
                  "--feedback", str(feedback)]):
        subprocess.run(cli + args, check=True, cwd=root, stdout=subprocess.DEVNULL)
    return {"report": work / "reports" / "01_forward_pass.html",
            "feedback": feedback / "cai" / "01_forward_pass" / "01_forward_pass.html"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", type=Path, help="HTML pages (default: the README's)")
    parser.add_argument("--out", type=Path, help="where the PNGs go (default: docs/, or .)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="nnfs-screens-") as work:
        pages = {p.stem: p for p in args.pages} or example_pages(Path(work))
        out = args.out or (DOCS if not args.pages else Path("."))
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                shots = [shot for name, page in pages.items()
                         for shot in capture(browser, page, out, name)]
            finally:
                browser.close()
    failed = False
    for shot in shots:
        print(f"{shot.png}  ({shot.screen} px: page {shot.scroll_width} px wide)")
        for line in shot.too_wide[:10]:
            failed = True
            print(f"  wider than the screen: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
