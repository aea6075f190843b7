"""Functional tests scored from one video: five-times sit-to-stand (``sts5``), the
30-second chair stand (``chair30``), Timed Up and Go (``tug``), the 10-metre walk
(``walk10``), the 3-metre backward walk (``backward3``) and single-leg stance
(``sls``).

Entry point::

    result = run_test(analysis.poses, TestOptions("sts5", age=72, sex="f"))
    result.to_dict()      # the posedash.test/1 document

Every test: set-up checks (:mod:`.checks`) that refuse with a plain reason
(:class:`TestRefused`), the clock's start (:mod:`.start`: the first movement or a
time set by hand), the events with a confidence, the result, and where it falls in
the published norms (:mod:`.norms`). Modules by test: :mod:`.sts` (with
:mod:`.stands`), :mod:`.tug`, :mod:`.walks`, :mod:`.sls`. Definitions: ``docs/functional.md``.
Pure: no UI.
"""

# The package's public names (re-exported; model.py's __all__ also has check_options).
from dashboard.functional.model import (
    SCHEMA as SCHEMA,
    STS_TOTALS as STS_TOTALS,
    TESTS as TESTS,
    TITLES as TITLES,
    Check as Check,
    Event as Event,
    TestOptions as TestOptions,
    TestRefused as TestRefused,
    TestResult as TestResult,
)
from dashboard.functional.run import run_test as run_test
