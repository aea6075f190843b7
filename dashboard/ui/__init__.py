"""The Streamlit layer: the only package (with the page scripts) that imports streamlit."""
