"""Read uploaded documents (.txt, .docx, .pdf, .html/.htm) into plain text.

`read_document(path)` dispatches on the suffix and returns a `RawDocument`; any failure
is a `ReadError` whose str() is a short English reason fit to show a user.
Text files are decoded as UTF-8 (with or without BOM), GB18030/GBK or Big5; the
non-UTF-8 candidates are judged by a plausibility score (share of common Chinese
characters), so GBK read as Big5 and vice versa is caught instead of silently garbled.
The only I/O is reading the given file (and, once per process, the character
frequencies from jieba's bundled dict.txt when a file is not UTF-8).
"""

from __future__ import annotations

import codecs
import functools
import importlib.util
import io
import logging
import math
import os
import re
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from etl.limits import Limits, fmt_mb, limits

__all__ = ["SUPPORTED", "RawDocument", "ReadError", "read_document", "read_txt_bytes"]

SUPPORTED = (".txt", ".docx", ".pdf", ".html", ".htm")

# pypdf reports recoverable problems through logging; never let them reach stderr
logging.getLogger("pypdf").addHandler(logging.NullHandler())


class ReadError(Exception):
    """A file that cannot be read. str(err) is a short reason in English, e.g. 'empty file',
    'not a valid .docx (truncated or corrupt zip)',
    'undecodable text: not UTF-8, GB18030 or Big5'."""


@dataclass(frozen=True)
class RawDocument:
    path: str  # as given
    text: str  # full text, NFC, '\r\n' and '\r' turned into '\n'
    format: str  # 'txt' | 'docx' | 'pdf' | 'html'
    encoding: str | None  # txt/html: 'utf-8', 'utf-8-sig', 'gb18030', 'big5', ...; else None
    title: str | None  # html <title>/h1, docx heading/core title, pdf metadata title
    meta: dict = field(default_factory=dict, hash=False)  # e.g. html 'date', 'outlet'


# ---------------------------------------------------------------------------
# common helpers

_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _finish(text: str) -> str:
    """Newlines to '\\n' and NFC; nothing else changes."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _cjk_count(text: str) -> int:
    return len(_CJK_CHAR.findall(text))


# ---------------------------------------------------------------------------
# text decoding

# how many of the most frequent characters (by jieba's dictionary) count as common
_TOP_CHARS = 3500
# a decoding is plausible when at least this share of its non-ASCII characters is
# common (real text: > 0.9 from 30 characters on; cross-decoded garble: < 0.6)
_MIN_PLAUSIBLE = 0.6
# score at most this many characters of a long text
_SCORE_SAMPLE = 200_000
# frequency weight of common punctuation (about that of a top-1000 character)
_PUNCT_WEIGHT = 0.8
# binary: any NUL byte, or more than this share of C0 control bytes
_MAX_CONTROL_SHARE = 0.02
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c\x1b") + b"\x7f"

# punctuation and symbols common in Chinese text (full-width ASCII forms are added below)
_COMMON_PUNCT = (
    "\u3000\u00a0，。、；：？！“”‘’（）《》〈〉【】「」『』〔〕〖〗—–…·・～％‰℃°×÷±"
    "≤≥①②③④⑤⑥⑦⑧⑨⑩●○■□▲△◆◇★☆※→←↑↓√﹏﹐﹑﹔﹕﹖﹗￥€£"
)


def _jieba_dict_path() -> str:
    spec = importlib.util.find_spec("jieba")  # locate without importing (jieba logs)
    if spec is None or spec.origin is None:
        raise ReadError("text detection unavailable: jieba is not installed")
    return os.path.join(os.path.dirname(spec.origin), "dict.txt")


@functools.lru_cache(maxsize=1)
def _char_model() -> tuple[dict[str, float], frozenset[str]]:
    """Character weights and the common set, from jieba's dictionary.

    A character's frequency is the summed frequency of the dictionary words holding it;
    traditional and variant forms take the frequency of their simplified form (opencc).
    weight = log(freq) / log(max freq), in [0, 1]; 'common' = the ~3500 most frequent
    characters and their traditional forms, plus common punctuation."""
    with open(_jieba_dict_path(), "rb") as f:
        toks = f.read().decode("utf-8").split()
    freq: dict[str, int] = {}
    get = freq.get
    for word, n in zip(toks[0::3], toks[1::3]):
        if len(n) < 3:  # words seen fewer than 100 times hardly move the ranking
            continue
        k = int(n)
        for ch in word:
            freq[ch] = get(ch, 0) + k
    top = set(sorted(freq, key=freq.__getitem__, reverse=True)[:_TOP_CHARS])
    import opencc

    han = [chr(cp) for cp in range(0x4E00, 0xA000)]
    simplified = opencc.OpenCC("t2s").convert("\n".join(han)).split("\n")
    if len(simplified) != len(han):  # never expected; fall back to identity
        simplified = han
    log_max = math.log(max(freq.values()))
    weights: dict[str, float] = {}
    common: set[str] = set()
    for h, s in zip(han, simplified):
        n = max(get(h, 0), get(s, 0))
        if n > 1:
            weights[h] = math.log(n) / log_max
        if h in top or s in top:
            common.add(h)
    punct = set(_COMMON_PUNCT) | {chr(cp) for cp in range(0xFF01, 0xFF5F)}
    common |= punct
    weights.update(dict.fromkeys(punct, _PUNCT_WEIGHT))
    return weights, frozenset(common)


def _scores(text: str) -> tuple[float, float]:
    """(share of non-ASCII chars that are common, mean frequency weight of them)."""
    rare = _NON_ASCII.findall(text[:_SCORE_SAMPLE])
    if not rare:
        return 1.0, 1.0
    weights, common = _char_model()
    share = sum(map(common.__contains__, rare)) / len(rare)
    get = weights.get
    return share, sum(get(c, 0.0) for c in rare) / len(rare)


def _plausibility(text: str) -> float:
    """Share of non-ASCII characters that are common Chinese characters or punctuation."""
    return _scores(text)[0]


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return controls > _MAX_CONTROL_SHARE * len(data)


def _decode_cjk(data: bytes) -> tuple[str, str] | None:
    """The most plausible strict GB18030 / Big5 decoding, or None.

    A candidate is plausible when enough of its characters are common; among plausible
    ones the higher mean frequency weight wins (ties keep GB18030)."""
    best: tuple[str, str] | None = None
    best_weight = -1.0
    big5_ok = False
    for enc in ("gb18030", "big5", "cp950", "big5hkscs"):
        if enc in ("cp950", "big5hkscs") and big5_ok:
            continue  # Big5 supersets only as fallbacks when plain Big5 fails
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        big5_ok = big5_ok or enc != "gb18030"
        share, weight = _scores(text)
        if share >= _MIN_PLAUSIBLE and weight > best_weight:
            best, best_weight = (text, enc), weight
    return best


def _decode_text(data: bytes) -> tuple[str, str]:
    """Decode raw text bytes; raise ReadError rather than return garble."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise ReadError("undecodable text: UTF-8 BOM but not valid UTF-8") from e
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    # a UTF-8 file cut inside its last character
    if utf8_error.reason == "unexpected end of data" and utf8_error.start >= len(data) - 3:
        return data[: utf8_error.start].decode("utf-8"), "utf-8"
    best = _decode_cjk(data)
    if best is not None:
        return best
    # explain near-UTF-8 files precisely (a few stray bytes)
    replaced = data.decode("utf-8", errors="replace")
    if replaced.count("\ufffd") <= max(1, len(replaced) // 100):
        raise ReadError(
            f"undecodable text: invalid UTF-8 at byte {utf8_error.start} "
            "(and not GB18030 or Big5 either)"
        ) from utf8_error
    raise ReadError("undecodable text: not UTF-8, GB18030 or Big5") from utf8_error


def read_txt_bytes(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file. Returns (text, encoding); text is NFC with
    '\\n' newlines. Raises ReadError (only) for empty, binary or undecodable data."""
    try:
        return _read_txt_bytes(data)
    except ReadError:
        raise
    except Exception as e:  # e.g. the character model could not load
        raise ReadError(f"cannot decode text ({type(e).__name__})") from e


def _read_txt_bytes(data: bytes) -> tuple[str, str]:
    if not data:
        raise ReadError("empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, enc = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise ReadError("undecodable text: UTF-16 BOM but not valid UTF-16") from e
    elif _looks_binary(data):
        raise ReadError("binary file, not text")
    else:
        text, enc = _decode_text(data)
    if "\x00" in text:  # e.g. UTF-32 read as UTF-16
        raise ReadError("binary file, not text")
    text = _finish(text)
    if not text.strip():
        raise ReadError("empty file")
    return text, enc


def _read_txt(data: bytes, path: str, lim: Limits | None = None) -> RawDocument:
    text, enc = read_txt_bytes(data)
    return RawDocument(path=path, text=text, format="txt", encoding=enc, title=None, meta={})


# ---------------------------------------------------------------------------
# .docx


def _read_docx(data: bytes, path: str, lim: Limits | None = None) -> RawDocument:
    if not data.startswith(b"PK\x03\x04"):
        if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            raise ReadError("not a valid .docx (legacy .doc or other OLE file; save as .docx)")
        raise ReadError("not a valid .docx (not a zip file)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as e:
        raise ReadError("not a valid .docx (truncated or corrupt zip)") from e
    if "[Content_Types].xml" not in names:
        raise ReadError("not a valid .docx (zip file but not a Word document)")
    _check_unzipped_size(data, (lim or limits()).max_docx_bytes)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise ReadError("not a valid .docx (truncated or corrupt zip)") from e
    except (ValueError, KeyError, PackageNotFoundError) as e:
        raise ReadError("not a valid .docx (not a Word document)") from e
    except Exception as e:  # lxml syntax errors and the like
        raise ReadError(f"not a valid .docx (corrupt content: {type(e).__name__})") from e
    try:
        blocks, title, n_par, n_tbl = _docx_blocks(doc)
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise ReadError("not a valid .docx (truncated or corrupt zip)") from e
    text = _finish("\n".join(blocks))
    if not text.strip():
        raise ReadError("no text in document")
    meta: dict = {"paragraphs": n_par, "tables": n_tbl}
    core_title = None
    try:
        cp = doc.core_properties
        core_title = (cp.title or "").strip() or None
        if cp.author:
            meta["author"] = cp.author
        if cp.created:
            meta["created"] = cp.created.isoformat()
    except Exception:  # a broken core.xml only loses metadata
        pass
    return RawDocument(path=path, text=text, format="docx", encoding=None,
                       title=title or core_title, meta=meta)


def _check_unzipped_size(data: bytes, cap: int) -> None:
    """Zip bomb guard: decompress every member in chunks (declared sizes can lie) and
    stop as soon as the total passes `cap`."""
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > cap:
                raise ReadError(f"not a valid .docx (zip bomb: unpacks to more than {fmt_mb(cap)})")
            for info in infos:
                with zf.open(info) as member:
                    while chunk := member.read(1 << 20):
                        total += len(chunk)
                        if total > cap:
                            raise ReadError(f"not a valid .docx (zip bomb: unpacks to more than {fmt_mb(cap)})")
    except ReadError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, OSError) as e:
        raise ReadError("not a valid .docx (truncated or corrupt zip)") from e


def _docx_blocks(doc) -> tuple[list[str], str | None, int, int]:
    """Paragraph and table texts in body order, the first heading, and the counts."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    P, TBL, SDT, SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
    TR, TC = qn("w:tr"), qn("w:tc")
    out: list[str] = []
    title: str | None = None
    counts = [0, 0]

    def para_text(p) -> str:
        return Paragraph(p, doc).text

    def inner_texts(parent) -> list[str]:
        # paragraphs (and nested tables, flattened) inside a cell
        texts: list[str] = []
        for el in parent.iterchildren():
            if el.tag == P:
                texts.append(para_text(el))
            elif el.tag == TBL:
                texts.extend(" ".join(inner_texts(tc)) for tc in el.iter(TC))
            elif el.tag == SDT:
                content = el.find(SDT_CONTENT)
                if content is not None:
                    texts.extend(inner_texts(content))
        return [t for t in texts if t.strip()]

    def table_text(tbl) -> str:
        rows = []
        for tr in tbl.iterchildren(TR):
            cells = [" ".join(inner_texts(tc)) for tc in tr.iterchildren(TC)]
            if any(c.strip() for c in cells):
                rows.append("\t".join(cells))
        return "\n".join(rows)

    def walk(parent) -> None:
        nonlocal title
        for el in parent.iterchildren():
            if el.tag == P:
                counts[0] += 1
                para = Paragraph(el, doc)
                text = para.text
                out.append(text)
                if title is None and text.strip() and _style_name(para).startswith(
                    ("Title", "Heading", "标题")
                ):
                    title = text.strip()
            elif el.tag == TBL:
                counts[1] += 1
                out.append(table_text(el))
            elif el.tag == SDT:  # content control wrapping blocks
                content = el.find(SDT_CONTENT)
                if content is not None:
                    walk(content)

    walk(doc.element.body)
    return out, title, counts[0], counts[1]


def _style_name(para) -> str:
    try:
        return para.style.name or ""
    except Exception:  # missing styles part or dangling style id
        return ""


# ---------------------------------------------------------------------------
# .pdf


def _read_pdf(data: bytes, path: str, lim: Limits | None = None) -> RawDocument:
    if b"%PDF-" not in data[:1024]:
        raise ReadError("not a valid PDF (no %PDF header)")
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as e:
                raise ReadError("PDF is encrypted (cannot decrypt)") from e
            if not ok:
                raise ReadError("PDF is encrypted (password required)")
        n_pages = len(reader.pages)
    except ReadError:
        raise
    except Exception as e:
        raise ReadError(f"not a valid PDF (cannot parse: {_short(e)})") from e
    if n_pages == 0:
        raise ReadError("PDF has no pages")
    max_pages = (lim or limits()).max_pdf_pages
    if n_pages > max_pages:
        raise ReadError(f"PDF has too many pages ({n_pages}, limit {max_pages})")
    pages: list[str] = []
    failed: list[int] = []
    first_error: Exception | None = None
    for i in range(n_pages):
        try:
            t = reader.pages[i].extract_text() or ""
        except Exception as e:  # one bad page does not sink the rest
            failed.append(i + 1)
            first_error = first_error or e
            continue
        t = t.strip()
        if t:
            pages.append(t)
    if not pages:
        if failed and len(failed) == n_pages:
            reason = f"not a valid PDF (cannot parse: {_short(first_error)})"
            raise ReadError(reason) from first_error
        raise ReadError("PDF has no text layer (scanned?)")
    meta: dict = {"pages": n_pages}
    if failed:
        meta["pages_failed"] = failed
    title = None
    try:
        info = reader.metadata
        if info is not None:
            title = (str(info.title).strip() if info.title else "") or None
            if info.author:
                meta["author"] = str(info.author)
            if info.creation_date:
                meta["created"] = info.creation_date.isoformat()
    except Exception:  # broken metadata only loses metadata
        pass
    return RawDocument(path=path, text=_finish("\n\n".join(pages)), format="pdf",
                       encoding=None, title=title, meta=meta)


def _short(e: BaseException | None) -> str:
    msg = str(e).strip().splitlines()[0] if e is not None and str(e).strip() else ""
    name = type(e).__name__ if e is not None else "error"
    return (msg[:80] or name)


# ---------------------------------------------------------------------------
# .html / .htm

_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""")
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz"}
_BIG5_FAMILY = {"big5", "cp950", "big5hkscs"}

_BOILER_NAME = re.compile(r"(?:^|[-_])(?:nav|navbar|menu|sidebar|side|breadcrumbs?|crumbs?|footer|foot|copyright|"
                          r"friendlinks?|hot|rank|related)(?:$|[-_\d])", re.I)
_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "aside", "iframe", "svg",
              "button", "select", "object", "embed", "canvas", "head", "title")
_BLOCK_TAGS = frozenset(
    "p div section article main h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote table "
    "thead tbody tfoot tr caption figure figcaption address center hr form fieldset "
    "legend details summary body html header footer".split()
)
# containers that hold paragraphs; a child without these inside counts as a paragraph
_CONTAINER_TAGS = ["div", "section", "article", "main", "table", "ul", "ol", "td", "body"]
_DATE_KEYS = ("publishdate", "pubdate", "pub_date", "publish_date", "publishtime",
              "article:published_time", "og:article:published_time", "og:release_date",
              "datepublished", "dc.date.issued", "dc.date", "date", "firstpublishedtime")
_OUTLET_KEYS = ("og:site_name", "sitename", "site_name", "contentsource", "source",
                "application-name")
_CJKISH = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’…—"
# a source line break next to a CJK character is layout, not a space
_JOIN_CJK_LINES = re.compile(
    rf"(?<=[{_CJKISH}])[ \t\r\f]*\n[ \t\n\r\f]*|[ \t\r\f]*\n[ \t\n\r\f]*(?=[{_CJKISH}])"
)
_ASCII_SPACE = re.compile(r"[ \t\n\r\f]+")
_BR, _CELL = "\x01", "\x02"  # sentinels that survive whitespace collapsing


def _html_declared(data: bytes) -> str | None:
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name in _GB_FAMILY:
        return "gb18030"  # pages labelled gb2312/gbk routinely use GBK/GB18030 characters
    if name == "iso8859-1":
        return "cp1252"  # as browsers do
    return name


def _decode_html(data: bytes) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return read_txt_bytes(data)
    if _looks_binary(data):
        raise ReadError("binary file, not text")
    declared = _html_declared(data)
    if declared and declared != "utf-8" and declared not in _BIG5_FAMILY | {"gb18030"}:
        # a Western label on a Chinese page is common: prefer a plausible CJK decoding
        if not data.isascii():
            best = _decode_cjk(data)
            if best is not None and _cjk_count(best[0]) > 0:
                return _finish(best[0]), best[1]
        try:
            return _finish(data.decode(declared)), declared
        except (UnicodeDecodeError, LookupError):
            pass
    elif declared:
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            text = None
        if text is not None and (declared == "utf-8" or _plausibility(text) >= _MIN_PLAUSIBLE):
            return _finish(text), declared
    return read_txt_bytes(data)  # no usable label: detect like a text file


def _read_html(data: bytes, path: str, lim: Limits | None = None) -> RawDocument:
    source, enc = _decode_html(data)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(source, "lxml")
    title = None
    if soup.title is not None:
        title = _ASCII_SPACE.sub(" ", soup.title.get_text()).strip() or None
    h1 = soup.find("h1")
    if title is None and h1 is not None:
        title = _ASCII_SPACE.sub(" ", h1.get_text()).strip() or None
    meta = _html_meta(soup)
    lib = _library_meta(source)
    short = lib.get("title")
    if short and (title is None or (short in title and len(short) < len(title))):
        title = short  # the page title without the site's suffix (…_长春新区管理委员会)
    for k in ("date", "outlet"):  # the page's own meta tags first
        if lib.get(k) and not meta.get(k):
            meta[k] = lib[k]
    body = soup.body or soup
    _strip_boilerplate(body)
    main = _main_element(body)
    text = _finish("\n\n".join(_render(main)))
    if not text.strip():
        raise ReadError("no text in document")
    return RawDocument(path=path, text=text, format="html", encoding=enc, title=title, meta=meta)


def _library_meta(source: str) -> dict:
    """Title, site name and date as trafilatura reads them (offline; dates only from the page's
    markup and URL, never guessed from its text, which the date rules read). {} on failure."""
    try:
        from trafilatura.metadata import extract_metadata

        m = extract_metadata(source, extensive=False)
    except Exception:
        return {}
    if m is None:
        return {}
    out = {"title": m.title, "outlet": m.sitename, "date": m.date}
    return {k: v.strip() for k, v in out.items() if isinstance(v, str) and v.strip()}


def _html_meta(soup) -> dict:
    found: dict[str, str] = {}
    for m in soup.find_all("meta"):
        key = m.get("name") or m.get("property") or m.get("itemprop") or ""
        content = m.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            found.setdefault(key.strip().lower(), content.strip())
    meta: dict = {}
    for out_key, keys in (("date", _DATE_KEYS), ("outlet", _OUTLET_KEYS)):
        for k in keys:
            if k in found:
                meta[out_key] = found[k]
                break
    for k in ("author", "description", "keywords"):
        if k in found:
            meta[k] = found[k]
    html = soup.find("html")
    if html is not None and isinstance(html.get("lang"), str):
        meta["lang"] = html.get("lang")
    return meta


def _cjk_tally(root) -> dict[int, tuple[int, int, bool]]:
    """Per element under root (by id), in one pass: (CJK characters of its text, those inside
    links, whether a container tag lies below it). Replaces get_text()/find() per element,
    which cost quadratic time on deeply nested pages."""
    from bs4 import CData, NavigableString, Tag

    out: dict[int, tuple[int, int, bool]] = {}
    stack = [(root, False)]
    while stack:  # iterative post-order: nesting depth is unbounded
        el, done = stack.pop()
        if not done:
            stack.append((el, True))
            stack.extend((c, False) for c in el.children if isinstance(c, Tag))
            continue
        n = links = 0
        below = False
        for c in el.children:
            if isinstance(c, Tag):
                cn, cl, cb = out[id(c)]
                n += cn
                links += cn if c.name == "a" else cl
                below = below or cb or c.name in _CONTAINER_TAGS
            elif type(c) in (NavigableString, CData):
                n += _cjk_count(str(c))
        out[id(el)] = (n, links, below)
    return out


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.I)


def _strip_boilerplate(body) -> None:
    """Two passes in document order (a removed element takes its descendants along)."""
    # scripts, forms and the like; page-level header/footer (an <article>'s own header
    # stays); hidden elements
    for el in body.find_all(True):
        if vars(el).get("_decomposed"):
            continue
        if (el.name in _DROP_TAGS or el.get("hidden") is not None
                or (el.name in ("header", "footer") and el.find_parent(["article", "main"]) is None)):
            el.decompose()
    # blocks a page marks as navigation, sidebar or footer (<div class="sidebar">热点排行…, <div
    # id="footer">…ICP备…访客), unless they hold most of the page's text; display:none
    tally = _cjk_tally(body)
    total = tally[id(body)][0]
    for el in body.find_all(True):
        # bs4 sets _decomposed only on removed elements; a missing attribute on a Tag would
        # search its whole subtree for a tag of that name (quadratic on nested pages)
        if vars(el).get("_decomposed"):
            continue
        if el.name not in ("body", "html", "article", "main"):
            names = [*(el.get("class") or []), *([el.get("id")] if isinstance(el.get("id"), str) else [])]
            if any(_BOILER_NAME.search(n) for n in names) and tally[id(el)][0] < 0.5 * total:
                el.decompose()
                continue
        style = el.get("style")
        if isinstance(style, str) and _HIDDEN_STYLE.search(style):
            el.decompose()


def _main_element(body):
    """<article> if it holds real text, else the container with most CJK in paragraph
    children (CJK outside links), else body."""
    from bs4 import NavigableString, Tag

    tally = _cjk_tally(body)
    total = max(tally[id(body)][0], 1)
    articles = body.find_all("article")
    if articles:
        best = max(articles, key=lambda a: tally[id(a)][0])
        if tally[id(best)][0] >= 0.3 * total:
            return best
    best_el, best_score = body, 0
    for el in [body, *body.find_all(_CONTAINER_TAGS)]:
        score = 0
        for child in el.children:
            if isinstance(child, Tag):
                n, links, below = tally[id(child)]
                if child.name != "a" and not below:
                    score += n - links
            elif type(child) is NavigableString:
                score += _cjk_count(str(child))
        if score > best_score:
            best_el, best_score = el, score
    return best_el


def _render(root) -> list[str]:
    """Paragraph texts of an element: blocks split paragraphs, <br> a line, cells a tab."""
    from bs4 import CData, NavigableString, Tag

    paras: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        s = "".join(buf)
        buf.clear()
        s = _JOIN_CJK_LINES.sub("", s)
        s = _ASCII_SPACE.sub(" ", s)
        s = re.sub(rf" ?([{_BR}{_CELL}]) ?", r"\1", s).strip(" ")
        s = s.replace(_BR, "\n").replace(_CELL, "\t").strip("\n")
        if s.strip():
            paras.append(s)

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, Tag):
                name = child.name
                if name == "br":
                    buf.append(_BR)
                elif name == "pre":
                    flush()
                    pre = child.get_text().strip("\n")
                    if pre.strip():
                        paras.append(pre)
                elif name == "tr":
                    flush()
                    cells = [c for c in child.children
                             if isinstance(c, Tag) and c.name in ("td", "th")]
                    for i, cell in enumerate(cells):
                        if i:
                            buf.append(_CELL)
                        buf.append(" ".join(_render(cell)).replace("\n", " ").replace("\t", " "))
                    flush()
                elif name in _BLOCK_TAGS:
                    flush()
                    walk(child)
                    flush()
                else:
                    walk(child)
            elif type(child) in (NavigableString, CData):
                # stray control characters must not pose as sentinels
                buf.append(str(child).replace(_BR, "").replace(_CELL, ""))

    walk(root)
    flush()
    return paras


# ---------------------------------------------------------------------------
# dispatch

_READERS: dict[str, Callable[[bytes, str, Limits | None], RawDocument]] = {
    ".txt": _read_txt,
    ".docx": _read_docx,
    ".pdf": _read_pdf,
    ".html": _read_html,
    ".htm": _read_html,
}


def read_document(path: str | os.PathLike, lim: Limits | None = None) -> RawDocument:
    """Read a supported file into a RawDocument; any failure is a ReadError.
    `lim` (default: etl.limits.limits()) caps file size, unzipped .docx size and PDF pages."""
    try:
        p = os.fsdecode(os.fspath(path))
    except TypeError as e:
        raise ReadError("not a file path") from e
    suffix = os.path.splitext(p)[1].lower()
    if suffix not in _READERS:
        raise ReadError(f"unsupported file type {suffix}" if suffix
                        else "unsupported file type (no extension)")
    lim = lim or limits()
    try:
        with open(p, "rb") as f:
            data = f.read(lim.max_file_bytes + 1)
    except FileNotFoundError as e:
        raise ReadError("file not found") from e
    except IsADirectoryError as e:
        raise ReadError("not a file (a directory)") from e
    except PermissionError as e:
        raise ReadError("permission denied") from e
    except OSError as e:
        raise ReadError(f"cannot read file ({e.strerror or type(e).__name__})") from e
    if not data:
        raise ReadError("empty file")
    if len(data) > lim.max_file_bytes:
        raise ReadError(f"file too large (limit {fmt_mb(lim.max_file_bytes)})")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _READERS[suffix](data, p, lim)
    except ReadError:
        raise
    except Exception as e:  # anything unforeseen still becomes a ReadError
        raise ReadError(f"cannot read {suffix[1:]} file ({type(e).__name__})") from e
