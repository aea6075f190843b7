"""PoseDash. Start the app with ``make run`` (``streamlit run app.py``).

This script is the router: it registers the pages once with Streamlit's navigation
(``dashboard/ui/navigation.py``: the menu, grouped by task) and runs the one chosen.
"""

from dashboard.ui import navigation

navigation.run()
