"""The live Playground picture's script (an ES module that anywidget loads in the page; see ``canvas``).

It draws the boundary with its points, the hidden units, the curves and the rule from the arrays the kernel
sends, with the words the kernel sends (``words``: no English of its own), and paces Play. Kept in a Python
module so that everything that copies nncore's ``*.py`` files (the student edition) carries it too.
"""

SCRIPT = r"""
const TRAIN = "#3a3a3a", DEV = "#e08214", MUTED = "#8c8c8c", GRID = "#eeeeee";
const SIDE = 380, CURVES_W = 430, UNIT_SCALE = 1.4;

function bytes(view) {
  return view ? new Uint8ClampedArray(view.buffer, view.byteOffset, view.byteLength) : new Uint8ClampedArray(0);
}

function sized(canvas, width, height) {
  const r = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * r);
  canvas.height = Math.round(height * r);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(r, 0, 0, r, 0, 0);
  return ctx;
}

function bitmap(rgba, width, height) {
  const c = document.createElement("canvas");
  c.width = Math.max(width, 1);
  c.height = Math.max(height, 1);
  if (width * height > 0) c.getContext("2d").putImageData(new ImageData(rgba, width, height), 0, 0);
  return c;
}

function drawBoundary(ctx, model) {
  const res = model.get("resolution");
  ctx.clearRect(0, 0, SIDE, SIDE);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  if (res > 0) ctx.drawImage(bitmap(bytes(model.get("boundary")), res, res), 0, 0, SIDE, SIDE);
  const [x0, x1, y0, y1] = model.get("extent"), colours = model.get("colours");
  for (const [a, b, k, dev] of model.get("points")) {
    const x = (a - x0) / (x1 - x0) * SIDE, y = SIDE - (b - y0) / (y1 - y0) * SIDE;
    ctx.beginPath();
    ctx.arc(x, y, dev ? 3.4 : 3.0, 0, 2 * Math.PI);
    if (dev) {
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = colours[k];
    } else {
      ctx.fillStyle = colours[k];
      ctx.fill();
      ctx.lineWidth = 0.7;
      ctx.strokeStyle = "white";
    }
    ctx.stroke();
  }
  ctx.lineWidth = 1;
  ctx.strokeStyle = "#bbbbbb";
  ctx.strokeRect(0.5, 0.5, SIDE - 1, SIDE - 1);
}

function drawUnits(canvas, model) {
  const [h, w] = model.get("units_shape");
  canvas.style.display = h * w > 0 ? "" : "none";
  if (h * w === 0) return;
  const scale = Math.min(UNIT_SCALE * 4, (SIDE - 20) / h), size = `${w}x${h}`;
  if (canvas.dataset.size !== size) {                 // resizing reallocates the canvas: only on a new shape
    canvas.dataset.size = size;
    sized(canvas, w * scale, h * scale);
  }
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, w * scale, h * scale);
  ctx.drawImage(bitmap(bytes(model.get("units")), w, h), 0, 0, w * scale, h * scale);
}

function ticks(lo, hi, n) {
  const rough = (hi - lo) / n, magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map(f => f * magnitude).find(s => s >= rough - 1e-12);
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9; v += step) out.push(v);
  return out;
}

function line(ctx, xs, ys, toX, toY, colour, dash) {
  ctx.beginPath();
  ctx.setLineDash(dash || []);
  ctx.strokeStyle = colour;
  let pen = false;
  xs.forEach((x, i) => {
    if (ys[i] === null || ys[i] === undefined) { pen = false; return; }
    const px = toX(x), py = toY(ys[i]);
    if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
    pen = true;
  });
  ctx.stroke();
  ctx.setLineDash([]);
}

function panel(ctx, c, spec) {
  const {top, height, lo, hi, name, label, format, xAxis} = spec, left = 54, right = CURVES_W - 12;
  const toX = x => left + x / c.limits[0] * (right - left);
  const toY = y => top + height - (Math.min(Math.max(y, lo), hi) - lo) / (hi - lo) * height;
  ctx.font = "11px sans-serif";
  ctx.lineWidth = 1;
  ctx.fillStyle = "#555";
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of ticks(lo, hi, 4)) {
    ctx.strokeStyle = GRID;
    ctx.beginPath(); ctx.moveTo(left, toY(v)); ctx.lineTo(right, toY(v)); ctx.stroke();
    ctx.fillText(format(v), left - 5, toY(v));
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const v of ticks(0, c.limits[0], 5)) {
    ctx.strokeStyle = GRID;
    ctx.beginPath(); ctx.moveTo(toX(v), top); ctx.lineTo(toX(v), top + height); ctx.stroke();
    if (xAxis) ctx.fillText((Math.abs(v) < 1e-9 ? 0 : v).toLocaleString("en"), toX(v), top + height + 4);
  }
  ctx.strokeStyle = "#bbbbbb";
  ctx.beginPath(); ctx.moveTo(left, top); ctx.lineTo(left, top + height); ctx.lineTo(right, top + height); ctx.stroke();
  ctx.save(); ctx.translate(14, top + height / 2); ctx.rotate(-Math.PI / 2); ctx.fillText(label, 0, -6); ctx.restore();
  ctx.lineWidth = 1.8;
  if (name === "accuracy") line(ctx, [0, c.limits[0]], [c.baseline, c.baseline], toX, toY, MUTED, [2, 3]);
  line(ctx, c.epoch, c[`train_${name}`], toX, toY, TRAIN);
  line(ctx, c.epoch, c[`dev_${name}`], toX, toY, DEV);
}

function drawCurves(ctx, model) {
  const c = model.get("curves"), words = model.get("words");
  ctx.clearRect(0, 0, CURVES_W, SIDE);
  if (!c.epoch) return;
  const [, costMax, accuracyMin] = c.limits, height = SIDE / 2 - 34;
  panel(ctx, c, {top: 6, height, lo: 0, hi: costMax, name: "cost", label: words.cost,
                 format: v => String(+v.toFixed(2))});
  panel(ctx, c, {top: SIDE / 2 + 4, height, lo: accuracyMin, hi: 1, name: "accuracy", label: words.accuracy,
                 format: v => `${Math.round(v * 100)}%`, xAxis: true});
  ctx.font = "11px sans-serif"; ctx.textAlign = "left"; ctx.textBaseline = "middle";
  const keys = [[words.train, TRAIN], [words.dev, DEV], [words.majority, MUTED]];
  const widths = keys.map(([label]) => 20 + ctx.measureText(label).width + 14);   // line, label, gap
  let x = CURVES_W - 8 - widths.reduce((a, b) => a + b, 0) + 14;                  // right-aligned
  keys.forEach(([label, colour], i) => {
    ctx.strokeStyle = colour; ctx.lineWidth = 2; ctx.setLineDash(i > 1 ? [2, 3] : []);
    ctx.beginPath(); ctx.moveTo(x, 12); ctx.lineTo(x + 16, 12); ctx.stroke(); ctx.setLineDash([]);
    ctx.fillStyle = "#444"; ctx.fillText(label, x + 20, 12);
    x += widths[i];
  });
  ctx.fillStyle = "#555"; ctx.textAlign = "center"; ctx.textBaseline = "bottom";
  ctx.fillText(words.epoch, (54 + CURVES_W) / 2, SIDE);
}

function legend(el, model) {
  const colours = model.get("colours"), classes = new Set(model.get("points").map(p => p[2]));
  const words = model.get("words");
  const dot = (c, ring) => `<span style="display:inline-block;width:9px;height:9px;border-radius:50%;` +
    (ring ? `border:1.5px solid ${c}` : `background:${c};border:1px solid white`) + `;margin:0 4px 0 10px"></span>`;
  el.innerHTML = [...classes].sort().map(k => `${dot(colours[k])}y = ${k}`).join("") +
    `${dot(MUTED, true)}${words.rings}<span style="color:${MUTED};margin-left:14px">${words.click}</span>`;
}

function paceTicks(model) {
  // At most AHEAD frames asked for and not yet arrived: the kernel computes the next frame while the last
  // one travels to the page, yet a Pause or a slider move waits behind at most AHEAD - 1 frames.
  const AHEAD = 3;
  let pending = 0, asked = 0, timer = null;
  const ask = () => {
    timer = null;
    if (!model.get("playing") || pending >= AHEAD) return;
    pending += 1;
    asked = performance.now();
    model.send({type: "tick"});
    next();
  };
  const next = () => {
    if (timer === null && pending < AHEAD && model.get("playing")) {
      timer = setTimeout(ask, Math.max(0, model.get("interval") - (performance.now() - asked)));
    }
  };
  model.on("change:frame", () => { pending = Math.max(0, pending - 1); next(); });
  model.on("change:playing", () => { pending = 0; next(); });
  setInterval(() => { if (pending && performance.now() - asked > 3000) { pending = 0; next(); } }, 1000);
}

function render({model, el}) {
  el.classList.add("nncore-figure");
  el.style.width = "max-content";
  el.innerHTML = `
    <div style="display:flex;justify-content:space-between;align-items:baseline;margin:2px 0 6px 0;gap:16px">
      <b class="nncore-epoch" style="font-size:14px;color:${TRAIN}"></b>
      <span class="nncore-settings" style="font-size:12px;color:${MUTED}"></span></div>
    <div style="display:flex;align-items:flex-start;gap:14px">
      <div><canvas class="nncore-boundary" style="cursor:crosshair"></canvas>
        <div class="nncore-legend" style="font-size:12px;margin-top:4px"></div></div>
      <div style="text-align:center"><div class="nncore-units-title" style="font-size:11px;color:${MUTED}"></div>
        <canvas class="nncore-units"></canvas></div>
      <canvas class="nncore-curves"></canvas></div>
    <div class="nncore-rule" style="font-size:12.5px;margin-top:6px;font-family:monospace"></div>`;
  const boundary = el.querySelector(".nncore-boundary"), units = el.querySelector(".nncore-units");
  el.querySelector(".nncore-units-title").textContent = model.get("words").units;
  const boundaryCtx = sized(boundary, SIDE, SIDE);
  const curvesCtx = sized(el.querySelector(".nncore-curves"), CURVES_W, SIDE);
  let drawn = 0, pending = false, shownPoints = null;
  const shown = {};
  const text = (selector, property, name) => {
    if (shown[name] !== model.get(name)) {
      shown[name] = model.get(name);
      el.querySelector(selector)[property] = shown[name];
    }
  };
  const draw = () => {
    const start = performance.now();
    pending = false;
    text(".nncore-epoch", "textContent", "header");     // the page's layout work: only what changed
    text(".nncore-settings", "textContent", "settings");
    text(".nncore-rule", "innerHTML", "rule");
    drawBoundary(boundaryCtx, model);
    drawUnits(units, model);
    drawCurves(curvesCtx, model);
    if (model.get("points") !== shownPoints) {
      shownPoints = model.get("points");
      legend(el.querySelector(".nncore-legend"), model);
    }
    boundary.dataset.drawMs = (performance.now() - start).toFixed(2);
    boundary.dataset.drawn = String(++drawn);
  };
  const later = () => {
    if (!pending) {
      pending = true;
      boundary.dataset.received = String(Date.now());
      requestAnimationFrame(draw);
    }
  };
  model.on("change", later);
  boundary.addEventListener("click", event => {
    const box = boundary.getBoundingClientRect(), [x0, x1, y0, y1] = model.get("extent");
    const u = (event.clientX - box.left) / box.width, v = (event.clientY - box.top) / box.height;
    model.send({type: "click", x1: x0 + u * (x1 - x0), x2: y1 - v * (y1 - y0)});
  });
  draw();
}

export default {initialize({model}) { paceTicks(model); }, render};
"""
