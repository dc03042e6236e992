"""Input limits in one place; each one can be overridden by an environment variable.

| limit | default | env |
|---|---|---|
| file size | 20 MB | ZSYZ_MAX_FILE_MB |
| files per upload batch | 20 | ZSYZ_MAX_FILES |
| uncompressed size of a .docx | 200 MB | ZSYZ_MAX_DOCX_MB |
| PDF pages | 500 | ZSYZ_MAX_PDF_PAGES |
| extraction time per file | 60 s | ZSYZ_EXTRACT_TIMEOUT_S |
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * MB
    max_files: int = 20
    max_docx_bytes: int = 200 * MB  # sum of uncompressed members
    max_pdf_pages: int = 500
    extract_timeout_s: float = 60.0


_ENV = {  # env var -> (field, converter)
    "ZSYZ_MAX_FILE_MB": ("max_file_bytes", lambda v: int(float(v) * MB)),
    "ZSYZ_MAX_FILES": ("max_files", int),
    "ZSYZ_MAX_DOCX_MB": ("max_docx_bytes", lambda v: int(float(v) * MB)),
    "ZSYZ_MAX_PDF_PAGES": ("max_pdf_pages", int),
    "ZSYZ_EXTRACT_TIMEOUT_S": ("extract_timeout_s", float),
}


def limits(env: dict | None = None) -> Limits:
    """The defaults, overridden by valid positive values in the environment (invalid ones ignored)."""
    env = os.environ if env is None else env
    kw = {}
    for var, (name, conv) in _ENV.items():
        raw = env.get(var)
        if raw is None:
            continue
        try:
            v = conv(raw)
        except (TypeError, ValueError):
            continue
        if v > 0:
            kw[name] = v
    return Limits(**kw)


def to_env(lim: Limits) -> dict[str, str]:
    """The environment that makes limits() in a child process return `lim`."""
    out = {}
    for var, (name, _) in _ENV.items():
        v = getattr(lim, name)
        out[var] = repr(v / MB) if name.endswith("_bytes") else str(v)
    return out


def fmt_mb(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n / 1024:.0f} KB"
