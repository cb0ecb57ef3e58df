"""Provides `BrandScreen`: employer-brand insights per role and post ideas to accept, edit or discard.

The left pane lists role families (and "All roles"); the selected one's insights
show below it, every figure with its count, share and example links. The right
pane is the content calendar: each idea's draft and the evidence it rests on.
`a` accepts, `d` discards, `t` edits the draft in a text area (ctrl+s saves),
`e` exports the accepted ideas (Hootsuite and Sprout CSV, .ics, Markdown).
Every decision is written to the store at once, in a worker; the table changes
only when the store confirms.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, OptionList, Static, TextArea

from ranking.brand.exports import PLATFORM_NAMES, export_ideas
from ranking.brand.ideas import Idea
from ranking.brand.chart import chart_themes, theme_bars, write_report
from ranking.brand.insights import BrandInsights
from ranking.brand.report import family_report
from ranking.brand.templates import ANGLE_LABELS
from tui.widgets.keys_footer import KeysFooter

STATUS_STYLE = {"proposed": "", "accepted": "bold green", "discarded": "dim strike"}
EXPORTS = (("hootsuite", "hootsuite.csv"), ("sprout", "sprout.csv"), ("ics", "ics"), ("md", "md"))


class BrandLoaded(Message):
    """Insights were computed and the calendar read (or planned and stored)."""

    def __init__(self, insights: BrandInsights, ideas: list[Idea]) -> None:
        super().__init__()
        self.insights = insights
        self.ideas = ideas


class IdeaSaved(Message):
    """A decision or an edit on one idea was committed to the store."""

    def __init__(self, idea: Idea, action: str) -> None:
        super().__init__()
        self.idea = idea
        self.action = action


class BrandExported(Message):
    """Accepted ideas were written to these files."""

    def __init__(self, paths: list[Path], count: int) -> None:
        super().__init__()
        self.paths = paths
        self.count = count


class BrandFailed(Message):
    """Loading, saving or exporting failed; `what` names the step."""

    def __init__(self, what: str, error: str) -> None:
        super().__init__()
        self.what = what
        self.error = error


def idea_details(idea: Idea) -> Text:
    """The selected idea: its text as it would be posted, hashtags, then each piece of evidence with links."""
    text = Text()
    angle = ANGLE_LABELS.get(idea.lang, ANGLE_LABELS["en"])[idea.angle]
    text.append(f"{PLATFORM_NAMES[idea.platform]} · {angle} · {idea.role}", style="bold")
    text.append(f"  [{idea.status}{', edited' if idea.edited_text else ''}] {len(idea.text)} chars\n\n",
                style=STATUS_STYLE.get(idea.status) or "dim")
    text.append(idea.text + "\n\n")
    text.append("Evidence\n", style="bold underline")
    for ev in idea.evidence:
        text.append(f"• {ev['claim']}\n")
        for url in ev.get("links") or []:
            text.append(f"    {url}\n", style="dim")
    return text


class BrandScreen(Screen):
    """Employer-brand insights and the post-idea calendar."""

    CSS_PATH = Path(__file__).parent.parent / "styles" / "brand.tcss"
    BINDINGS = [
        Binding("a", "accept", "Accept", id="brand-accept", tooltip="Accept the selected idea (stored at once)"),
        Binding("d", "discard", "Discard", id="brand-discard", tooltip="Discard the selected idea (stored at once)"),
        Binding("t", "edit", "Edit", id="brand-edit", tooltip="Edit the selected idea's text (ctrl+s saves, escape cancels)"),
        Binding("u", "repropose", "Undecide", id="brand-undecide", tooltip="Put the idea back to proposed"),
        Binding("e", "export", "Export accepted", id="brand-export",
                tooltip="Write accepted ideas as Hootsuite and Sprout CSV, .ics and Markdown"),
        Binding("g", "replan", "New calendar", id="brand-replan",
                tooltip="Plan a new calendar from the current postings (decided ideas are kept)"),
        Binding("ctrl+s", "save_edit", "Save text", id="brand-save-edit", show=False, tooltip="Save the edited text"),
        Binding("escape", "back", "Back", id="brand-back", tooltip="Close the editor, or go back"),
    ]

    def __init__(self, store: Any, config: Any, *, use_model: bool = True, start: date | None = None,
                 export_dir: Path | None = None) -> None:
        """Args:
            store: the open Store.
            config: the resolved Config (`brand.company`, `brand.own_sources`, actor).
            use_model: group roles with the sentence model (False: TF-IDF, no model load).
            start: first Monday of a newly planned calendar (default next Monday).
            export_dir: where `e` writes files (default: the app's export dir, else the current directory).
        """
        super().__init__()
        self.store = store
        self.config = config
        self.use_model = use_model
        self.start = start
        self._export_dir = export_dir
        self.insights: BrandInsights | None = None
        self.ideas: list[Idea] = []
        self._write_lock = threading.Lock()  # decisions on one idea are written in the order they were made

    # --- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        company = self.config.get("brand.company") or "your company"
        yield Static(f"Employer brand — {company}", id="brand-title", classes="screen-title")
        with Horizontal(id="brand-body"):
            with Vertical(id="brand-left"):
                yield Static("Role families", classes="section-title")
                yield OptionList(id="brand-roles")
                with VerticalScroll(id="brand-insights-box"):
                    yield Static("Analysing postings…", id="brand-insights", markup=False)
            with Vertical(id="brand-right"):
                yield Static("Post ideas (a accept · d discard · t edit · e export accepted)", classes="section-title")
                yield DataTable(id="brand-ideas", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="brand-detail-box"):
                    yield Static("", id="brand-detail", markup=False)
                yield TextArea(id="brand-editor", soft_wrap=True, classes="hidden")
        yield Static("Loading…", id="brand-status", classes="status-line", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#brand-ideas", DataTable)
        for label, key, width in (("When", "when", 16), ("Platform", "platform", 9), ("Angle", "angle", 20),
                                  ("Role", "role", 14), ("Status", "status", 10), ("Chars", "chars", 5)):
            table.add_column(label, key=key, width=width)
        self.load_brand()

    @property
    def export_dir(self) -> Path:
        return self._export_dir or getattr(self.app, "export_dir", None) or Path.cwd()

    # --- workers (never touch widgets) --------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="brand-load")
    def load_brand(self, replan: bool = False) -> None:
        from ranking.brand.service import build_insights, load_brand_encoder, load_ideas
        from ranking.brand.service import replan as plan_and_store

        try:
            encoder = load_brand_encoder(self.config, self.store) if self.use_model else None
            insights = build_insights(self.store, self.config, encoder=encoder)
            ideas = [i for i in load_ideas(self.store) if i.suggested_for is not None]
            if replan or not ideas:
                plan_and_store(self.store, insights, start=self.start)
                ideas = [i for i in load_ideas(self.store) if i.suggested_for is not None]
        except Exception as exc:  # shown to the user, never swallowed
            self.post_message(BrandFailed("brand insights", getattr(exc, "msg", None) or f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(BrandLoaded(insights, ideas))

    @work(thread=True, exit_on_error=False, group="brand-write")
    def write_decision(self, idea_id: int, action: str, text: str | None = None) -> None:
        from ranking.brand.service import idea_from_row
        from sourcing.storage.brand import edit_idea, set_idea_status

        actor = self.config.actor
        try:
            with self._write_lock:
                if action == "edit":
                    row = edit_idea(self.store, idea_id, text or "", actor=actor)
                else:
                    row = set_idea_status(self.store, idea_id, action, actor=actor)
        except Exception as exc:
            self.post_message(BrandFailed(f"{action} of idea {idea_id}", getattr(exc, "msg", None) or str(exc)))
            return
        self.post_message(IdeaSaved(idea_from_row(row), action))

    @work(thread=True, exclusive=True, exit_on_error=False, group="brand-export")
    def write_exports(self) -> None:
        from ranking.brand.service import load_ideas

        try:
            accepted = [i for i in load_ideas(self.store, status="accepted") if i.suggested_for is not None]
            if not accepted:
                self.post_message(BrandFailed("export", "no accepted idea yet: accept some with a first"))
                return
            folder = self.export_dir
            folder.mkdir(parents=True, exist_ok=True)
            stamp = date.today().strftime("%Y%m%d")
            company = self.config.get("brand.company") or ""
            paths: list[Path] = []
            for fmt, suffix in EXPORTS:
                paths += export_ideas(accepted, fmt, folder / f"brand-{stamp}.{suffix}", company=company)
            if self.insights is not None:  # the report the calendar answers, with its ours-vs-market chart
                paths += write_report(self.insights, folder / f"brand-{stamp}-insights.html")
        except Exception as exc:
            self.post_message(BrandFailed("export", f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(BrandExported(paths, len(accepted)))

    # --- messages (UI thread) --------------------------------------------------------
    def on_brand_loaded(self, message: BrandLoaded) -> None:
        self.insights = message.insights
        self.ideas = message.ideas
        roles = self.query_one("#brand-roles", OptionList)
        roles.clear_options()
        ov = message.insights.overall
        roles.add_option(f"All roles ({len(ov.ours)} ours / {len(ov.market)} market)")
        for fam in message.insights.families:
            roles.add_option(f"{fam.label} ({len(fam.ours)} / {len(fam.market)})")
        roles.highlighted = 0
        self._show_family(0)
        self._fill_table()
        self._status(f"{len(self.ideas)} ideas · {sum(i.status == 'accepted' for i in self.ideas)} accepted")
        self.query_one("#brand-ideas", DataTable).focus()
        if message.insights.skipped:
            self.notify("\n".join(message.insights.skipped[:5]), title=f"{len(message.insights.skipped)} posting(s) left out",
                        severity="warning", timeout=10, markup=False)

    def on_idea_saved(self, message: IdeaSaved) -> None:
        idea = message.idea
        for n, old in enumerate(self.ideas):
            if old.id == idea.id:
                self.ideas[n] = idea
        table = self.query_one("#brand-ideas", DataTable)
        key = str(idea.id)
        table.update_cell(key, "status", Text(idea.status + (" ✎" if idea.edited_text else ""), style=STATUS_STYLE[idea.status]))
        table.update_cell(key, "chars", str(len(idea.text)))
        current = self.current_idea()
        if current is not None and current.id == idea.id:
            self.query_one("#brand-detail", Static).update(idea_details(idea))
        labels = {"accepted": "Accepted", "discarded": "Discarded", "proposed": "Back to proposed", "edit": "Text saved"}
        self._status(f"{labels[message.action]}: idea {idea.id} ({idea.angle}, {idea.role})")

    def on_brand_exported(self, message: BrandExported) -> None:
        names = ", ".join(p.name for p in message.paths)
        self.notify(f"{message.count} accepted idea(s) → {names} in {message.paths[0].parent}", title="Exported", markup=False)
        self._status(f"Exported {message.count} accepted idea(s) to {len(message.paths)} file(s)")

    def on_brand_failed(self, message: BrandFailed) -> None:
        self.notify(f"{message.what}: {message.error}", title="Not done", severity="error", timeout=10, markup=False)
        self._status(f"{message.what} failed: {message.error}")
        if self.insights is None:
            self.query_one("#brand-insights", Static).update(f"Could not load {message.what}: {message.error}")

    @on(OptionList.OptionHighlighted, "#brand-roles")
    def _role_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_family(event.option_index)

    @on(DataTable.RowHighlighted, "#brand-ideas")
    def _idea_highlighted(self, event: DataTable.RowHighlighted) -> None:
        idea = self.current_idea()
        if idea is not None:
            self.query_one("#brand-detail", Static).update(idea_details(idea))

    # --- actions -----------------------------------------------------------------
    def current_idea(self) -> Idea | None:
        table = self.query_one("#brand-ideas", DataTable)
        if not self.ideas or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((i for i in self.ideas if str(i.id) == key), None)

    def _decide(self, action: str) -> None:
        idea = self.current_idea()
        if idea is None or self._editing():
            return
        self.write_decision(idea.id, action)

    def action_accept(self) -> None:
        self._decide("accepted")

    def action_discard(self) -> None:
        self._decide("discarded")

    def action_repropose(self) -> None:
        self._decide("proposed")

    def action_edit(self) -> None:
        idea = self.current_idea()
        if idea is None:
            return
        editor = self.query_one("#brand-editor", TextArea)
        editor.load_text(idea.text)
        editor.remove_class("hidden")
        self.query_one("#brand-detail-box").add_class("hidden")
        editor.focus()
        self._status(f"Editing idea {idea.id}: ctrl+s saves, escape cancels")

    def action_save_edit(self) -> None:
        idea = self.current_idea()
        if not self._editing() or idea is None:
            return
        text = self.query_one("#brand-editor", TextArea).text
        self._close_editor()
        self.write_decision(idea.id, "edit", text)

    def action_export(self) -> None:
        if not self._editing():
            self.write_exports()

    def action_replan(self) -> None:
        if not self._editing():
            self._status("Planning a new calendar…")
            self.load_brand(replan=True)

    def action_back(self) -> None:
        if self._editing():
            self._close_editor()
            self._status("Edit cancelled")
            return
        self.app.pop_screen()

    # --- helpers -------------------------------------------------------------------
    def _editing(self) -> bool:
        return not self.query_one("#brand-editor", TextArea).has_class("hidden")

    def _close_editor(self) -> None:
        self.query_one("#brand-editor", TextArea).add_class("hidden")
        self.query_one("#brand-detail-box").remove_class("hidden")
        self.query_one("#brand-ideas", DataTable).focus()

    def _status(self, text: str) -> None:
        self.query_one("#brand-status", Static).update(text)

    def _show_family(self, index: int | None) -> None:
        if self.insights is None or index is None:
            return
        fams = [self.insights.overall, *self.insights.families]
        if not 0 <= index < len(fams):
            return
        fam = fams[index]
        panel = self.query_one("#brand-insights", Static)
        themes = chart_themes(fam)
        label_w = max((len(t.label) for t in themes), default=0)
        # Two bars, their shares and the label must fit the panel: a wrapped line reads as a third bar.
        width = max(4, min(20, ((panel.content_size.width or 56) - label_w - 18) // 2))  # 2 for a scrollbar
        bars = theme_bars(fam, self.insights.company, width=width)  # ours vs market, per theme
        text = Text(f"{fam.label}: {len(fam.ours)} ours, {len(fam.market)} competitors'\n")
        for i, line in enumerate(bars):
            start = len(text) + 2 + label_w + 2
            text.append(line + "\n")
            if i:  # ours in teal, competitors in grey, as in the exported SVG chart
                text.stylize("#2a9d8f", start, start + width)
                text.stylize("#adb5bd", start + width + 7, start + 2 * width + 7)
        lines = ["", *family_report(fam, self.insights.company)]
        hard = [h for h in self.insights.hard_to_fill if index == 0 or h.family == fam.label]
        if hard:
            lines += ["", "Hard to fill:"] + [f"  #{h.job_id} {h.title}: {'; '.join(h.reasons)}" for h in hard]
        text.append("\n".join(lines))
        panel.update(text)

    def _fill_table(self) -> None:
        table = self.query_one("#brand-ideas", DataTable)
        table.clear()
        for idea in self.ideas:
            when = idea.suggested_for.strftime("%a %d %b %H:%M") if idea.suggested_for else "—"
            angle = ANGLE_LABELS.get(idea.lang, ANGLE_LABELS["en"])[idea.angle]
            table.add_row(when, PLATFORM_NAMES[idea.platform], angle, idea.role,
                          Text(idea.status + (" ✎" if idea.edited_text else ""), style=STATUS_STYLE[idea.status]),
                          str(len(idea.text)), key=str(idea.id))
        if self.ideas:
            self.query_one("#brand-detail", Static).update(idea_details(self.ideas[0]))
