"""Start the PoseDash app: Streamlit's server, told to let the browser keep nothing.

``python -m dashboard.ui.serve [STREAMLIT OPTIONS]`` is ``streamlit run app.py`` with one
addition: every response but Streamlit's own scripts and styles carries
``Cache-Control: no-store``. Streamlit sends pictures, frames, CSV files and downloads
(the patient library's export included) without a Cache-Control header, and Chromium
kept them in its disk cache after the tab closed (issue 26). Patient content must not
outlive the page on the clinician's disk.

Streamlit 1.60 offers no setting for response headers, so this module adds an ASGI
middleware in front of Streamlit's own (``starlette_app.create_streamlit_middleware``,
looked up when the server starts): pinned with streamlit==1.60, checked by a test.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"

#: Paths whose responses hold no patient data and may be cached: Streamlit's own
#: JavaScript, CSS and fonts (hashed file names).
CACHEABLE_PREFIXES = ("/static/",)

_DROPPED = (b"cache-control", b"pragma", b"expires")


class NoStore:
    """ASGI middleware: ``Cache-Control: no-store`` on every HTTP response but
    :data:`CACHEABLE_PREFIXES`."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(CACHEABLE_PREFIXES):
            await self.app(scope, receive, send)
            return

        async def send_no_store(message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() not in _DROPPED
                ]
                headers += [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_no_store)


def install() -> None:
    """Put :class:`NoStore` in front of the middleware of every Streamlit server this
    process starts (idempotent), and route every page through ``app.py``.

    Streamlit treats an app with a ``pages/`` folder as a version-1 multipage app until
    its main script calls ``st.navigation``: when the first request a fresh server got
    was a page's address (a bookmark, ``/Photo_analysis``), it ran that page alone and
    the whole server kept the flat, ungrouped menu ("app", …, "View 7 more"). PoseDash's
    ``app.py`` is the router (``dashboard/ui/navigation.py``), so it runs first, always."""
    from starlette.middleware import Middleware
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.server.starlette import starlette_app

    PagesManager.uses_pages_directory = False

    original = starlette_app.create_streamlit_middleware
    if getattr(original, "posedash_no_store", False):
        return

    def with_no_store():
        return [Middleware(NoStore), *original()]

    with_no_store.posedash_no_store = True  # type: ignore[attr-defined]
    starlette_app.create_streamlit_middleware = with_no_store


def main(argv: list[str] | None = None) -> None:
    """Run the app with Streamlit's command line (``argv``: Streamlit's options)."""
    install()
    from streamlit.web import cli

    args = sys.argv[1:] if argv is None else argv
    script = [] if args[:1] and args[0].endswith(".py") else [str(APP)]
    sys.argv = ["streamlit", "run", *script, *args]
    cli.main()


if __name__ == "__main__":
    main()
