// viz explorer: lays out the graph in GRAPH (made by viz/explore/*.py) and makes it live.
// Layout: layered (rank = longest path from the inputs), order in a rank by barycenter sweeps with
// module members kept together; clusters are boxes around their members. No network, no library.
(function () {
  "use strict";
  const G = GRAPH, NS = "http://www.w3.org/2000/svg";
  // Box and gap sizes in layout units; node text is at least MIN_FONT units, so the opening zoom
  // READABLE / MIN_FONT shows it at READABLE (11) CSS pixels or more.
  const W = 120, H = 70, GAPX = 50, GAPY = 20, MIN_FONT = 12, READABLE = 11, LR = G.rankdir !== "TB";
  const KREAD = READABLE / MIN_FONT, MAX_ZOOM = 1.25, TITLE_CHARS = 15, LINE_CHARS = 18;
  const byKey = {}, fwdIndex = {}, bwdIndex = {}, shares = {};  // shares: how many nodes using it send a node a gradient
  G.nodes.forEach((n, i) => { n.index = i; byKey[n.key] = n; });
  G.forward.forEach((s, i) => { fwdIndex[s.key] = i; });
  G.backward.forEach((s, i) => { bwdIndex[s.key] = i; });
  G.backward.forEach((s) => s.sends.forEach((x) => { shares[x.parent] = (shares[x.parent] || 0) + 1; }));
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
  const state = { mode: "backward", step: 0, folded: new Set(G.folded), selected: null, macro: [],
                  timer: null, query: "", zoom: { x: 0, y: 0, k: 1 }, predict: false, answered: {}, level: null };
  let units = [], unitOf = {}, pos = {}, drawn = {}, timeLine = null;  // timeLine: across-position of the first time line

  // ---- scopes and folding ------------------------------------------------------------------
  function ancestors(s) { const out = []; while (s !== null && s !== undefined) { out.push(s); s = G.scopes[s].parent; } return out; }
  function foldedTop(s) { let top = null; for (const a of ancestors(s)) if (state.folded.has(a)) top = a; return top; }
  function buildUnits() {
    units = []; unitOf = {}; const scopeUnit = {};
    for (const n of G.nodes) {
      const f = foldedTop(n.scope);
      if (f === null) { const u = { key: n.key, node: n, members: [n], scope: n.scope, first: n.index }; units.push(u); unitOf[n.key] = u; continue; }
      let u = scopeUnit[f];
      if (!u) { u = scopeUnit[f] = { key: "s" + f, fold: f, members: [], scope: G.scopes[f].parent, first: n.index }; units.push(u); }
      u.members.push(n); unitOf[n.key] = u;
    }
  }
  function unitEdges() {
    const seen = {}, out = [];
    G.edges.forEach((e, k) => {
      const a = unitOf[e.parent], b = unitOf[e.child];
      if (a === b) return;
      const id = a.node && b.node ? "e" + k : a.key + ">" + b.key;
      if (seen[id]) { seen[id].edges.push(k); return; }
      out.push(seen[id] = { id, from: a, to: b, edges: [k] });
    });
    return out;
  }

  // ---- layout --------------------------------------------------------------------------------
  function ranks(ues) {
    const indeg = new Map(units.map((u) => [u, 0])), outs = new Map(units.map((u) => [u, []])), rank = new Map();
    for (const e of ues) { indeg.set(e.to, indeg.get(e.to) + 1); outs.get(e.from).push(e.to); }
    const ready = units.filter((u) => indeg.get(u) === 0), done = new Set();
    units.forEach((u) => rank.set(u, 0));
    while (done.size < units.length) {
      if (!ready.length) ready.push(units.filter((u) => !done.has(u)).sort((a, b) => a.first - b.first)[0]);
      const u = ready.shift(); if (done.has(u)) continue; done.add(u);
      for (const v of outs.get(u)) {
        if (done.has(v)) continue;
        rank.set(v, Math.max(rank.get(v), rank.get(u) + 1));
        indeg.set(v, indeg.get(v) - 1); if (indeg.get(v) === 0) ready.push(v);
      }
    }
    // Every box sits just before its first use, not as far left as its inputs allow: a leaf next to
    // the op that takes it, a recurrent step's input slice beside its own step (time reads left to right).
    const order = [...done];
    for (const u of order.reverse()) {
      if (!outs.get(u).length) continue;
      rank.set(u, Math.max(rank.get(u), Math.min(...outs.get(u).map((v) => rank.get(v))) - 1));
    }
    return rank;
  }
  // An edge spanning several ranks gets one small dummy item per rank it crosses, so that ordering
  // and placing route it around the boxes in between instead of through them.
  function dummies(ues, rank) {
    const links = [];
    for (const e of ues) {
      const r0 = rank.get(e.from), r1 = rank.get(e.to);
      e.via = [];
      let prev = e.from;
      for (let r = r0 + 1; r < r1; r++) {
        const d = { key: e.id + "~" + r, dummy: true, scope: null, first: e.from.first };
        rank.set(d, r); e.via.push(d); links.push([prev, d]); prev = d;
      }
      links.push([prev, e.to]);
    }
    return links;
  }
  function scopePath(u) { return ancestors(u.scope).reverse(); }
  function sortLayer(layer, bary) {
    const group = new Map();
    for (const u of layer) { const p = scopePath(u); for (let d = 0; d <= p.length; d++) { const k = p.slice(0, d).join("/"); const g = group.get(k) || [0, 0]; g[0] += bary.get(u); g[1]++; group.set(k, g); } }
    const gb = (k) => { const g = group.get(k); return g[0] / g[1]; };
    layer.sort((a, b) => {
      const pa = scopePath(a), pb = scopePath(b);
      for (let d = 0; d < Math.max(pa.length, pb.length); d++) {
        if (pa[d] === pb[d]) continue;
        const va = pa[d] === undefined ? bary.get(a) : gb(pa.slice(0, d + 1).join("/"));
        const vb = pb[d] === undefined ? bary.get(b) : gb(pb.slice(0, d + 1).join("/"));
        return va - vb || (pa[d] ?? -1) - (pb[d] ?? -1);
      }
      return bary.get(a) - bary.get(b) || a.first - b.first;
    });
  }
  function orderLayers(layers, links) {
    const nbr = new Map(), slot = new Map();
    layers.forEach((l) => l.forEach((u, i) => { nbr.set(u, []); slot.set(u, i); }));
    for (const [a, b] of links) { nbr.get(a).push(b); nbr.get(b).push(a); }
    for (let sweep = 0; sweep < 8; sweep++) {
      for (const layer of layers) {
        sortLayer(layer, new Map(layer.map((u) => { const ns = nbr.get(u); return [u, ns.length ? ns.reduce((s, v) => s + slot.get(v), 0) / ns.length : slot.get(u)]; })));
        layer.forEach((u, i) => slot.set(u, i));
      }
      layers.reverse();
    }
    return nbr;
  }
  function size(u) { return u.dummy ? 14 : LR ? H : W; }
  // The time steps of one recurrent module share a line: its folded step boxes, or each unfolded
  // step's output (the step's last node), keyed by the module's path. unit -> line key.
  function timeLines(layers) {
    const stepOf = (u) => { for (const a of ancestors(u.fold !== undefined ? u.fold : u.scope)) if (G.scopes[a].step !== null && G.scopes[a].step !== undefined) return a; return null; };
    const last = new Map();
    for (const l of layers) for (const u of l) {
      if (u.dummy) continue;
      const s = stepOf(u);
      if (s !== null && (!last.has(s) || last.get(s).first < u.first)) last.set(s, u);
    }
    return new Map([...last].map(([s, u]) => [u, G.scopes[s].path]));
  }
  function place(layers, nbr) {
    const apart = (a, b) => { const pa = scopePath(a), pb = scopePath(b); let d = 0; while (d < pa.length && pa[d] === pb[d]) d++; return Math.max(pa.length, pb.length) - d; };
    const y = new Map(), gap = (a, b) => (size(a) + size(b)) / 2 + (a.dummy || b.dummy ? 12 : GAPY) + 24 * apart(a, b);
    const line = timeLines(layers);
    layers.forEach((l) => { let at = 0; l.forEach((u, i) => { if (i) at += gap(l[i - 1], u); y.set(u, at); }); l.forEach((u) => y.set(u, y.get(u) - at / 2)); });
    for (let it = 0; it < 8; it++) {
      const centre = new Map();   // line key -> [sum of y, count]: where its steps sit on average
      for (const [u, k] of line) { const c = centre.get(k) || [0, 0]; c[0] += y.get(u); c[1]++; centre.set(k, c); }
      for (const l of it % 2 ? layers.slice().reverse() : layers) {
        // each neighbour pulls with weight 1/its degree: a shared weight used by every time step (a
        // hub) pulls little; a time step wants its line's centre, so the steps stay level
        const want = l.map((u) => {
          if (line.has(u)) { const c = centre.get(line.get(u)); return c[0] / c[1]; }
          const ns = nbr.get(u); if (!ns.length) return y.get(u);
          let sw = 0, sy = 0; for (const v of ns) { const w = 1 / nbr.get(v).length; sw += w; sy += w * y.get(v); }
          return sy / sw;
        });
        const got = want.slice();
        for (let i = 1; i < got.length; i++) got[i] = Math.max(got[i], got[i - 1] + gap(l[i - 1], l[i]));
        const anchor = l.findIndex((u) => line.has(u));   // a layer holding a step is shifted to put it on its line
        const shift = anchor >= 0 ? want[anchor] - got[anchor] : want.reduce((s, w, i) => s + w - got[i], 0) / Math.max(1, got.length);
        l.forEach((u, i) => y.set(u, got[i] + shift));
      }
    }
    timeLine = line.size ? y.get(line.keys().next().value) : null;
    return y;
  }
  function layout() {
    buildUnits();
    const ues = unitEdges(), rank = ranks(ues), links = dummies(ues, rank), layers = [];
    for (const [u, r] of rank) (layers[r] = layers[r] || []).push(u);
    const dense = layers.filter(Boolean);
    dense.forEach((l) => l.sort((a, b) => a.first - b.first));
    const nbr = orderLayers(dense, links), across = place(dense, nbr);
    pos = {};
    dense.forEach((l, r) => l.forEach((u) => {
      const along = r * ((LR ? W : H) + GAPX), side = across.get(u);
      pos[u.key] = LR ? { x: along, y: side } : { x: side, y: along };
    }));
    return ues;
  }

  // ---- drawing -------------------------------------------------------------------------------
  function el(tag, attrs, parent) {
    const e = document.createElementNS(NS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(parent, x, y, s, cls) { const t = el("text", { x, y, class: cls || "" }, parent); t.textContent = s; return t; }
  function clip(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + "…" : s; }
  function drawClusters(vp, top) {
    const boxes = [];
    G.scopes.forEach((s) => {
      if (state.folded.has(s.index) || foldedTop(s.parent) !== null) return;
      const mine = units.filter((u) => ancestors(u.scope).includes(s.index));
      if (!mine.length) return;
      const depth = ancestors(s.index).length, pad = Math.max(6, 22 - 4 * depth);
      const xs = mine.map((u) => pos[u.key].x), ys = mine.map((u) => pos[u.key].y);
      boxes.push({ s, depth, x0: Math.min(...xs) - W / 2 - pad, x1: Math.max(...xs) + W / 2 + pad,
                   y0: Math.min(...ys) - H / 2 - pad - 14, y1: Math.max(...ys) + H / 2 + pad });
    });
    boxes.sort((a, b) => a.depth - b.depth);
    for (const b of boxes) {
      const g = el("g", { class: "cluster", id: "cluster-" + b.s.index, "data-scope": b.s.index }, vp);
      el("rect", { x: b.x0, y: b.y0, width: b.x1 - b.x0, height: b.y1 - b.y0, rx: 8 }, g);
      const t = text(el("g", { class: "cluster", id: "cluster-label-" + b.s.index }, top), b.x0 + 6, b.y0 + 12, "⊟ " + shortScope(b.s.index), "cluster-label");
      t.addEventListener("click", (ev) => { ev.stopPropagation(); toggleFold(b.s.index); });
    }
  }
  function segment(a, b, ha, hb) {  // a cubic from a to b leaving and entering along the rank direction
    if (LR) { const x0 = a.x + ha, x1 = b.x - hb, dx = Math.max(20, (x1 - x0) / 2); return [`C${x0 + dx},${a.y} ${x1 - dx},${b.y} ${x1},${b.y}`, x0, a.y, x1, b.y]; }
    const y0 = a.y + ha, y1 = b.y - hb, dy = Math.max(16, (y1 - y0) / 2);
    return [`C${a.x},${y0 + dy} ${b.x},${y1 - dy} ${b.x},${y1}`, a.x, y0, b.x, y1];
  }
  function edgePath(ue) {
    const pts = [ue.from, ...ue.via, ue.to].map((u) => ({ p: pos[u.key], h: u.dummy ? 0 : (LR ? W : H) / 2 }));
    let d = "", mid = null;
    for (let i = 0; i + 1 < pts.length; i++) {
      const [c, x0, y0, x1, y1] = segment(pts[i].p, pts[i + 1].p, pts[i].h, pts[i + 1].h);
      d += (i ? `L${x0},${y0}` : `M${x0},${y0}`) + c;
      if (i === Math.floor((pts.length - 2) / 2)) mid = { mx: (x0 + x1) / 2, my: (y0 + y1) / 2 };
    }
    return { d, ...mid };
  }
  function drawEdges(vp, top, ues) {
    const labels = ues.length <= 240;
    for (const ue of ues) {
      const p = edgePath(ue);
      const one = ue.edges.length === 1 ? G.edges[ue.edges[0]] : null;
      const cls = "edge" + (one && !one.grad ? " nograd" : "");
      const g = el("g", { class: cls, id: "edge-" + ue.id }, vp), lg = el("g", { class: cls }, top);
      g.edgeIds = ue.edges;
      el("path", { d: p.d, "marker-end": "url(#arrow)" }, g);
      const bg = el("rect", { class: "label-bg", x: p.mx, y: p.my - 10, width: 0, height: 15 }, lg);
      const t = text(lg, p.mx, p.my + 2, "", "elabel");
      t.setAttribute("text-anchor", "middle");
      drawn["edge-" + ue.id] = { g, lg, t, bg, ue, one, labels };
    }
  }
  function shortScope(i) {  // a module's name inside its enclosing box: "neurons.0" in "layers.1"
    const s = G.scopes[i], p = s.parent === null || s.parent === undefined ? null : G.scopes[s.parent];
    return p && p.name && s.name.startsWith(p.name + ".") ? s.name.slice(p.name.length + 1) : s.name;
  }
  function kindOf(n) { return n.tensor ? n.shape + " " + n.dtype : n.op ? "op " + n.op : n.role; }
  function drawNodes(vp) {
    for (const u of units) {
      const c = pos[u.key], n = u.node;
      const g = el("g", { class: "node" + (u.fold !== undefined ? " folded" : "") + (n && n.troubles.length ? " trouble" : ""),
                          id: "node-" + u.key, "data-key": u.key, transform: `translate(${c.x - W / 2},${c.y - H / 2})` }, vp);
      el("rect", { width: W, height: H, rx: 7, fill: G.fills[n ? n.role : "module"] }, g);
      const lines = n ? [[clip(n.name, TITLE_CHARS), "t"], [clip(kindOf(n), LINE_CHARS), "s"], ["", "d"], ["", "g"]]
                      : [[clip("⊞ " + shortScope(u.fold), TITLE_CHARS), "t"], [u.members.length + " nodes (open: click)", "s"], ["", "d"], ["", "g"]];
      const ts = lines.map((l, i) => text(g, 7, 17 + i * 15.5, l[0], l[1]));
      drawn[u.key] = { g, data: ts[2], grad: ts[3], unit: u };
      g.addEventListener("mouseenter", (ev) => hover(u, ev));
      g.addEventListener("mousemove", moveTip);
      g.addEventListener("mouseleave", () => { $("tooltip").hidden = true; });
      g.addEventListener("click", (ev) => { ev.stopPropagation(); if (n) select(n.key); else toggleFold(u.fold); });
    }
  }
  function render() {
    const vp = $("viewport");
    vp.textContent = ""; drawn = {};
    const ues = layout();
    const clusters = el("g", {}, vp), edges = el("g", {}, vp), nodes = el("g", {}, vp);
    const top = el("g", { id: "edge-labels" }, vp);
    drawClusters(clusters, top);
    drawEdges(edges, top, ues); drawNodes(nodes);
    state.macro = macroSteps();
    state.step = Math.min(state.step, state.macro.length);
    update();
  }
  function toggleFold(s) {
    if (state.folded.has(s)) state.folded.delete(s); else state.folded.add(s);
    state.level = null; $("level").value = "";
    render(); openView();
  }

  // ---- the steppers --------------------------------------------------------------------------
  // A stepper step is one engine step, or, for the nodes inside a folded box, all of them at once
  // (a folded level narrates folded steps).
  function macroSteps() {
    const list = state.mode === "backward" ? G.backward : G.forward, out = [];
    list.forEach((s, i) => {
      const u = unitOf[s.key], last = out[out.length - 1];
      if (u && u.fold !== undefined && last && last.unit === u) last.idx.push(i);
      else out.push({ unit: u, idx: [i] });
    });
    return out;
  }
  function total() { return state.macro.length; }
  function rawCount(k) { return k ? state.macro[k - 1].idx[state.macro[k - 1].idx.length - 1] + 1 : 0; }
  function currentIdx() { return state.step ? state.macro[state.step - 1].idx : []; }
  function pending() { return state.predict && state.mode === "backward" && state.step > 0 && !state.answered[state.step]; }
  // Replay the first k backward steps: each node's status, running sum and the shares it received.
  function backwardState(k) {
    const st = {};
    G.nodes.forEach((n) => { st[n.key] = { status: "none", got: [] }; });
    if (G.backward.length) st[G.backward[0].key] = { status: "seed", got: [], sum: G.backward[0].grad, raw: G.backward[0].gradRaw };
    for (let i = 0; i < k; i++) {
      const s = G.backward[i];
      st[s.key].status = "final"; st[s.key].sum = s.grad; st[s.key].raw = s.gradRaw;
      for (const send of s.sends) {
        const t = st[send.parent];
        t.got.push({ from: s.key, carried: send.carried });
        t.sum = send.soFar; t.raw = send.soFarRaw;
        if (t.status === "none" || t.status === "seed") t.status = "partial";
      }
    }
    return st;
  }
  function shownState() {  // what the boxes may show: in predict mode a step's shares wait for the answers
    const k = state.mode === "backward" ? state.step : 0;
    if (!pending()) return backwardState(rawCount(k));
    const st = backwardState(rawCount(k - 1));
    for (const i of currentIdx()) { const s = G.backward[i]; st[s.key].status = "final"; st[s.key].sum = s.grad; st[s.key].raw = s.gradRaw; }
    return st;
  }
  function gradLine(n, s) {
    if (n.role === "constant") return ["constant", "g-none"];
    if (!n.requiresGrad) return ["no grad", "g-none"];
    if (s.status === "final") return ["grad " + s.sum, "g-final"];
    if (s.status === "seed") return ["grad " + s.sum + " (seed)", "g-partial"];
    if (s.status === "partial") return ["so far " + s.sum + " (" + s.got.length + "/" + shares[n.key] + ")", "g-partial"];
    return ["grad ?", "g-none"];
  }
  function dataKnown(key) { return state.mode === "backward" || fwdIndex[key] < rawCount(state.step); }
  function processed(key) { return state.mode === "backward" && bwdIndex[key] !== undefined && bwdIndex[key] < rawCount(state.step) && !(pending() && currentIdx().includes(bwdIndex[key])); }
  function showNodes(st) {
    const fwd = state.mode === "forward";
    for (const key in drawn) {
      const d = drawn[key]; if (!d.unit) continue;
      const n = d.unit.node, u = d.unit;
      if (!n) {  // a folded module: show its last member (its output)
        const last = u.members[u.members.length - 1], s = st[last.key];
        d.data.textContent = clip(dataKnown(last.key) ? "out " + last.data : "out ?", LINE_CHARS);
        const [gt, gc] = fwd ? ["", "g-none"] : gradLine(last, s);
        d.grad.textContent = clip(gt.replace("grad", "out grad"), LINE_CHARS); d.grad.setAttribute("class", gc);
        continue;
      }
      const known = dataKnown(n.key);
      d.data.textContent = clip(known ? "data " + n.data : "data ?", LINE_CHARS);
      d.data.setAttribute("class", known ? "d" : "d-none");
      d.g.setAttribute("data-data", known ? JSON.stringify(n.dataRaw) : "");
      const [gt, gc] = fwd ? ["", "g-none"] : gradLine(n, st[n.key]);
      d.grad.textContent = clip(gt, LINE_CHARS); d.grad.setAttribute("class", gc);
      d.g.setAttribute("data-grad-state", fwd ? "" : st[n.key].status);
      d.g.setAttribute("data-grad-raw", fwd || st[n.key].raw === undefined ? "" : JSON.stringify(st[n.key].raw));
      d.g.setAttribute("data-grad-text", fwd ? "" : gt);
    }
  }
  function mark(cls, keys) {
    document.querySelectorAll(".node." + cls).forEach((e) => e.classList.remove(cls));
    for (const k of keys) { const u = unitOf[k]; if (u && drawn[u.key]) drawn[u.key].g.classList.add(cls); }
  }
  function edgeDrawnOf(k) { for (const id in drawn) if (id.startsWith("edge-") && drawn[id].g.edgeIds.includes(k)) return drawn[id]; return null; }
  // The resting label of an arrow: its local derivative once the step of the node using it has run
  // (backward), nothing before; a Tensor op that is not elementwise names the product it carries.
  function baseLabel(d) {
    if (!d.labels || state.mode !== "backward") return "";
    if (!d.one) return d.ue.edges.every((k) => processed(G.edges[k].child)) ? d.ue.edges.length + " edges" : "";
    if (!d.one.grad || !processed(d.one.child)) return "";
    return d.one.tensorRule ? "carries " + d.one.local : "∂ " + d.one.local;
  }
  function showEdges() {
    for (const id in drawn) {
      if (!id.startsWith("edge-")) continue;
      const d = drawn[id]; d.g.classList.remove("hot"); d.lg.classList.remove("hot");
      d.g.querySelector("path").setAttribute("marker-end", "url(#arrow)"); d.g.querySelector("path").removeAttribute("marker-start");
      setLabel(d, baseLabel(d));
    }
    if (state.step === 0) return;
    const hot = new Map();
    if (state.mode === "forward") {
      for (const i of currentIdx()) {
        const n = byKey[G.forward[i].key];
        n.parents.forEach((pk, j) => {
          const k = G.edges.findIndex((e) => e.child === n.key && e.parent === pk && e.input === j);
          const d = k < 0 ? null : edgeDrawnOf(k);
          if (d && d.ue.from !== d.ue.to) (hot.get(d) || hot.set(d, []).get(d)).push(byKey[pk].data);
        });
      }
    } else {
      const wait = pending();
      for (const i of currentIdx()) for (const send of G.backward[i].sends) {
        const d = send.edge === null ? null : edgeDrawnOf(send.edge); if (!d) continue;
        (hot.get(d) || hot.set(d, []).get(d)).push(wait ? "?" : send.label);
      }
    }
    for (const [d, labels] of hot) {
      d.g.classList.add("hot"); d.lg.classList.add("hot");
      const path = d.g.querySelector("path");
      if (state.mode === "backward") { path.removeAttribute("marker-end"); path.setAttribute("marker-start", "url(#arrow-hot)"); }
      setLabel(d, clip(labels.join("; "), 48));
    }
  }
  function setLabel(d, s) {
    d.t.textContent = s;
    const w = s ? d.t.getComputedTextLength() + 6 : 0;
    d.bg.setAttribute("width", w); d.bg.setAttribute("x", +d.t.getAttribute("x") - w / 2);
  }
  function nameOf(key) { return byKey[key].path || byKey[key].name; }  // text says a parameter's full path
  function where(n) { return n.scoped ? ` <span class="hint">in ${esc(n.scoped)}</span>` : ""; }
  function forwardInfo(k, N) {
    if (k === 0) return "<p>Forward: nothing computed yet. Press Step to compute the nodes in topological order (inputs first).</p>";
    const idx = currentIdx(), u = state.macro[k - 1].unit;
    if (idx.length === 1) return `<p>Forward step ${k} of ${N}: <span class="mono">${esc(G.forward[idx[0]].text)}</span></p>`;
    const lines = idx.slice(0, 6).map((i) => `<div class="mono">${esc(G.forward[i].text)}</div>`).join("");
    return `<p>Forward step ${k} of ${N}: inside the folded box <b>${esc(G.scopes[u.fold].name)}</b>, ${idx.length} nodes are computed:</p>${lines}${idx.length > 6 ? "<p>…</p>" : ""}<p>Its output: <b class="mono">${esc(byKey[G.forward[idx[idx.length - 1]].key].data)}</b>.</p>`;
  }
  function sendHtml(send, j, st, from) {
    const to = nameOf(send.parent);
    if (pending()) {
      const rule = G.edges[send.edge] ? G.edges[send.edge].math : send.local;
      return `<div class="send" data-j="${j}"><div>to <b>${esc(to)}</b>: carried = upstream × local</div>` +
        `<div>upstream = grad of ${esc(nameOf(from))}; local = d ${esc(nameOf(from))} / d ${esc(to)} = <span class="mono">${esc(rule)}</span></div>` +
        `<div>carried = <input class="guess" id="guess-${j}" size="9" aria-label="carried to ${esc(to)}"> <span class="verdict" id="verdict-${j}"></span></div></div>`;
    }
    const t = st[send.parent], got = t.got.map((x) => x.carried);
    const prod = `<span class="factor up">${esc(send.upstream)}</span> × <span class="factor loc">${esc(send.local)}</span> = ${esc(send.carried)}`;
    return `<div class="send" data-j="${j}"><div>to <b>${esc(to)}</b>: upstream × local = carried</div><div class="mono">${byKey[from].tensor ? esc(send.product) : prod}</div>` +
           `<div>${esc(to)}'s grad so far: <span class="mono">${got.length > 1 ? esc(got.join(" + ")) + " = " : ""}${esc(send.soFar)}</span></div></div>`;
  }
  function backwardInfo(k, N, st) {
    const note = G.computed ? "" : "<p class='hint'>backward() has not run yet: this is what it would compute.</p>";
    if (k === 0) {
      return note + `<p>Backward starts at the output: d ${esc(nameOf(G.root))} / d ${esc(nameOf(G.root))} = <b>${esc(G.backward[0].grad)}</b> (the seed). Press Step: the engine visits nodes in reverse topological order, each once, after every node that uses it.</p>`;
    }
    const idx = currentIdx(), u = state.macro[k - 1].unit;
    if (idx.length > 1 || (u && u.fold !== undefined)) {
      const inside = new Set(u.members.map((m) => m.key)), outKey = G.backward[idx[0]].key;
      let h = note + `<p>Step ${k} of ${N}: the engine passes through the folded box <b>${esc(G.scopes[u.fold].name)}</b> (${idx.length} of its nodes, one engine step each). Its output's gradient is final: <b class="mono">${esc(G.backward[idx[0]].grad ?? "none")}</b>.</p>`;
      const out = [], kept = [];
      idx.forEach((i) => G.backward[i].sends.forEach((s) => { if (!inside.has(s.parent)) out.push([s, G.backward[i].key]); else if (!byKey[s.parent].op) kept.push(s); }));
      if (out.length) h += "<p>Sent out of the box:</p>" + out.map(([s, from], j) => sendHtml(s, j, st, from)).join("");
      if (kept.length) h += `<p>Its parameters' gradients: <span class="mono">${kept.map((s) => esc(nameOf(s.parent)) + " " + esc(s.soFar)).join(", ")}</span></p>`;
      if (!out.length && !kept.length) h += `<p>${esc(nameOf(outKey))}: nothing leaves the box.</p>`;
      return h;
    }
    const s = G.backward[idx[0]], n = byKey[s.key];
    let h = note + `<p>Step ${k} of ${N}: the engine processes <b>${esc(n.name)}</b>${n.op ? " (op " + esc(n.op) + ")" : ""}${where(n)}. Every node that uses it is done, so its gradient is final: <b class="mono">${esc(s.grad === null ? "none" : s.grad)}</b>.</p>`;
    if (!s.sends.length) h += `<p>${n.op ? "No input takes a gradient." : "It is a leaf: the gradient is stored in its .grad."}</p>`;
    s.sends.forEach((send, j) => { h += sendHtml(send, j, st, s.key); });
    if (pending() && s.sends.length) h += `<p><button id="btn-check">check</button> <button id="btn-reveal">reveal</button> <span class="hint">type what each input receives, then check</span></p>`;
    return h;
  }
  function stepInfo(st) {
    const k = state.step, N = total(), box = $("step-info");
    $("step-count").textContent = `step ${k} / ${N}`;
    $("slider").max = N; $("slider").value = k;
    if (state.mode === "forward") {
      box.innerHTML = forwardInfo(k, N);
      mark("current", currentIdx().map((i) => G.forward[i].key)); mark("receiving", []);
      return;
    }
    if (!G.backward.length) { box.innerHTML = "<p>The output does not require grad: there is no backward pass.</p>"; return; }
    box.innerHTML = backwardInfo(k, N, st);
    if ($("btn-check")) { $("btn-check").onclick = checkGuesses; $("btn-reveal").onclick = () => { state.answered[state.step] = true; update(); }; }
    const idx = currentIdx();
    mark("current", idx.map((i) => G.backward[i].key));
    mark("receiving", idx.flatMap((i) => G.backward[i].sends.map((x) => x.parent)));
  }

  // ---- predict, then reveal -------------------------------------------------------------------
  function close(a, b) { return Math.abs(a - b) <= 2e-3 * Math.abs(b) + 1e-9; }
  // Which factor of upstream × local a wrong answer got wrong: the one it leaves out, or the one
  // whose implied value (answer / the other factor) is not the right one.
  function differing(v, up, loc) {
    if (close(v, up) && !close(loc, 1)) return "loc";
    if (close(v, loc) && !close(up, 1)) return "up";
    if (close(up, 1)) return "loc";
    if (close(loc, 1)) return "up";
    const known = G.nodes.map((n) => n.dataRaw).filter((x) => typeof x === "number");
    const impliedLocal = v / up;
    return known.some((x) => close(impliedLocal, x) || close(impliedLocal, 1 - x * x)) ? "loc" : "up";
  }
  function checkGuesses() {
    const s = G.backward[currentIdx()[0]];
    let allRight = true;
    const verdicts = s.sends.map((send, j) => {
      const v = parseFloat($("guess-" + j).value.replace("−", "-"));
      const ok = Number.isFinite(v) && close(v, send.carriedRaw);
      allRight = allRight && ok;
      return { ok, v, j, send };
    });
    state.answered[state.step] = true; update();
    for (const { ok, v, j, send } of verdicts) {
      const row = document.querySelector(`#step-info .send[data-j="${j}"]`);
      row.classList.add(ok ? "right" : "wrong-row");
      if (ok) { row.insertAdjacentHTML("beforeend", `<div class="verdict-ok">✓ you said ${esc(String(v))}</div>`); continue; }
      const up = typeof send.upstreamRaw === "number" ? send.upstreamRaw : parseFloat(send.upstream), loc = send.localRaw ?? parseFloat(send.local);
      if (!Number.isFinite(v)) {   // not a number: nothing to compare, say what the two factors are
        row.insertAdjacentHTML("beforeend", `<div class="verdict-bad">✗ not a number: the carried value is upstream ${esc(send.upstream)} × local ${esc(send.local)}</div>`);
        continue;
      }
      const which = differing(v, up, loc);
      row.querySelector(".factor." + which).classList.add("wrong");
      const what = which === "up" ? `the upstream gradient differs: yours implies ${fmt(v / loc)}, the node's grad is ${send.upstream}`
                                  : `the local derivative differs: yours implies ${fmt(v / up)}, d/d input is ${send.local}`;
      row.insertAdjacentHTML("beforeend", `<div class="verdict-bad">✗ you said ${esc(String(v))}: ${esc(what)}</div>`);
    }
    return allRight;
  }
  function update() {
    const st = shownState();
    showNodes(st); showEdges(); stepInfo(st); showSearch(); showPaths();
  }
  function go(k) {
    state.step = Math.max(0, Math.min(total(), k)); update();
    const idx = currentIdx();
    if (idx.length) follow((state.mode === "backward" ? G.backward : G.forward)[idx[0]].key);
  }
  function play() {
    if (state.timer) { clearInterval(state.timer); state.timer = null; $("btn-play").textContent = "▶ Play"; return; }
    if (state.step >= total()) state.step = 0;
    $("btn-play").textContent = "❚❚ Pause";
    state.timer = setInterval(() => { if (state.step >= total()) play(); else go(state.step + 1); }, 900);
    update();
  }

  // ---- numbers as Python's viz.labels.fmt writes them (4 significant digits, "0" for zeros) ----
  function fmt(x, p) {
    p = p || 4;
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return "0";
    const e = Math.floor(Math.log10(Math.abs(+x.toPrecision(p))));
    if (e < -4 || e >= p) {
      const [m, ex] = x.toExponential(p - 1).split("e");
      const mant = m.includes(".") ? m.replace(/0+$/, "").replace(/\.$/, "") : m;
      const n = parseInt(ex, 10);
      return mant + "e" + (n < 0 ? "-" : "+") + String(Math.abs(n)).padStart(2, "0");
    }
    const s = x.toFixed(Math.max(0, p - 1 - e));
    return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
  }

  // ---- hover, paths, search ------------------------------------------------------------------
  function nodeHtml(u) {
    const n = u.node;
    if (!n) return `<b>${esc(G.scopes[u.fold].name)}</b> (folded module, ${u.members.length} nodes)<br>click to unfold`;
    const rows = [`<b>${esc(n.name)}</b> ${esc(n.role)}${n.op ? ", op <b>" + esc(n.op) + "</b>" : ""}`];
    if (n.tensor) rows.push(`Tensor ${esc(n.shape)} ${esc(n.dtype)}`);
    if (n.scope !== null) rows.push("module " + esc(G.scopes[n.scope].name));
    rows.push(`<span class="mono">data ${dataKnown(n.key) ? esc(n.data) : "? (not computed yet)"}</span>`);
    if (state.mode === "backward" && n.requiresGrad && n.role !== "constant") {
      const s = shownState()[n.key];
      rows.push(`<span class="mono">${esc(gradLine(n, s)[0])}</span>`);
    }
    const revealed = processed(n.key) && !live.moved;  // local derivatives' values come with the node's step
    for (const r of revealed ? n.rules : n.rulesHidden) rows.push(`<span class="mono">${esc(r)}</span>`);
    if (live.moved && processed(n.key)) G.edges.filter((e) => e.child === n.key && e.grad).forEach((e) => rows.push(`<span class="mono">now d out / d ${esc(nameOf(e.parent))} = ${esc(e.local)}</span>`));
    for (const t of n.troubles) rows.push(`<b style="color:#fca5a5">${esc(t)}</b>`);
    return rows.join("<br>");
  }
  function hover(u, ev) {
    const h = nodeHtml(u);
    $("node-info").innerHTML = h.replace('color:#fca5a5', 'color:#b91c1c');
    const tip = $("tooltip"); tip.innerHTML = h; tip.hidden = false; moveTip(ev);
  }
  function moveTip(ev) {
    const tip = $("tooltip"), r = $("canvas").getBoundingClientRect();
    let x = ev.clientX - r.left + 14, y = ev.clientY - r.top + 14;
    if (x + tip.offsetWidth > r.width) x = Math.max(0, ev.clientX - r.left - tip.offsetWidth - 14);
    if (y + tip.offsetHeight > r.height) y = Math.max(0, r.height - tip.offsetHeight);
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }
  function select(key) { state.selected = state.selected === key ? null : key; showPaths(); }
  function showPaths() {
    document.querySelectorAll(".onpath, .dim, .selected").forEach((e) => e.classList.remove("onpath", "dim", "selected"));
    const key = state.selected, box = $("paths-info");
    if (key === null) return;
    const rep = G.paths[key], n = byKey[key], out = nameOf(G.root);
    if (!rep) { box.innerHTML = `<p>Paths are listed for every node of graphs up to 300 nodes, else for the inputs and parameters: click one of those.</p>`; return; }
    const on = new Set([key]);
    rep.edges.forEach((k) => { on.add(G.edges[k].parent); on.add(G.edges[k].child); });
    const onUnits = new Set([...on].map((k) => unitOf[k].key));
    for (const id in drawn) {
      const d = drawn[id];
      if (d.unit) d.g.classList.add(onUnits.has(id) ? "onpath" : "dim");
      else { const c = d.g.edgeIds.some((k) => rep.edges.includes(k)) ? "onpath" : "dim"; d.g.classList.add(c); d.lg.classList.add(c); }
    }
    drawn[unitOf[key].key].g.classList.add("selected");
    let h = `<p>${rep.count} path${rep.count === 1 ? "" : "s"} from <b>${esc(n.name)}</b> to <b>${esc(out)}</b>. The rate factor of a path is the product of its local derivatives; d ${esc(out)} / d ${esc(n.name)} is their sum.</p>`;
    for (const p of rep.paths) {
      const prod = p.factors ? `: <span class="mono">${esc(p.factors.join(" × "))} = <b>${esc(p.product)}</b></span>` : "";
      h += `<div class="path-row" data-product="${p.productRaw ?? ""}">${esc(p.names.join(" → "))}${prod}</div>`;
    }
    if (rep.count > rep.paths.length) h += `<p>… and ${rep.count - rep.paths.length} more paths (the sum counts them all)</p>`;
    if (rep.total !== null) h += `<div id="path-sum" data-value="${rep.totalRaw}">sum over paths: d ${esc(out)} / d ${esc(n.name)} = <span class="mono">${esc(rep.total)}</span></div>`;
    else h += `<div id="path-sum" data-value="">each factor is a Jacobian (Tensor graph): the sum over paths is d ${esc(out)} / d ${esc(n.name)}</div>`;
    if (rep.engine !== null) {
      const ok = rep.totalRaw === null || Math.abs(rep.totalRaw - rep.engineRaw) <= 1e-9 * Math.max(1, Math.abs(rep.engineRaw));
      h += `<div id="path-engine" data-value='${esc(JSON.stringify(rep.engineRaw))}'>engine's grad: <span class="mono">${esc(rep.engine)}</span> ${rep.totalRaw === null ? "" : ok ? '<span class="match-ok">= the sum ✓</span>' : '<span class="match-bad">differs from the sum: the leaf kept gradient from an earlier backward() (call zero_grad)</span>'}</div>`;
    } else h += `<div id="path-engine" data-value="">engine's grad: not computed (run backward())</div>`;
    box.innerHTML = h;
  }
  function showSearch() {
    const q = state.query.trim().toLowerCase();
    const hits = q ? G.nodes.filter((n) => [n.name, n.label, n.op].some((s) => s && s.toLowerCase().includes(q))) : [];
    mark("match", hits.map((n) => n.key));
    $("search-count").textContent = q ? `${hits.length} match${hits.length === 1 ? "" : "es"}` : "";
    return hits;
  }

  // ---- pan and zoom: open readable, fit on request ---------------------------------------------
  function applyZoom() { const z = state.zoom; $("viewport").setAttribute("transform", `translate(${z.x},${z.y}) scale(${z.k})`); }
  function box() { return [$("viewport").getBBox(), $("graph").getBoundingClientRect()]; }
  function widthZoom() { const [b, r] = box(); return b.width ? (r.width - 24) / b.width : 1; }
  // Open fitted to the width, never below the readable zoom: a graph too wide for that starts at
  // its inputs' side (pan or zoom out to see the rest), a tall one at its top, or, for a recurrent
  // net, centred on its first line of time steps.
  function openView() {
    const [b, r] = box();
    if (!b.width || !r.width) return;
    const wide = (r.width - 24) / b.width, whole = Math.min(MAX_ZOOM, wide, (r.height - 24) / b.height);
    const k = whole >= KREAD ? whole : Math.max(KREAD, Math.min(MAX_ZOOM, wide));
    const lineY = timeLine !== null && LR, lineX = timeLine !== null && !LR;   // the time line runs along x in LR
    const x = b.width * k <= r.width - 24 ? (r.width - b.width * k) / 2 - b.x * k : lineX ? r.width / 2 - timeLine * k : 12 - b.x * k;
    const y = b.height * k <= r.height - 24 ? (r.height - b.height * k) / 2 - b.y * k : lineY ? r.height / 2 - timeLine * k : 12 - b.y * k;
    state.zoom = { k, x, y }; applyZoom();
  }
  function fit() {  // the whole graph in the window, however small that makes it
    const [b, r] = box();
    if (!b.width || !r.width) return;
    const k = Math.min(MAX_ZOOM, (r.width - 24) / b.width, (r.height - 24) / b.height);
    state.zoom = { k, x: (r.width - b.width * k) / 2 - b.x * k, y: (r.height - b.height * k) / 2 - b.y * k };
    applyZoom();
  }
  function zoomBy(f, mx, my) {
    const z = state.zoom, r = $("graph").getBoundingClientRect();
    if (mx === undefined) { mx = r.width / 2; my = r.height / 2; }
    z.x = mx - (mx - z.x) * f; z.y = my - (my - z.y) * f; z.k *= f; applyZoom();
  }
  function panBy(dx, dy) { state.zoom.x += dx; state.zoom.y += dy; applyZoom(); }
  // The level to open at ("auto"): the finest whose boxes fit the width at a readable zoom, as long
  // as it keeps at least 5 boxes (one box for the whole model teaches nothing); when none does, the
  // time steps of a recurrent net, else the finest of at most 60 boxes: it opens readable and is panned.
  function chooseLevel() {
    if (!G.auto || G.levels.length < 2) { render(); openView(); return; }
    let pick = null;
    for (const lv of G.levels) {
      state.folded = new Set(lv.folded); buildUnits();
      if (units.length < 5 && lv !== G.levels[0]) break;
      render();
      if (widthZoom() >= KREAD) { pick = lv; break; }
    }
    const boxes = (lv) => { state.folded = new Set(lv.folded); buildUnits(); return units.length; };
    if (!pick) pick = G.levels.find((lv) => lv.name === "step") || G.levels.find((lv) => boxes(lv) <= 60) || G.levels[G.levels.length - 1];
    state.folded = new Set(pick.folded); state.level = pick.name;
    render(); openView();
    $("level").value = pick.name;
  }
  function setLevel(name) {
    const lv = G.levels.find((l) => l.name === name); if (!lv) return;
    state.folded = new Set(lv.folded); state.level = name; render(); openView();
  }
  function minTextPx() {  // the smallest node text on screen, in CSS pixels (the tests read it)
    let m = Infinity;
    document.querySelectorAll(".node text").forEach((t) => { if (t.textContent) m = Math.min(m, parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a); });
    return m;
  }
  function follow(key) {  // keep the node being processed in view while stepping
    const u = unitOf[key], c = pos[u.key], r = $("graph").getBoundingClientRect(), z = state.zoom;
    const x = c.x * z.k + z.x, y = c.y * z.k + z.y, mx = W * z.k / 2, my = H * z.k / 2;
    if (x - mx < 0 || y - my < 0 || x + mx > r.width || y + my > r.height) center(key);
  }
  function center(key) {
    const u = unitOf[key], c = pos[u.key], r = $("graph").getBoundingClientRect(), z = state.zoom;
    z.x = r.width / 2 - c.x * z.k; z.y = r.height / 2 - c.y * z.k; applyZoom();
  }
  function keys(ev) {
    if (ev.target.tagName === "INPUT" && ev.target.type !== "range" && ev.target.type !== "radio" && ev.target.type !== "checkbox") return;
    if (ev.target.tagName === "SELECT") return;
    const step = 60;
    if (ev.shiftKey && ev.key.startsWith("Arrow")) {
      ev.preventDefault();
      panBy({ ArrowLeft: step, ArrowRight: -step }[ev.key] || 0, { ArrowUp: step, ArrowDown: -step }[ev.key] || 0);
    } else if (ev.key === "ArrowRight") go(state.step + 1); else if (ev.key === "ArrowLeft") go(state.step - 1);
    else if (ev.key === "Home") go(0); else if (ev.key === " ") { ev.preventDefault(); play(); }
    else if (ev.key === "+" || ev.key === "=") zoomBy(1.2); else if (ev.key === "-") zoomBy(1 / 1.2);
    else if (ev.key === "f") fit(); else if (ev.key === "0") openView();
  }
  function wire() {
    const svg = $("graph");
    svg.addEventListener("wheel", (ev) => {
      ev.preventDefault();
      const r = svg.getBoundingClientRect();
      zoomBy(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
    }, { passive: false });
    let drag = null;
    svg.addEventListener("mousedown", (ev) => { drag = { x: ev.clientX, y: ev.clientY, zx: state.zoom.x, zy: state.zoom.y, moved: false }; });
    window.addEventListener("mousemove", (ev) => {
      if (!drag) return;
      if (Math.abs(ev.clientX - drag.x) + Math.abs(ev.clientY - drag.y) > 3) { drag.moved = true; svg.classList.add("dragging"); }
      state.zoom.x = drag.zx + ev.clientX - drag.x; state.zoom.y = drag.zy + ev.clientY - drag.y; applyZoom();
    });
    window.addEventListener("mouseup", () => { setTimeout(() => { drag = null; }, 0); svg.classList.remove("dragging"); });
    svg.addEventListener("click", () => { if (!drag || !drag.moved) { state.selected = null; showPaths(); $("paths-info").innerHTML = '<p class="hint">Click a node to light up its paths to the output.</p>'; } });
    $("btn-step").onclick = () => go(state.step + 1);
    $("btn-back").onclick = () => go(state.step - 1);
    $("btn-reset").onclick = () => go(0);
    $("btn-play").onclick = play;
    $("btn-fit").onclick = fit;
    $("btn-zin").onclick = () => zoomBy(1.25);
    $("btn-zout").onclick = () => zoomBy(1 / 1.25);
    $("btn-legend").onclick = () => { $("legend").hidden = !$("legend").hidden; };
    $("legend").onclick = () => { $("legend").hidden = true; };
    $("predict").onchange = (ev) => { state.predict = ev.target.checked; state.answered = {}; update(); };
    $("slider").oninput = (ev) => go(+ev.target.value);
    document.querySelectorAll("input[name=mode]").forEach((r) => r.onchange = () => { state.mode = r.value; state.macro = macroSteps(); go(0); });
    $("search").oninput = (ev) => { state.query = ev.target.value; showSearch(); };
    $("search").onkeydown = (ev) => { if (ev.key === "Enter") { const h = showSearch(); if (h.length) center(h[0].key); } };
    const level = $("level");
    G.levels.forEach((lv) => { const o = document.createElement("option"); o.value = lv.name; o.textContent = lv.name === "none" ? "every node" : lv.name; level.appendChild(o); });
    const custom = document.createElement("option"); custom.value = ""; custom.textContent = "(as folded)"; level.appendChild(custom);
    level.onchange = () => setLevel(level.value);
    if (G.levels.length < 2) level.parentElement.hidden = true;
    document.addEventListener("keydown", keys);
    window.addEventListener("resize", openView);
  }
  // ---- live graph: sliders on the leaves recompute every number from each op's own formula -----
  // G.live.ops holds each op's forward and vector-Jacobian products translated from its op-table
  // entry (viz/explore/jsform.py). A local derivative is vjp(g = 1); what an edge carries is vjp(g).
  const live = { moved: false, F: null, missing: [], base: null, values: {}, last: null };
  function compileLive() {
    if (!G.live || G.live.none) { live.missing.push(G.live ? G.live.none : "no formulas"); return; }
    const parts = [];
    for (const name in G.live.ops) {
      const f = G.live.ops[name];
      if (f.none) continue;
      const args = f.inputs.join(", ");
      const vjp = f.vjp.map((v) => v === null ? "null" : `((${args}, out, g) => ${v})`);
      parts.push(`${JSON.stringify(name)}: { fwd: ${f.forward ? `((${args}) => ${f.forward})` : "null"}, ok: ${f.ok ? `((${args}) => ${f.ok})` : "null"}, vjp: [${vjp.join(", ")}] }`);
    }
    live.F = new Function(G.live.helpers + "return {" + parts.join(",\n") + "};")();
    for (const n of G.nodes) {  // every op a slider would have to recompute, and every rule it needs
      if (!n.op) continue;
      const f = live.F[n.op], info = G.live.ops[n.op];
      if (!f || !f.fwd) { live.missing.push(`${n.op}: ${info.none || info.forwardMissing}`); continue; }
      G.edges.filter((e) => e.child === n.key && e.grad && e.input !== undefined).forEach((e) => {
        if (!f.vjp[e.input]) live.missing.push(`${n.op} (input ${e.input}): ${info.vjpMissing[e.input]}`);
      });
    }
    live.missing = [...new Set(live.missing)];
  }
  function args(n, val) { return n.parents.map((k) => val[k]); }
  function recompute(leaves) {
    const val = {}, grads = {}, locals = {};
    for (const s of G.forward) {
      const n = byKey[s.key];
      val[s.key] = n.op ? live.F[n.op].fwd(...args(n, val)) : (s.key in leaves ? leaves[s.key] : live.base.data[s.key]);
    }
    const steps = [];
    if (G.backward.length) grads[G.backward[0].key] = live.base.seed;
    for (const s of G.backward) {
      const n = byKey[s.key], g = grads[s.key], sends = [];
      for (const send of s.sends) {
        const rule = live.F[n.op].vjp[send.input], a = args(n, val);
        const local = rule(...a, val[s.key], 1), carried = rule(...a, val[s.key], g);
        grads[send.parent] = (grads[send.parent] === undefined ? 0 : grads[send.parent]) + carried;
        locals[send.edge] = local;
        sends.push({ upstream: g, local, carried, soFar: grads[send.parent] });
      }
      steps.push({ grad: g, sends });
    }
    return { val, grads, locals, steps };
  }
  function keepBase() {
    live.base = { data: {}, seed: G.backward.length ? G.backward[0].gradRaw : 1, copy: JSON.parse(JSON.stringify({ n: G.nodes.map((n) => [n.data, n.grad]), b: G.backward, e: G.edges, p: G.paths, f: G.forward })) };
    G.nodes.forEach((n) => { live.base.data[n.key] = n.dataRaw; });
  }
  function applyLive(r) {  // write the recomputed numbers where the page reads them
    G.nodes.forEach((n) => {
      n.dataRaw = r.val[n.key]; n.data = fmt(n.dataRaw);
      if (r.grads[n.key] !== undefined && n.requiresGrad) { n.gradRaw = r.grads[n.key]; n.grad = "grad " + fmt(n.gradRaw); }
    });
    G.forward.forEach((s) => { s.text = `${nameOf(s.key)} = ${fmt(r.val[s.key])}` + (byKey[s.key].op ? "" : " (given)"); });
    G.backward.forEach((s, i) => {
      const R = r.steps[i]; s.grad = fmt(R.grad); s.gradRaw = R.grad;
      s.sends.forEach((send, j) => {
        const x = R.sends[j];
        Object.assign(send, { upstream: fmt(x.upstream), upstreamRaw: x.upstream, local: fmt(x.local), localRaw: x.local,
                              carried: fmt(x.carried), carriedRaw: x.carried, soFar: fmt(x.soFar), soFarRaw: x.soFar });
        send.product = send.label = `${send.upstream} × ${send.local} = ${send.carried}`;
      });
    });
    for (const k in r.locals) { const e = G.edges[k]; if (e) { e.localRaw = r.locals[k]; e.local = fmt(e.localRaw); } }
    for (const key in G.paths) {
      const rep = G.paths[key], seen = {};
      rep.paths.forEach((p) => {
        if (!p.factors) return;
        const id = p.nodes.join(">"), dup = seen[id] = (seen[id] || 0) + 1;
        const fs = p.nodes.slice(1).map((b, j) => {
          const cand = G.edges.map((e, k) => [e, k]).filter(([e]) => e.parent === p.nodes[j] && e.child === b);
          return G.edges[cand[(dup - 1) % cand.length][1]].localRaw;
        });
        p.productRaw = fs.reduce((a, b) => a * b, 1); p.factors = fs.map((f) => fmt(f)); p.product = fmt(p.productRaw);
      });
      if (rep.totalRaw !== null && rep.count === rep.paths.length) { rep.totalRaw = rep.paths.reduce((s, p) => s + p.productRaw, 0); rep.total = fmt(rep.totalRaw); }
      else if (rep.totalRaw !== null) { rep.totalRaw = r.grads[key]; rep.total = fmt(rep.totalRaw); }
      if (rep.engineRaw !== null && r.grads[key] !== undefined) { rep.engineRaw = r.grads[key]; rep.engine = fmt(rep.engineRaw); }
    }
  }
  function outputAt(key, x) { const leaves = Object.assign({}, live.values, { [key]: x }); return recompute(leaves).val[G.root]; }
  function slide(key, x) {
    live.values[key] = x; live.last = key; live.moved = true;
    const r = recompute(live.values);
    applyLive(r);
    const n = byKey[key], x0 = live.base.data[key], out0 = live.base.copy.n[G.nodes.indexOf(byKey[G.root])][0];
    const y = r.val[G.root], y0 = outputAt(key, x0), g0 = live.base.grads[key], g = r.grads[key];
    const h = 1e-5 * Math.max(1, Math.abs(x)), cd = (outputAt(key, x + h) - outputAt(key, x - h)) / (2 * h);
    const rel = Math.abs(cd - g) / Math.max(1e-300, Math.abs(g), Math.abs(cd));
    const out = nameOf(G.root);
    $("fd-info").innerHTML =
      `<div>${esc(nameOf(key))}: ${fmt(x0)} → <b>${fmt(x)}</b> (Δ = ${fmt(x - x0)})</div>` +
      `<div>${esc(out)}: ${esc(out0)} → <b>${fmt(y)}</b>: Δ${esc(out)} = <span id="fd-dout" data-value="${y - y0}">${fmt(y - y0)}</span></div>` +
      `<div>grad · Δ${esc(n.name)} (grad at the start, ${fmt(g0)}) = <span id="fd-pred" data-value="${g0 * (x - x0)}">${fmt(g0 * (x - x0))}</span></div>` +
      `<div>here: d${esc(out)}/d${esc(n.name)} = <b id="fd-grad" data-value="${g}">${fmt(g)}</b>; finite difference (f(${esc(n.name)}+h) − f(${esc(n.name)}−h)) / 2h, h = ${fmt(h, 2)}: <b id="fd-cd" data-value="${cd}">${fmt(cd)}</b> <span id="fd-rel" data-value="${rel}" class="${rel < 1e-6 ? "match-ok" : "match-bad"}">(relative difference ${fmt(rel, 2)})</span></div>`;
    $("num-" + key).value = x; $("slide-" + key).value = x;
    update();
  }
  function resetLive() {
    const c = JSON.parse(JSON.stringify(live.base.copy));
    G.nodes.forEach((n, i) => { n.dataRaw = live.base.data[n.key]; [n.data, n.grad] = c.n[i]; n.gradRaw = live.base.grads[n.key] ?? n.gradRaw; });
    G.backward = c.b; G.edges = c.e; G.paths = c.p; G.forward = c.f;
    live.values = {}; live.moved = false; $("fd-info").innerHTML = "";
    for (const n of liveLeaves()) { $("slide-" + n.key).value = n.dataRaw; $("num-" + n.key).value = n.dataRaw; }
    update();
  }
  function liveLeaves() { return G.nodes.filter((n) => !n.op && !n.tensor && n.requiresGrad && n.role !== "constant").slice(0, 16); }
  function buildSliders() {
    const box = $("live-info");
    compileLive();
    if (live.missing.length) { box.innerHTML = `<p class="hint">Sliders are unavailable here: ${esc(live.missing.join("; "))}.</p>`; return; }
    keepBase(); live.base.grads = {};
    G.nodes.forEach((n) => { live.base.grads[n.key] = n.gradRaw; });
    const base = recompute({});
    G.nodes.forEach((n) => { if (base.grads[n.key] !== undefined) live.base.grads[n.key] = base.grads[n.key]; });
    let h = `<p class="hint">Drag a leaf: every value, local derivative, gradient and path product is recomputed from each op's formula in the op table.</p>`;
    for (const n of liveLeaves()) {
      const x = n.dataRaw, span = Math.max(1, 2 * Math.abs(x));
      h += `<div class="slide-row"><label for="slide-${n.key}">${esc(nameOf(n.key))}</label> <input type="range" id="slide-${n.key}" min="${x - span}" max="${x + span}" step="${span / 500}" value="${x}"> <input type="number" id="num-${n.key}" step="any" value="${x}"></div>`;
    }
    h += `<p><button id="btn-live-reset">reset values</button></p><div id="fd-info"></div>`;
    box.innerHTML = h;
    for (const n of liveLeaves()) {
      $("slide-" + n.key).oninput = (ev) => slide(n.key, +ev.target.value);
      $("num-" + n.key).onchange = (ev) => { const v = parseFloat(ev.target.value); if (Number.isFinite(v)) slide(n.key, v); };
    }
    $("btn-live-reset").onclick = resetLive;
  }
  // Lay out once the page has a size (an iframe in a notebook may get it a frame later).
  function whenSized(f, tries) {
    const r = $("graph").getBoundingClientRect();
    if ((r.width > 0 && r.height > 0) || tries > 120) f(); else requestAnimationFrame(() => whenSized(f, (tries || 0) + 1));
  }
  window.explorer = { ready: false, state, go, select, toggleFold, units: () => units, minTextPx, openView, fit, setLevel, slide,
                      recompute: (leaves) => recompute(leaves || {}), formulas: () => live.F, checkGuesses, fmt };
  wire(); buildSliders();
  whenSized(() => { chooseLevel(); window.explorer.ready = true; });
})();
