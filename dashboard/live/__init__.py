"""Live camera analysis, UI-free: latest-frame-wins processing, live readouts,
landmark recording and rate statistics. Knows nothing of WebRTC or Streamlit."""
