"""PoseDash: local, private pose analysis for physiotherapists (the UI-free core).

The folders follow the pipeline, decode -> detect -> track -> kinematics ->
figures -> output files; the data model sits at the top::

    dashboard/      data model: poses (PoseSequence), analysis, skeleton, settings, errors
      media/        decode photos and videos from memory; a recording's fingerprint
      detect/       model bundle, backend (the only mediapipe import), engines, frame loop,
                    parallel chunks, tracking, jobs
      kinematics/   geometry, measures, catalogue, views, compute, filters, rom, reps, summary
      figures/      skeleton over a picture, angle charts, 3D skeleton, timelines
      text/         text as presented: display tables, user text kept as text, help documents
      outputs/      output files: tables, annotated MP4, OpenSim, .posedash sessions
      pipeline/     one input analysed and written: the step of the command line and batch
      cli/          the command line, one module per subcommand
      ui/           the only Streamlit code: state, widgets, page menu, one module per page
"""

__version__ = "0.1.0"
