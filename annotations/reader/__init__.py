"""The reader's reads: a reading's passages with one annotation set's tags, for the templates.

- `text`: a passage's text cut where emphasis and quote spans start and end
  (`annotations/excerpts.py`), rendered as HTML.
- `filters`: `ReaderFilters` (what the page shows, as GET parameters) and `SetUrls` (one set's
  passage and tag URLs, reversed once with placeholder ids such as `SET_ID`).
- `passages`: what the templates show (`ReaderPassage`, `ReaderDocument`, the ribbon) and
  `PassageBuilder`, which builds it for one page.
- `documents`: `reader_documents`, `reader_item` and `set_tags`, in a fixed number of queries.
- `changes`: the versions and signatures of a set's tags that live updates compare.
- `cache`: the passages every set's page shows alike, rendered once per version of the reading.
"""
