"""Presenting text: tables as shown on a page, user text kept as text (Markdown,
Plotly, spreadsheet cells) and the project's help documents. Pure functions."""
