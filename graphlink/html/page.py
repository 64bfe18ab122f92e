"""One self-contained HTML page for one graph: offline, UTF-8, inert data.

:func:`render_graph_html` turns a networkx graph of accounts and identifiers
into a single HTML file an investigator can attach to a case and open on a
machine without network access:

- pyvis builds the vis-network node and edge records and options; the page
  template is graphlink's own (``templates/graph.html``), because pyvis's
  templates link Bootstrap from a CDN even "in line", print the heading twice
  and blank the graph when filtering;
- vis-network's JavaScript and CSS are read from the installed pyvis package
  and embedded, so the file needs nothing else;
- all data travels as one JSON block inside ``<script type="application/json">``
  with ``<``, ``>``, ``&`` and U+2028/U+2029 escaped, and the page builds every
  label, tooltip and list with ``textContent``: a prompt containing
  ``</script><script>`` or ``<img onerror=…>`` shows as text and runs nothing;
- a Content-Security-Policy allows only the page's own two scripts (by hash)
  and no network connections at all, as a second line of defence;
- positions come precomputed from igraph and physics is off, so a 2,000-node
  page is still; above the cap a labelled sample is drawn
  (:func:`graphlink.html.sample.sample_graph`).

Graph contract
--------------
Node ids are converted with ``str`` and must stay distinct.  Node attributes:
``kind`` (``"account"`` or an identifier kind such as ``"ip"``; drives shape,
colour, legend and filter), ``label`` (display text, default the id), the
size attribute (default ``n_requests``: request volume) and any others, which
are shown as evidence in the node's tooltip in attribute order.  Edge
attributes: ``weight`` (drives the width) and any others, shown as evidence.
Attributes whose name starts with ``_`` and ``None`` values are not shown.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Hashable, Iterable, Sequence

import networkx as nx
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .. import __version__
from ..config import ReportConfig
from ..errors import GraphlinkError
from .sample import layout_positions, sample_graph

__all__ = [
    "PageHeader",
    "HtmlResult",
    "KindStyle",
    "KIND_STYLES",
    "kind_style",
    "render_graph_html",
    "graph_page_html",
    "script_json",
    "template_environment",
]

TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_NODE_CAP = ReportConfig().html_node_cap
LABEL_CHARS = 24
VALUE_CHARS = 1200


@dataclass(frozen=True)
class KindStyle:
    """How nodes of one kind look: a name for people, a vis-network shape, a colour."""

    name: str
    shape: str
    color: str

    @property
    def border(self) -> str:
        return _shade(self.color, 0.68)


# Okabe-Ito-like colours, distinguishable with the common colour-vision deficiencies;
# shape tells kinds apart too.
KIND_STYLES: dict[str, KindStyle] = {
    "account": KindStyle("Account", "dot", "#3b82f6"),
    "payment": KindStyle("Payment instrument", "diamond", "#d55e00"),
    "card_bin": KindStyle("Card BIN", "triangleDown", "#e69f00"),
    "ip": KindStyle("IP address", "triangle", "#009e73"),
    "ip_prefix": KindStyle("IP prefix", "hexagon", "#56b4e9"),
    "device": KindStyle("Device fingerprint", "square", "#cc79a7"),
    "template": KindStyle("Prompt template", "star", "#c9a400"),
    "email_domain": KindStyle("E-mail domain", "hexagon", "#8c6d5a"),
    "api_key": KindStyle("API key", "diamond", "#7b3294"),
}
_FALLBACK_COLORS = ("#6b7280", "#0f766e", "#a16207", "#be185d", "#4338ca", "#15803d")

FIELD_NAMES: dict[str, str] = {
    "n_requests": "requests",
    "n_accounts": "accounts",
    "n_members": "accounts here",
    "first_seen": "first seen",
    "last_seen": "last seen",
    "created_at": "signed up",
    "email_domain": "e-mail domain",
    "is_hub": "hub",
    "user_agents": "user agents",
    "prompt_tokens": "prompt tokens",
    "completion_tokens": "completion tokens",
    "cluster_id": "cluster",
    "skeleton": "template",
    "n_selected": "accounts here",
    "degree": "accounts in window",
    "hub_cap": "hub above",
    "template_source": "template from",
    "elicits_reasoning": "asks for reasoning",
    "grades_outputs": "asks for grading",
    "method_type": "payment method",
    "billing_country": "billing country",
    "ip_type": "network type",
    "as_org": "network operator",
    "asn": "AS number",
    "org_id": "organisation",
    "hops": "hops away",
}
_HIDDEN_FIELDS = {"kind", "label", "x", "y"}


def kind_style(kind: str) -> KindStyle:
    """The style of a node kind; unknown kinds get a stable fallback colour."""
    if kind in KIND_STYLES:
        return KIND_STYLES[kind]
    digest = int(hashlib.sha256(str(kind).encode("utf-8")).hexdigest(), 16)
    name = str(kind).replace("_", " ").strip().capitalize() or "Other"
    return KindStyle(name, "square", _FALLBACK_COLORS[digest % len(_FALLBACK_COLORS)])


@dataclass
class PageHeader:
    """What the page's header says about the graph.

    Parameters
    ----------
    title : the page title, e.g. ``"Cluster C-a17 — 48 accounts"``.
    subtitle : one line under the title.
    score, band : the cluster's score (0-100) and band (``high``/``medium``/``low``).
    reasons : the reasons behind the score, in words, one per item.
    run_id, window : the detection run the graph comes from and its time window.
    facts : further ``(name, value)`` pairs shown as a row of facts.
    """

    title: str
    subtitle: str = ""
    score: float | None = None
    band: str | None = None
    reasons: Sequence[str] = ()
    run_id: int | None = None
    window: str | None = None
    facts: Sequence[tuple[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class HtmlResult:
    """What :func:`render_graph_html` wrote."""

    path: Path
    nodes_shown: int
    edges_shown: int
    nodes_total: int
    edges_total: int
    sampled: bool
    bytes: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "nodes_shown": self.nodes_shown,
            "edges_shown": self.edges_shown,
            "nodes_total": self.nodes_total,
            "edges_total": self.edges_total,
            "sampled": self.sampled,
            "bytes": self.bytes,
        }


def render_graph_html(
    graph: nx.Graph,
    path: str | Path,
    *,
    header: PageHeader,
    node_cap: int = DEFAULT_NODE_CAP,
    focus: Hashable | None = None,
    size_attr: str = "n_requests",
    seed: int = 42,
) -> HtmlResult:
    """Write *graph* as one self-contained, offline, UTF-8 HTML page.

    Parameters
    ----------
    graph : accounts and identifiers (see the module's graph contract).
    path : the file to write (its folder must exist).
    header : title, score, band, reasons and run shown above the graph.
    node_cap : above this many nodes a labelled sample is drawn
        (``config.report.html_node_cap``).
    focus : a node selected when the page opens (kept in any sample).
    size_attr : the node attribute that sizes nodes (log scale).
    seed : layout seed; the same graph and seed give the same file.

    Returns
    -------
    HtmlResult

    Complexity: O(E log E) for the sample, plus the igraph layout.
    """
    path = Path(path)
    html, result = graph_page_html(graph, header=header, node_cap=node_cap, focus=focus,
                                   size_attr=size_attr, seed=seed)
    data = html.encode("utf-8")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise GraphlinkError(f"cannot write {path}: {exc.strerror or exc}") from None
    return HtmlResult(path, *result, len(data))


def graph_page_html(
    graph: nx.Graph,
    *,
    header: PageHeader,
    node_cap: int = DEFAULT_NODE_CAP,
    focus: Hashable | None = None,
    size_attr: str = "n_requests",
    seed: int = 42,
) -> tuple[str, tuple[int, int, int, int, bool]]:
    """The page as text, and ``(nodes_shown, edges_shown, nodes_total, edges_total, sampled)``."""
    drawn, sample = sample_graph(graph, node_cap, keep=[focus] if focus is not None else ())
    sizes = _node_sizes(drawn, size_attr)
    positions = layout_positions(drawn, seed=seed, radii=sizes)
    data = _page_data(drawn, positions, sizes, focus=focus, seed=seed)
    vis_js, vis_css = _vis_assets()
    page_js = _read_template("graph.js")
    page_css = _read_template("graph.css")
    facts = _facts(header, drawn)
    env = _environment()
    html = env.get_template("graph.html").render(
        header=header,
        band_class=_band_class(header.band),
        score_text=_number(header.score) if header.score is not None else "",
        facts=facts,
        sample=sample,
        node_count=drawn.number_of_nodes(),
        edge_count=drawn.number_of_edges(),
        footer=_footer(header),
        version=__version__,
        csp=_csp([vis_js, page_js]),
        vis_css=vis_css,
        page_css=page_css,
        vis_js=vis_js,
        page_js=page_js,
        data_json=script_json(data),
    )
    counts = (
        drawn.number_of_nodes(),
        drawn.number_of_edges(),
        graph.number_of_nodes(),
        graph.number_of_edges(),
        sample is not None,
    )
    return html, counts


# -- data for the page -------------------------------------------------------


def script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element of an HTML page.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e``, ``\\u0026`` so no
    string can close the element or open a comment; U+2028/U+2029 are escaped
    for old JavaScript parsers.  ``JSON.parse`` returns the original strings.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _page_data(
    graph: nx.Graph,
    positions: dict[Hashable, tuple[float, float]],
    sizes: dict[Hashable, float],
    *,
    focus: Hashable | None,
    seed: int,
) -> dict[str, Any]:
    from pyvis.network import Network

    ids = {node: str(node) for node in graph.nodes}
    if len(set(ids.values())) != len(ids):
        raise ValueError("node ids must stay distinct when converted to text")
    order = sorted(graph.nodes, key=str)
    # directed=True only skips pyvis's quadratic duplicate-edge check; the graph is
    # undirected and its arrows are switched off in the options.
    net = Network(directed=True)
    counts: dict[str, int] = {}
    for node in order:
        attrs = graph.nodes[node]
        kind = str(attrs.get("kind") or "other")
        counts[kind] = counts.get(kind, 0) + 1
        style = kind_style(kind)
        full = _text(attrs.get("label", node))
        x, y = positions[node]
        extra: dict[str, Any] = {}
        if focus is not None and node == focus:
            extra = {"borderWidth": 4, "color": _colors(style, border="#111827")}
        net.add_node(
            ids[node],
            label=_shorten(full, LABEL_CHARS) or ids[node],
            shape=style.shape,
            color=extra.pop("color", _colors(style)),
            size=sizes[node],
            x=x,
            y=y,
            kind=kind,
            full=full,
            search=f"{ids[node]}\n{full}".lower(),
            tip=_rows(attrs, skip=_HIDDEN_FIELDS),
            **extra,
        )
    weights = [_as_float(d.get("weight")) for _, _, d in graph.edges(data=True)]
    top = max(weights, default=0.0) or 1.0
    for u, v in sorted(graph.edges, key=lambda e: tuple(sorted((str(e[0]), str(e[1]))))):
        a, b = (u, v) if str(u) <= str(v) else (v, u)
        # account first, identifier second, as people read a link
        if graph.nodes[a].get("kind") != "account" and graph.nodes[b].get("kind") == "account":
            a, b = b, a
        attrs = graph.edges[u, v]
        other = str(graph.nodes[b].get("kind") or "other")
        color = kind_style(other).color if other != "account" else "#9ca3af"
        net.add_edge(
            ids[a],
            ids[b],
            width=round(1.0 + 5.0 * _as_float(attrs.get("weight")) / top, 2),
            color={"color": color, "opacity": 0.55, "highlight": color, "hover": color},
            heading=f"Link to {kind_style(other).name.lower()}",
            caption=f"{_text(graph.nodes[a].get('label', a))} \u2014 {_text(graph.nodes[b].get('label', b))}",
            tip=_rows(attrs, skip=set()),
        )
    net.toggle_physics(False)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    for edge in edges:
        edge.pop("arrows", None)
    kinds = sorted(counts, key=lambda k: (k != "account", list(KIND_STYLES).index(k) if k in KIND_STYLES else 99, k))
    return {
        "nodes": nodes,
        "edges": edges,
        "kinds": [
            {
                "kind": k,
                "name": kind_style(k).name,
                "shape": kind_style(k).shape,
                "color": kind_style(k).color,
                "border": kind_style(k).border,
                "count": counts[k],
                "filter": k != "account",
            }
            for k in kinds
        ],
        "focus": str(focus) if focus is not None and focus in graph else None,
        "options": _options(json.loads(options), graph.number_of_nodes(), seed),
    }


def _options(base: dict[str, Any], n_nodes: int, seed: int) -> dict[str, Any]:
    """vis-network options: pyvis's, with physics off and drawing tuned for large graphs."""
    big = n_nodes > 800
    base["physics"] = {"enabled": False}
    base["layout"] = {"improvedLayout": False, "randomSeed": seed}
    base["edges"] = {
        "smooth": False,
        "arrows": {"to": {"enabled": False}},
        "color": {"inherit": False},
        "selectionWidth": 2,
        "hoverWidth": 1.5,
    }
    base["nodes"] = {
        "borderWidth": 1.5,
        "borderWidthSelected": 3,
        "font": {
            "size": 12,
            "face": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif",
            "color": "#1f2937",
            "strokeWidth": 3,
            "strokeColor": "#ffffff",
        },
        "scaling": {"label": {"enabled": False, "drawThreshold": 8}},
    }
    base["interaction"] = {
        "hover": True,
        "tooltipDelay": 120,
        "hideEdgesOnDrag": big,
        "hideEdgesOnZoom": big,
        "dragNodes": True,
        "multiselect": False,
        "navigationButtons": False,
        "keyboard": False,
    }
    return base


def _rows(attrs: dict[str, Any], *, skip: set[str]) -> list[list[str]]:
    rows = []
    for key, value in attrs.items():
        if key in skip or key.startswith("_"):
            continue
        text = _display(value)
        if text == "":
            continue
        rows.append([FIELD_NAMES.get(key, key.replace("_", " ")), text])
    return rows


def _display(value: Any) -> str:
    """A value as text for people: thousands separators, minutes, yes/no, one item a line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, decimal.Decimal)) or hasattr(value, "item"):
        return _number(value.item() if hasattr(value, "item") else value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return _shorten("\n".join(_display(v) for v in items if _display(v) != ""), VALUE_CHARS)
    if isinstance(value, dict):
        return _shorten(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str), VALUE_CHARS)
    return _shorten(str(value), VALUE_CHARS)


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    number = float(value)
    if not math.isfinite(number):
        return str(number)
    if number.is_integer() and abs(number) < 1e15:
        return f"{int(number):,}"
    return f"{number:,.3f}".rstrip("0").rstrip(".") if abs(number) < 1000 else f"{number:,.0f}"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _as_float(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


def _node_sizes(graph: nx.Graph, size_attr: str, low: float = 7.0, high: float = 24.0) -> dict[Hashable, float]:
    """Node radii on a log scale of *size_attr* (request volume)."""
    values = {node: _as_float(attrs.get(size_attr)) for node, attrs in graph.nodes(data=True)}
    top = max(values.values(), default=0.0)
    if top <= 0:
        return {node: round((low + high) / 3, 1) for node in values}
    return {node: round(low + (high - low) * math.log1p(v) / math.log1p(top), 1) for node, v in values.items()}


def _colors(style: KindStyle, *, border: str | None = None) -> dict[str, Any]:
    edge = border or style.border
    return {
        "background": style.color,
        "border": edge,
        "highlight": {"background": style.color, "border": "#111827"},
        "hover": {"background": style.color, "border": "#111827"},
    }


def _shade(color: str, factor: float) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{max(0, min(255, round(c * factor))):02x}" for c in (r, g, b))


# -- header and page ---------------------------------------------------------


def _band_class(band: str | None) -> str:
    return band.lower() if band and band.lower() in {"high", "medium", "low"} else "none"


def _facts(header: PageHeader, drawn: nx.Graph) -> list[tuple[str, str]]:
    facts: list[tuple[str, str]] = []
    if header.run_id is not None:
        facts.append(("run", str(header.run_id)))
    if header.window:
        facts.append(("window", header.window))
    facts.extend((str(name), _display(value)) for name, value in header.facts if _display(value) != "")
    facts.append(("drawn", f"{drawn.number_of_nodes():,} nodes, {drawn.number_of_edges():,} links"))
    return facts


def _footer(header: PageHeader) -> str:
    run = f" \u00b7 run {header.run_id}" if header.run_id is not None else ""
    return f"graphlink {__version__}{run} \u00b7 self-contained page: opens offline and makes no network requests"


def _csp(scripts: Iterable[str]) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") + "'"
        for s in scripts
    )
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; "
        "worker-src 'none'; base-uri 'none'; form-action 'none'"
    )


@lru_cache(maxsize=None)
def template_environment(folder: str | Path) -> Environment:
    """A Jinja environment for graphlink's HTML templates in *folder*.

    Everything is escaped unless marked ``| safe``; an undefined name is an
    error; ``| thousands`` formats an integer as ``12,345``.
    """
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["thousands"] = lambda value: f"{int(value):,}"
    return env


def _environment() -> Environment:
    return template_environment(str(TEMPLATES))


@lru_cache(maxsize=None)
def _read_template(name: str) -> str:
    return _inline_safe((TEMPLATES / name).read_text(encoding="utf-8"))


def _inline_safe(text: str) -> str:
    """Make JS/CSS safe to place inside a <script> or <style> element."""
    lines = text.split("\n")  # not splitlines(): JS strings hold U+2028, \x1c and the like
    text = "\n".join(line for line in lines if not line.lstrip().startswith(("//# sourceMappingURL", "/*# sourceMappingURL")))
    for closing in ("</script", "</SCRIPT", "</style", "</STYLE", "<!--"):
        if closing in text:
            text = text.replace(closing, closing.replace("<", "\\x3c"))
    return text


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS from the installed pyvis package (the newest bundled version)."""
    try:
        import pyvis
    except ImportError:  # pragma: no cover - pyvis is a dependency
        raise GraphlinkError("pyvis is not installed; reinstall graphlink") from None
    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib"
    found = sorted(
        (d for d in lib.glob("vis-*") if (d / "vis-network.min.js").is_file() and (d / "vis-network.css").is_file()),
        key=lambda d: tuple(int(p) if p.isdigit() else 0 for p in d.name[4:].split(".")),
    )
    if not found:
        raise GraphlinkError(f"the installed pyvis has no vis-network files under {lib}; reinstall pyvis")
    newest = found[-1]
    return (
        _inline_safe((newest / "vis-network.min.js").read_text(encoding="utf-8")),
        _inline_safe((newest / "vis-network.css").read_text(encoding="utf-8")),
    )
