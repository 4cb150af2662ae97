"""Social media: post texts within each platform's limits, and share images.

`counting` knows how each platform counts, `snippets` writes the texts,
`images` draws the pictures, `plugin` ties them to the release_published hook.
"""
