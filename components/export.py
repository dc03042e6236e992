"""Pure export builders: DataFrame/figure in -> bytes out (no streamlit here).

- CSV (UTF-8 with BOM, so Excel shows Chinese) and XLSX (data sheet + a 说明 sheet).
- PNG/SVG of a chart, rendered on the server by kaleido in Debian's Chromium. The browser is
  started once per process (`renderer()`), kept in a background event loop and reused; every
  image carries its title, unit, period, active filters and source line.
"""

from __future__ import annotations

import asyncio
import atexit
import copy
import dataclasses
import io
import os
import shutil
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components import vocab
from components.safe_text import plotly_literal

BROWSER_ENV = "BROWSER_PATH"
DEFAULT_BROWSER = "/usr/bin/chromium"
FONT_FAMILY = "Noto Sans CJK SC"        # Simplified-Chinese face (Debian fonts-noto-cjk)
WIDTH = 1000                            # px at scale 1; PNG is rendered at 2x
PNG_SCALE = 2
RENDER_TIMEOUT = 60                     # seconds for one image
PROVENANCE = ("doc_title", "outlet", "date_published", "evidence", "signed_doc_title", "signed_outlet",
              "signed_evidence", "funds_doc_title", "funds_outlet", "funds_evidence")
MIME = {"csv": "text/csv", "png": "image/png", "svg": "image/svg+xml",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}


BEIJING = timezone(timedelta(hours=8), "北京时间")  # China keeps no daylight saving time
YES, NO = "是", "否"


def now_beijing() -> datetime:
    return datetime.now(BEIJING)


def beijing_text(t: datetime, seconds: bool = True) -> str:
    """'2024-03-01 09:30:00（北京时间）' from any aware (or local naive) datetime."""
    t = t.astimezone(BEIJING)
    return t.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M") + "（北京时间）"


class ExportUnavailable(RuntimeError):
    """Image export cannot run here; the message is Chinese and meant for the user."""


# ---------------------------------------------------------------- chart metadata


@dataclass(frozen=True)
class ChartMeta:
    """What an exported image states besides the chart itself."""
    title: str
    unit: str = ""
    period: str = ""
    filters: str = ""
    source: str = ""


def filters_text(f, region_labels: dict | None = None, with_year: bool = True) -> str:
    """Active filters in words: '省份：重庆；时间：2023年；不含目标值'."""
    if f is None:
        return "全部数据"
    labels = region_labels or {}
    parts = []
    if f.provinces:
        parts.append("省份：" + "、".join(f.provinces))
    if f.levels:
        parts.append("层级：" + "、".join(vocab.level_label(x) for x in f.levels))
    if f.regions:
        parts.append("地区：" + "、".join(str(labels.get(r, r)).split("（")[0] for r in f.regions))
    if f.chains:
        parts.append("产业链：" + "、".join(vocab.chain_label(c) for c in f.chains))
    if with_year:
        parts.append("时间：" + vocab.period_label(f.year, f.span))
    parts.append("含目标值（单独列示）" if f.include_targets else "不含目标值")
    if getattr(f, "verified_only", False):
        parts.append("仅已核实")
    return "；".join(parts)


def doc_ids(df: pd.DataFrame) -> list[str]:
    """Every document id behind the rows (doc_id, doc_ids lists, signed/funds ids)."""
    ids: list[str] = []
    for col in ("doc_ids", "doc_id", "signed_doc_id", "funds_doc_id"):
        if col in df:
            for v in df[col]:
                if isinstance(v, (list, tuple)) or hasattr(v, "tolist"):
                    ids += [x for x in list(v) if x]
                elif isinstance(v, str):
                    ids.append(v)
    return sorted(set(ids))


def source_text(df: pd.DataFrame, docs_index: pd.DataFrame, note: str = "") -> str:
    """'数据来源：N 篇文档（outlet…）；口径说明：…' (docs_index: queries.documents_index())."""
    ids = doc_ids(df)
    idx = docs_index.set_index("doc_id") if len(docs_index) else pd.DataFrame(columns=["outlet"])
    outlets = Counter(str(idx["outlet"].get(i) or "未注明来源") for i in ids if i in idx.index)
    names = "、".join(f"{o} {n} 篇" if n > 1 else o for o, n in outlets.most_common(6))
    if len(outlets) > 6:
        names += " 等"
    text = f"数据来源：{len(ids)} 篇文档" + (f"（{names}）" if names else "")
    share = checked_share_text(df)
    return text + (f"；{share}" if share else "") + (f"；口径说明：{note}" if note else "")


def checked_share_text(df: pd.DataFrame) -> str:
    """How much of a chart's total a person has checked (已核实 or 已更正), from the columns the
    queries add: value/value_checked (sums), n/n_checked or n_facts/n_checked (counts), or a
    per-row review_status / checked flag."""
    if df is None or df.empty:
        return ""
    if {"value", "value_checked"} <= set(df.columns):
        total, part = pd.to_numeric(df["value"]).sum(), pd.to_numeric(df["value_checked"]).fillna(0).sum()
        return f"已核实部分占合计的 {_pct(part, total)}" if total > 0 else ""
    for n in ("n", "n_facts"):
        if {n, "n_checked"} <= set(df.columns):
            total, part = int(df[n].sum()), int(df["n_checked"].fillna(0).sum())
            return f"已核实 {part}/{total} 条（{_pct(part, total)}）" if total else ""
    if "checked" in df.columns:
        flags = df["checked"].fillna(False).astype(bool)
    elif "review_status" in df.columns:
        flags = df["review_status"].isin(["verified", "corrected"])
    else:
        return ""
    return f"已核实 {int(flags.sum())}/{len(flags)} 条（{_pct(flags.sum(), len(flags))}）"


def _pct(part, total) -> str:
    p = 100 * float(part) / float(total)
    return "0%" if part == 0 else ("100%" if p >= 99.95 else (f"{p:.1f}%" if p < 1 or p > 99 else f"{p:.0f}%"))


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)


NO_LINE_START = "，。、；：？！）》」』”’%…,.;:)"


def wrap(text: str, max_width: int) -> list[str]:
    """Split text into lines of at most max_width display columns (CJK = 2)."""
    lines, cur = [], ""
    for c in text:
        if _width(cur + c) > max_width:
            if c in NO_LINE_START and len(cur) > 1:  # no line starts with closing punctuation
                lines.append(cur[:-1])
                cur = cur[-1]
            else:
                lines.append(cur)
                cur = ""
        cur += c
    return [*lines, cur] if cur else lines


def _plot_left_px(fig: go.Figure, margin_l: int) -> int:
    """Where the plot area starts (px): the left margin plus the widest category label of a
    horizontal bar or heatmap (the y axis grows to fit them), estimated at 13 px per CJK character."""
    labels = [str(v) for t in fig.data if (getattr(t, "orientation", None) == "h" or t.type == "heatmap")
              and t.y is not None for v in t.y]
    return margin_l + (int(max(map(_width, labels)) * 6.5) + 12 if labels else 50)


def annotate(fig: go.Figure, meta: ChartMeta, width: int = WIDTH, bare: bool = False) -> go.Figure:
    """A copy of fig for export: title, a line with unit/period/filters, the source line at the bottom.
    `bare`: the chart alone (a document that captions it states title and source once, beside it)."""
    meta = ChartMeta(*(plotly_literal(x) for x in dataclasses.astuple(meta)))
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    margin = out.layout.margin
    if bare:
        legend = any(t.showlegend is not False for t in out.data) and out.layout.showlegend is not False
        out.update_layout(title=None, font=dict(family=f"{FONT_FAMILY}, sans-serif"), width=width,
                          height=int(out.layout.height or 450), paper_bgcolor="white",
                          margin=dict(t=max((margin.t if margin.t is not None else 70) - 55,
                                            40 if legend and len(out.data) > 1 else 16), b=margin.b or 10))
        return out
    cols = max(40, int(width / 6.3))  # display columns per line at 12 px
    head = " · ".join(x for x in (f"单位：{meta.unit}" if meta.unit else "",
                                   f"时间：{meta.period}" if meta.period else "",
                                   f"筛选：{meta.filters}" if meta.filters else "") if x)
    head_lines = wrap(head, cols)
    # the source line starts where the plot area starts and must end inside the image
    avail = width - _plot_left_px(out, margin.l if margin.l is not None else 80) - 12
    foot_lines = wrap(meta.source, max(30, int(avail / 6.0))) if meta.source else []
    top = (margin.t if margin.t is not None else 70) + 18 * len(head_lines)
    gap = 64 if foot_lines else 0  # room for the x axis' ticks and title above the source line
    bottom = (margin.b if margin.b is not None else 10) + 18 * len(foot_lines) + gap
    height = int((out.layout.height or 450) + 18 * (len(head_lines) + len(foot_lines)) + gap)
    out.update_layout(
        title=dict(text=meta.title, subtitle=dict(text="<br>".join(head_lines), font=dict(size=12, color="#555"))),
        font=dict(family=f"{FONT_FAMILY}, sans-serif"), width=width, height=height,
        margin=dict(t=top, b=bottom), paper_bgcolor="white")
    if foot_lines:
        out.add_annotation(text="<br>".join(foot_lines), xref="paper", yref="paper", x=0, y=0, xanchor="left",
                           yanchor="top", yshift=-gap, align="left",
                           showarrow=False, font=dict(size=11, color="#555"))
    return out


# ---------------------------------------------------------------- kaleido renderer


def browser_path() -> str | None:
    """$BROWSER_PATH when set (and nothing else), else Debian's chromium."""
    p = os.environ.get(BROWSER_ENV)
    if p:
        return p if os.path.isfile(p) and os.access(p, os.X_OK) else None
    return DEFAULT_BROWSER if os.access(DEFAULT_BROWSER, os.X_OK) else shutil.which("chromium")


def unavailable_reason() -> str | None:
    """Chinese reason why images cannot be rendered, or None when they can."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return "图片导出不可用：未安装 kaleido（请运行 pip install -r requirements.txt）。"
    if browser_path() is None:
        return (f"图片导出不可用：未找到 Chromium 浏览器（{os.environ.get(BROWSER_ENV) or DEFAULT_BROWSER}）。"
                "请安装 Debian 的 chromium 与 fonts-noto-cjk 软件包（bash scripts/run.sh 会自动安装）。")
    return None


class Renderer:
    """One kaleido browser in a background event loop; render() is thread-safe and reuses it."""

    def __init__(self, tabs: int = 2):
        self._tabs = tabs
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._k = None
        self._atexit = False

    def _ensure(self):
        with self._lock:
            if self._k is not None and self._thread is not None and self._thread.is_alive():
                return
            reason = unavailable_reason()
            if reason:
                raise ExportUnavailable(reason)
            import kaleido

            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="kaleido", daemon=True)
            thread.start()

            async def _open():
                k = kaleido.Kaleido(n=self._tabs, timeout=RENDER_TIMEOUT, mathjax=False, path=browser_path())
                await k.open()
                return k

            try:
                self._k = asyncio.run_coroutine_threadsafe(_open(), loop).result(RENDER_TIMEOUT)
            except Exception as e:
                loop.call_soon_threadsafe(loop.stop)
                raise ExportUnavailable(f"图片导出不可用：无法启动 Chromium（{type(e).__name__}: {e}）。") from e
            self._loop, self._thread = loop, thread
            if not self._atexit:
                atexit.register(self.stop)  # close the browser with the process
                self._atexit = True

    def _run(self, coro_fn):
        self._ensure()
        return asyncio.run_coroutine_threadsafe(coro_fn(self._k), self._loop).result(RENDER_TIMEOUT * 2)

    def render_many(self, figs: Sequence[go.Figure | dict], fmt: str = "png", scale: float = PNG_SCALE) -> list[bytes]:
        """Images of several figures at their layout width/height, rendered concurrently in the open tabs."""
        specs = [f if isinstance(f, dict) else f.to_dict() for f in figs]

        async def go_(k):
            async def one(spec):
                lay = spec.get("layout", {})
                opts = dict(format=fmt, scale=scale if fmt == "png" else 1,
                            width=lay.get("width") or WIDTH, height=lay.get("height") or 500)
                return await k.calc_fig(spec, opts=opts)
            return await asyncio.gather(*(one(s) for s in specs))

        try:
            return list(self._run(go_))
        except ExportUnavailable:
            raise
        except Exception as first:
            self.stop()  # the browser may have died: start a fresh one and retry once
            try:
                return list(self._run(go_))
            except ExportUnavailable:
                raise
            except Exception as e:
                raise ExportUnavailable(f"图片生成失败：{type(e).__name__}: {e}") from first

    def render(self, fig: go.Figure | dict, fmt: str = "png", scale: float = PNG_SCALE) -> bytes:
        return self.render_many([fig], fmt, scale)[0]

    def start(self) -> Renderer:
        self._ensure()
        return self

    def stop(self) -> None:
        with self._lock:
            k, loop, self._k, self._loop = self._k, self._loop, None, None
            if k is not None and loop is not None and loop.is_running():
                try:
                    asyncio.run_coroutine_threadsafe(k.close(), loop).result(15)
                except Exception:  # noqa: BLE001 - best effort on a dying browser
                    pass
                loop.call_soon_threadsafe(loop.stop)


_RENDERER: Renderer | None = None
_RENDERER_LOCK = threading.Lock()


def renderer() -> Renderer:
    """The process-wide renderer (its browser starts on first use and stays up)."""
    global _RENDERER
    with _RENDERER_LOCK:
        if _RENDERER is None:
            _RENDERER = Renderer()
        return _RENDERER


def chart_image(fig: go.Figure, meta: ChartMeta, fmt: str = "png") -> bytes:
    """PNG (2x) or SVG of fig with its title, unit, period, filters and source inside the image."""
    if fmt not in ("png", "svg"):
        raise ValueError(fmt)
    return renderer().render(annotate(fig, meta), fmt)


def chart_images(items: Iterable[tuple[go.Figure, ChartMeta]], fmt: str = "png", bare: bool = False,
                 width: int = WIDTH) -> list[bytes]:
    return renderer().render_many([annotate(fig, meta, width=width, bare=bare) for fig, meta in items], fmt)


# ---------------------------------------------------------------- tables


@dataclass
class TableExport:
    """Rows to export with Chinese headers, and what the 说明 sheet says about them."""
    data: pd.DataFrame
    title: str = "数据"
    filters: str = ""
    scope: str = "显示的行"
    units: list[str] = field(default_factory=list)
    note: str = ""
    version: str = ""
    generated: datetime = field(default_factory=now_beijing)


def export_frame(df: pd.DataFrame, columns: Sequence[str], labels: dict[str, str]) -> pd.DataFrame:
    """The listed columns (those present) plus the provenance columns, with Chinese headers."""
    cols = [c for c in columns if c in df.columns]
    cols += [c for c in PROVENANCE if c in df.columns and c not in cols]
    out = df[cols].copy()
    for c in cols:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.date
        elif _is_bool(out[c]):
            out[c] = out[c].map(lambda v: None if v is None or pd.isna(v) else (YES if v else NO))
        elif out[c].map(lambda v: isinstance(v, (list, tuple)) or hasattr(v, "tolist")).any():
            out[c] = out[c].map(lambda v: "、".join(map(str, v)) if v is not None and not isinstance(v, str)
                                else v)
    return out.rename(columns={c: labels.get(c, c) for c in cols})


def _is_bool(s: pd.Series) -> bool:
    """A boolean column, also as object dtype with None (is_target of durations and mechanisms)."""
    if pd.api.types.is_bool_dtype(s):
        return True
    vals = s.dropna()
    return s.dtype == object and len(vals) > 0 and all(isinstance(v, (bool, np.bool_)) for v in vals)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _no_formula(v):
    return "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v


def to_csv(df: pd.DataFrame) -> bytes:
    """CSV with a UTF-8 BOM (Excel opens Chinese text correctly). Text that Excel would run as a
    formula (document text starting with = + - @) gets a leading apostrophe."""
    safe = df.copy()
    for c in safe.columns:
        if safe[c].dtype == object or pd.api.types.is_string_dtype(safe[c]):
            safe[c] = safe[c].map(_no_formula)
    return safe.to_csv(index=False).encode("utf-8-sig")


def notes_rows(t: TableExport) -> list[tuple[str, str]]:
    as_of, source, rates = vocab.fx()
    rows = [("表格", t.title), ("范围", f"{t.scope}（{len(t.data)} 行）"), ("筛选条件", t.filters or "全部数据"),
            ("单位", "、".join(t.units) if t.units else "见各列标题"),
            ("汇率", "；".join(f"1 {c} = {r:g} 元" for c, r in rates if c != "CNY") + f"（{source}）"),
            ("汇率日期", as_of), ("口径说明", t.note or "只计各文档报告的数字；目标值单独标注，不与实绩相加"),
            ("数据版本", t.version or "—"), ("生成时间", beijing_text(t.generated))]
    return rows


def to_xlsx(t: TableExport) -> bytes:
    """XLSX with the rows ('数据') and a '说明' sheet: filters, units, FX rates and date, generation time."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font

    data = t.data.copy()
    for c in data.columns:  # control characters from documents: XLSX (XML) cannot hold them
        if data[c].dtype == object or pd.api.types.is_string_dtype(data[c]):
            data[c] = data[c].map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        data.to_excel(xw, sheet_name="数据", index=False)
        pd.DataFrame(notes_rows(t), columns=["项目", "内容"]).to_excel(xw, sheet_name="说明", index=False)
        ws = xw.sheets["数据"]
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.data_type == "f":  # document text starting with '=': a string, never a formula
                    cell.data_type = "s"
        for i, col in enumerate(t.data.columns, start=1):
            sample = [str(col)] + [str(v) for v in t.data[col].head(50).tolist()]
            ws.column_dimensions[ws.cell(1, i).column_letter].width = min(60, max(8, max(map(_width, sample)) + 2))
        for cell in ws[1]:
            cell.font = Font(bold=True, name=FONT_FAMILY)
        ws.freeze_panes = "A2"  # the header row stays in view
        notes = xw.sheets["说明"]
        notes.freeze_panes = "A2"
        notes.column_dimensions["A"].width = 12
        notes.column_dimensions["B"].width = 90
        for row in notes.iter_rows(min_row=2):
            row[1].alignment = Alignment(wrap_text=True, vertical="top")
    return buf.getvalue()


def file_stem(title: str) -> str:
    """A file name from a chart or table title (no path separators or brackets)."""
    keep = "".join(c for c in title.split("（")[0] if c.isalnum() or c in "-_")
    return keep or "export"


def file_name(title: str, period: str, ext: str) -> str:
    """'签约金额_2023年一季度.png': the title's head and the period the file covers."""
    per = "".join(c for c in (period or "") if c.isalnum() or c in "-")
    return f"{file_stem(title)}_{per}.{ext}" if per else f"{file_stem(title)}.{ext}"


# ---------------------------------------------------------------- PDF (LibreOffice on the server)

SOFFICE_ENV = "SOFFICE_PATH"
PDF_TIMEOUT = 180  # seconds for one document
OFFICE_FONTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fonts", "office-fonts.conf")


def soffice_path() -> str | None:
    p = os.environ.get(SOFFICE_ENV)
    if p:
        return p if os.access(p, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_unavailable_reason() -> str | None:
    if soffice_path() is None:
        return ("PDF 导出不可用：未找到 LibreOffice（soffice）。请安装 Debian 的 libreoffice-writer-nogui 软件包"
                "（bash scripts/run.sh 会自动安装）。")
    return None


def docx_to_pdf(docx: bytes) -> bytes:
    return office_to_pdf(docx, "docx")


def office_to_pdf(data: bytes, ext: str = "docx") -> bytes:
    """PDF of a DOCX (or PPTX) laid out by headless LibreOffice, offline, in a private profile (so
    runs never share state), with the office fonts mapped to Noto CJK."""
    import subprocess
    import tempfile

    if reason := pdf_unavailable_reason():
        raise ExportUnavailable(reason)
    with tempfile.TemporaryDirectory(prefix="zsyz-pdf-") as tmp:
        src = os.path.join(tmp, f"brief.{ext}")
        with open(src, "wb") as fh:
            fh.write(data)
        env = {**os.environ, "FONTCONFIG_FILE": OFFICE_FONTS, "HOME": tmp, "SAL_USE_VCLPLUGIN": "svp"}
        cmd = [soffice_path(), f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
               "--nologo", "--convert-to", "pdf", "--outdir", tmp, src]
        try:
            run = subprocess.run(cmd, env=env, capture_output=True, timeout=PDF_TIMEOUT, check=False)
        except subprocess.TimeoutExpired as e:
            raise ExportUnavailable(f"PDF 生成超时（{PDF_TIMEOUT} 秒）。") from e
        out = os.path.join(tmp, "brief.pdf")
        if run.returncode != 0 or not os.path.exists(out):
            msg = (run.stderr or run.stdout).decode("utf-8", "replace").strip()[-300:]
            raise ExportUnavailable(f"PDF 生成失败：{msg or run.returncode}")
        with open(out, "rb") as fh:
            return fh.read()
