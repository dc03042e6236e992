"""导入文档 under AppTest: refused to viewers, password login, review and commit of a batch with
bad files, re-upload changes nothing, untrusted text shown literally, crafted URL values ignored."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components import auth
from tests.conftest import SEEDS
from tests.dashboard import conftest
from tests.dashboard.conftest import ROOT

PASSWORD = "zsyz-admin-测试"
SEED = (SEEDS / "004_337bac2747934923.txt").read_bytes()
EVIL = ("<script>alert(1)</script>标题\n江宁区签约项目总额达12亿元。![x](http://evil.example/x.png) "
        "[点我](http://evil.example/) <img src=x onerror=alert(2)>").encode()


@pytest.fixture(scope="module")
def password_hash() -> str:
    return auth.hash_password(PASSWORD)


@pytest.fixture()
def env(monkeypatch, tmp_path, password_hash):
    """A private database copy (commits must not touch the shared fixture) and an admin password."""
    db = conftest.build_db(tmp_path / "facts.duckdb")
    monkeypatch.setenv("ZSYZ_DB", str(db))
    monkeypatch.setenv(auth.HASH_ENV, password_hash)
    monkeypatch.setenv(auth.DELAY_ENV, "0")
    return db


def page(admin: bool = False) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=60)
    if admin:
        at.session_state["_zsyz_admin"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    at.file_uploader[0].set_value([(n, b, "application/octet-stream") for n, b in files]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label))


# --------------------------------------------------------------------------- access


def test_viewer_is_refused(env):
    at = page()
    assert auth.REFUSED in errors(at)
    assert len(at.file_uploader) == 0


def test_viewer_refused_through_app_navigation(env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/upload.py").run()
    assert auth.REFUSED in errors(at) and len(at.file_uploader) == 0


def test_wrong_password_refused_and_throttled(env, monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(auth, "THROTTLE", auth.Throttle(sleep=slept.append))
    at = page()
    at.text_input(key="admin_pw").set_value("guess")
    at.button[0].click().run()
    assert "密码错误。" in errors(at) and len(at.file_uploader) == 0
    assert len(slept) == 1


def test_right_password_opens_the_page(env):
    at = page()
    at.text_input(key="admin_pw").set_value(PASSWORD)
    at.button[0].click().run()
    assert not errors(at) and len(at.file_uploader) == 1
    assert at.title[0].value == "导入文档"


def test_without_configured_password_nobody_logs_in(env, monkeypatch):
    monkeypatch.delenv(auth.HASH_ENV)
    at = page()
    assert auth.REFUSED in errors(at) and len(at.text_input) == 0
    assert any("ZSYZ_ADMIN_PASSWORD_HASH" in c.value for c in at.caption)


def test_logout(env):
    at = page(admin=True)
    at.sidebar.button(key="admin_logout").click().run()
    assert auth.REFUSED in errors(at)


# --------------------------------------------------------------------------- review and commit


def test_batch_review_then_commit_reaches_other_pages(env):
    at = upload(page(admin=True), [("新闻.txt", SEED), ("empty.txt", b""), ("fake.pdf", "不是PDF".encode()),
                                   ("truncated.docx", b"PK\x03\x04broken")])
    errs = errors(at)
    assert any(e.startswith("empty") and "空文件" in e for e in errs)
    assert any(e.startswith("fake") and "PDF" in e for e in errs)
    assert any(e.startswith("truncated") and ".docx" in e for e in errs)
    summary = at.dataframe[0].value
    assert list(summary["状态"]).count("可导入") == 1
    facts = at.dataframe[1].value
    assert "签约金额 378.6亿元" in list(facts["事实"]) and "原句" in facts.columns
    at.button(key="upload_commit").click().run()
    assert not at.exception
    assert any("已导入 1 篇新文档" in s.value for s in at.success), [s.value for s in at.success]
    assert len(at.file_uploader) == 1 and not at.dataframe  # a fresh uploader
    overview = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60).run()
    assert metric(overview, "文档数") == str(len(conftest.DOCS) + 1)
    assert (env.parent / "uploads").is_dir()


def test_reupload_changes_nothing(env):
    at = upload(page(admin=True), [("a.txt", SEED)])
    at.button(key="upload_commit").click().run()
    version = env.resolve()
    at = upload(page(admin=True), [("b.txt", SEED)])
    assert "已导入过" in at.dataframe[0].value["状态"].iloc[0]
    at.button(key="upload_commit").click().run()
    assert any("没有变化" in i.value for i in at.info)
    assert env.resolve() == version


def test_all_bad_batch_has_no_commit(env):
    at = upload(page(admin=True), [("empty.txt", b"")])
    assert "没有可导入的文件。" in [w.value for w in at.warning]
    assert not [b for b in at.button if b.key == "upload_commit"]


# --------------------------------------------------------------------------- untrusted text


def _rendered_markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown] + [e.value for e in at.error] + [e.label for e in at.expander]


def test_uploaded_html_and_markdown_shown_literally(env):
    at = upload(page(admin=True), [("![x](http:evil.example).txt", EVIL)])
    title = at.dataframe[0].value["标题"].iloc[0]
    assert title.startswith("<script>alert(1)</script>")  # a table cell: plain text
    for text in _rendered_markdown(at):
        assert "![x](" not in text and "<script" not in text and "[点我](" not in text, text
    assert not at.get("html")
    at.button(key="upload_commit").click().run()
    prov = AppTest.from_file(str(ROOT / "pages" / "provenance.py"), default_timeout=60).run()
    prov.text_input(key="prov_q").set_value("12亿元").run()
    assert not prov.exception
    blocks = [h.proto.body for h in prov.get("html")]
    assert blocks and all("<script" not in b and "<img" not in b for b in blocks)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in b for b in blocks)


EVIL_HTML = ("<html><head><title>[t](http://evil.example/t) :red[红]</title>"
             "<meta property='og:site_name' content='![o](http://evil.example/o.png)&lt;b&gt;'></head>"
             "<body><p>2023年江宁区签约项目总额达12亿元。</p></body></html>").encode()


def _unescaped(text: str) -> str:
    import re

    return re.sub(r"\\.", "", text)


def test_document_title_and_outlet_shown_literally_on_other_pages(env):
    at = upload(page(admin=True), [("evil.html", EVIL_HTML)])
    at.button(key="upload_commit").click().run()
    prov = AppTest.from_file(str(ROOT / "pages" / "provenance.py"), default_timeout=60).run()
    prov.text_input(key="prov_q").set_value("12亿元").run()
    overview = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60).run()
    texts = [m.value for at_ in (prov, overview) for m in [*at_.markdown, *at_.caption]]
    assert any("evil" in t for t in texts)  # the outlet and title are shown ...
    for t in texts:  # ... as text: no live link, image, HTML or colour directive
        bare = _unescaped(t)
        assert "![" not in bare and "](" not in bare and "<b>" not in bare and ":red[" not in bare, t


@pytest.mark.parametrize("raw", ["![x](http://evil.example/x.png)", "<script>alert(1)</script>", "[a](javascript:x)",
                                 "**b** _i_ `c` # h", "a\nb"])
def test_literal_escapes_every_markdown_character(raw):
    import re

    from components.upload_view import literal

    out = literal(raw)
    bare = re.sub(r"\\.", "", out)  # what is left once escaped characters are removed
    assert not set(bare) & set("\\`*_[]()#!<>:\n"), bare


@pytest.mark.parametrize("reason,zh", [
    ("empty file", "空文件"),
    ("file too large (25 MB, limit 20 MB)", "文件过大（25 MB, 上限 20 MB）"),
    ("not a valid .docx (zip bomb: unpacks to more than 200 MB)", "疑似压缩炸弹"),
    ("PDF has too many pages (900, limit 500)", "PDF 页数过多（900, 上限 500）"),
    ("extraction timed out (limit 60 s)", "提取超时（上限 60 s）"),
    ("something new", "something new"),
])
def test_reasons_in_chinese(reason, zh):
    from components.upload_view import reason_zh

    assert zh in reason_zh(reason)


@pytest.mark.parametrize("params", [
    {"province": "江苏' OR '1'='1"},
    {"region": "320115;DROP TABLE facts"},
    {"chain": "<script>alert(1)</script>"},
    {"year": "2023 OR 1=1"},
    {"level": "county%00"},
    {"cmp": "2023' OR 1=1"},
    {"peer": "zone;DROP TABLE facts"},
])
def test_crafted_query_values_change_nothing(params):
    base = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60).run()
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    assert metric(at, "签约金额") == metric(base, "签约金额")
    # the crafted value is gone: the URL is the default view's (its comparison period and level)
    assert dict(at.query_params) == dict(base.query_params) and set(base.query_params) == {"cmp", "peer"}
