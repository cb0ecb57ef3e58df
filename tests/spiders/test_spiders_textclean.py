"""The one text cleaner (sourcing.textclean): spiders and ranking give the same text for the same HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ranking.jobspec import html_to_text as ranking_html_to_text
from ranking.text import content_words, fold as ranking_fold, words
from sourcing.textclean import clean_text, fold, html_to_text, normalize_space
from spiders.parsers.common import html_to_text as spiders_html_to_text

FIX = Path(__file__).parents[1] / "fixtures" / "spiders"


def test_script_style_and_comments_are_dropped_and_cells_kept_apart():
    html = ("<p>Hello&nbsp;world</p><script>var tracking = 1;</script><style>.x{color:red}</style><!-- note -->"
            "<table><tr><td>Salary</td><td>50k</td></tr><tr><td>Place</td><td>Paris</td></tr></table>")
    assert html_to_text(html) == "Hello world\n\nSalary 50k\nPlace Paris"


def test_entity_escaped_html_is_unescaped_once_or_twice():
    escaped = "&lt;div&gt;&lt;p&gt;We are hiring&amp;nbsp;now&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Python&lt;/li&gt;&lt;/ul&gt;&lt;/div&gt;"
    assert html_to_text(escaped) == "We are hiring now\n\n- Python"
    double = escaped.replace("&", "&amp;")
    assert html_to_text(double) == "We are hiring now\n\n- Python"


def test_plain_text_keeps_paragraphs_and_loses_odd_spaces():
    assert html_to_text("Line\u00a0one\u202fhere\n\n\n\nTwo\u200b  spaced &amp; done") == "Line one here\n\nTwo spaced & done"
    assert html_to_text("a < b and c > d") == "a < b and c > d"  # comparison signs are not tags
    assert html_to_text(None) == "" and html_to_text("   ") == ""
    assert normalize_space("  a \u00a0 b  \r\n c ") == "a b\nc"
    assert clean_text(" Senior\u00a0Engineer\n(Remote) ") == "Senior Engineer (Remote)" and clean_text("  ") is None


def test_lists_headings_and_double_breaks():
    html = "<h3>Requirements</h3><ul><li>Go</li><li>Rust</li></ul><p>Nice <b>bold</b> text<br>next line</p>x<br><br>y"
    assert html_to_text(html) == "Requirements\n\n- Go\n- Rust\n\nNice bold text\nnext line\n\nx\n\ny"


@pytest.mark.parametrize("html", [
    "<p>Salary<td>50k</td></p><script>x=1</script>",
    "&lt;p&gt;Requirements&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Python&lt;/li&gt;&lt;/ul&gt;",
    "<div>Straße&nbsp;12<br>Lyon</div>",
])
def test_spiders_and_ranking_use_the_same_cleaner(html):
    assert spiders_html_to_text(html) == ranking_html_to_text(html) == html_to_text(html)


def test_real_payload_descriptions_come_out_clean():
    """Every HTML-bearing field of the recorded payloads: no tags, no entities, no NBSP."""
    greenhouse = json.loads((FIX / "real" / "greenhouse.json").read_text())["jobs"]
    ashby = json.loads((FIX / "real" / "ashby.json").read_text())["jobs"]
    texts = [html_to_text(j["content"]) for j in greenhouse] + [html_to_text(j["descriptionHtml"]) for j in ashby]
    lever = json.loads((FIX / "real" / "lever.json").read_text())
    texts += [html_to_text(j["descriptionPlain"]) for j in ashby + lever]
    for text in texts:
        assert text and "<" not in text and "&lt;" not in text and "&nbsp;" not in text and "\xa0" not in text
    assert sum("\xa0" in j["descriptionPlain"] for j in lever) == 2  # the raw Lever text did carry NBSP


def test_fold_keeps_whole_words_in_ascii():
    text = "Au cœur de la Straße, Søren à Łódź: Développeur Æsir"
    assert fold(text) == "au coeur de la strasse, soren a lodz: developpeur aesir"
    assert words(text) == ["au", "coeur", "de", "la", "strasse", "soren", "a", "lodz", "developpeur", "aesir"]
    assert "coeur" in content_words("au cœur du produit")
    assert ranking_fold is fold  # one folding for the whole product
    assert fold("65k€ • C++") == "65k€ • c++"  # symbols the ranker's patterns look for are kept


def test_mostly_escaped_markup_with_a_real_tail_is_unescaped():
    """Arbeitnow: the employer's markup escaped, then a real `<p>Find … on Arbeitnow</a>` appended."""
    mixed = ("&lt;p&gt;&lt;strong&gt;Senior Product Owner&lt;br&gt;&lt;/strong&gt;Hamburg&lt;/p&gt;\n&lt;p&gt;&amp;nbsp;&lt;/p&gt;"
             "&lt;ul&gt;&lt;li&gt;Brand &amp;amp; Media&lt;/li&gt;&lt;/ul&gt;\n\n<p>Find <a href=\"https://www.arbeitnow.com\">Jobs</a> on Arbeitnow</a>")
    assert html_to_text(mixed) == "Senior Product Owner\nHamburg\n\n- Brand & Media\n\nFind Jobs on Arbeitnow"
    # a real page that quotes a tag in its text keeps the quote as text
    quoting = "<p>Know <code>&lt;div&gt;</code> and <b>CSS</b></p><ul><li>React</li></ul>"
    assert html_to_text(quoting) == "Know <div> and CSS\n\n- React"


@pytest.mark.parametrize("raw, expected", [
    ("donâ\x80\x99t â\x80\x93 Weâ\x80\x99re", "don’t – We’re"),  # Remote OK: UTF-8 bytes read as Latin-1 (C1 controls)
    ("<p>Caf&eacute; cr&egrave;me, DÃ©veloppeur</p>", "Café crème, Développeur"),
    ("São Paulo, Zürich, Łódź, naïve “quotes”", "São Paulo, Zürich, Łódź, naïve “quotes”"),  # correct text is left alone
])
def test_mojibake_is_repaired_and_good_text_untouched(raw, expected):
    assert html_to_text(raw) == expected


def test_one_line_fields_are_repaired_too():
    assert clean_text("Bevoxe Â\xa0Ltd â\x80\x93 Zürich") == "Bevoxe Ltd – Zürich"
