"""Provides the one text cleaner every layer uses: HTML to text, whitespace, and ASCII folding.

Spiders store descriptions through `html_to_text`; the ranker converts any HTML it
still meets through the same function, so one input always gives one output.
html-text (lxml underneath) does the HTML work: `<script>`/`<style>` and comments
are dropped, block elements become line breaks, adjacent cells and inline elements
get a space between them (`<td>Salary</td><td>50k</td>` -> `Salary 50k`). Before
that, markup that arrives entity-escaped (`&lt;div&gt;…`, as some boards send it)
is unescaped, and after it every Unicode space (NBSP, thin spaces, zero-width
characters) becomes a plain space or nothing. Text that was UTF-8 read as Latin-1
somewhere upstream (`donâ\x80\x99t`, as Remote OK's API serves some descriptions) is
repaired by ftfy's `fix_encoding` (only that repair: quotes, widths and ligatures
are left as the board wrote them).

`fold` lower-cases and turns letters into ASCII the way a reader would
(`é`->`e`, `œ`->`oe`, `ß`->`ss`, `ø`->`o`, `ł`->`l`, through anyascii), so an
ASCII tokeniser keeps "cœur", "Straße" and "Søren" as whole words. Symbols such
as `€` or `•` are left alone: the ranker's patterns look for them.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9:-]*(\s[^<>]*)?/?\s*>|<!--")
_ESCAPED_TAG = re.compile(r"&(?:amp;)*lt;\s*/?\s*[a-zA-Z][a-zA-Z0-9:-]*(\s|/|&(?:amp;)*gt;)", re.I)
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});")
# Every space-like character a board may send; zero-width ones are removed, not spaced.
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_LIST_TAGS = ("li",)
_BULLET_INTO = {"p", "div", "span", "strong", "b", "em", "i", "a", "font"}
_BLANKS = re.compile(r"\n{3,}")


def normalize_space(text: str | None) -> str:
    """Return `text` with NBSP and other Unicode spaces made plain, each line's runs of spaces
    collapsed and trimmed, and more than one blank line in a row reduced to one.

    Line breaks are kept (a plain-text description keeps its paragraphs and bullets).
    """
    if not text:
        return ""
    text = _ZERO_WIDTH.sub("", _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")))
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def looks_escaped(text: str) -> bool:
    """True when `text` is HTML whose markup was itself entity-escaped (`&lt;p&gt;…`).

    Mostly-escaped markup with a few real tags counts too: Arbeitnow appends a real
    `<p>Find … on Arbeitnow</a>` to descriptions whose own markup arrives escaped.
    A real page that merely quotes a tag (`use &lt;div&gt; here`) has far more real
    tags than escaped ones and is left alone.
    """
    escaped = len(_ESCAPED_TAG.findall(text))
    return escaped > 0 and escaped > len(_TAG.findall(text))


# Latin-1/cp1252 read of UTF-8: "Ã©", "â€™", or the C1 controls of "â\x80\x99".
_MOJIBAKE = re.compile(r"[\u0080-\u009f]|[ÂÃ][\u0080-\u00bf]|â[\u0080-\u00bf€]")


def fix_mojibake(text: str) -> str:
    """Return `text` with UTF-8-read-as-Latin-1 sequences repaired (ftfy), unchanged otherwise."""
    if not _MOJIBAKE.search(text):
        return text
    import ftfy  # only when the text shows the symptom: most text never pays for the import

    return ftfy.fix_encoding(text)


def has_markup(text: str) -> bool:
    """True when `text` contains at least one HTML tag (or comment)."""
    return bool(_TAG.search(text))


def html_to_text(markup: Any, *, unescape_first: bool = False) -> str:
    """Return readable plain text from an HTML fragment, or from plain text that may carry entities.

    Args:
        markup: the HTML (or plain text); None and "" give "".
        unescape_first: force one round of entity unescaping before parsing; escaped markup
            is also detected without it (`&lt;div&gt;`), so callers rarely need this.

    Returns:
        The text: block elements on their own lines, list items as "- " bullets, no
        script/style content, cells separated, NBSP and other odd spaces normalised.
    """
    if markup is None:
        return ""
    text = fix_mojibake(str(markup))
    if not text.strip():
        return ""
    if unescape_first:
        text = html.unescape(text)
    # Double-escaped markup (`&amp;lt;p&amp;gt;`) takes two rounds; stop as soon as real tags appear.
    for _ in range(2):
        if looks_escaped(text):
            text = html.unescape(text)
    if not has_markup(text):
        return normalize_space(html.unescape(text) if _ENTITY.search(text) else text)
    return normalize_space(_markup_to_text(text))


_BR_RUN = re.compile(r"(?:<br\s*/?>\s*){2,}", re.I)
_PARA_MARK = "\ue000"  # private-use character: stands for a blank line through html-text, then removed


def _markup_to_text(markup: str) -> str:
    import html_text  # lxml underneath; imported here so `import sourcing` stays cheap

    # `<br><br>` is how many boards write a paragraph break; html-text would keep one line break.
    markup = _BR_RUN.sub(f"<br>{_PARA_MARK}<br>", markup.replace(_PARA_MARK, ""))

    try:
        tree = html_text.parse_html(markup)
    except Exception:  # lxml refuses some inputs (e.g. only a comment): keep the words, lose the tags
        return html.unescape(re.sub(r"<[^>]*>", " ", markup))
    if tree is None:
        return ""
    tree = html_text.cleaner.clean_html(tree)
    for li in tree.iter(*_LIST_TAGS):
        # `<li><p>text</p></li>` (common in board editors): the bullet goes where the text starts,
        # or it would stand alone on its line.
        target = li
        while not (target.text or "").strip() and len(target) and isinstance(target[0].tag, str) \
                and target[0].tag in _BULLET_INTO:
            target = target[0]
        target.text = "- " + (target.text or "").lstrip()
    return html_text.etree_to_text(tree, guess_layout=True).replace(_PARA_MARK, "")


def clean_text(value: Any) -> str | None:
    """Return a one-line field (title, company, location) stripped and space-normalised, or None."""
    if value is None:
        return None
    text = normalize_space(fix_mojibake(str(value))).replace("\n", " ")
    return text or None


def fold(text: str) -> str:
    """Lower-case and fold to ASCII letters: "Développeur"->"developpeur", "cœur"->"coeur",
    "Straße"->"strasse", "Søren"->"soren", "Łódź"->"lodz".

    Accents are stripped by Unicode decomposition; letters that do not decompose
    (œ, ß, ø, ł, æ, đ, þ…) are transliterated by anyascii. Non-letters (€, •, –)
    are kept as they are.
    """
    if text.isascii():  # the common case, and far faster than decomposing
        return text.lower()
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    if text.isascii():
        return text
    from anyascii import anyascii

    return "".join(anyascii(c).lower() if not c.isascii() and c.isalpha() else c for c in text)
