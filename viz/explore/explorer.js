// viz explorer: lays out the graph in GRAPH (made by viz/explore/*.py) and makes it live.
// Layout: layered (rank = longest path from the inputs), order in a rank by barycenter sweeps with
// module members kept together; clusters are boxes around their members. No network, no library.
(function () {
  "use strict";
  const G = GRAPH, NS = "http://www.w3.org/2000/svg";
  const W = 160, H = 72, GAPX = 124, GAPY = 26, MIN_FIT = 0.5, LR = G.rankdir !== "TB";
  const byKey = {}, fwdIndex = {}, shares = {};  // shares: how many children send a node a gradient
  G.nodes.forEach((n, i) => { n.index = i; byKey[n.key] = n; });
  G.forward.forEach((s, i) => { fwdIndex[s.key] = i; });
  G.backward.forEach((s) => s.sends.forEach((x) => { shares[x.parent] = (shares[x.parent] || 0) + 1; }));
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
  const state = { mode: "backward", step: G.backward.length, folded: new Set(G.folded), selected: null,
                  timer: null, query: "", zoom: { x: 0, y: 0, k: 1 } };
  let units = [], unitOf = {}, pos = {}, drawn = {};

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
    for (const u of units.slice().reverse()) {  // a leaf sits just before its first use, not at rank 0
      if (indeg.get(u) !== 0 || !outs.get(u).length) continue;
      if (ues.some((e) => e.to === u)) continue;
      rank.set(u, Math.max(0, Math.min(...outs.get(u).map((v) => rank.get(v))) - 1));
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
  function place(layers, nbr) {
    const apart = (a, b) => { const pa = scopePath(a), pb = scopePath(b); let d = 0; while (d < pa.length && pa[d] === pb[d]) d++; return Math.max(pa.length, pb.length) - d; };
    const y = new Map(), gap = (a, b) => (size(a) + size(b)) / 2 + (a.dummy || b.dummy ? 12 : GAPY) + 24 * apart(a, b);
    layers.forEach((l) => { let at = 0; l.forEach((u, i) => { if (i) at += gap(l[i - 1], u); y.set(u, at); }); l.forEach((u) => y.set(u, y.get(u) - at / 2)); });
    for (let it = 0; it < 8; it++) {
      for (const l of it % 2 ? layers.slice().reverse() : layers) {
        const want = l.map((u) => { const ns = nbr.get(u); return ns.length ? ns.reduce((s, v) => s + y.get(v), 0) / ns.length : y.get(u); });
        const got = want.slice();
        for (let i = 1; i < got.length; i++) got[i] = Math.max(got[i], got[i - 1] + gap(l[i - 1], l[i]));
        const shift = want.reduce((s, w, i) => s + w - got[i], 0) / Math.max(1, got.length);
        l.forEach((u, i) => y.set(u, got[i] + shift));
      }
    }
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
      const t = text(el("g", { class: "cluster", id: "cluster-label-" + b.s.index }, top), b.x0 + 6, b.y0 + 12, "⊟ " + b.s.name, "cluster-label");
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
      d += (i ? (LR ? `L${x0},${y0}` : `L${x0},${y0}`) : `M${x0},${y0}`) + c;
      if (i === Math.floor((pts.length - 2) / 2)) mid = { mx: (x0 + x1) / 2, my: (y0 + y1) / 2 };
    }
    return { d, ...mid };
  }
  function drawEdges(vp, top, ues) {
    const labels = G.edges.length <= 160;
    for (const ue of ues) {
      const p = edgePath(ue);
      const one = ue.edges.length === 1 ? G.edges[ue.edges[0]] : null;
      const cls = "edge" + (one && !one.grad ? " nograd" : "");
      const g = el("g", { class: cls, id: "edge-" + ue.id }, vp), lg = el("g", { class: cls }, top);
      g.edgeIds = ue.edges;
      el("path", { d: p.d, "marker-end": "url(#arrow)" }, g);
      const bg = el("rect", { class: "label-bg", x: p.mx, y: p.my - 9, width: 0, height: 13 }, lg);
      const t = text(lg, p.mx, p.my + 1, "", "elabel");
      t.setAttribute("text-anchor", "middle");
      drawn["edge-" + ue.id] = { g, lg, t, bg, base: labels ? (one ? (one.grad ? "∂ " + one.local : "") : ue.edges.length + " edges") : "" };
    }
  }
  function drawNodes(vp) {
    for (const u of units) {
      const c = pos[u.key], n = u.node;
      const g = el("g", { class: "node" + (u.fold !== undefined ? " folded" : "") + (n && n.troubles.length ? " trouble" : ""),
                          id: "node-" + u.key, "data-key": u.key, transform: `translate(${c.x - W / 2},${c.y - H / 2})` }, vp);
      el("rect", { width: W, height: H, rx: 7, fill: G.fills[n ? n.role : "module"] }, g);
      const lines = n ? [[n.name, "t"], [n.tensor ? n.shape + " " + n.dtype : (n.label && n.op ? n.op : n.role), "s"], ["", "d"], ["", "g"]]
                      : [["⊞ " + G.scopes[u.fold].name, "t"], ["module: " + u.members.length + " nodes", "s"], ["click to unfold", "s"], ["", "g"]];
      const ts = lines.map((l, i) => text(g, 8, 16 + i * 16, clip(l[0], 25), l[1]));
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
    update();
  }
  function toggleFold(s) {
    if (state.folded.has(s)) state.folded.delete(s); else state.folded.add(s);
    render(); fit();
  }

  // ---- the steppers --------------------------------------------------------------------------
  function total() { return state.mode === "backward" ? G.backward.length : G.forward.length; }
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
  function gradLine(n, s) {
    if (n.role === "constant") return ["constant", "g-none"];
    if (!n.requiresGrad) return ["no grad", "g-none"];
    if (s.status === "final") return ["grad " + s.sum, "g-final"];
    if (s.status === "seed") return ["grad " + s.sum + " (seed)", "g-partial"];
    if (s.status === "partial") return ["so far " + s.sum + " (" + s.got.length + "/" + shares[n.key] + ")", "g-partial"];
    return ["grad ?", "g-none"];
  }
  function showNodes(st) {
    const k = state.step, fwd = state.mode === "forward";
    for (const key in drawn) {
      const d = drawn[key]; if (!d.unit) continue;
      const n = d.unit.node, u = d.unit;
      if (!n) {  // a folded module: show its last member (its output)
        const last = u.members[u.members.length - 1], s = st[last.key];
        const [gt, gc] = fwd ? ["", "g-none"] : gradLine(last, s);
        d.grad.textContent = clip(gt.replace("grad", "out grad"), 25); d.grad.setAttribute("class", gc);
        continue;
      }
      const known = !fwd || fwdIndex[n.key] < k;
      d.data.textContent = clip(known ? "data " + n.data : "data ?", 25);
      d.data.setAttribute("class", known ? "d" : "d-none");
      const [gt, gc] = fwd ? ["", "g-none"] : gradLine(n, st[n.key]);
      d.grad.textContent = clip(gt, 25); d.grad.setAttribute("class", gc);
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
  function showEdges() {
    for (const id in drawn) {
      if (!id.startsWith("edge-")) continue;
      const d = drawn[id]; d.g.classList.remove("hot"); d.lg.classList.remove("hot");
      d.g.querySelector("path").setAttribute("marker-end", "url(#arrow)"); d.g.querySelector("path").removeAttribute("marker-start");
      setLabel(d, d.base);
    }
    if (state.mode !== "backward" || state.step === 0) return;
    for (const send of G.backward[state.step - 1].sends) {
      const d = send.edge === null ? null : edgeDrawnOf(send.edge); if (!d) continue;
      d.g.classList.add("hot"); d.lg.classList.add("hot");
      const path = d.g.querySelector("path");
      path.removeAttribute("marker-end"); path.setAttribute("marker-start", "url(#arrow-hot)");
      setLabel(d, send.label);
    }
  }
  function setLabel(d, s) {
    d.t.textContent = s;
    const w = s ? d.t.getComputedTextLength() + 6 : 0;
    d.bg.setAttribute("width", w); d.bg.setAttribute("x", +d.t.getAttribute("x") - w / 2);
  }
  function nameOf(key) { return byKey[key].name; }
  function stepInfo(st) {
    const k = state.step, N = total(), box = $("step-info");
    $("step-count").textContent = `step ${k} / ${N}`;
    $("slider").max = N; $("slider").value = k;
    if (state.mode === "forward") {
      box.innerHTML = k === 0 ? "<p>Forward: nothing computed yet. Press Step to compute the nodes in topological order (inputs first).</p>"
        : `<p>Forward step ${k} of ${N}: <span class="mono">${esc(G.forward[k - 1].text)}</span></p>`;
      mark("current", k ? [G.forward[k - 1].key] : []); mark("receiving", []);
      return;
    }
    if (!G.backward.length) { box.innerHTML = "<p>The output does not require grad: there is no backward pass.</p>"; return; }
    const note = G.computed ? "" : "<p class='hint'>backward() has not run yet: this is what it would compute.</p>";
    if (k === 0) {
      box.innerHTML = note + `<p>Backward starts at the output: d ${esc(nameOf(G.root))} / d ${esc(nameOf(G.root))} = <b>${esc(G.backward[0].grad)}</b> (the seed). Press Step: the engine visits nodes in reverse topological order, each once.</p>`;
      mark("current", []); mark("receiving", []); return;
    }
    const s = G.backward[k - 1], n = byKey[s.key];
    let h = note + `<p>Step ${k} of ${N}: the engine processes <b>${esc(n.name)}</b>${n.op ? " (" + esc(n.op) + ")" : ""}. Every node that uses it is done, so its gradient is final: <b class="mono">${esc(s.grad === null ? "none" : s.grad)}</b>.</p>`;
    if (!s.sends.length) h += `<p>${n.op ? "No input takes a gradient." : "It is a leaf: the gradient is stored in its .grad."}</p>`;
    for (const send of s.sends) {
      const t = st[send.parent], shares = t.got.map((x) => x.carried);
      h += `<div class="send"><div>to <b>${esc(nameOf(send.parent))}</b>: upstream × local = carried</div><div class="mono">${esc(send.product)}</div>` +
           `<div>${esc(nameOf(send.parent))}'s grad so far: <span class="mono">${shares.length > 1 ? esc(shares.join(" + ")) + " = " : ""}${esc(send.soFar)}</span></div></div>`;
    }
    box.innerHTML = h;
    mark("current", [s.key]); mark("receiving", s.sends.map((x) => x.parent));
  }
  function update() {
    const st = backwardState(state.mode === "backward" ? state.step : 0);
    showNodes(st); showEdges(); stepInfo(st); showSearch(); showPaths();
  }
  function go(k) {
    state.step = Math.max(0, Math.min(total(), k)); update();
    const s = state.step && (state.mode === "backward" ? G.backward : G.forward)[state.step - 1];
    if (s) follow(s.key);
  }
  function play() {
    if (state.timer) { clearInterval(state.timer); state.timer = null; $("btn-play").textContent = "▶ Play"; return; }
    if (state.step >= total()) state.step = 0;
    $("btn-play").textContent = "❚❚ Pause";
    state.timer = setInterval(() => { if (state.step >= total()) play(); else go(state.step + 1); }, 900);
    update();
  }

  // ---- hover, paths, search ------------------------------------------------------------------
  function nodeHtml(u) {
    const n = u.node;
    if (!n) return `<b>${esc(G.scopes[u.fold].name)}</b> (folded module, ${u.members.length} nodes)<br>click to unfold`;
    const rows = [`<b>${esc(n.name)}</b> ${esc(n.role)}${n.op ? ", op <b>" + esc(n.op) + "</b>" : ""}`];
    if (n.tensor) rows.push(`Tensor ${esc(n.shape)} ${esc(n.dtype)}`);
    if (n.scope !== null) rows.push("module " + esc(G.scopes[n.scope].name));
    rows.push(`<span class="mono">data ${esc(n.data)}</span>`, `<span class="mono">${esc(n.grad)}</span>${G.computed && n.requiresGrad && n.role !== "constant" ? " (after backward)" : ""}`);
    for (const r of n.rules) rows.push(`<span class="mono">${esc(r)}</span>`);
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
      h += `<div id="path-engine" data-value='${esc(JSON.stringify(rep.engineRaw))}'>engine's grad: <span class="mono">${esc(rep.engine)}</span> ${rep.totalRaw === null ? "" : ok ? '<span class="match-ok">= the sum ✓</span>' : '<span class="match-bad">differs from the sum</span>'}</div>`;
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

  // ---- pan and zoom --------------------------------------------------------------------------
  function applyZoom() { const z = state.zoom; $("viewport").setAttribute("transform", `translate(${z.x},${z.y}) scale(${z.k})`); }
  function fit() {
    const b = $("viewport").getBBox(), r = $("graph").getBoundingClientRect();
    if (!b.width || !r.width) return;
    const whole = Math.min(1.4, (r.width - 30) / b.width, (r.height - 30) / b.height), k = Math.max(MIN_FIT, whole);
    state.zoom = { k, x: (r.width - b.width * k) / 2 - b.x * k, y: (r.height - b.height * k) / 2 - b.y * k };
    if (whole < MIN_FIT) center(G.root);  // too big to read whole: start at the output, pan or zoom out
    else applyZoom();
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
  function wire() {
    const svg = $("graph");
    svg.addEventListener("wheel", (ev) => {
      ev.preventDefault();
      const r = svg.getBoundingClientRect(), z = state.zoom, f = Math.exp(-ev.deltaY * 0.0015);
      const mx = ev.clientX - r.left, my = ev.clientY - r.top;
      z.x = mx - (mx - z.x) * f; z.y = my - (my - z.y) * f; z.k *= f; applyZoom();
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
    $("slider").oninput = (ev) => go(+ev.target.value);
    document.querySelectorAll("input[name=mode]").forEach((r) => r.onchange = () => { state.mode = r.value; go(total()); });
    $("search").oninput = (ev) => { state.query = ev.target.value; showSearch(); };
    $("search").onkeydown = (ev) => { if (ev.key === "Enter") { const h = showSearch(); if (h.length) center(h[0].key); } };
    document.addEventListener("keydown", (ev) => {
      if (ev.target.tagName === "INPUT" && ev.target.type !== "range" && ev.target.type !== "radio") return;
      if (ev.key === "ArrowRight") go(state.step + 1); else if (ev.key === "ArrowLeft") go(state.step - 1);
      else if (ev.key === "Home") go(0); else if (ev.key === " ") { ev.preventDefault(); play(); }
    });
    window.addEventListener("resize", fit);
  }
  wire(); render(); fit();
  window.explorer = { state, go, select, toggleFold, units: () => units };
})();
