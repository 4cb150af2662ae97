"""`humasgen publish`: post each live release to the agency's channels, once.

`record` is the delivery record (published with the site next to manifest.json),
`items` turns a release into what a channel posts, one module per channel speaks
that platform's API (`telegram`, `bluesky`, `mastodon`, `facebook`, `instagram`,
`threads`, `x`), provided to the runner by the built-in plugin `plugin` through the
hook `publish_channels` like any plugin's channel (`channel` is their shared API),
`byhand` writes the list for WhatsApp Channels and TikTok, and `runner` ties them
together: rate caps, retries, the record written after every post.
"""
