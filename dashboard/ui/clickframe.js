// PoseDash click-on-frame component (Streamlit custom components v2, inline, no build step).
// Shows one picture; a click places a point, a point can be dragged, right-click (or
// select it and press Delete) removes it, arrow keys nudge the selected point (Shift: x10).
// Coordinates are in the pixels of the picture sent (Python scales them to the frame's).
// Nothing is loaded from the network: the picture arrives as a data: URL.
export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const d = data || {};
  const W = Math.max(1, Number(d.w) || 1);
  const H = Math.max(1, Number(d.h) || 1);
  const maxPoints = d.max_points == null ? Infinity : Number(d.max_points);
  const mode = String(d.mode || "points");
  const labels = Array.isArray(d.labels) ? d.labels.map(String) : [];
  const colour = String(d.colour || "#e6007e");
  const guides = Array.isArray(d.guides) ? d.guides : [];
  let pts = (Array.isArray(d.points) ? d.points : [])
    .filter((p) => Array.isArray(p) && isFinite(p[0]) && isFinite(p[1]))
    .map((p) => [Number(p[0]), Number(p[1])]);

  // One root per mount; a new call (new data) replaces its content and listeners.
  if (parentElement.__posedash && parentElement.__posedash.abort) {
    parentElement.__posedash.abort.abort();
  }
  const abort = new AbortController();
  const opts = { signal: abort.signal };
  let root = parentElement.querySelector("div.pd-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "pd-root";
    parentElement.appendChild(root);
  }
  parentElement.__posedash = { abort };
  root.replaceChildren();
  root.setAttribute("data-testid", "posedash-clickframe");
  root.setAttribute("data-width", String(W));
  root.setAttribute("data-height", String(H));

  const box = document.createElement("div");
  box.className = "pd-box";
  const maxH = Number(d.max_height) || 0;
  if (maxH > 0) box.style.maxWidth = `${Math.round((maxH * W) / H)}px`;
  const img = document.createElement("img");
  img.className = "pd-img";
  img.alt = String(d.alt || "frame");
  img.draggable = false;
  img.src = String(d.src || "");
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("class", "pd-svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "application");
  svg.setAttribute("aria-label", String(d.aria || "Click on the picture to place points"));
  box.append(img, svg);
  const status = document.createElement("div");
  status.className = "pd-status";
  status.setAttribute("aria-live", "polite");
  root.append(box, status);

  let selected = -1;
  let dragging = -1;
  let moved = false;

  const unit = () => {
    const r = svg.getBoundingClientRect();
    return r.width > 0 ? W / r.width : 1; // picture pixels per screen pixel
  };
  const toImage = (ev) => {
    const r = svg.getBoundingClientRect();
    const x = ((ev.clientX - r.left) / r.width) * W;
    const y = ((ev.clientY - r.top) / r.height) * H;
    return [Math.min(Math.max(x, 0), W), Math.min(Math.max(y, 0), H)];
  };
  const el = (tag, attrs) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  };
  const commit = () => {
    setStateValue("points", pts.map((p) => [Math.round(p[0] * 100) / 100, Math.round(p[1] * 100) / 100]));
  };
  const pairs = () => {
    // which points are joined by a line, by mode
    const out = [];
    if (mode === "angle") {
      if (pts.length >= 2) out.push([0, 1]);
      if (pts.length >= 3) out.push([1, 2]);
    } else if (mode === "segments") {
      if (pts.length >= 2) out.push([0, 1]);
      if (pts.length >= 4) out.push([2, 3]);
    } else if (mode === "line" || mode === "distance") {
      for (let i = 0; i + 1 < pts.length; i += 2) out.push([i, i + 1]);
    }
    return out;
  };

  function draw() {
    svg.replaceChildren();
    const u = unit();
    const r = 7 * u;
    const sw = 2.5 * u;
    for (const g of guides) {
      if (!Array.isArray(g) || g.length < 4 || !g.every((v) => isFinite(v))) continue;
      svg.appendChild(el("line", { x1: g[0], y1: g[1], x2: g[2], y2: g[3], class: "pd-guide", "stroke-width": 1.5 * u }));
    }
    for (const [a, b] of pairs()) {
      svg.appendChild(el("line", {
        x1: pts[a][0], y1: pts[a][1], x2: pts[b][0], y2: pts[b][1],
        stroke: colour, "stroke-width": sw, class: "pd-line",
      }));
    }
    pts.forEach((p, i) => {
      const g = el("g", {
        class: "pd-point" + (i === selected ? " pd-selected" : ""),
        tabindex: 0,
        role: "button",
        "data-point-index": i,
        "aria-label": `${labels[i] || "point " + (i + 1)} at ${Math.round(p[0])}, ${Math.round(p[1])}`,
      });
      g.appendChild(el("circle", { cx: p[0], cy: p[1], r: r * 1.9, class: "pd-hit" }));
      g.appendChild(el("circle", { cx: p[0], cy: p[1], r, fill: colour, stroke: "#fff", "stroke-width": 1.5 * u }));
      const t = el("text", { x: p[0] + r * 1.4, y: p[1] - r * 1.1, "font-size": 14 * u, class: "pd-label", "stroke-width": 3 * u });
      t.textContent = labels[i] || String(i + 1);
      g.appendChild(t);
      g.addEventListener("pointerdown", (ev) => {
        if (ev.button !== 0) return;
        ev.stopPropagation();
        ev.preventDefault();
        dragging = i;
        selected = i;
        moved = false;
        svg.setPointerCapture(ev.pointerId);
      }, opts);
      g.addEventListener("contextmenu", (ev) => {
        ev.preventDefault();
        ev.stopPropagation();
        pts.splice(i, 1);
        selected = -1;
        draw();
        commit();
      }, opts);
      g.addEventListener("focus", () => { if (selected !== i) { selected = i; } }, opts);
      svg.appendChild(g);
    });
    const left = maxPoints === Infinity ? "" : Math.max(0, maxPoints - pts.length);
    status.textContent = pts.length >= maxPoints
      ? `${pts.length} point${pts.length === 1 ? "" : "s"} placed: drag one to move it, right-click it to remove it.`
      : `${pts.length} point${pts.length === 1 ? "" : "s"} placed` + (left !== "" ? `, ${left} to go` : "") + ": click on the picture.";
    root.setAttribute("data-points", JSON.stringify(pts.map((p) => [Math.round(p[0] * 100) / 100, Math.round(p[1] * 100) / 100])));
  }

  svg.addEventListener("pointerdown", (ev) => {
    if (ev.button !== 0 || dragging >= 0) return;
    if (pts.length >= maxPoints) return;
    ev.preventDefault();
    pts.push(toImage(ev));
    selected = pts.length - 1;
    dragging = selected; // a press that places a point can drag it straight away
    moved = true;
    svg.setPointerCapture(ev.pointerId);
    draw();
  }, opts);
  svg.addEventListener("pointermove", (ev) => {
    if (dragging < 0) return;
    pts[dragging] = toImage(ev);
    moved = true;
    draw();
  }, opts);
  const end = (ev) => {
    if (dragging < 0) return;
    dragging = -1;
    try { svg.releasePointerCapture(ev.pointerId); } catch (e) { /* already released */ }
    draw();
    if (moved) commit();
    const g = svg.querySelector(`[data-point-index="${selected}"]`);
    if (g) g.focus({ preventScroll: true });
  };
  svg.addEventListener("pointerup", end, opts);
  svg.addEventListener("pointercancel", end, opts);
  svg.addEventListener("contextmenu", (ev) => ev.preventDefault(), opts);
  svg.addEventListener("keydown", (ev) => {
    if (selected < 0 || selected >= pts.length) return;
    const step = ev.shiftKey ? 10 : 1;
    const delta = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[ev.key];
    if (delta) {
      ev.preventDefault();
      const p = pts[selected];
      pts[selected] = [Math.min(Math.max(p[0] + delta[0], 0), W), Math.min(Math.max(p[1] + delta[1], 0), H)];
      draw();
      const g = svg.querySelector(`[data-point-index="${selected}"]`);
      if (g) g.focus({ preventScroll: true });
    } else if (ev.key === "Delete" || ev.key === "Backspace") {
      ev.preventDefault();
      pts.splice(selected, 1);
      selected = -1;
      draw();
      commit();
    }
  }, opts);
  svg.addEventListener("keyup", (ev) => {
    if (ev.key.startsWith("Arrow") && selected >= 0) commit();
  }, opts);
  if (typeof ResizeObserver !== "undefined") {
    const ro = new ResizeObserver(() => draw());
    ro.observe(svg);
    abort.signal.addEventListener("abort", () => ro.disconnect());
  }
  draw();
  return () => abort.abort();
}
