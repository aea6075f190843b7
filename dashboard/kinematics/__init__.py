"""Kinematics: clinical angles from landmarks, filters, range of motion, repetitions,
comparisons. Pure, NaN-aware functions; ``summary`` is the one-call entry point."""
