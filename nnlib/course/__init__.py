"""Lesson support: the exercise checks (one module per lesson) and the source tutorials' own code.

feedback.py turns any answer into ✅, ❌ with a hint, or ⏳; lesson01.py ... lesson05.py hold
each lesson's checks; sources.py keeps the code of the tutorials the course corrects, bugs and all.
"""
