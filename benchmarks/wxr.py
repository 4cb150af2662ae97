"""A WordPress export (WXR 1.2) of N seeded press releases, for `humasgen import wordpress` at scale.

    python benchmarks/wxr.py FILE --count 50000 [--seed S]

The releases are corpus.py's (same seed, same text), written as WordPress writes them: HTML
bodies (half of them with Gutenberg block comments), [caption] shortcodes around body images,
an attachment record per lead image, categories and tags, /YYYY/MM/DD/slug/ permalinks.
Written as it goes: the generator itself needs little memory.
"""
from __future__ import annotations

import argparse
import sys
from datetime import timezone
from pathlib import Path
from xml.sax.saxutils import escape

import markdown

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (the script's own folder)

HOST = "https://diskominfo.nusaharapan.example.go.id"
HEAD = f'''<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>{corpus.TITLE}</title><link>{HOST}</link><language>id</language>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{HOST}</wp:base_site_url>
<wp:base_blog_url>{HOST}</wp:base_blog_url>
'''


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def body_html(item: corpus.Item, md: markdown.Markdown, gutenberg: bool) -> str:
    html = md.reset().convert(item.body)
    html = html.replace('<p><img alt="', '[caption width="800"]<img alt="').replace(
        '" /><br />\n<em>', '" /> ').replace("</em></p>", "[/caption]") if "<img" in html else html
    if gutenberg:
        html = "\n\n".join(f"<!-- wp:paragraph -->\n{block}\n<!-- /wp:paragraph -->" for block in html.split("\n\n"))
    return html


def item_xml(item: corpus.Item, md: markdown.Markdown) -> str:
    post_id = 2 * item.index + 10
    when, gmt = item.date, item.date.astimezone(timezone.utc)
    link = f"{HOST}/{when:%Y/%m/%d}/{item.slug}/"
    cats = [f'<category domain="category" nicename="{corpus.slugify(item.category)}">{cdata(item.category)}</category>']
    cats += [f'<category domain="post_tag" nicename="{corpus.slugify(t)}">{cdata(t)}</category>' for t in item.tags]
    meta = ""
    attachment = ""
    if item.image:
        file, alt, caption = item.image
        rel = f"{when:%Y/%m}/{file}"
        meta = f"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>{post_id + 1}</wp:meta_value></wp:postmeta>"
        attachment = f'''<item><title>{escape(file)}</title><link>{HOST}/?attachment_id={post_id + 1}</link>
<wp:post_id>{post_id + 1}</wp:post_id><wp:post_parent>{post_id}</wp:post_parent><wp:status>inherit</wp:status>
<wp:post_type>attachment</wp:post_type><excerpt:encoded>{cdata(caption)}</excerpt:encoded>
<wp:attachment_url>{HOST}/wp-content/uploads/{rel}</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>{cdata(rel)}</wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>{cdata(alt)}</wp:meta_value></wp:postmeta>
</item>
'''
    return f'''<item><title>{cdata(item.title)}</title><link>{link}</link>
<dc:creator>{cdata(corpus.slugify(item.author))}</dc:creator><guid isPermaLink="false">{HOST}/?p={post_id}</guid>
<content:encoded>{cdata(body_html(item, md, item.index % 2 == 0))}</content:encoded>
<excerpt:encoded>{cdata(item.summary)}</excerpt:encoded><wp:post_id>{post_id}</wp:post_id>
<wp:post_date>{when:%Y-%m-%d %H:%M:%S}</wp:post_date><wp:post_date_gmt>{gmt:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>
<wp:post_name>{item.slug}</wp:post_name><wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent>
<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>
{"".join(cats)}{meta}</item>
{attachment}'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    md = markdown.Markdown(extensions=["tables"])
    args.file.parent.mkdir(parents=True, exist_ok=True)
    with args.file.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        authors = {a for a in ()}
        for item in corpus.releases(args.count, args.seed):
            if item.author not in authors:
                authors.add(item.author)
                out.write(f"<wp:author><wp:author_login>{corpus.slugify(item.author)}</wp:author_login>"
                          f"<wp:author_display_name>{cdata(item.author)}</wp:author_display_name></wp:author>\n")
            out.write(item_xml(item, md))
        out.write("</channel></rss>\n")
    print(f"wrote {args.count} posts to {args.file} ({args.file.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
