"""Untrusted text (document titles, outlets, file names) made literal for markdown-rendering
widgets (st.markdown, st.caption, labels): every markdown/HTML character is backslash-escaped,
so links, images, HTML and directives show as typed."""

from __future__ import annotations

import re

_MD = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=^&\"'])")


def literal(text) -> str:
    """Text safe to pass to st.markdown/st.caption/labels; newlines become spaces."""
    return _MD.sub(r"\\\1", str(text if text is not None else "")).replace("\r", " ").replace("\n", " ")
