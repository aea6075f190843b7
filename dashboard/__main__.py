import os
import sys

from dashboard.cli import main, skips_teardown

code = main()
if skips_teardown(sys.argv[1:]):
    # Every file is written and closed: end without the interpreter's teardown of
    # MediaPipe, pandas and SciPy (0.3 s on a quiet machine, over 1 s under load),
    # as the analysis workers do. See skips_teardown.
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(code)
sys.exit(code)
