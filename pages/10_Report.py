from dashboard.ui import page, report

page.setup("Report", "📄")
report.render_page()
