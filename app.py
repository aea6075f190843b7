"""PoseDash home page. Start the app with ``make run`` (``streamlit run app.py``);
the other pages are the scripts in ``pages/``."""

from dashboard.ui import home, page

page.setup("Home")
home.render_page()
