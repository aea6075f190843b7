from dashboard.ui import angles, page

page.setup("Joint angles", "📐")
angles.render_page()
