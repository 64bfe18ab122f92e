"""Self-contained interactive graph pages for investigators.

One HTML file per graph, built with pyvis on graphlink's own template, with
vis-network embedded: it opens offline, from an e-mail attachment, on a
locked-down machine.  See :mod:`graphlink.html.page` for the graph contract and
:mod:`graphlink.html.sample` for the sample drawn above the node cap.
"""

from .page import (
    KIND_STYLES,
    HtmlResult,
    KindStyle,
    PageHeader,
    graph_page_html,
    kind_style,
    render_graph_html,
    script_json,
    template_environment,
)
from .sample import SampleInfo, layout_positions, sample_graph

__all__ = [
    "render_graph_html",
    "graph_page_html",
    "PageHeader",
    "HtmlResult",
    "KindStyle",
    "KIND_STYLES",
    "kind_style",
    "script_json",
    "template_environment",
    "sample_graph",
    "layout_positions",
    "SampleInfo",
]
