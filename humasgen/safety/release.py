"""Limits on one release file, checked before the parsers see it.

A release is a few kilobytes of YAML and Markdown. Whatever a file holds, parsing it
must end quickly, in bounded memory, with a diagnostic naming the file:

- `MAX_BYTES`: a larger file is refused before it is parsed.
- YAML: at most `MAX_YAML_DEPTH` levels of nesting and `MAX_YAML_VALUES` values once
  aliases are expanded (ten nested aliases in 1 KB expand to billions of values); an
  alias to a mapping that contains it is refused.
- Markdown: at most `MAX_DEPTH` levels of lists and quotes inside each other (Python-Markdown
  recurses per level) and `CONVERT_SECONDS` of CPU time per file (some texts, such as
  40 KB of '[', take Python-Markdown minutes).
"""
from __future__ import annotations

import contextlib
import re
import signal
import threading
from typing import Iterator

import yaml

MAX_BYTES = 5 * 1024 * 1024
MAX_YAML_DEPTH = 50
MAX_YAML_VALUES = 10_000
MAX_DEPTH = 100
CONVERT_SECONDS = 5


class LimitExceeded(Exception):
    """One release goes beyond a limit: `line` (in the file, or None) and the message."""

    def __init__(self, line: int | None, message: str, hint: str = ""):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


def check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise LimitExceeded(1, f"the file is {len(data) / 1048576:.1f} MB; a release may be at most "
                                  f"{MAX_BYTES // 1048576} MB",
                            "put large documents under static/ and list them under attachments:")


def check_yaml(front: str, first_line: int = 2) -> None:
    """Refuse front matter whose nesting or alias expansion goes beyond the limits.

    Only front matter that could (aliases, anchors, many brackets, a large one) is
    scanned: libyaml's events, before anything is composed or constructed.
    """
    if not ("*" in front or "&" in front or front.count("[") + front.count("{") > MAX_YAML_DEPTH
            or len(front) > 20_000):
        return
    sizes: dict[str, int] = {}
    stack: list[list] = []          # [anchor, values so far] per open collection
    total = 0
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for event in yaml.parse(front, Loader=loader):
            line = event.start_mark.line + first_line if event.start_mark else None
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append([event.anchor, 1])
                if len(stack) > MAX_YAML_DEPTH:
                    raise LimitExceeded(line, f"the front matter is nested more than {MAX_YAML_DEPTH} levels deep",
                                        "write the values out flat, or move them to a data file")
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, count = stack.pop()
                if anchor:
                    sizes[anchor] = count
            elif isinstance(event, yaml.AliasEvent):
                if any(anchor == event.anchor for anchor, _ in stack):
                    raise LimitExceeded(line, f"the alias *{event.anchor} refers to a value that contains it",
                                        "write the value out instead of the alias")
                count = sizes.get(event.anchor, 1)
            elif isinstance(event, yaml.ScalarEvent):
                count = 1
                if event.anchor:
                    sizes[event.anchor] = 1
            else:
                continue
            if stack:
                stack[-1][1] += count
            total += count
            if total > MAX_YAML_VALUES or (stack and stack[-1][1] > MAX_YAML_VALUES):
                raise LimitExceeded(line, f"the front matter expands to more than {MAX_YAML_VALUES:,} values "
                                          "(YAML aliases, *name, repeat what &name marks)",
                                    "write the values out instead of nesting aliases")
    except yaml.YAMLError:
        return                      # the loader reports it, with its line


_MAYBE_DEEP = re.compile(rf"(?m)^[ \t>*+\-0-9.)]{{{MAX_DEPTH}}}")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_CONTAINERS = re.compile(r"(?:>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+)*")


def check_depth(body: str, first_line: int) -> None:
    """Refuse lists and quotes nested more than MAX_DEPTH levels (outside fenced code)."""
    if not _MAYBE_DEEP.search(body):
        return                      # no line starts with enough indentation or markers: the common case
    fence = None
    for number, line in enumerate(body.split("\n"), first_line):
        marker = _FENCE.match(line)
        if marker:
            fence = None if fence == marker.group(1) else (fence or marker.group(1))
            continue
        if fence:
            continue
        stripped = line.lstrip(" \t")
        indent = len(line[: len(line) - len(stripped)].expandtabs(4))
        if indent // 4 + 1 < MAX_DEPTH and len(stripped) < 2 * (MAX_DEPTH - indent // 4):
            continue                # cannot reach the limit: the common case, decided cheaply
        depth = indent // 4 + len(re.findall(r">|[-*+][ \t]|\d[.)][ \t]", _CONTAINERS.match(stripped).group(0)))
        if depth > MAX_DEPTH:
            raise LimitExceeded(number, f"lists or quotes are nested more than {MAX_DEPTH} levels deep here",
                                "indent less: a list inside a list inside a list is already hard to read")


class _OutOfTime(BaseException):
    """Raised by the timer: a BaseException, so that no `except Exception` in a converter swallows it."""


@contextlib.contextmanager
def time_limit(seconds: float = CONVERT_SECONDS) -> Iterator[None]:
    """At most `seconds` of CPU time for the block (a LimitExceeded after that).

    Works in the main thread of a process (the build, its parse workers); elsewhere
    (the preview server's watcher thread) the block runs without a limit.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise _OutOfTime()
    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds, 0.5)     # and again every 0.5 s, should it be caught
    try:
        yield
    except _OutOfTime:
        raise LimitExceeded(None, f"converting the text took more than {seconds:g} s of CPU time",
                            "look for very long runs of brackets or symbols, e.g. text pasted from a "
                            "spreadsheet, and split or remove them") from None
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
