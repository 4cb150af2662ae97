"""Translating `{{ _("...") }}` at compile time gives the pages the i18n extension gives at render time."""
from __future__ import annotations

from datetime import datetime, timezone

import jinja2
import pytest
from gettext import NullTranslations

from humasgen import build, i18n, render

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=timezone.utc)


def all_pages(site_dir, fold: bool) -> dict[str, bytes]:
    loaded = build.load_site(site_dir, NOW)
    env = render.make_env(loaded.theme, loaded.site, loaded.static)
    if not fold:
        env.static_translations = None      # templates not compiled yet: every _() runs at render time
    return {page.path: render.render_page(env, page).content for page in render.plan(loaded.site, loaded.theme_key)}


@pytest.mark.parametrize("language", ["id", "en"])
def test_demo_pages_are_the_same_with_and_without_folding(demo_site, language):
    config = demo_site / "humasgen.toml"
    config.write_text(config.read_text().replace('language = "id"', f'language = "{language}"'))
    assert f'language = "{language}"' in config.read_text()
    folded, plain = all_pages(demo_site, True), all_pages(demo_site, False)
    assert len(folded) > 40 and folded == plain
    if language == "en":
        assert b"Skip to content" in folded["index.html"]


class Catalogue(NullTranslations):
    def gettext(self, message):
        return {"Halo": "Hello <b>&</b>", "Kutip": 'Say "hi" {{ x }}', "Persen": "100%%"}.get(message, message)


def env_with(fold: bool, autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n", i18n.StaticGettext], autoescape=autoescape)
    env.install_gettext_translations(Catalogue(), newstyle=True)
    env.static_translations = Catalogue() if fold else None
    return env


SOURCE = ('<p title="{{ _("Halo") }}">{{- _(\'Kutip\') -}} | {{ _("Persen") }} | {{ _("Halo %(n)s", n=1) }} | '
          '{{ _("Halo") ~ "!" }} | {% raw %}{{ _("Halo") }}{% endraw %} | {{ _("Tanpa terjemahan") }}</p>')


@pytest.mark.parametrize("autoescape", [True, False])
def test_folding_keeps_escaping_whitespace_control_and_raw_blocks(autoescape):
    folded = env_with(True, autoescape).from_string(SOURCE).render(x="X")
    assert folded == env_with(False, autoescape).from_string(SOURCE).render(x="X")
    assert '<p title="Hello <b>&</b>">Say "hi" {{ x }}|' in folded and '{{ _("Halo") }}' in folded


def test_folding_happens_at_compile_time():
    code = env_with(True, True).compile('<p>{{ _("Halo") }}</p>', raw=True)
    assert "Hello <b>&</b>" in code and "gettext" not in code
