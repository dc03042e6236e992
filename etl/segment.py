"""Paragraphs, sentences and clauses with offsets into the normalised text (pure)."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

# sentence ends; closing quotes/brackets stay with their sentence
_SENT_END = re.compile(r"[。！？!?；;][”’\"」』）)】]*"
                       # pages whose punctuation was lost: a bullet ( - ) or a citation mark ([3] ) ends one
                       r"|\s+[-•·]\s+|(?:\[\d{1,2}\])+\s*")
# clause separators inside a sentence; a space between Chinese characters stands for lost punctuation
CLAUSE_SEP = re.compile(r"[，,、:：]|——|(?<=[\u4e00-\u9fff”」])[ \u3000]+(?=[\u4e00-\u9fff“「])")
TERMINAL = set("。！？!?；;…”’\"」』）)】》")
# a numbered section head: 一、 (group `top`) or （二）
SECTION_HEAD = re.compile(r"^\s*(?:(?P<top>[一二三四五六七八九十]+、)|[（(][一二三四五六七八九十]+[)）])")


@dataclass
class Paragraph:
    index: int
    start: int
    end: int
    text: str

    @property
    def is_heading(self) -> bool:
        """Short line without sentence punctuation: a title, byline or section head."""
        return len(self.text) <= 30 and not re.search(r"[。！？!?；;]", self.text)

    @property
    def is_open(self) -> bool:
        """Ends mid-sentence (a newspaper column break)."""
        return len(self.text) >= 20 and self.text[-1] not in TERMINAL and not self.is_heading


@dataclass
class Sentence:
    """A sentence as one or more spans of the normalised text (more than one when a
    column break split it and layout repair joined the pieces)."""

    index: int
    paragraph: int
    segments: list[tuple[int, int]]
    text: str = field(default="")

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]

    def to_norm(self, i: int) -> int:
        """Normalised-text position of sentence-text position i."""
        off = 0
        for a, b in self.segments:
            if i < off + (b - a):
                return a + (i - off)
            off += b - a
        a, b = self.segments[-1]
        return b

    def norm_span(self, i: int, j: int) -> tuple[int, int]:
        """Normalised span for sentence-text [i, j), clipped to the segment holding i."""
        a = self.to_norm(i)
        for sa, sb in self.segments:
            if sa <= a < sb:
                return a, min(sb, self.to_norm(max(j - 1, i)) + 1)
        return a, a


def paragraphs(text: str) -> list[Paragraph]:
    out: list[Paragraph] = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            start = pos + lead
            out.append(Paragraph(len(out), start, start + len(stripped), stripped))
        pos += len(line) + 1
    return out


def split_sentences(par: Paragraph) -> list[tuple[int, int]]:
    """Sentence spans (absolute) inside one paragraph."""
    spans: list[tuple[int, int]] = []
    last = 0
    for m in _SENT_END.finditer(par.text):
        end = m.end()
        if par.text[last:end].strip():
            spans.append((par.start + last, par.start + end))
        last = end
    if par.text[last:].strip():
        spans.append((par.start + last, par.end))
    return spans


@functools.lru_cache(maxsize=1024)
def _clause_seps(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the clause separators of text (a sentence's are asked for often)."""
    seps = [(m.start(), m.end()) for m in CLAUSE_SEP.finditer(text)]
    return [a for a, _ in seps], [b for _, b in seps]


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """[start, end) of the clause of `text` holding position pos."""
    starts, ends = _clause_seps(text)
    k = bisect.bisect_left(starts, pos)  # the first separator at or after pos ends the clause
    end = starts[k] if k < len(starts) else len(text)
    k -= 1
    if k >= 0 and ends[k] > pos:  # pos inside a separator (——): the clause before it
        k -= 1
    return (ends[k] if k >= 0 else 0), end


def clauses(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    last = 0
    for m in CLAUSE_SEP.finditer(text):
        out.append((last, m.start()))
        last = m.end()
    out.append((last, len(text)))
    return out
