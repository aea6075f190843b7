from dashboard.ui import page, tests_page

page.setup("Functional tests", "⏱️")
tests_page.render_page()
