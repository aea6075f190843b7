from dashboard.ui import page, sessions

page.setup("Sessions", "💾")
sessions.render_page()
