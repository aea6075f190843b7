from dashboard.ui import page, patients

page.setup("Patients", "🗂️")
patients.render_page()
