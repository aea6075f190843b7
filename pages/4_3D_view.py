from dashboard.ui import page, view3d

page.setup("3D view", "🧊")
view3d.render_page()
