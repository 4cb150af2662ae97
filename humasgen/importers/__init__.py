"""`humasgen import`: bring another system's archive into content/ and static/.

wordpress.py reads a WordPress export (WXR) in two streaming passes (its pages planned by
wp_pages.py); feed.py reads an RSS, Atom or JSON Feed. Both make `Item`s (and WordPress
`PageItem`s, writer.py), which the writer turns into release (and page) files in humasgen's
key order, with `aliases` (old addresses, redirected by the build),
`guid` (the old feed item id) and `imported: true` (never announced as new). html.py turns
the old HTML bodies into Markdown, spam.py sends posts with injected spam to a quarantine
folder as drafts, report.py counts everything and writes the JSON report.
"""
