"""Human review of extracted facts: an append-only log of decisions kept beside the database.

Statuses: machine (机器抽取, the default), verified (已核实), corrected (已更正), rejected (已驳回).
A decision names its fact by a stable identity, `fact_key` (store.fact_key: the document's content
hash, the kind, the evidence offsets and the fact's slot), never by doc_id or fact_id, so it
outlives reloads, renamed files and changed rules. The log (`<db>.review.jsonl`, beside the
database pointer) is data, not part of any version: every build of a version (etl ingest, an
upload, a review from the dashboard) re-applies it to the machine's facts before the swap, and
lists the decisions whose fact no longer exists; nothing is ever dropped from the log.

Concurrency: one line per decision, appended under an flock with O_APPEND; two administrators
writing at once both keep their line. The latest decision per fact wins (by time, then id).
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from etl.models import Fact
from etl.store import fact_key

STATUSES = ("machine", "verified", "corrected", "rejected")
STATUS_LABELS = {"machine": "机器抽取", "verified": "已核实", "corrected": "已更正", "rejected": "已驳回"}
CHECKED = ("verified", "corrected")  # a person has looked at it
# fields a correction may set, per kind (region_id brings region/province/level from the gazetteer)
CORRECTABLE = {
    "figure": ("region_id", "metric", "value", "unit", "currency", "period_start", "period_end", "is_target"),
    "duration": ("region_id", "days", "baseline_days", "from_stage", "to_stage"),
    "mechanism": ("region_id", "category"),
}
_DATE_FIELDS = ("period_start", "period_end")
_FLOAT_FIELDS = ("value", "days", "baseline_days")
# what a decision remembers of the fact it was made on
SNAPSHOT_FIELDS = ("kind", "doc_id", "region_id", "region", "metric", "value", "unit", "currency", "period_start",
                   "period_end", "is_target", "from_stage", "to_stage", "days", "baseline_days", "category",
                   "name", "evidence")
REASON_GONE = "该事实已不再被抽取（文档仍在，规则或原文已变）"
REASON_NO_DOC = "文档不在当前数据库中"
REASON_CHANGED = "机器读数已变化，原核实或驳回不再适用，需重新审核"


class ReviewError(ValueError):
    """A decision or an import file that cannot be used (the message says why, in Chinese)."""


def log_path(db: Path) -> Path:
    """The review log of a database pointer: data/facts.duckdb -> data/facts.review.jsonl."""
    db = Path(db)
    return db.with_name(db.stem + ".review.jsonl")


# --------------------------------------------------------------------------- events


def _jsonable(v):
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    if isinstance(v, float) and v != v:
        return None
    return v


def snapshot(f: Fact | dict) -> dict:
    d = f if isinstance(f, dict) else f.__dict__
    out = {k: _jsonable(d.get(k)) for k in SNAPSHOT_FIELDS if d.get(k) is not None}
    for k in _DATE_FIELDS:  # a date, whether it came as a date, a datetime or a pandas Timestamp
        if isinstance(out.get(k), str):
            out[k] = out[k][:10]
    return out


def _coerce(kind: str, fields: dict) -> dict:
    """Validated correction fields (raises ReviewError)."""
    allowed = CORRECTABLE.get(kind)
    if allowed is None:
        raise ReviewError(f"未知的事实类型：{kind}")
    out = {}
    for k, v in (fields or {}).items():
        if k not in allowed:
            raise ReviewError(f"{kind} 类事实不能更正字段 {k}")
        if v is None or v == "":
            out[k] = None
        elif k in _DATE_FIELDS:
            try:
                out[k] = date.fromisoformat(str(v)[:10]).isoformat()
            except ValueError as e:
                raise ReviewError(f"{k} 不是日期：{v!r}") from e
        elif k in _FLOAT_FIELDS:
            try:
                out[k] = float(v)
            except (TypeError, ValueError) as e:
                raise ReviewError(f"{k} 不是数字：{v!r}") from e
            if out[k] < 0:
                raise ReviewError(f"{k} 不能为负数")
        elif k == "is_target":
            out[k] = bool(v) if not isinstance(v, str) else v.strip().lower() in ("1", "true", "yes", "是")
        else:
            out[k] = str(v).strip()
    ps, pe = out.get("period_start"), out.get("period_end")
    if ps and pe and ps > pe:
        raise ReviewError("时段的开始晚于结束")
    return out


def make_event(key: str, status: str, by: str, fact: Fact | dict | None = None, fields: dict | None = None,
               note: str = "", at: datetime | None = None) -> dict:
    """One decision, validated. `fact` (the fact as shown) is remembered for reports."""
    if status not in STATUSES:
        raise ReviewError(f"未知的审核状态：{status}")
    if not key or not isinstance(key, str):
        raise ReviewError("缺少事实标识（fact_key）")
    if not (by or "").strip():
        raise ReviewError("请填写审核人")
    snap = snapshot(fact) if fact is not None else {}
    ev = {"id": uuid.uuid4().hex, "key": key, "status": status, "by": by.strip()[:80],
          "at": (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds"),
          "snapshot": snap, "note": (note or "")[:500]}
    if status == "corrected":
        kind = snap.get("kind") or key.split(":")[1]
        ev["fields"] = _coerce(kind, fields or {})
        if not ev["fields"]:
            raise ReviewError("更正至少要改一个字段")
    return ev


def check_event(ev: dict, where: str = "") -> dict:
    """An event read from a file, checked field by field (raises ReviewError)."""
    pre = f"{where}：" if where else ""
    if not isinstance(ev, dict):
        raise ReviewError(f"{pre}不是 JSON 对象")
    for k in ("id", "key", "status", "by", "at"):
        if not isinstance(ev.get(k), str) or not ev[k]:
            raise ReviewError(f"{pre}缺少字段 {k}")
    if ev["status"] not in STATUSES:
        raise ReviewError(f"{pre}未知的审核状态 {ev['status']!r}")
    if len(ev["key"].split(":")) < 4:
        raise ReviewError(f"{pre}事实标识格式不对：{ev['key']!r}")
    try:
        datetime.fromisoformat(ev["at"])
    except ValueError as e:
        raise ReviewError(f"{pre}时间格式不对：{ev['at']!r}") from e
    if not isinstance(ev.get("snapshot", {}), dict):
        raise ReviewError(f"{pre}snapshot 不是对象")
    if ev["status"] == "corrected":
        kind = ev["key"].split(":")[1]
        try:
            ev = {**ev, "fields": _coerce(kind, ev.get("fields") or {})}
        except ReviewError as e:
            raise ReviewError(f"{pre}{e}") from e
        if not ev["fields"]:
            raise ReviewError(f"{pre}更正没有字段")
    return ev


# --------------------------------------------------------------------------- the log (I/O)


@contextlib.contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.parent / f".{path.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def append(path: Path, events: Iterable[dict]) -> int:
    """Append decisions to the log (one line each, under the log's lock); returns how many."""
    events = list(events)
    if not events:
        return 0
    path = Path(path)
    with _locked(path):
        _write_lines(path, events)
    return len(events)


def _write_lines(path: Path, events: list[dict]) -> None:
    """Append events as JSON lines, synced (the caller holds the log's lock)."""
    data = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in events)
    if not data:
        return
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, data.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_log(path: Path) -> list[dict]:
    """Every decision in the log, in file order. A damaged line (e.g. a write cut short) is skipped
    and never rewritten: the file keeps it for a person to look at."""
    return load(path)[0]


def _parse(text: str) -> list[dict]:
    out = []
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(check_event(json.loads(line), f"第 {i} 行"))
        except (ValueError, ReviewError):
            continue
    return out


def load(path: Path) -> tuple[list[dict], str]:
    """The log's decisions and its digest, from one read (the digest goes into a version's meta:
    a changed log means a rebuild)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], "none"
    return _parse(data.decode("utf-8", errors="replace")), hashlib.sha256(data).hexdigest()


def latest(events: Iterable[dict]) -> dict[str, dict]:
    """The decision in force per fact_key: the latest by time (then id)."""
    out: dict[str, dict] = {}
    for e in events:
        cur = out.get(e["key"])
        if cur is None or (e["at"], e["id"]) > (cur["at"], cur["id"]):
            out[e["key"]] = e
    return out


def export_file(db: Path, out: Path) -> int:
    """Write every decision (the whole history) to `out` as JSONL; returns the count."""
    events = read_log(log_path(db))
    tmp = Path(out).with_name(Path(out).name + ".tmp")
    tmp.write_text("".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in events), encoding="utf-8")
    os.replace(tmp, out)
    return len(events)


def import_file(db: Path, src: Path) -> tuple[int, int]:
    """Merge decisions from a JSONL file into the log: all or nothing (any bad line -> ReviewError,
    nothing written). Decisions already present (same id) are skipped. Returns (added, skipped)."""
    try:
        text = Path(src).read_text(encoding="utf-8-sig")
    except OSError as e:
        raise ReviewError(f"无法读取 {src}：{e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise ReviewError(f"{src} 不是 UTF-8 文本") from e
    events, errors = [], []
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            events.append(check_event(json.loads(line), f"第 {i} 行"))
        except json.JSONDecodeError:
            errors.append(f"第 {i} 行：不是合法的 JSON")
        except ReviewError as e:
            errors.append(str(e))
    if errors:
        raise ReviewError("导入文件有误，未导入任何记录：\n  " + "\n  ".join(errors[:20]))
    path = log_path(db)
    with _locked(path):
        have = {e["id"] for e in read_log(path)}
        new = [e for e in events if e["id"] not in have]
        _write_lines(path, new)
    return len(new), len(events) - len(new)


# --------------------------------------------------------------------------- applying (pure)


@dataclass
class Applied:
    facts_by_doc: dict[str, list[Fact]]          # corrected facts that count (rejected ones left out)
    rejected: list[Fact] = field(default_factory=list)
    reviews: list[tuple] = field(default_factory=list)   # REVIEW_COLUMNS rows, one per fact
    orphans: list[tuple] = field(default_factory=list)   # ORPHAN_COLUMNS rows
    counts: dict[str, int] = field(default_factory=dict)  # status -> decisions applied


def summary(s: dict) -> str:
    """One line naming a fact from its snapshot (for reports)."""
    kind = s.get("kind")
    where = s.get("region") or s.get("region_id") or "—"
    if kind == "figure":
        return f"{where} {s.get('metric') or ''} {s.get('value')} {s.get('unit') or ''}".strip()
    if kind == "duration":
        return f"{where} {s.get('from_stage') or '?'}→{s.get('to_stage') or '?'} {s.get('days')}天"
    return f"{where} {s.get('category') or ''}"


def _same_reading(f: Fact, snap: dict) -> bool:
    """Whether the machine still reads what the reviewer saw (the fields a correction could set)."""
    cur = snapshot(f)
    for k in CORRECTABLE.get(f.kind, ()):
        a, b = cur.get(k), snap.get(k)
        if k == "is_target":
            a, b = bool(a), bool(b)
        if a != b:
            return False
    return True


def _corrected(f: Fact, fields: dict, gaz) -> tuple[Fact, dict]:
    """A copy of f with the correction; and the machine's values of the fields it changed."""
    changes = {}
    for k, v in fields.items():
        if k in _DATE_FIELDS and v is not None:
            v = date.fromisoformat(v)
        changes[k] = v
    if "region_id" in changes:
        rid = changes["region_id"]
        r = gaz.regions.get(rid) if rid else None
        if rid and r is None:
            raise ReviewError(f"地名库中没有地区 {rid}")
        from etl.mentions import display_name

        changes.update(region=display_name(r) if r else None, province=r.province if r else None,
                       region_level=r.level if r else None)
    new = dataclasses.replace(f, **changes)
    original = {k: _jsonable(getattr(f, k)) for k in changes if getattr(f, k) != getattr(new, k)}
    return new, original


def apply(facts_by_doc: dict[str, list[Fact]], doc_sha: dict[str, str], events: list[dict], gaz) -> Applied:
    """Apply the decisions in force to the machine's facts. Every fact gets a review row (keyed by
    its fact_id as written); decisions matching no fact become orphans, with the reason."""
    decisions = {k: e for k, e in latest(events).items() if e["status"] != "machine"}
    shas = set(doc_sha.values())
    out = Applied({})
    used: set[str] = set()
    for doc_id, fs in facts_by_doc.items():
        kept = []
        for f in fs:
            key = fact_key(doc_sha.get(doc_id, ""), f)
            e = decisions.get(key)
            status, by, at, original = "machine", None, None, None
            if e is not None:
                used.add(key)
                if e["status"] in ("verified", "rejected") and e.get("snapshot") and not _same_reading(f, e["snapshot"]):
                    out.orphans.append(_orphan(e, REASON_CHANGED))
                    e = None
                elif e["status"] == "corrected":
                    try:
                        new, orig = _corrected(f, e["fields"], gaz)
                    except ReviewError as err:
                        out.orphans.append(_orphan(e, str(err)))
                        e = None
                    else:
                        f, original = new, json.dumps(orig, ensure_ascii=False) if orig else None
                if e is not None:
                    status, by, at = e["status"], e["by"], datetime.fromisoformat(e["at"]).astimezone(UTC).replace(tzinfo=None)
                    out.counts[status] = out.counts.get(status, 0) + 1
            fid = f.fact_id()  # as store.fact_row will write it (after the correction)
            if status == "rejected":
                out.rejected.append(f)
            else:
                kept.append(f)
            out.reviews.append((fid, key, status, by, at, original))
        out.facts_by_doc[doc_id] = kept
    for key, e in decisions.items():
        if key not in used:
            out.orphans.append(_orphan(e, REASON_GONE if key.split(":")[0] in shas else REASON_NO_DOC))
    out.orphans.sort(key=lambda r: (r[3] or "", r[0]))
    return out


def _orphan(e: dict, reason: str) -> tuple:
    s = e.get("snapshot") or {}
    return (e["key"], e["status"], e["by"], e["at"], s.get("doc_id"), s.get("evidence"), summary(s), reason)


def machine_row(r: dict, original: str | None) -> dict:
    """A facts row of a built version back to the machine's reading (undoing a correction);
    `original` is its fact_reviews.original."""
    if not original:
        return r
    r = dict(r)
    for k, v in json.loads(original).items():
        r[k] = date.fromisoformat(v) if k in _DATE_FIELDS and isinstance(v, str) else v
    return r


def decided_since(path: Path, key: str, since: datetime | None) -> dict | None:
    """The latest decision on `key` made after `since` (when a reviewer was shown the fact), if any:
    another administrator decided meanwhile, and a page refuses to overwrite that unseen."""
    if since is None:
        return None
    e = latest(e for e in read_log(path) if e["key"] == key).get(key)
    return e if e is not None and datetime.fromisoformat(e["at"]) > since else None


def record(db: Path, events: list[dict]):
    """Append decisions to the log and build a new version with them (loads take turns, so two
    administrators recording at once both end up in the database). Returns the IngestResult."""
    from etl.ingest import ingest

    append(log_path(db), events)
    return ingest([], Path(db))
