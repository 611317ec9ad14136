"""`import matplotlib.pyplot` stays cheap until pyplot is used, and forks share the warm heap."""

import importlib.abc
import importlib.machinery
import importlib.util
import os
import re
import sys
import types


def freeze_heap():
    """Move everything imported so far out of the garbage collector's sight (gc.freeze).

    A forked child shares the template's memory until it writes to it, and a full collection
    writes to every object it visits, copying every page of NumPy, IPython and matplotlib into
    each child: about 25 ms per submission. Frozen objects are never visited (or freed) again.
    No collection comes first: it took 20 ms of the template's start, to free the little
    garbage the imports leave, which every child shares at no cost.
    """
    import gc

    gc.freeze()


class LazyPyplot:
    """Makes `import matplotlib.pyplot` cheap until pyplot is used.

    Importing pyplot is half the template's start-up (about 0.3 s), and matplotlib itself another
    0.12 s, and every notebook imports them while most never plot anything the graders run (their
    demo cells are skipped). This finder hands out matplotlib and pyplot through importlib's
    LazyLoader: each module runs on its first attribute access, in whichever process touches it
    (matplotlib with the Agg backend, as `matplotlib.use("Agg")` would set it). Before forking for
    a notebook whose cells use pyplot, the template loads both itself (`warm`), so that every
    later fork has them for free.
    """

    NAME = "matplotlib.pyplot"
    NAMES = ("matplotlib", NAME)
    # `from matplotlib.pyplot import ...` or `matplotlib.pyplot.<name>`: pyplot is used.
    DIRECT = re.compile(r"from\s+matplotlib\.pyplot\s+import|\bmatplotlib\.pyplot\s*\.")
    # The names pyplot is imported as, besides plt; `pyplot` only where it is imported so (the
    # notebooks' check helper has a `pyplot` of its own that never imports it).
    ALIAS = re.compile(r"import\s+matplotlib\.pyplot\s+as\s+(\w+)"
                       r"|from\s+matplotlib\s+import\s+pyplot(?:\s+as\s+(\w+))?")

    def __init__(self):
        self.warm = False

    def find_spec(self, name, path=None, target=None):
        if name not in self.NAMES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        loader = _AggLoader(spec.loader) if name == "matplotlib" else spec.loader
        spec.loader = _QuietLazyLoader(loader)
        return spec

    @classmethod
    def used_in(cls, text):
        """Whether code `text` looks like it uses pyplot (not merely imports it).

        The template asks this of every notebook before it forks. A regular expression that
        starts with `\\b` or with an alternation tries every position of the text (2 ms for a
        notebook's 38 kB of code), so the import patterns run only on the lines that name pyplot
        and the names' pattern starts with the names themselves. Getting it wrong costs only
        time: a child loads pyplot itself when the template has not.
        """
        names = {"plt"}
        if "pyplot" in text:
            lines = "\n".join(line for line in text.splitlines() if "pyplot" in line)
            if cls.DIRECT.search(lines):
                return True
            names |= {a or b or "pyplot" for a, b in cls.ALIAS.findall(lines)}
        names = [name for name in names if name in text]
        if not names:
            return False
        pattern = re.compile("(?:" + "|".join(sorted(map(re.escape, names))) + r")\s*\.")
        return any(_starts_word(text, match.start()) for match in pattern.finditer(text))

    def prepare(self, cells, skip):
        """Load pyplot in the template if the cells that will run look like they use it."""
        if self.warm:
            return
        if self.used_in("\n".join(c for i, c in enumerate(cells) if i not in skip)):
            self.warm = True
            try:
                import matplotlib.pyplot as plt

                plt.get_backend()  # the first attribute access runs the modules
            except Exception:  # the child will meet the same error when it imports pyplot
                return
            freeze_heap()


def _starts_word(text, index):
    """Whether a word starts at `index` of `text` (the `\\b` of a pattern that begins with one)."""
    return index == 0 or not (text[index - 1].isalnum() or text[index - 1] == "_")


class _QuietLazyModule(importlib.util._LazyModule):
    """A lazy module whose file and name can be read without running it: IPython's traceback
    code reads them from every module in sys.modules (inspect.getmodule), which would otherwise
    load pyplot whenever a cell fails after `import matplotlib.pyplot as plt` (0.3 s). The
    import system reads a package's `__path__` and `__spec__` to import a submodule
    (matplotlib's, for `import matplotlib.pyplot`): that does not run the package either."""

    QUIET = frozenset({"__file__", "__name__", "__path__", "__spec__", "__loader__",
                       "__package__"})

    def __getattribute__(self, attr):
        found = object.__getattribute__(self, "__dict__")
        if attr in found and (attr in _QuietLazyModule.QUIET
                              or isinstance(found[attr], types.ModuleType)):
            return found[attr]  # `import matplotlib.pyplot as plt` reads matplotlib.pyplot
        return super().__getattribute__(attr)


class _AggLoader(importlib.abc.Loader):
    """matplotlib's own loader, then its backend set to Agg (no screen in the sandbox)."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        if os.environ.get("MPLBACKEND", "").lower() != "agg":  # a cell changed it
            module.use("Agg")


class _QuietLazyLoader(importlib.util.LazyLoader):
    def exec_module(self, module):
        super().exec_module(module)
        module.__class__ = _QuietLazyModule


def matplotlib_magic(line):
    """`%matplotlib inline` and friends: figures are drawn with Agg and never shown."""
    import matplotlib

    matplotlib.use("Agg")


def prepare(message):
    """Before a fork: load pyplot in the template if the cells that will run use it."""
    for finder in sys.meta_path:
        if isinstance(finder, LazyPyplot):
            finder.prepare(message.get("cells", []), set(message.get("skip", [])))
