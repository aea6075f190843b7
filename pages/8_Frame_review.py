from dashboard.ui import page, review

page.setup("Frame review", "🎞️")
review.render_page()
