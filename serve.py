"""招商引资区域对比看板 — the server entry: `streamlit run serve.py` serves app.py and, when the server
starts and whenever the ETL swaps in a new database version, precomputes what a shared link's first
view needs (the default overview's queries), so that the first visitor does not wait for them."""

import contextlib
import threading

import streamlit as st

POLL_S = 5.0  # how often the pointer is checked for a new version


def _warm_forever(stop: threading.Event) -> None:
    from components import cache, db  # the dashboard's modules, imported once here

    seen = None
    while not stop.is_set():
        version = db.current_version()
        if version and version != seen:
            try:
                cache.warm(version)
                seen = version
            except Exception as e:  # noqa: BLE001 - a failed warm-up only leaves the caches cold
                print(f"warm-up failed: {e!r}")
        stop.wait(POLL_S)


@contextlib.asynccontextmanager
async def lifespan(_app):
    stop = threading.Event()
    threading.Thread(target=_warm_forever, args=(stop,), daemon=True, name="zsyz-warm").start()
    yield
    stop.set()


app = st.App("app.py", lifespan=lifespan)
