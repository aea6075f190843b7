"""The Help page: PoseDash's own documents (``docs/*.md``), read from this computer and
shown as text (never as HTML, nothing fetched from elsewhere).

Other pages link to one document with :func:`link`; the document's name travels in
the page address (``/Help?doc=gait``), so the link also works when opened in a new tab.
"""

from __future__ import annotations

import streamlit as st

from dashboard.text import helpdocs
from dashboard.ui import keys, navigation

PAGE_PATH = "Help"  # the page's address (relative: works under any base path)
PARAM = "doc"  # the query parameter naming the document
CHOICE = keys.HELP_DOC.name

#: What each document is for, in a clinician's words (shown above it).
ABOUT = {
    "guide": "What to do first, then how to record, review, measure and report, in the "
    "order of a consultation.",
    "angles": "How each joint angle is measured: the landmarks it uses, what 0° means, "
    "which way is positive, the camera view it needs, the plausible ranges and "
    "how far the values can be trusted.",
    "gait": "How gait is measured from a side-view video of walking: filming, the gait "
    "events, each parameter's definition, the quality checks and the limits.",
    "library": "How the patient library protects your patients' data (encryption, "
    "passphrase, deletion). Written for whoever must judge its protection: "
    "technical in places.",
}


def link(doc: str, label: str, where=None) -> None:
    """A link to the Help page opened on document ``doc`` (a ``docs/*.md`` stem)."""
    (where or st).page_link(
        navigation.script("help"), label=label, icon="📖", query_params={PARAM: doc}
    )


def _chosen() -> None:
    st.query_params[PARAM] = keys.HELP_DOC.get()  # the address names the document


def _choice(names) -> str | None:
    asked = st.query_params.get(PARAM)
    if asked is not None and asked not in names:
        st.info("That help document was not found: choose one below.", icon="ℹ️")
    elif asked is not None:
        keys.HELP_DOC.set(asked)
    if keys.HELP_DOC.get() not in names:
        keys.HELP_DOC.set(names[0])
    return keys.HELP_DOC.get()


def render_page() -> None:
    st.title("📖 Help")
    docs = helpdocs.documents()
    if not docs:
        st.info(
            "The help documents are not on this computer (the docs folder of PoseDash is missing).",
            icon="ℹ️",
        )
        return
    by_name = {d.name: d for d in docs}
    _choice(list(by_name))
    name = st.selectbox(
        "Document",
        list(by_name),
        key=CHOICE,
        on_change=_chosen,
        format_func=lambda n: by_name[n].title,
        help="PoseDash's own documents, stored with the program on this computer.",
    )
    if name in ABOUT:
        st.caption(ABOUT[name])
    st.divider()
    try:
        text = helpdocs.read(by_name[name])
    except OSError:
        st.warning("This document could not be read from this computer.", icon="⚠️")
        return
    text = helpdocs.link_documents(text, PAGE_PATH, PARAM, by_name)
    for part in helpdocs.split_images(text):
        if part[0] == "image":
            st.image(str(part[1]), caption=part[2] or None)
        else:
            st.markdown(part[1])  # Markdown only: HTML in a document is shown as text
