"""Hardening: what keeps hostile or broken input, and a faulty machine, from hurting a build.

One module per concern, called where input enters the pipeline:
`release` (limits on one release file: size, YAML nesting and aliases, Markdown depth
and CPU time), `rawhtml` (the safe subset of HTML in bodies), `urls` (links and images
in front matter), `text` (control characters in pages and on terminals), `paths` (links
out of the site), `images` (pixel limits), `cachefiles` (cache entries checked before
use), `fetch` (network reads bounded in size and time), `lock` (one build per site;
file-system faults as diagnostics), `serving` (the preview's Host check), `processes`
(shell hooks in bounded memory). README.md ("Security") documents the limits.
"""
