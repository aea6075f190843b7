from dashboard.ui import explorer, page

page.setup("Landmark explorer", "🔎")
explorer.render_page()
