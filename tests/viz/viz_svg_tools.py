"""Read back what viz drew: parse the SVG that `dot` wrote into nodes, edges and clusters."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass
class Drawn:
    """One <g> of the SVG: its title, CSS classes, text lines and the box around its shapes."""

    title: str
    classes: set[str]
    texts: list[str]
    box: tuple[float, float, float, float]  # x0, y0, x1, y1

    @property
    def center(self) -> tuple[float, float]:
        return (self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2


def _box(g: ET.Element) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for el in g.iter():
        coords = el.get("points") or el.get("d")
        if coords and el.tag in (SVG + "polygon", SVG + "path") and el.get("fill") != "none":
            nums = [float(v) for v in NUMBER.findall(coords)]
            xs += nums[0::2]
            ys += nums[1::2]
    if not xs:
        for el in g.iter(SVG + "path"):
            nums = [float(v) for v in NUMBER.findall(el.get("d", ""))]
            xs += nums[0::2]
            ys += nums[1::2]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else (0.0, 0.0, 0.0, 0.0)


def _groups(root: ET.Element, kind: str) -> list[Drawn]:
    out = []
    for g in root.iter(SVG + "g"):
        classes = set((g.get("class") or "").split())
        if kind not in classes:
            continue
        title = g.find(SVG + "title").text
        texts = [t.text for t in g.iter(SVG + "text") if t.text]
        out.append(Drawn(title, classes, texts, _box(g)))
    return out


@dataclass
class Picture:
    """Everything drawn: graph nodes (by key), edges (in order), clusters (by label), caption text."""

    nodes: dict[str, Drawn]
    edges: list[Drawn]
    clusters: dict[str, Drawn]
    caption: list[str]

    def edge_ends(self, e: Drawn) -> tuple[str, str]:
        tail, head = e.title.split("->")
        return tail, head

    def edges_between(self, a: str, b: str) -> list[Drawn]:
        return [e for e in self.edges if self.edge_ends(e) == (a, b)]

    def inside(self, node_key: str, cluster_label: str) -> bool:
        x, y = self.nodes[node_key].center
        x0, y0, x1, y1 = self.clusters[cluster_label].box
        return x0 <= x <= x1 and y0 <= y <= y1


def parse(svg: str) -> Picture:
    """Parse viz's SVG (xml.etree): nodes are the <g class="node vnode ..."> groups."""
    root = ET.fromstring(svg)
    nodes = {d.title: d for d in _groups(root, "vnode")}
    edges = _groups(root, "vedge")
    clusters = {d.texts[0]: d for d in _groups(root, "cluster")}
    graph = next(g for g in root.iter(SVG + "g") if g.get("class") == "graph")
    caption = [t.text for t in graph.findall(SVG + "text") if t.text]
    return Picture(nodes, edges, clusters, caption)


def row(d: Drawn, prefix: str) -> list[str]:
    """The text lines of a drawn item that start with `prefix`."""
    return [t for t in d.texts if t.startswith(prefix)]
