"""``python -m dashboard COMMAND``: the command line (also installed as ``posedash``)."""

from dashboard.cli import run

run()
