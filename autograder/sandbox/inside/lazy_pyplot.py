"""`import matplotlib.pyplot` stays cheap until pyplot is used, and forks share the warm heap."""

import importlib.machinery
import importlib.util
import re
import sys


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

    Importing pyplot is half the template's start-up (about 0.3 s), and every notebook imports it
    while most never plot anything the graders run (their demo cells are skipped). This finder
    hands out pyplot through importlib's LazyLoader: the module runs on its first attribute
    access, in whichever process touches it. Before forking for a notebook whose cells use pyplot,
    the template loads it itself (`warm`), so that every later fork has it for free.
    """

    NAME = "matplotlib.pyplot"
    # `from matplotlib.pyplot import ...` or `matplotlib.pyplot.<name>`: pyplot is used.
    DIRECT = re.compile(r"from\s+matplotlib\.pyplot\s+import|\bmatplotlib\.pyplot\s*\.")
    # The names pyplot is imported as, besides plt; `pyplot` only where it is imported so (the
    # notebooks' check helper has a `pyplot` of its own that never imports it).
    ALIAS = re.compile(r"import\s+matplotlib\.pyplot\s+as\s+(\w+)"
                       r"|from\s+matplotlib\s+import\s+pyplot(?:\s+as\s+(\w+))?")

    def __init__(self):
        self.warm = False

    def find_spec(self, name, path=None, target=None):
        if name != self.NAME:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        spec.loader = _QuietLazyLoader(spec.loader)
        return spec

    @classmethod
    def used_in(cls, text):
        """Whether code `text` looks like it uses pyplot (not merely imports it)."""
        if cls.DIRECT.search(text):
            return True
        names = {"plt"} | {a or b or "pyplot" for a, b in cls.ALIAS.findall(text)}
        pattern = r"\b(?:" + "|".join(sorted(map(re.escape, names))) + r")\s*\."
        return re.search(pattern, text) is not None

    def prepare(self, cells, skip):
        """Load pyplot in the template if the cells that will run look like they use it."""
        if self.warm:
            return
        if self.used_in("\n".join(c for i, c in enumerate(cells) if i not in skip)):
            self.warm = True
            try:
                import matplotlib.pyplot as plt

                plt.get_backend()  # the first attribute access runs the module
            except Exception:  # the child will meet the same error when it imports pyplot
                return
            freeze_heap()


class _QuietLazyModule(importlib.util._LazyModule):
    """A lazy module whose file and name can be read without running it: IPython's traceback
    code reads them from every module in sys.modules (inspect.getmodule), which would otherwise
    load pyplot whenever a cell fails after `import matplotlib.pyplot as plt` (0.3 s)."""

    def __getattribute__(self, attr):
        if attr in ("__file__", "__name__"):
            return object.__getattribute__(self, "__dict__")[attr]
        return super().__getattribute__(attr)


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
