from dashboard.ui import live, page

page.setup("Live camera", "🎥")
live.render_page()
