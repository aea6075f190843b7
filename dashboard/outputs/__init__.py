"""Writing the output files: landmark and angle tables, the annotated video, OpenSim /
Pose2Sim files and ``.posedash`` session files (and reading sessions back). After
kinematics and the figures in the pipeline: it imports them, they never import it."""
