from dashboard.ui import help_page, page

page.setup("Help", "📖")
help_page.render_page()
