"""Documents uploaded from the dashboard: checks, a preview of their facts, content-addressed
originals, and the commit into a new database version.

- `sanitize_name` and `check_batch` are pure.
- `preview` extracts each file in a worker process (`python -m etl preview`) under a time
  limit per file; a file that takes too long is killed and reported, the others go on.
- `store_original` keeps the uploaded bytes under `<uploads>/<sha256>/<name>` (a re-upload of
  the same bytes finds the same place); `commit` stores the originals and runs the ordinary
  ingest over the whole upload store on top of the current version, so nothing loaded before
  is lost and unchanged files are skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from etl.limits import Limits, fmt_mb, limits, to_env
from etl.readers import SUPPORTED

UPLOADS_ENV = "ZSYZ_UPLOADS"
MAX_NAME = 80  # characters of the stem
_UNSAFE = re.compile(r"[^\w\u3400-\u9fff\uf900-\ufaff.()（）\-]+")
_SHA = re.compile(r"[0-9a-f]{64}")
ROOT = Path(__file__).resolve().parent.parent


def uploads_dir(db: Path) -> Path:
    """Where originals are kept: $ZSYZ_UPLOADS, else `uploads/` beside the database pointer
    (data/uploads for data/facts.duckdb)."""
    env = os.environ.get(UPLOADS_ENV)
    return Path(env) if env else Path(db).parent / "uploads"


# --------------------------------------------------------------------------- pure checks


def sanitize_name(name: str) -> str:
    """A safe file name: the last path component only, no control or shell characters, no
    leading dots, a bounded length, the suffix in lower case. Never empty."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = _UNSAFE.sub("_", stem).strip("._- ")[:MAX_NAME].rstrip("._- ") or "document"
    suffix = _UNSAFE.sub("", suffix).lower()[:10]
    return f"{stem}.{suffix}" if suffix else stem


def check_file(name: str, size: int, lim: Limits) -> str | None:
    """Why a file is refused before reading it (None: acceptable)."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in SUPPORTED:
        return f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)"
    if size == 0:
        return "empty file"
    if size > lim.max_file_bytes:
        return f"file too large ({fmt_mb(size)}, limit {fmt_mb(lim.max_file_bytes)})"
    return None


def check_batch(files: list[tuple[str, int]], lim: Limits) -> list[str | None]:
    """Per file (name, size): the refusal reason or None. Files past the batch limit are refused."""
    out = []
    for i, (name, size) in enumerate(files):
        if i >= lim.max_files:
            out.append(f"too many files in one batch (limit {lim.max_files})")
        else:
            out.append(check_file(name, size, lim))
    return out


# --------------------------------------------------------------------------- preview


@dataclass
class Preview:
    name: str  # sanitised file name
    sha256: str
    size: int
    error: str | None = None
    title: str | None = None
    n_chars: int = 0
    facts: list[dict] = field(default_factory=list)  # Fact.export() rows
    known: bool = False  # these bytes were uploaded before

    @property
    def ok(self) -> bool:
        return self.error is None


def preview(files: list[tuple[str, bytes]], db: Path, lim: Limits | None = None,
            on_progress: Callable[[int, int, str], None] | None = None) -> list[Preview]:
    """Check and extract an upload batch without writing anything to the database. A file's
    data is bytes, or an object with `.size` and `.getvalue()` (Streamlit's UploadedFile) that
    is read only when the file passes the checks (batch limit, type, size)."""
    lim = lim or limits()
    names = unique_names([sanitize_name(n) for n, _ in files])
    sizes = [len(d) if isinstance(d, bytes | bytearray) else int(d.size) for _, d in files]
    out = [Preview(n, "", size) for n, size in zip(names, sizes)]
    for p, reason in zip(out, check_batch([(p.name, p.size) for p in out], lim)):
        p.error = reason
    todo = []
    for p, (_, d) in zip(out, files):
        if p.ok:
            data = d if isinstance(d, bytes | bytearray) else d.getvalue()
            p.sha256, p.size = hashlib.sha256(data).hexdigest(), len(data)
            todo.append((p, data))
    known = stored_hashes(uploads_dir(db))
    for p in out:
        p.known = bool(p.sha256) and p.sha256 in known
    if not todo:
        return out
    with tempfile.TemporaryDirectory(prefix="zsyz-preview-") as tmp:
        paths = []
        for p, data in todo:
            path = Path(tmp) / p.name
            path.write_bytes(data)
            paths.append(str(path))
        results = run_extract(paths, lim.extract_timeout_s, on_progress, lim=lim)
    for (p, _), r in zip(todo, results):
        p.error = r.get("error")
        p.title, p.n_chars, p.facts = r.get("title"), r.get("n_chars", 0), r.get("facts", [])
    return out


def unique_names(names: list[str]) -> list[str]:
    """Disambiguate equal names within a batch: a.txt, a-2.txt, a-3.txt."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        stem, suffix = os.path.splitext(n)
        k = n.lower()
        if k in seen:
            seen[k] += 1
            n = f"{stem}-{seen[k]}{suffix}"
        else:
            seen[k] = 1
        out.append(n)
    return out


def extract_one(path: str) -> dict:
    """Worker side: read and extract one file (no database). JSON-ready."""
    from etl.ingest import process_file

    p = Path(path)
    outcome = process_file(p, "", {})
    if isinstance(outcome, str):
        return {"path": path, "error": outcome}
    doc, facts = outcome
    return {"path": path, "title": doc["title"], "n_chars": doc["n_chars"],
            "facts": [f.export(doc["doc_id"]) for f in facts]}


def run_extract(paths: list[str], timeout_s: float,
                on_progress: Callable[[int, int, str], None] | None = None,
                startup_s: float = 120.0, lim: Limits | None = None) -> list[dict]:
    """Extract files in a worker process (reading under `lim`), `timeout_s` per file: a file
    over time is killed and reported, the worker restarts on the files after it."""
    env = {**os.environ, **to_env(lim or limits())}
    results: list[dict] = []
    n = len(paths)
    while len(results) < n:
        rest = paths[len(results):]
        proc = subprocess.Popen([sys.executable, "-m", "etl", "preview", *rest], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
        deadline = time.monotonic() + startup_s + timeout_s
        try:
            while len(results) < n:
                try:
                    line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    results.append({"path": paths[len(results)],
                                    "error": f"extraction timed out (limit {timeout_s:g} s)"})
                    break
                if line is None:  # worker ended early (crashed)
                    results.append({"path": paths[len(results)], "error": "extraction failed (worker exited)"})
                    break
                msg = json.loads(line)
                if "start" in msg:
                    deadline = time.monotonic() + timeout_s
                    if on_progress:
                        on_progress(len(results), n, Path(msg["start"]).name)
                    continue
                results.append(msg)
                deadline = time.monotonic() + timeout_s
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc.stdout.close()
    if on_progress:
        on_progress(n, n, "")
    return results


def _pump(stream, q: queue.Queue) -> None:
    for line in stream:
        if line.strip():
            q.put(line)
    q.put(None)


def worker_main(paths: list[str], out=None) -> int:
    """`python -m etl preview FILE...`: one JSON line per file, each announced by a start line."""
    out = out or sys.stdout
    for p in paths:
        out.write(json.dumps({"start": p}) + "\n")
        out.flush()
        try:
            r = extract_one(p)
        except Exception as e:  # never lose the batch
            r = {"path": p, "error": f"extraction failed: {type(e).__name__}"}
        out.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
        out.flush()
    return 0


# --------------------------------------------------------------------------- originals


def stored_hashes(root: Path) -> set[str]:
    root = Path(root)
    if not root.is_dir():
        return set()
    return {d.name for d in root.iterdir() if d.is_dir() and _SHA.fullmatch(d.name) and any(d.iterdir())}


def _stored_file(d: Path) -> Path | None:
    files = sorted(f for f in d.iterdir() if f.is_file() and not f.name.startswith("."))
    return files[0] if files else None


def store_original(data: bytes, name: str, root: Path, taken: dict[str, str] | None = None) -> Path:
    """Keep `data` under root/<sha256>/<name>; the same bytes always map to the same file
    (first name kept). `taken` maps doc ids (file stems) already in use to their sha256; a
    clashing stem gets the hash appended. Written atomically."""
    root = Path(root)
    sha = hashlib.sha256(data).hexdigest()
    d = root / sha
    if d.is_dir():
        existing = _stored_file(d)
        if existing is not None:
            return existing
    name = sanitize_name(name)
    stem, suffix = os.path.splitext(name)
    taken = dict(taken or {})
    for other in stored_hashes(root) - {sha}:
        f = _stored_file(root / other)
        if f is not None:
            taken.setdefault(f.stem, other)
    if taken.get(stem, sha) != sha:
        stem = f"{stem}-{sha[:8]}"
    target = (d / f"{stem}{suffix}").resolve()
    if root.resolve() not in target.parents:  # cannot happen after sanitize_name; belt and braces
        raise ValueError(f"unsafe upload name: {name!r}")
    d.mkdir(parents=True, exist_ok=True)
    tmp = d / f".{stem}.part-{os.getpid()}"
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return target


# --------------------------------------------------------------------------- commit


def commit(files: list[tuple[str, bytes]], db: Path):
    """Keep the originals, then ingest the whole upload store on top of the current version
    (unchanged files are skipped; nothing already loaded is dropped). Returns
    (stored paths, etl.ingest.IngestResult)."""
    from etl.ingest import ingest
    from etl.store import doc_hashes

    root = uploads_dir(db)
    taken = doc_hashes(db)
    stored = [store_original(data, name, root, taken) for name, data in files]
    return stored, ingest([str(root)], Path(db))
