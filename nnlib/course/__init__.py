"""Lesson support: the exercise checks (one module per lesson) and the source tutorials' own code.

feedback.py turns any answer into ✅, ❌ with a hint, or ⏳; lesson01.py ... lesson05.py hold
each lesson's checks, with the build-it track's longer ones beside them (lesson02_build.py,
lesson03_build.py, lesson04_build.py, lesson05_build.py, lesson05_train.py, lesson05_digits.py);
sources.py keeps the code of the tutorials the course corrects, bugs and all.
"""
