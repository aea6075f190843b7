"""Decoding the inputs: photos and videos read from memory (container, frame times,
orientation, key frames, frame reader) and a recording's fingerprint checked when a
session is re-linked to it. Stage 1 of the pipeline: imports only the data model."""
