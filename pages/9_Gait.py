from dashboard.ui import gait, page

page.setup("Gait", "🚶")
gait.render_page()
