"""Files in and out: decode photos and videos from memory, write tables, videos,
OpenSim files and ``.posedash`` session files. Stage 1 and last of the pipeline."""
