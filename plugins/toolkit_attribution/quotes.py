"""Quotations: their spans, and the one a cue opens or closes."""

from __future__ import annotations

import re

_OPENING, _CLOSING = "«“„‹", "»”‟›"
_QUOTE_PAIRS = {"«": "»", "“": "”", "„": "“", "‹": "›"}


class Quotes:
    """The quotations of a text (``spans``, marks included)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = find_quotes(text)

    def before(self, position: int) -> tuple[int, int] | None:
        """The quotation that closes right before ``position`` (", a précisé le ministère")."""
        head = self.text[:position].rstrip(" \t,")
        for start, end in self.spans:
            if end == len(head):
                return start, end
        return None

    def after(self, position: int, limit: int) -> tuple[int, int] | None:
        """The quotation a cue at ``position`` opens before ``limit`` ("a déclaré : « ... »", 'said: "..."')."""
        rest = self.text[position:limit]
        lead = re.match(r"[\s,:]*(?:(?:que|qu'|qu’|that)\s*)?", rest)
        opening = position + (lead.end() if lead else 0)
        for start, end in self.spans:
            if start == opening:
                return start, end
        return None

    def any_in(self, start: int, end: int) -> bool:
        return any(start <= first < end for first, _ in self.spans)


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Spans of quotations, marks included: « », “ ”, „ “, ‹ › and straight double quotes paired
    within a paragraph. Nested quotations are kept inside their outer one."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight: int | None = None
    for index, char in enumerate(text):
        if char == "\n":
            stack.clear()
            straight = None
        elif char in _QUOTE_PAIRS and not (char == "“" and stack and stack[-1][0] == "„"):
            stack.append((char, index))
        elif char in _CLOSING or (char == "“" and stack and stack[-1][0] == "„"):
            for depth in range(len(stack) - 1, -1, -1):
                if _QUOTE_PAIRS[stack[depth][0]] == char:
                    opening = stack[depth][1]
                    del stack[depth:]
                    if not stack:
                        spans.append((opening, index + 1))
                    break
        elif char == '"':
            if straight is None:
                straight = index
            else:
                if not stack:
                    spans.append((straight, index + 1))
                straight = None
    return sorted(spans)
