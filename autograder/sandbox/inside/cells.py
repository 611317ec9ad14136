"""A notebook cell run with plain compile + exec where it needs nothing of IPython.

IPython's `run_cell` tokenises every cell in pure Python to find its own syntax (`%magic`,
`!shell`, `obj?`, pasted prompts), parses it to a tree, compiles and runs each statement on its
own, and shows the value of a last expression: about eight times the CPU of compiling the cell
and running it at once. For a cell that compiles as Python and whose last statement is a `def`
or a `class` (an answer cell), those steps come to the same thing, so such a cell is compiled
once and its code run through IPython's own `run_code`, with the bookkeeping `run_cell` does
around it: the execution count, `In` and `_i`, the source that tracebacks show, the builtins and
display traps, the events, and IPython's handling of an exception (its printed traceback,
`sys.exit`, the time limit). Everything else runs through `run_cell`: magics and shell escapes
(they do not compile), top-level `await` (nor does it), one-line cells (IPython rewrites some of
them: `ls`, `exit`), a cell that may end in an expression (IPython displays its value), and a cell
that names what IPython adds (`display`, `get_ipython`, `exit`, `In`, `Out`, `_`, ...), even as an
attribute (`sys.exit`). A cell the plain path cannot prove safe, such as a def that follows a
`raise` (the compiler drops it) or a decorated def, also keeps `run_cell`: slower, never different.
"""

import hashlib
import re
import warnings
from types import CodeType

# Names of what IPython adds to a notebook (and __future__, whose flags its compiler keeps).
IPYTHON_NAMES = frozenset({"display", "get_ipython", "exit", "quit", "In", "Out", "_ih", "_oh",
                           "_dh", "_", "__", "___", "_i", "_ii", "_iii", "__future__"})
HISTORY_NAME = re.compile(r"_i?\d+")  # _3 (an output) and _i3 (an input)
DOCTEST_PROMPT = re.compile(r"^\s*>>>", re.MULTILINE)  # pasted `>>>` prompts: IPython strips them
WHITESPACE_LINE = re.compile(r"^[ \t]+$", re.MULTILINE)  # a line textwrap.dedent empties
DEFINITION = re.compile(r"(?:async\s+def|def|class)\s")
INDENT = (" ", "\t")


# Cells compiled in the template, for its children: the digest of (source, execution count,
# compiler flags) -> what `Cells.compiled` gives for them. A cell is compiled there once a second
# notebook has it at the same place (the check helper, the imports, an unchanged stub), so that no
# child compiles it again: the same source, name and flags make the same code. `_SEEN` holds the
# digests of first sightings. Both are bounded, in entries and in the sources' size.
_KEPT: dict = {}
_SEEN: set = set()
_KEEP_AT_MOST = 1024
_KEEP_CHARS = 16 * 1024 * 1024
_kept_chars = [0]


def _digest(raw, count, flags):
    return hashlib.blake2b(f"{count}:{flags}:".encode() + raw.encode("utf-8", "surrogatepass"),
                           digest_size=16).digest()


def precompile(shell, cells, skip):
    """In the template, before it forks for a notebook: compile each of the notebook's cells that
    an earlier notebook had at the same place, and keep it for this and later children. A cell
    whose compiling warns is not kept (its child shows the warning, as before)."""
    runner = Cells(shell)
    if not runner.plain:
        return
    ran = (raw for index, raw in enumerate(cells) if index not in skip)
    for count, raw in enumerate(ran, shell.execution_count):  # each cell run takes a count
        if not isinstance(raw, str):
            continue
        key = _digest(raw, count, shell.compile.flags)
        if key in _KEPT or len(_KEPT) >= _KEEP_AT_MOST \
                or _kept_chars[0] + len(raw) > _KEEP_CHARS:
            continue
        if key not in _SEEN:
            if len(_SEEN) < 64 * _KEEP_AT_MOST:
                _SEEN.add(key)
            continue
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            found = runner.compiled(raw, count)
        if not warned:
            _KEPT[key] = found
            _kept_chars[0] += len(raw)


class Cells:
    """Runs one notebook's cells in `shell`: the plain path where it may (and `plain` allows)."""

    def __init__(self, shell, plain=True):
        self.shell = shell
        self.plain = plain and _default_transforms(shell)
        self.paths = []  # the path each cell took: "plain" or "ipython"
        if self.plain:
            from IPython.core import inputtransformer2 as it

            self.no_ops = {it.classic_prompt}  # on a cell without `>>>` lines
            # and on a cell that starts in the first column with no line of only blanks
            self.no_ops_unindented = {it.classic_prompt, it.leading_empty_lines, it.leading_indent}

    def run(self, source):
        """Run one cell as `shell.run_cell(source, store_history=True)` would: its result."""
        found = self.compiled(source) if self.plain else None
        self.paths.append("ipython" if found is None else "plain")
        if found is None:
            return self.shell.run_cell(source, store_history=True)
        return self.run_plain(source, *found)

    def compiled(self, raw, count=None):
        """(the cell as IPython would run it, its code) when the plain path gives what
        `run_cell` would, else None; compiled as the cell of execution `count` (default: the
        shell's next), or kept from the template (`precompile`)."""
        if count is None:
            count = self.shell.execution_count
            if _KEPT and isinstance(raw, str):
                key = _digest(raw, count, self.shell.compile.flags)
                if key in _KEPT:
                    return _KEPT[key]
        if not raw or raw.isspace():
            return None
        text = raw if raw.endswith("\n") else raw + "\n"
        if "\r" in text or DOCTEST_PROMPT.search(text):
            return None
        manager = self.shell.input_transformer_manager
        unindented = not text[0].isspace() and not WHITESPACE_LINE.search(text)
        no_ops = self.no_ops_unindented if unindented else self.no_ops
        lines = text.splitlines(keepends=True)
        for transform in manager.cleanup_transforms + manager.line_transforms:
            if transform not in no_ops:
                lines = transform(lines)
        cell = "".join(lines)
        rows = cell.split("\n")
        if len(cell.splitlines()) == 1:  # IPython's prefilter rewrites some one-line cells
            return None
        shell = self.shell
        name = shell.compile.get_code_name(raw, cell, count)
        try:
            code = compile(cell, name, "exec", shell.compile.flags, True)
        except Exception:  # a magic, a shell escape, top-level await, or a real SyntaxError
            return None
        if not _ends_in_definition(rows, code) or _uses_ipython(code):
            return None
        return cell, code

    def run_plain(self, raw, cell, code):
        """What `run_cell` does for a cell that compiled to `code` (IPython 9's steps, minus
        tokenising, parsing and compiling statement by statement)."""
        shell = self.shell
        result = None
        with shell._tee(channel="stdout"), shell._tee(channel="stderr"):
            try:
                try:
                    result = self._execute(raw, cell, code)
                except BaseException as error:  # as run_cell: a time limit outside the code
                    result = self._failed(raw, cell, error)
            finally:
                shell.events.trigger("post_execute")
                shell.events.trigger("post_run_cell", result)
        return result

    def _execute(self, raw, cell, code):
        from IPython.core.interactiveshell import ExecutionInfo, ExecutionResult

        shell = self.shell
        info = ExecutionInfo(raw, True, False, True, None, None, transformed_cell=cell)
        result = ExecutionResult(info)
        count = result.execution_count = shell.execution_count
        shell.execution_count += 1
        shell.events.trigger("pre_execute")
        shell.events.trigger("pre_run_cell", info)
        shell.history_manager.store_inputs(count, cell, raw)
        shell.logger.log(cell, raw)
        with shell.builtin_trap:
            shell.compile.cache(cell, count, raw_code=raw)
            with shell.display_trap:
                shell.displayhook.exec_result = result
                raised = _finish(shell.run_code(code, result))
                shell.last_execution_succeeded = not raised
                shell.last_execution_result = result
                shell.displayhook.exec_result = None
        shell.history_manager.store_output(count)
        if result.error_in_exec:
            shell.history_manager.exceptions[count] = \
                shell._format_exception_for_storage(result.error_in_exec)
        return result

    def _failed(self, raw, cell, error):
        from IPython.core.interactiveshell import ExecutionInfo, ExecutionResult

        result = None
        try:
            info = ExecutionInfo(raw, True, False, True, None, None, transformed_cell=cell)
            result = ExecutionResult(info)
            result.error_in_exec = error
            self.shell.showtraceback(running_compiled_code=True)
        except BaseException:
            pass
        return result


def _finish(coroutine):
    """The value of a coroutine that never waits (IPython's run_code for code that is not async)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError("the cell's code waited")


def _ends_in_definition(rows, code):
    """Whether the last statement of the cell is a def or a class: then IPython shows no value.

    The last line that starts in the first column (not a comment) must open a def or class, and
    the code must define a function or class on that line: a line inside a string or brackets
    that merely looks like one defines nothing there. Any later statement would start in the
    first column too.
    """
    for number in range(len(rows) - 1, -1, -1):
        line = rows[number]
        if line and not line.startswith(INDENT) and not line.startswith("#"):
            break
    else:
        return False
    if not DEFINITION.match(line):
        return False
    return any(isinstance(const, CodeType) and const.co_firstlineno == number + 1
               and const.co_name.isidentifier() for const in code.co_consts)


def _uses_ipython(code):
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType) and _uses_ipython(const):
            return True
    return not names.isdisjoint(IPYTHON_NAMES) or any(HISTORY_NAME.fullmatch(n) for n in names)


def _default_transforms(shell):
    """Whether the shell rewrites cells only in IPython's default ways (what `compiled` mirrors),
    and has what `run_plain` uses."""
    try:
        from IPython.core import inputtransformer2 as it

        manager = shell.input_transformer_manager
        return (manager.cleanup_transforms == [it.leading_empty_lines, it.leading_indent,
                                               it.classic_prompt, it.ipython_prompt]
                and manager.line_transforms == [it.cell_magic]
                and manager.token_transformers == [it.MagicAssign, it.SystemAssign,
                                                   it.EscapedCommand, it.HelpEnd]
                and not shell.input_transformers_post and not shell.ast_transformers
                and shell.trio_runner is None and shell.ast_node_interactivity == "last_expr"
                and all(hasattr(shell, name) for name in ("_tee", "_format_exception_for_storage",
                                                          "run_code", "builtin_trap"))
                and hasattr(shell.compile, "get_code_name")
                and hasattr(shell.history_manager, "exceptions"))
    except Exception:
        return False

