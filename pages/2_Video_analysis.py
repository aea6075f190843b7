from dashboard.ui import page, video

page.setup("Video analysis", "🎬")
video.render_page()
