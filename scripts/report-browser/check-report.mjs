// Opens a gaztag HTML report in headless Chromium as an analyst would, and checks that
// it works offline: no console error, no request beyond the file itself, every chart
// drawn with the numbers embedded in the page, the network answers hover, zoom and
// click, and the entity search filters the table. Saves a full-page screenshot.
//
// Every page is also checked as if its data were hostile (tests/fixtures/report/hostile*
// makes one that is): every bar, axis bucket, node and link is hovered and its tooltip
// must show the data's strings as text; no dialog may open, no element may carry an
// on* handler or a javascript: URL, and no element the page does not make itself (an
// <img>, <iframe>, <svg>, a fourth <script>, ...) may appear, even for an instant.
//
// usage: node check-report.mjs REPORT.html SCREENSHOT.png   (DEBUG=1: what a missed hover showed)
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [reportPath, screenshotPath] = process.argv.slice(2);
if (!reportPath || !screenshotPath) {
  console.error("usage: node check-report.mjs REPORT.html SCREENSHOT.png");
  process.exit(2);
}
const url = pathToFileURL(path.resolve(reportPath)).href;
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
// Tags of the page's template, and those its script and ECharts add (charts, tooltips,
// table rows); anything else in the document came from the data.
const OWN_TAGS = new Set(["HTML", "HEAD", "META", "TITLE", "LINK", "STYLE", "BODY", "HEADER", "H1", "H2", "P",
  "MAIN", "SECTION", "DIV", "INPUT", "SELECT", "OPTION", "SPAN", "TABLE", "THEAD", "TBODY", "TR", "TH", "TD",
  "SCRIPT", "CANVAS", "MARK", "BR"]);
const OWN_SCRIPTS = 3; // the data, ECharts, the report's script

try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  const requests = [];
  const dialogs = [];
  page.on("dialog", (d) => { dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  // Runs before the page's own scripts: records every element ever added (a tooltip
  // replaced a moment later included) and every attribute set on one.
  await page.addInitScript((ownTags) => {
    const own = new Set(ownTags);
    window.__foreign = [];
    const inspect = (el) => {
      if (!own.has(el.tagName)) window.__foreign.push(`<${el.tagName.toLowerCase()}>`);
      for (const a of el.attributes) {
        if (/^on/i.test(a.name) || (/^(href|src|srcdoc|action|formaction|xlink:href|data|poster)$/i.test(a.name) &&
          /^\s*javascript:/i.test(a.value))) {
          window.__foreign.push(`<${el.tagName.toLowerCase()} ${a.name}=${JSON.stringify(a.value)}>`);
        }
      }
    };
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "attributes" && r.target.nodeType === 1) inspect(r.target);
        for (const n of r.addedNodes) {
          if (n.nodeType !== 1) continue;
          inspect(n);
          n.querySelectorAll("*").forEach(inspect);
        }
      }
    }).observe(document, { childList: true, subtree: true, attributes: true });
  }, [...OWN_TAGS]);
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector("body[data-ready=true]", { timeout: 10000 });
  const data = await page.evaluate(() => JSON.parse(document.getElementById("gaztag-data").textContent));

  // Every chart that has data is drawn on a canvas with exactly the data's values.
  const drawn = (selector) => page.waitForSelector(`${selector}[data-rendered=true] canvas`, { timeout: 15000 })
    .then(() => true, () => false);
  const series = (selector) => page.evaluate((s) => {
    const chart = echarts.getInstanceByDom(document.querySelector(s));
    return chart.getOption().series.map((x) => ({ type: x.type, data: x.data, links: x.links }));
  }, selector);
  for (const [type, rows] of Object.entries(data.top)) {
    const sel = `#${await page.evaluate((t) => CSS.escape("top-" + t), type)}`;
    check(await drawn(sel), `bar chart of the top ${type} entities is drawn`);
    const [bars] = await series(sel);
    check(bars.type === "bar" && JSON.stringify(bars.data) === JSON.stringify(rows.map((r) => r.mentions).reverse()),
      `its ${rows.length} bars are the mentions of the top ${type} entities`);
  }
  if (data.timeline) {
    check(await drawn("#timeline-chart"), `timeline is drawn (${data.timeline.buckets.length} ${data.timeline.period}s)`);
    const s = await series("#timeline-chart");
    const total = s.filter((x) => x.type === "bar").flatMap((x) => x.data).reduce((a, b) => a + b, 0);
    const dated = Object.values(data.timeline.mentions).flat().reduce((a, b) => a + b, 0);
    check(total === dated && dated > 0, `timeline bars add up to the ${dated} dated mentions`);
  }
  if (data.sources) {
    check(await drawn("#sources-chart"), `sources chart is drawn (${data.sources.names.length} sources)`);
  }
  if (data.network.nodes.length === 0) {
    await hoverEverything(page, data);
    const hidden = await page.evaluate(() => document.getElementById("network-chart").classList.contains("hidden") &&
      document.getElementById("network-note").textContent.startsWith("No two entities share"));
    check(hidden, "with no linked entities, the network is left out and the page says why");
  } else {
    check(await drawn("#network-chart"), "network is drawn");
    const [graph] = await series("#network-chart");
    check(graph.type === "graph" && graph.data.length === data.network.nodes.length && graph.links.length === data.network.links.length,
      `network has the page's ${data.network.nodes.length} nodes and ${data.network.links.length} links`);

    // Hover: the tooltip names the node and its counts. Zoom: the wheel scales the graph.
    await page.waitForTimeout(1500); // let the force layout settle
    await hoverEverything(page, data);
    const node = await page.evaluate(() => {
      const el = document.querySelector("#network-chart");
      const chart = echarts.getInstanceByDom(el);
      const data = chart.getModel().getSeriesByIndex(0).getData();
      const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, data.getItemLayout(0));
      const box = el.getBoundingClientRect();
      return { x: box.left + x, y: box.top + y + window.scrollY, box: { x: box.left + box.width / 2, y: box.top + window.scrollY + box.height / 2 } };
    });
    await page.evaluate((y) => window.scrollTo(0, y - 300), node.y);
    const scroll = await page.evaluate(() => window.scrollY);
    await page.mouse.move(node.x, node.y - scroll);
    const first = data.network.nodes[0];
    const tip = await page.waitForFunction((name) => [...document.querySelectorAll("#network-chart div")]
      .some((d) => d.textContent.includes(name) && d.textContent.includes("mentions in")), first.name, { timeout: 5000 })
      .then(() => true, () => false);
    check(tip, `hovering the node of ${first.name} shows its mentions and documents`);
    await page.mouse.click(node.x, node.y - scroll);
    const searched = await page.waitForFunction((id) => document.getElementById("entity-search").value === id &&
      document.querySelector(`#entity-table tbody tr[data-id="${CSS.escape(id)}"]`) !== null, first.id, { timeout: 5000 })
      .then(() => true, () => false);
    check(searched, `clicking that node finds ${first.id} in the entity table`);
    await page.evaluate((y) => window.scrollTo(0, y - 300), node.box.y);
    const scroll2 = await page.evaluate(() => window.scrollY);
    await page.mouse.move(node.box.x, node.box.y - scroll2);
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(300);
    const zoom = await page.evaluate(() => echarts.getInstanceByDom(document.querySelector("#network-chart")).getOption().series[0].zoom);
    check(zoom > 1, `the mouse wheel zooms the network (zoom ${zoom})`);
  }

  // The table: every entity (up to the page's limit of 200 rows), then a search.
  await page.fill("#entity-search", "");
  const rows = await page.locator("#entity-table tbody tr").count();
  check(rows === Math.min(200, data.entities.length), `entity table has ${rows} rows for ${data.entities.length} entities`);
  const target = data.entities[Math.min(2, data.entities.length - 1)];
  await page.fill("#entity-search", target.name);
  const hits = await page.locator("#entity-table tbody tr").evaluateAll((trs) => trs.map((t) => t.dataset.id));
  check(hits.includes(target.id) && hits.length < Math.max(rows, 2), `searching "${target.name}" keeps ${hits.length} rows, ${target.id} among them`);
  const contexts = await page.locator("#entity-table tbody tr mark").count();
  if (data.summary.documents_with_text) {
    check(contexts > 0, `the matching rows show ${contexts} contexts with the mention marked`);
  }
  await page.fill("#entity-search", "");

  const foreign = await page.evaluate((own) => {
    const found = [...window.__foreign];
    if (document.scripts.length !== own) found.push(`${document.scripts.length} <script> elements`);
    for (const el of document.querySelectorAll("*")) {
      for (const a of el.attributes) {
        if (/^on/i.test(a.name) || (/^(href|src|srcdoc|action|formaction|xlink:href|data|poster)$/i.test(a.name) &&
          /^\s*javascript:/i.test(a.value))) found.push(`<${el.tagName.toLowerCase()} ${a.name}>`);
      }
    }
    return [...new Set(found)];
  }, OWN_SCRIPTS);
  check(foreign.length === 0, `no element or handler from the data${foreign.length ? ": " + foreign.slice(0, 8).join(", ") : ""}`);
  check(dialogs.length === 0, `no dialog opened${dialogs.length ? ": " + dialogs.slice(0, 8).join(" | ") : ""}`);

  await page.screenshot({ path: screenshotPath, fullPage: true });
  console.log(`screenshot: ${screenshotPath}`);
  const elsewhere = requests.filter((r) => r !== url && !r.startsWith("data:"));
  check(elsewhere.length === 0, `no network request (${requests.length} request: the file itself)${elsewhere.length ? ": " + elsewhere.join(", ") : ""}`);
  check(errors.length === 0, `no console error or warning${errors.length ? ": " + errors.join(" | ") : ""}`);
} finally {
  await browser.close();
}
// Hovers every bar of every chart, every bucket of the timeline, every source, every
// node and every link of the network with the mouse; each tooltip must show its
// strings from the data as text (were they parsed as HTML, `<img …>` would not be in
// the tooltip's text).
async function hoverEverything(page, data) {
  const targets = [];
  for (const [type, rows] of Object.entries(data.top)) {
    rows.slice().reverse().forEach((r, i) => targets.push({ id: "top-" + type, kind: "category-y", i, text: [r.name, "mentions in"] }));
  }
  if (data.timeline) {
    data.timeline.buckets.forEach((b, i) => targets.push({ id: "timeline-chart", kind: "category-x", i, text: [b, "documents"] }));
  }
  if (data.sources) {
    data.sources.names.slice().reverse().forEach((n, i) => targets.push({ id: "sources-chart", kind: "category-y", i, text: [n] }));
  }
  const n = data.network;
  n.nodes.forEach((x, i) => targets.push({ id: "network-chart", kind: "node", i, text: [x.name, x.type, "mentions in"] }));
  n.links.forEach((l, i) => targets.push({ id: "network-chart", kind: "edge", i,
    text: [n.nodes[l.source].name, n.nodes[l.target].name, "documents together"] }));
  if (n.nodes.length) {
    // The force layout must be still, or nodes move away from the points computed.
    const still = await page.waitForFunction(() => {
      const series = echarts.getInstanceByDom(document.getElementById("network-chart")).getModel().getSeriesByIndex(0);
      const now = JSON.stringify(series.getData().mapArray((i) => series.getData().getItemLayout(i)));
      const same = now === window.__lastLayout;
      window.__lastLayout = now;
      return same;
    }, null, { polling: 250, timeout: 20000 }).then(() => true, () => false);
    check(still, "the network's layout comes to rest");
  }
  const missed = {};
  const kinds = {};
  const covered = {};
  const tipShows = (t) => page.waitForFunction(({ id, text }) => [...document.getElementById(id).querySelectorAll("div")]
    .some((d) => d.offsetParent !== null && text.every((s) => d.textContent.includes(s))), t, { timeout: 1000 })
    .then(() => true, () => false);
  for (const t of targets) {
    kinds[t.kind] = (kinds[t.kind] || 0) + 1;
    const network = t.kind === "node" || t.kind === "edge";
    let shown = false;
    let at;
    // In the network, the last hover's highlight (labels shown, neighbours dimmed) and
    // a layout still settling can put something else under the point: leave the chart
    // first, and look again if another node or link answered.
    for (let attempt = 0; attempt < (network ? 3 : 1) && !shown; attempt++) {
      if (network) {
        await page.mouse.move(1, 1);
        await page.waitForTimeout(50);
      }
      at = await page.evaluate(pointOf, t);
      if (!at) break;
      await page.mouse.move(at.x, at.y);
      shown = await tipShows(t);
    }
    if (!at || (network && !shown)) {
      // Under other nodes everywhere (a dense network), or still answered by a
      // neighbour after three tries on a loaded machine: what the tooltip would show,
      // parsed where nothing runs.
      covered[t.kind] = (covered[t.kind] || 0) + 1;
      const problem = await page.evaluate(formatterOutput, t);
      if (problem) console.log(`     ${t.kind} ${t.i}: ${problem}`);
      shown = !problem;
    }
    if (!shown && process.env.DEBUG) {
      console.log(t, at, await page.evaluate((id) => [...document.getElementById(id).querySelectorAll("div")]
        .filter((d) => d.offsetParent !== null).map((d) => d.textContent).join(" | "), t.id));
    }
    if (!shown) (missed[t.kind] = missed[t.kind] || []).push(t.text[0]);
  }
  for (const [kind, count] of Object.entries(kinds)) {
    const m = missed[kind] || [];
    check(m.length === 0, `hovering each of the ${count} ${kind} targets shows its strings as text` +
      (covered[kind] ? ` (${covered[kind]} under other nodes or not reached by the mouse: their tooltip's HTML checked)` : "") +
      (m.length ? `; not for ${m.length}: ${m.slice(0, 5).map((x) => JSON.stringify(x)).join(", ")}` : ""));
  }
  await page.mouse.move(1, 1);
}

// Runs in the page: scrolls target `t` to the middle of the window and returns the
// point to hover in whole window pixels (the mouse's); none for a node or link that
// other nodes cover entirely.
function pointOf(t) {
  const chart = echarts.getInstanceByDom(document.getElementById(t.id));
  let candidates;
  let graphic = null;
  if (t.kind === "category-y") {
    // Just right of the value axis' zero, on the category's band: the axis tooltip.
    candidates = [[chart.convertToPixel({ xAxisIndex: 0 }, 0) + 4, chart.convertToPixel({ yAxisIndex: 0 }, t.i)]];
  } else if (t.kind === "category-x") {
    candidates = [[chart.convertToPixel({ xAxisIndex: 0 }, t.i), chart.convertToPixel({ yAxisIndex: 0 }, 0) - 4]];
  } else {
    // Points of the node (its centre, then around it) or of the link's curve, to be
    // tried with ECharts' own hit test.
    const series = chart.getModel().getSeriesByIndex(0);
    const xy = (q) => chart.convertToPixel({ seriesIndex: 0 }, q);
    candidates = [];
    if (t.kind === "node") {
      const data = series.getData();
      const [cx, cy] = xy(data.getItemLayout(t.i));
      const r = data.getItemVisual(t.i, "symbolSize") / 2;
      candidates.push([cx, cy]);
      for (let k = 0; k < 8; k++) {
        for (const f of [0.4, 0.8]) candidates.push([cx + f * r * Math.cos(k * Math.PI / 4), cy + f * r * Math.sin(k * Math.PI / 4)]);
      }
      graphic = data.getItemGraphicEl(t.i);
    } else {
      const [a, b, c] = series.getGraph().getEdgeByIndex(t.i).getLayout();
      const ctl = c || [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      for (let k = 1; k < 20; k++) {
        const f = k / 20;
        const at = (j) => (1 - f) * (1 - f) * a[j] + 2 * f * (1 - f) * ctl[j] + f * f * b[j];
        candidates.push(xy([at(0), at(1)]));
      }
      graphic = series.getEdgeData().getItemGraphicEl(t.i);
    }
  }
  // Chart pixels count from the canvas' corner, inside the chart's border.
  const canvas = chart.getZr().painter.getViewportRoot();
  window.scrollTo(0, window.scrollY + canvas.getBoundingClientRect().top + candidates[0][1] - window.innerHeight / 2);
  const box = canvas.getBoundingClientRect();
  const hits = (x, y) => {
    for (let g = chart.getZr().handler.findHover(x - box.left, y - box.top).target; g; g = g.parent) {
      if (g === graphic) return true;
    }
    return false;
  };
  const around = [[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1]];
  for (const [x, y] of candidates) {
    const at = { x: Math.round(box.left + x), y: Math.round(box.top + y) };
    // Where links cross, the browser's rounding of the pointer can pick a neighbour:
    // only a point whose surroundings are the target's too.
    if (!graphic || around.every(([dx, dy]) => hits(at.x + dx, at.y + dy))) return at;
  }
  return null;
}

// Runs in the page: the HTML the tooltip formatter gives for network node or link `t`,
// parsed in an inert <template>; what is wrong with it, or nothing.
function formatterOutput(t) {
  const chart = echarts.getInstanceByDom(document.getElementById(t.id));
  const html = chart.getOption().tooltip[0].formatter({ dataType: t.kind, dataIndex: t.i });
  const inert = document.createElement("template");
  inert.innerHTML = html;
  const odd = [...inert.content.querySelectorAll("*")].filter((e) => e.tagName !== "BR" &&
    !(e.tagName === "SPAN" && e.className === "swatch"));
  if (odd.length) return `elements from the data: ${odd.map((e) => e.outerHTML).join(" ")}`;
  const text = inert.content.textContent;
  const lost = t.text.filter((s) => !text.includes(s));
  return lost.length ? `not shown as text: ${lost.join(", ")}` : null;
}

if (failures.length) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log("every check passed");
