"""Exports of annotation sets and seminars: W3C Web Annotation, REFI-QDA, CSV and backups.

`records` holds the format-neutral description every writer reads; `collect` fills it from the
database. The writers themselves (w3c, qdpx, qdc, csv) are plain Python.
"""
