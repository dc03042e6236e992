"""Untrusted text (document titles, outlets, file names, evidence) made literal: for
markdown-rendering widgets (st.markdown, st.caption, labels) every markdown/HTML character is
backslash-escaped; for plotly text (hover, titles, captions in images), which reads a few HTML
tags, the tag characters become their full-width forms. Links, images and HTML show as typed."""

from __future__ import annotations

import re

_MD = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=^&\"'])")


def literal(text) -> str:
    """Text safe to pass to st.markdown/st.caption/labels; newlines become spaces."""
    return _MD.sub(r"\\\1", str(text if text is not None else "")).replace("\r", " ").replace("\n", " ")


def plotly_literal(text) -> str:
    """Text safe in plotly strings (hover, annotations): no tag plotly could read."""
    return str(text).replace("&", "＆").replace("<", "＜").replace(">", "＞")
