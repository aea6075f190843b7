from dashboard.ui import page, photo

page.setup("Photo analysis", "📷")
photo.render_page()
