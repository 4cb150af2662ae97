"""Control characters: never in a page, never raw on a terminal."""
from __future__ import annotations

import re

# C0 controls except tab, newline and carriage return; DEL and the C1 controls; the
# non-characters U+FFFE/U+FFFF and lone surrogates. (U+000B and U+000C, which come with text
# pasted from office documents, make a page invalid HTML: `invalid-codepoint`.)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def strip_controls(text: str) -> str:
    """`text` without control characters (one search when there are none, the usual case)."""
    return CONTROL.sub("", text) if CONTROL.search(text) else text


def control_lines(text: str) -> list[tuple[int, str]]:
    """(line number, 'U+000B, U+000C') for each line of `text` holding control characters."""
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        chars = sorted(set(CONTROL.findall(line)))
        if chars:
            found.append((number, ", ".join(f"U+{ord(c):04X}" for c in chars)))
    return found


# On a terminal, an escape sequence in a title could rewrite the screen or the window title.
_TERMINAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def for_terminal(text: str) -> str:
    """Text safe to print: control characters (escape sequences included) shown as '?'."""
    return _TERMINAL.sub("?", text)
