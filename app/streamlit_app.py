"""Precedent in the browser: `streamlit run app/streamlit_app.py` (or `precedent app`).

Settings come from the environment (PRECEDENT_INDEX_DIR, PRECEDENT_DOCUMENTS_DIR,
PRECEDENT_MODEL, ...), which `app.launch.run_app` fills in from the command line.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Precedent", page_icon=":material/menu_book:", layout="wide")
st.navigation(
    [
        st.Page("pages_ask.py", title="Ask", icon=":material/search:", default=True),
        st.Page("pages_library.py", title="Library", icon=":material/library_books:"),
        st.Page("pages_decisions.py", title="Decisions", icon=":material/gavel:"),
    ]
).run()
