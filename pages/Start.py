from dashboard.ui import home, page

page.setup("Start", "🏠")
home.render_page()
