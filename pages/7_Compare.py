from dashboard.ui import comparison, page

page.setup("Compare sessions", "⚖️")
comparison.render_page()
