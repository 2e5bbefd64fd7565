"""Live pages for the instructor: one poll keyed by the seminar's revision
(annotations/pagecache/revisions.py) and the regions of a page that refresh when it moves.

A page adopts it with two includes (templates/annotations/_live.html says how): the poller, once
per page, and the region's attributes on the element its view renders as an htmx partial.
"""
