"""Detection and tracking: the model bundle, the one MediaPipe module, the photo and
video engines (sequential and parallel), person tracking and background jobs."""
