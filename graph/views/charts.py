"""Charts of the record (``casegraph chart``): Vega-Lite specs built with altair from the series of
:mod:`graph.views.chart_data`, written by vl-convert as PNG, SVG or PDF with no browser, or as one
offline HTML page.

vl-convert's own HTML writes the spec into a script without escaping ``</script>``, so a record
named ``</script><script>…`` would run. The page is therefore ours: vl-convert's bundle of
vega-embed, Vega and Vega-Lite (:func:`vl_convert.javascript_bundle`), the spec as escaped JSON
(:func:`graph.views.render.script_json`) and a Content-Security-Policy that allows only the page's
own scripts (and ``unsafe-eval``, which Vega needs to compile the spec's expressions: the data's
texts are never compiled). Each chart has its caption on top and its source note below.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from graph.options import BadOption
from graph.outputs import atomic_output, write_text_atomic
from graph.store import CaseStore

__all__ = ["CHART_SUFFIXES", "Chart", "build_chart", "chart_html", "chart_suffix", "write_chart"]

CHART_SUFFIXES = frozenset({".html", ".htm", ".png", ".svg", ".pdf", ".json"})


@dataclass(frozen=True)
class Chart:
    """A chart: its Vega-Lite spec, the rows it draws, and how many of what they are."""

    spec: dict[str, Any]
    rows: list[dict[str, object]]
    count: int
    unit: str


def chart_suffix(path: Path, option: str = "--output") -> str:
    """The suffix of ``path`` if a chart can be written as it; :class:`BadOption` otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in CHART_SUFFIXES:
        raise BadOption(
            f"{option} {path}: cannot tell what to write from '{suffix or 'no suffix'}'; "
            "end the name in .html, .png, .svg, .pdf or .json (the Vega-Lite spec)"
        )
    return suffix


def _titled(chart: Any, title: str, caption: list[str], note: str) -> dict[str, Any]:
    import altair as alt

    top = chart.properties(title=alt.TitleParams(title, subtitle=caption, anchor="start"))
    framed = alt.vconcat(top).properties(
        title=alt.TitleParams(note, orient="bottom", anchor="start", fontSize=10, color="#444")
    )
    spec: dict[str, Any] = framed.to_dict()
    return spec


def _note(include_restricted: bool, sources: int, left_out: list[str]) -> str:
    scope = (
        "INCLUDES RESTRICTED RECORDS: never share" if include_restricted else "public records only"
    )
    gap = f"; {len(left_out)} left out (no date that fits)" if left_out else ""
    return f"Source: casegraph; {scope}; {sources} source(s){gap}."


def build_chart(
    store: CaseStore,
    kind: str,
    by: str | None = None,
    campaign: str | None = None,
    include_restricted: bool = False,
) -> Chart:
    """The chart ``kind`` of the store (its public view, if opened so)."""
    import altair as alt

    from graph.views import chart_data

    if by is not None and kind != "sentences-per-month":
        raise BadOption(f"--by is for sentences-per-month only, not {kind}")
    if campaign is not None and kind != "campaign-weeks":
        raise BadOption(f"--campaign is for campaign-weeks only, not {kind}")
    if kind == "sentences-per-month":
        series = chart_data.sentences_per_month(store, by)
        base = alt.Chart(alt.Data(values=series.rows)).mark_bar()
        chart = base.encode(
            x=alt.X("utcyearmonth(month):T", title="month (placed by the time rules)"),
            y=alt.Y("count():Q", title="events", axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("group:N", title=by or "date", legend=alt.Legend(labelLimit=360)),
            row=alt.Row("what:N", title=None),
            tooltip=["month:O", "what:N", "group:N", "basis:N", "count():Q"],
        )
        title, unit = "Death sentences and executions per month", "events"
        caption = [f"filters: event types death sentence, execution; by {by or 'date basis'}"]
    elif kind == "campaign-weeks":
        resolved = _campaign_id(store, campaign)
        series = chart_data.campaign_weeks(store, resolved)
        base = alt.Chart(alt.Data(values=series.rows)).mark_line(point=True)
        chart = base.encode(
            x=alt.X("date:T", title="week (date of the campaign's Tuesday)"),
            y=alt.Y("prisons:Q", title="prisons", axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("measure:N", title=None),
            strokeDash=alt.StrokeDash("campaign:N"),
            tooltip=["campaign:N", "week:N", "date:T", "measure:N", "prisons:Q", "named:N"],
        )
        title, unit = "Prisons taking part in a campaign, week by week", "rows"
        chosen = f"campaign {campaign}" if campaign else "every campaign"
        caption = [f"filters: {chosen} (named query campaign-prisons-by-week)"]
    else:
        series = chart_data.time_to_execution(store)
        base = alt.Chart(alt.Data(values=series.rows))
        line = base.mark_rule(color="#999").encode(
            y=alt.Y("person:N", title=None), x="min(date):T", x2="max(date):T"
        )
        points = base.mark_point(filled=True, size=70).encode(
            y="person:N",
            x=alt.X("date:T", title="date (placed by the time rules)"),
            color=alt.Color("step:N", sort=["arrest", "death sentence", "execution"]),
            shape=alt.Shape("basis:N", title="date"),
            tooltip=["person:N", "step:N", "date:T", "basis:N", "contested:N", "sources:N"],
        )
        chart = alt.layer(line, points)
        title, unit = "From arrest to sentence to execution, per person executed", "steps"
        caption = [
            "filters: people with an execution; their earliest dated arrest and death sentence"
        ]
    caption.append(
        f"{len(series.rows)} {unit} drawn; {len(series.left_out)} left out (no placeable date)"
    )
    note = _note(include_restricted, len(series.sources), series.left_out)
    spec = _titled(chart.properties(width=600), title, caption, note)
    return Chart(spec, series.rows, len(series.rows), unit)


def _campaign_id(store: CaseStore, campaign: str | None) -> str | None:
    from graph.errors import CasegraphError
    from graph.lookup import find_entity
    from graph.namespaces import ID

    if campaign is None:
        return None
    if not campaign.strip():
        raise BadOption("--campaign: the value is empty; give a name or a record id")
    try:
        return str(find_entity(store, campaign)).removeprefix(str(ID))
    except CasegraphError as error:
        raise BadOption(f"--campaign: {error} ('casegraph search' finds names)") from None


@cache
def _bundle() -> str:
    """vega-embed, Vega and Vega-Lite as one script (vl-convert builds it, which takes seconds:
    once per process)."""
    import vl_convert

    bundle: str = vl_convert.javascript_bundle("window.vegaEmbed = vegaEmbed;")
    if "</script" in bundle.lower() or "<!--" in bundle:
        raise RuntimeError("vl-convert's bundle cannot be inlined safely")
    return bundle


def chart_html(chart: Chart) -> str:
    """One offline page drawing the chart with vega-embed (see the module's note on escaping)."""
    from graph.views.render import script_json

    bundle = _bundle()
    nonce = secrets.token_urlsafe(18)
    title = escape(str(chart.spec["vconcat"][0]["title"]["text"]))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        f"script-src 'nonce-{nonce}' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'\">\n"
        f'<meta name="referrer" content="no-referrer">\n<title>{title}</title>\n'
        f'<script nonce="{nonce}">{bundle}</script>\n</head>\n<body>\n<div id="cg-chart"></div>\n'
        f'<script nonce="{nonce}">\nvar CG_SPEC = {script_json(chart.spec)};\n'
        'vegaEmbed("#cg-chart", CG_SPEC, {renderer: "svg", actions: false})'
        ".then(function (r) { window.cgChart = r.view; });\n</script>\n</body>\n</html>\n"
    )


def write_chart(chart: Chart, target: Path) -> Path:
    """Write the chart as ``target``'s suffix says: HTML, PNG, SVG, PDF or the Vega-Lite JSON."""
    import vl_convert

    from graph.views.render import script_json

    suffix = chart_suffix(target)
    if suffix in (".html", ".htm"):
        return write_text_atomic(target, chart_html(chart))
    if suffix == ".json":
        return write_text_atomic(target, script_json(chart.spec) + "\n")
    if suffix == ".svg":
        return write_text_atomic(target, vl_convert.vegalite_to_svg(chart.spec))
    convert = vl_convert.vegalite_to_png if suffix == ".png" else vl_convert.vegalite_to_pdf
    data = convert(chart.spec, scale=2) if suffix == ".png" else convert(chart.spec)
    with atomic_output(target) as temporary:
        temporary.write_bytes(data)
    return Path(target)
