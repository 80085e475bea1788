// viz training timeline: replays the per-layer, per-unit gradient norms in GRAPH (viz/explore/training.py).
(function () {
  "use strict";
  const G = GRAPH, NS = "http://www.w3.org/2000/svg", $ = (id) => document.getElementById(id);
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
  const N = G.steps.length, CELL = 18, LABEL = 90, COLORS = ["#2563eb", "#dc2626", "#059669", "#7c3aed", "#d97706", "#0891b2", "#be185d"];
  let k = N - 1, timer = null;
  function el(tag, attrs, parent) { const e = document.createElementNS(NS, tag); for (const a in attrs) e.setAttribute(a, attrs[a]); parent.appendChild(e); return e; }
  function fmt(x) { return x === null ? "–" : x === 0 ? "0" : Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(2) : String(+x.toPrecision(4)); }
  const positive = G.steps.flatMap((s) => s.layers.flatMap((l) => l.units)).filter((v) => v > 0);
  const lo = Math.log10(Math.min(...positive, 1)), hi = Math.log10(Math.max(...positive, 1e-12));
  function shade(v) {  // pale (small) to dark blue (large) on one log scale for the whole history
    const t = hi > lo ? (Math.log10(v) - lo) / (hi - lo) : 1, c = (a, b) => Math.round(a + (b - a) * t);
    return `rgb(${c(239, 30)},${c(246, 64)},${c(255, 175)})`;
  }
  function drawUnits() {
    const svg = $("units"), s = G.steps[k], widest = Math.max(...s.layers.map((l) => l.units.length));
    svg.textContent = ""; svg.setAttribute("width", LABEL + widest * (CELL + 2) + 10); svg.setAttribute("height", s.layers.length * (CELL + 8) + 4);
    s.layers.forEach((l, r) => {
      const y = r * (CELL + 8) + 2;
      el("text", { x: 0, y: y + 13 }, svg).textContent = l.name;
      l.units.forEach((v, j) => {
        const g = el("g", { class: "unit" + (v === 0 ? " dead-unit" : ""), "data-layer": l.name, "data-unit": j, "data-norm": v }, svg);
        el("rect", { x: LABEL + j * (CELL + 2), y, width: CELL, height: CELL, class: v === 0 ? "dead" : "", fill: v === 0 ? "#111827" : shade(v), stroke: "#9ca3af" }, g);
        if (v === 0) el("text", { x: LABEL + j * (CELL + 2) + 4, y: y + 13, fill: "white", style: "fill:white" }, g).textContent = "✕";
        el("title", {}, g).textContent = `${l.name} unit ${j}: ‖grad‖ = ${fmt(v)}${v === 0 ? " (dead: no gradient at all)" : ""}`;
      });
    });
  }
  function drawNorms() {  // each layer's gradient norm over the steps (log scale), and the loss
    const svg = $("norms"), Wd = 640, Ht = 220, L = 60, B = 24, all = G.steps.flatMap((s) => s.layers.map((l) => l.gradNorm)).filter((v) => v > 0);
    svg.textContent = ""; svg.setAttribute("width", Wd + 160); svg.setAttribute("height", Ht + B + 10);
    if (!all.length) return;
    const a = Math.log10(Math.min(...all)), b = Math.log10(Math.max(...all)) + 1e-9;
    const X = (i) => L + (N > 1 ? i / (N - 1) : 0) * (Wd - L), Y = (v) => 8 + (1 - (Math.log10(v) - a) / (b - a || 1)) * (Ht - 16);
    el("line", { x1: L, y1: Ht, x2: Wd, y2: Ht, class: "axis" }, svg); el("line", { x1: L, y1: 8, x2: L, y2: Ht, class: "axis" }, svg);
    el("text", { x: 0, y: 16 }, svg).textContent = fmt(Math.pow(10, b)); el("text", { x: 0, y: Ht }, svg).textContent = fmt(Math.pow(10, a));
    el("text", { x: L, y: Ht + 18 }, svg).textContent = "step 1"; el("text", { x: Wd - 50, y: Ht + 18 }, svg).textContent = "step " + N;
    G.layers.forEach((name, r) => {
      const pts = G.steps.map((s, i) => [i, s.layers[r].gradNorm]).filter(([, v]) => v > 0).map(([i, v]) => `${X(i)},${Y(v)}`);
      el("polyline", { points: pts.join(" "), fill: "none", stroke: COLORS[r % COLORS.length], "stroke-width": 2 }, svg);
      el("text", { x: Wd + 8, y: 20 + r * 16, style: `fill:${COLORS[r % COLORS.length]}` }, svg).textContent = "‖grad‖ " + name;
    });
    el("line", { x1: X(k), y1: 8, x2: X(k), y2: Ht, class: "cursor", id: "cursor" }, svg);
  }
  function show() {
    const s = G.steps[k];
    $("slider").max = N - 1; $("slider").value = k;
    $("step-count").textContent = `step ${k + 1} / ${N}`;
    const first = s.layers[0], last = s.layers[s.layers.length - 1];
    const ratio = first.gradNorm > 0 && last.gradNorm > 0 ? ` · ‖grad‖ ${esc(first.name)} / ${esc(last.name)} = ${fmt(first.gradNorm / last.gradNorm)}` : "";
    $("tl-info").innerHTML = `<b>step ${k + 1}</b>${s.loss === null ? "" : " · loss " + fmt(s.loss)}${ratio}<br>` +
      s.layers.map((l) => `${esc(l.name)}: ‖grad‖ ${fmt(l.gradNorm)}, <span data-dead="${l.dead}">dead ${l.dead}/${l.units.length}</span>`).join(" · ");
    drawUnits(); drawNorms();
  }
  function play() {
    if (timer) { clearInterval(timer); timer = null; $("btn-play").textContent = "▶ Play"; return; }
    if (k >= N - 1) k = 0;
    $("btn-play").textContent = "❚❚ Pause";
    timer = setInterval(() => { if (k >= N - 1) play(); else { k++; show(); } }, 120);
  }
  $("slider").oninput = (ev) => { k = +ev.target.value; show(); };
  $("btn-play").onclick = play;
  show();
  window.timeline = { go: (i) => { k = Math.max(0, Math.min(N - 1, i)); show(); }, step: () => k, ready: true };
})();
