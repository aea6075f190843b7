from dashboard.ui import analysis_settings, page

page.setup("Model and detection", "⚙️")
analysis_settings.render_page()
