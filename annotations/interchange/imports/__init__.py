"""Imports into a seminar: W3C Web Annotation, REFI-QDA (.qdpx, .qdc), Hypothesis, backups.

Each parser turns a file into the format-neutral records of `records` (plain Python, no
Django); annotations.interchange.services anchors them in the seminar's readings and writes them.
"""
