"""Hardening: what keeps hostile or broken input, and a faulty machine, from hurting a build.

One module per concern; the pipeline calls them at the points where input enters:
`text` (control characters), `content` (limits on one release: size, YAML aliases,
Markdown depth and time, raw HTML, URLs), `paths` (links out of the site), `images`
(pixel limits), `cachefiles` (cache entries checked before use), `fetch` (bounded
network reads), `lock` (one build per site, file-system faults as diagnostics).
The limits are documented in README.md ("Security").
"""
