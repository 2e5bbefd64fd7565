"""Discussion handouts: one model built from the comparison, rendered as HTML, PDF, DOCX and
Markdown (issue 7). Layout decisions live in the model; a renderer only formats it."""
