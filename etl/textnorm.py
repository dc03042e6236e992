"""Normalised view of a document text with a map back to the original.

Matching runs on the normalised text; every fact's offsets and evidence are mapped back
to the original characters, so evidence is always verbatim.
Steps: variant characters and Kangxi radicals -> unified ideographs, full-width ASCII ->
half-width, traditional -> simplified (opencc, length-preserving), pinyin glosses removed,
spaces next to CJK removed.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass

from etl.rules import load_char_variants

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# pinyin gloss after a CJK char, e.g. 個(gè) or 长（zhǎng） on mirror sites
_PINYIN = re.compile(
    rf"(?<=[{_CJK}])[(（]\s*[a-zA-Züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ]{{1,7}}\s*[)）]"
)
# horizontal whitespace touching a CJK character or CJK punctuation
_SPACE_CJK = re.compile(
    rf"(?<=[{_CJK}\u3000-\u303f\uff00-\uffef“”‘’])[ \t\u3000\u00a0]+"
    rf"|[ \t\u3000\u00a0]+(?=[{_CJK}\u3000-\u303f\uff00-\uffef“”‘’])"
)


@functools.lru_cache(maxsize=1)
def _translate_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # full-width ASCII variants -> ASCII
    for cp in range(0xFF01, 0xFF5F):
        table[cp] = chr(cp - 0xFEE0)
    table[0x3000] = " "
    # Kangxi radicals and CJK radicals supplement, compatibility ideographs -> unified
    for lo, hi in ((0x2F00, 0x2FD5), (0x2E80, 0x2EF3), (0xF900, 0xFAFF)):
        for cp in range(lo, hi + 1):
            n = unicodedata.normalize("NFKC", chr(cp))
            if len(n) == 1 and n != chr(cp):
                table[cp] = n
    for src, dst in load_char_variants().items():
        table[ord(src)] = dst
    return table


@functools.lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=65536)
def _t2s_char(ch: str) -> str:
    out = _opencc().convert(ch)
    return out if len(out) == 1 else ch


def to_simplified(text: str) -> str:
    """Traditional -> simplified, keeping the length (one char for one char)."""
    out = _opencc().convert(text)
    if len(out) == len(text):
        return out
    # rare phrase conversions change length: fall back to char by char
    return "".join(_t2s_char(c) for c in text)


@dataclass(frozen=True)
class NormText:
    """Normalised text plus the map from its positions to the original's."""

    original: str
    text: str
    _norm_starts: tuple[int, ...]
    _orig_starts: tuple[int, ...]

    def orig_index(self, i: int) -> int:
        """Original index of normalised position i (0 <= i <= len(text))."""
        if i >= len(self.text):
            return len(self.original)
        k = bisect.bisect_right(self._norm_starts, i) - 1
        return self._orig_starts[k] + (i - self._norm_starts[k])

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering normalised [start, end)."""
        if end <= start:
            o = self.orig_index(start)
            return o, o
        return self.orig_index(start), self.orig_index(end - 1) + 1

    def orig_slice(self, start: int, end: int) -> str:
        a, b = self.orig_span(start, end)
        return self.original[a:b]


_SPACES = " \t\u3000\u00a0"  # the spaces _SPACE_CJK deletes


def _holds(text: str, chars: str) -> bool:
    """Any of chars in text (a cheap test before a regex that tries every position)."""
    return any(ch in text for ch in chars)


def normalize(original: str) -> NormText:
    """Build the normalised view. Character-for-character except deletions."""
    mapped = to_simplified(original.translate(_translate_table()))
    # deletions: pinyin glosses and spaces touching CJK
    dels: list[tuple[int, int]] = [m.span() for m in _PINYIN.finditer(mapped)] if _holds(mapped, "(（") else []
    if _holds(mapped, _SPACES):
        dels += [m.span() for m in _SPACE_CJK.finditer(mapped)]
    if not dels:
        return NormText(original, mapped, (0,), (0,))
    dels.sort()
    merged: list[list[int]] = []
    for a, b in dels:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    pieces: list[str] = []
    norm_starts: list[int] = []
    orig_starts: list[int] = []
    pos = 0
    n = 0
    for a, b in merged:
        if a > pos:
            pieces.append(mapped[pos:a])
            norm_starts.append(n)
            orig_starts.append(pos)
            n += a - pos
        pos = b
    if pos < len(mapped) or not norm_starts:
        pieces.append(mapped[pos:])
        norm_starts.append(n)
        orig_starts.append(pos)
    return NormText(original, "".join(pieces), tuple(norm_starts), tuple(orig_starts))
