// Opens a gaztag HTML report in headless Chromium as an analyst would, and checks that
// it works offline: no console error, no request beyond the file itself, every chart
// drawn with the numbers embedded in the page, the network answers hover, zoom and
// click, and the entity search filters the table. Saves a full-page screenshot.
//
// usage: node check-report.mjs REPORT.html SCREENSHOT.png
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
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  const requests = [];
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
    const sel = `#top-${type}`;
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
      document.querySelector(`#entity-table tbody tr[data-id="${id}"]`) !== null, first.id, { timeout: 5000 })
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

  await page.screenshot({ path: screenshotPath, fullPage: true });
  console.log(`screenshot: ${screenshotPath}`);
  const foreign = requests.filter((r) => r !== url && !r.startsWith("data:"));
  check(foreign.length === 0, `no network request (${requests.length} request: the file itself)${foreign.length ? ": " + foreign.join(", ") : ""}`);
  check(errors.length === 0, `no console error or warning${errors.length ? ": " + errors.join(" | ") : ""}`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log("every check passed");
