// Reformer (cải cách hành chính): the simplification report of one procedure on its BPMN
// diagram (removable steps and components highlighted), before/after figures, the catalogue
// ranking and the EMC metrics as charts.
import {
  api, el, fmtMinutes, fmtNumber, fmtPercent, matchesQuery, notice, page, problemText, registryName,
  registries, requireRole, t,
} from "./common.js";

const box = document.getElementById("reformer-notice");
const STEP_RULES = new Set(["verification_only_steps", "handoff_steps", "consecutive_approvals"]);

/** The highlight class of a finding: a step to remove, a component to drop, blocked, or a change. */
export function findingClass(f) {
  if (f.status && f.status !== "actionable") return "blocked";
  if (STEP_RULES.has(f.rule)) return "remove";
  if (f.rule === "components_available_in_registries") return "drop";
  return "change";
}
const PRIORITY = { remove: 3, drop: 2, change: 1, blocked: 0 };

function ruleName(rule) {
  const key = `rule.${rule}`;
  return t(key) === key ? rule : t(key);
}

// ------------------------------------------------------------------- one procedure
let viewer = null; // the model as deployed, with the findings
let viewerAfter = null; // the model once simplified (the report's rewrite, format=bpmn)
const MIN_SCALE = 0.75; // below this the labels cannot be read: a phone pans instead

/** Fit the diagram in its box, but never below a readable scale (then show its start). */
function fitReadable(v) {
  const canvas = v.get("canvas");
  canvas.zoom("fit-viewport", "auto");
  const box = canvas.viewbox();
  if (box.scale >= MIN_SCALE) return;
  const width = box.outer.width / MIN_SCALE;
  const height = box.outer.height / MIN_SCALE;
  canvas.viewbox({ x: box.inner.x - 20, y: box.inner.y + box.inner.height / 2 - height / 2, width, height });
}

/** A NavigatedViewer in `id` (drag to pan, Ctrl+wheel to zoom), refitted when its box resizes. */
function mountViewer(id) {
  const v = new window.BpmnJS({ container: `#${id}` });
  const node = document.getElementById(id);
  let width = node.clientWidth;
  new ResizeObserver(([entry]) => {
    const { width: w, height: h } = entry.contentRect;
    if (Math.abs(w - width) < 2 || w < 50 || h < 50) return;
    width = w;
    v.get("canvas").resized();
    fitReadable(v);
  }).observe(node);
  return v;
}

function zoomButtons() {
  for (const group of document.querySelectorAll(".zoom[data-for]")) {
    group.addEventListener("click", (event) => {
      const how = event.target.closest("button")?.dataset.zoom;
      const v = group.dataset.for === "after" ? viewerAfter : viewer;
      if (!how || !v) return;
      if (how === "fit") fitReadable(v);
      else v.get("zoomScroll").stepZoom(how === "in" ? 1 : -1);
    });
  }
}

async function reportPage(slug) {
  const [model, regs] = await Promise.all([api(`/api/v1/models/${encodeURIComponent(slug)}`), registries()]);
  document.getElementById("report-title").textContent = `${t("reformer.report")}: ${(page.lang === "en" && model.name_en) || model.name}`;
  const xml = await api(`/api/v1/models/${encodeURIComponent(slug)}/versions/${model.latest_version}/bpmn`, { raw: true, headers: { Accept: "application/xml" } });
  viewer = mountViewer("diagram");
  viewerAfter = mountViewer("diagram-after");
  window.ttViewer = viewer;
  window.ttViewerAfter = viewerAfter;
  await viewer.importXML(xml);
  fitReadable(viewer);
  zoomButtons();
  const params = new URLSearchParams(location.search);
  renderWhatIf(slug, regs, params.get("registries"));
  await loadReport(slug, params.get("registries"));
}

function renderWhatIf(slug, regs, selected) {
  const chosen = selected === null ? null : new Set(selected.split(",").filter(Boolean));
  const boxes = regs.map((r) => el("label", { class: "check" },
    el("input", { type: "checkbox", value: r.id, checked: chosen ? chosen.has(r.id) : r.connected }), " ", registryName(r)));
  const form = el("form", { class: "whatif-form" }, el("div", { class: "checks" }, boxes),
    el("button", { type: "submit", class: "secondary", id: "whatif-apply" }, t("reformer.whatif_apply")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const ids = [...form.querySelectorAll("input:checked")].map((i) => i.value).join(",");
    history.replaceState(null, "", `?registries=${encodeURIComponent(ids)}`);
    await loadReport(slug, ids).catch((err) => notice(box, "error", problemText(err)));
  });
  document.getElementById("whatif").replaceChildren(el("details", {}, el("summary", {}, t("reformer.whatif")),
    el("p", { class: "muted small" }, t("reformer.whatif_hint")), form));
}

async function loadReport(slug, connected) {
  const query = connected === null || connected === undefined ? "" : `?registries=${encodeURIComponent(connected)}`;
  const [report, after] = await Promise.all([
    api(`/api/v1/simplification/models/${encodeURIComponent(slug)}${query}`),
    api(`/api/v1/simplification/models/${encodeURIComponent(slug)}?format=bpmn${query.replace("?", "&")}`,
      { raw: true, headers: { Accept: "application/xml" } }),
  ]);
  highlight(report);
  await viewerAfter.importXML(after);
  fitReadable(viewerAfter);
  highlightAfter(report);
  renderFigures(report);
  renderReadiness(report);
  renderFindings(report);
  document.body.dataset.reportReady = "1";
}

function elementsOf(report, target) {
  const comp = report.components?.[target];
  return comp?.refs?.length ? comp.refs : [target];
}

function highlight(report) {
  const canvas = viewer.get("canvas");
  const registry = viewer.get("elementRegistry");
  const overlays = viewer.get("overlays");
  overlays.remove({ type: "tt-finding" });
  registry.forEach((e) => ["remove", "drop", "blocked", "change"].forEach((c) => canvas.removeMarker(e, `tt-hl-${c}`)));
  const best = new Map();
  const numbers = new Map();
  report.findings.forEach((f, i) => {
    const cls = findingClass(f);
    for (const target of f.targets || []) {
      for (const id of elementsOf(report, target)) {
        if (!registry.get(id)) continue;
        if (!best.has(id) || PRIORITY[cls] > PRIORITY[best.get(id)]) best.set(id, cls);
        numbers.set(id, [...(numbers.get(id) || []), i + 1]);
      }
    }
  });
  for (const [id, cls] of best) {
    canvas.addMarker(id, `tt-hl-${cls}`);
    overlays.add(id, "tt-finding", {
      position: { top: -10, right: 12 },
      html: `<a class="tt-overlay ${cls}" href="#finding-${numbers.get(id)[0]}" title="${numbers.get(id).map((n) => `#${n}`).join(" ")}">${numbers.get(id).join(",")}</a>`,
    });
  }
}

/** On the simplified model: the steps a finding changed (its number) and the new steps. */
function highlightAfter(report) {
  const canvas = viewerAfter.get("canvas");
  const registry = viewerAfter.get("elementRegistry");
  const overlays = viewerAfter.get("overlays");
  const before = viewer.get("elementRegistry");
  const numbers = new Map();
  report.findings.forEach((f, i) => {
    for (const target of f.targets || []) {
      for (const id of elementsOf(report, target)) {
        if (registry.get(id)) numbers.set(id, [...(numbers.get(id) || []), i + 1]);
      }
    }
  });
  for (const [id, list] of numbers) {
    canvas.addMarker(id, "tt-hl-change");
    overlays.add(id, "tt-finding", {
      position: { top: -10, right: 12 },
      html: `<a class="tt-overlay change" href="#finding-${list[0]}" title="${list.map((n) => `#${n}`).join(" ")}">${list.join(",")}</a>`,
    });
  }
  registry.filter((e) => !e.waypoints && e.type !== "label" && e.parent && !before.get(e.id) && !numbers.has(e.id)
    && !/Participant|Lane|Process|Collaboration/.test(e.type))
    .forEach((e) => {
      canvas.addMarker(e.id, "tt-hl-added");
      overlays.add(e.id, "tt-finding", { position: { top: -10, right: 12 }, html: '<span class="tt-overlay added">+</span>' });
    });
}

function row(label, before, after, fmt = (v) => fmtNumber(v)) {
  const better = typeof before === "number" && typeof after === "number" && after < before;
  return el("tr", {}, el("th", { scope: "row" }, label), el("td", {}, fmt(before)), el("td", { class: better ? "better" : "" }, fmt(after)));
}

function renderFigures(report) {
  const b = report.before;
  const a = report.after;
  const s = report.savings;
  document.getElementById("figures").replaceChildren(
    el("h2", {}, t("reformer.figures")),
    el("div", { class: "table-wrap" }, el("table", { class: "table compact", id: "before-after" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("table.figure")), el("th", { scope: "col" }, t("reformer.before")), el("th", { scope: "col" }, t("reformer.after")))),
      el("tbody", {},
        row(t("fig.steps"), b.steps, a.steps),
        row(t("fig.citizen_steps"), b.citizen_steps, a.citizen_steps),
        row(t("fig.components"), b.components, a.components),
        row(t("fig.typed_fields"), b.typed_fields, a.typed_fields),
        row(t("fig.visits"), b.visits, a.visits),
        row(t("fig.critical_path"), b.critical_path_min, a.critical_path_min, fmtMinutes),
        row(t("fig.cost_per_dossier"), b.cost?.per_dossier, a.cost?.per_dossier, (v) => `${fmtNumber(v)} ₫`),
        row(t("fig.annual_cost"), b.cost?.annual, a.cost?.annual, (v) => `${fmtNumber(v)} ₫`),
        row(t("fig.readiness"), b.readiness?.score, a.readiness?.score, (v) => fmtNumber(v, 1))))),
    el("p", { id: "savings" }, t("reformer.savings", {
      cost: fmtNumber(s.annual_cost), pct: fmtNumber(s.cost_cut_pct, 1), time: fmtNumber(s.time_cut_pct, 1),
    })),
    el("p", { class: "row-inline" },
      el("span", { class: `badge ${s.meets_cost_target ? "ok" : "warn"}` }, s.meets_cost_target ? t("reformer.cost_target_met") : t("reformer.cost_target_missed")),
      el("span", { class: `badge ${s.meets_time_target ? "ok" : "warn"}` }, s.meets_time_target ? t("reformer.time_target_met") : t("reformer.time_target_missed"))));
}

function renderReadiness(report) {
  const crit = ["a", "b", "c", "d", "dd", "e", "g", "h"];
  const b = report.before.readiness;
  const a = report.after.readiness;
  document.getElementById("readiness").replaceChildren(
    el("h2", {}, t("reformer.readiness")),
    el("p", { class: "bands" }, el("span", { class: `band band-${b.band}`, id: "band-before" }, b.band), " → ",
      el("span", { class: `band band-${a.band}`, id: "band-after" }, a.band)),
    el("table", { class: "table compact" },
      el("thead", {}, el("tr", {}, el("th", {}, t("reformer.criterion")), el("th", {}, t("reformer.before")), el("th", {}, t("reformer.after")))),
      el("tbody", {}, crit.map((c) => el("tr", {}, el("th", { scope: "row" }, t(`crit.${c}`)),
        el("td", {}, mark(b.criteria[c])), el("td", {}, mark(a.criteria[c])))))),
    a.blockers?.length ? el("ul", { class: "small" }, a.blockers.map((x) => el("li", {}, x.message))) : "");
}

/** A criterion met (✓), not met (✗) or not applicable to the procedure (—). */
function mark(value) {
  if (value === null || value === undefined) return "—";
  return value ? "✓" : "✗";
}

function renderFindings(report) {
  const items = report.findings.map((f, i) => el("li", { id: `finding-${i + 1}`, class: `finding ${findingClass(f)}`, dataset: { rule: f.rule, targets: (f.targets || []).join(" ") } },
    el("div", { class: "finding-head" }, el("span", { class: `tt-overlay ${findingClass(f)}` }, String(i + 1)), " ",
      el("strong", {}, f.title_vi), " ", el("span", { class: "badge" }, ruleName(f.rule)),
      f.status !== "actionable" ? el("span", { class: "badge warn" }, t(`fstatus.${f.status}`)) : ""),
    el("p", { class: "small" }, f.explanation),
    el("div", { class: "row-inline small" },
      (f.targets || []).map((target) => el("button", { type: "button", class: "linklike", onclick: () => focus(report, target) }, target)),
      f.saving?.cost ? el("span", { class: "muted" }, t("reformer.saving_each", { cost: fmtNumber(f.saving.cost) })) : ""),
    f.legal_basis?.length ? el("details", { class: "small" }, el("summary", {}, t("reformer.legal_basis")),
      el("ul", {}, f.legal_basis.map((l) => el("li", {}, l)))) : ""));
  document.getElementById("findings").replaceChildren(
    el("h2", {}, t("reformer.findings", { n: report.findings.length })),
    report.findings.length ? el("ol", { class: "findings", id: "finding-list" }, items) : el("p", { class: "muted" }, t("reformer.no_findings")));
}

function focus(report, target) {
  const registry = viewer.get("elementRegistry");
  const id = elementsOf(report, target).find((x) => registry.get(x));
  if (!id) return;
  const canvas = viewer.get("canvas");
  canvas.scrollToElement(registry.get(id));
  document.getElementById("diagram").scrollIntoView({ behavior: "smooth", block: "center" });
}

// ----------------------------------------------------------------- the catalogue
/**
 * The catalogue report: it analyses every deployed model, so the server computes it off the
 * request thread. Ready within a few seconds it is the answer; else the answer is 202 with a
 * status URL, polled here until the report is done (or a newer deployment asks for a new one).
 */
export async function catalogueReport(path = "/api/v1/simplification/catalogue", pause = 2000) {
  const wait = { headers: { Prefer: "wait=5" } };
  let answer = await api(path, wait);
  let waited = false;
  while (answer && answer.state) {
    if (answer.state === "running") {
      if (!waited) notice(box, "info", t("cat.computing"));
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, pause));
      answer = await api(answer.status_url);
    } else {
      answer = await api(answer.report_url, wait); // done, or stale: ask for the report itself
    }
  }
  if (waited) box.hidden = true;
  return answer;
}

async function cataloguePage() {
  const [catalogue, models] = await Promise.all([catalogueReport(), api("/api/v1/models")]);
  const keywords = new Map(models.map((m) => [m.slug, m.keywords || ""]));
  const totals = catalogue.totals;
  document.getElementById("totals").replaceChildren(
    tile(t("cat.procedures"), fmtNumber(totals.procedures)),
    tile(t("cat.components_removed"), fmtNumber(totals.components_removed)),
    tile(t("cat.steps_removed"), fmtNumber(totals.steps_removed)),
    tile(t("cat.visits_removed"), fmtNumber(totals.visits_removed)),
    tile(t("cat.annual_cost_saved"), `${fmtNumber(totals.annual_cost_saved / 1e9, 1)} ${t("unit.billion")}`));
  document.getElementById("ranking").replaceChildren(
    el("thead", {}, el("tr", {}, ["#", t("dossier.procedure"), t("cat.band"), t("fig.components"), t("fig.visits"), t("fig.annual_cost"), t("cat.cost_cut")].map((h) => el("th", { scope: "col" }, h)),
      el("th", { scope: "col" }, el("span", { class: "sr-only" }, t("table.links"))))),
    el("tbody", {}, catalogue.ranked_by_saving.map((p, i) => el("tr", { dataset: { slug: p.slug, keywords: keywords.get(p.slug) || "" } },
      el("td", {}, String(i + 1)),
      el("td", {}, el("a", { href: `/reformer/${encodeURIComponent(p.slug)}` }, p.name)),
      el("td", {}, el("span", { class: `band band-${p.before.band}` }, p.before.band), " → ", el("span", { class: `band band-${p.after.band}` }, p.after.band)),
      el("td", {}, `${p.before.components} → ${p.after.components}`),
      el("td", {}, `${p.before.visits} → ${p.after.visits}`),
      el("td", { class: "num" }, `${fmtNumber(p.savings.annual_cost)} ₫`),
      el("td", { class: "num" }, `${fmtNumber(p.savings.cost_cut_pct, 1)}%`),
      el("td", {}, el("a", { href: `/reformer/${encodeURIComponent(p.slug)}` }, t("reformer.open")))))));
  const search = document.getElementById("ranking-search");
  search.addEventListener("input", () => {
    for (const tr of document.querySelectorAll("#ranking tbody tr")) {
      tr.hidden = !matchesQuery(search.value, tr.dataset.keywords, tr.cells[1].textContent);
    }
  });
}

function tile(label, value) {
  return el("div", { class: "tile" }, el("div", { class: "tile-value" }, value), el("div", { class: "tile-label" }, label));
}

const charts = {};
async function metricsSection() {
  const from = document.getElementById("metrics-from").value;
  const to = document.getElementById("metrics-to").value;
  const query = new URLSearchParams();
  if (from) query.set("from", from);
  if (to) query.set("to", to);
  const m = await api(`/api/v1/metrics?${query}`);
  const total = m.total;
  document.getElementById("metrics-tiles").replaceChildren(
    tile(t("metrics.received"), fmtNumber(total.received)),
    tile(t("metrics.online_rate"), fmtPercent(total.online_rate)),
    tile(t("metrics.full_online_rate"), fmtPercent(total.full_online_rate)),
    tile(t("metrics.on_time_rate"), fmtPercent(total.on_time_rate)),
    tile(t("metrics.early_rate"), fmtPercent(total.early_rate)));
  const rows = m.by_procedure;
  const labels = rows.map((r) => r.label || r.key);
  const pct = (key) => rows.map((r) => (r[key] === null || r[key] === undefined ? null : Math.round(r[key] * 1000) / 10));
  const Chart = window.Chart;
  const draw = (id, config) => {
    charts[id]?.destroy();
    charts[id] = new Chart(document.getElementById(id), config);
  };
  draw("chart-rates", {
    type: "bar",
    data: { labels, datasets: [
      { label: t("metrics.online_rate"), data: pct("online_rate"), backgroundColor: "#1565c0" },
      { label: t("metrics.full_online_rate"), data: pct("full_online_rate"), backgroundColor: "#2e7d32" },
      { label: t("metrics.on_time_rate"), data: pct("on_time_rate"), backgroundColor: "#f9a825" },
    ] },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { min: 0, max: 100, title: { display: true, text: "%" } } },
      plugins: { title: { display: true, text: t("metrics.rates_chart") } } },
  });
  draw("chart-volume", {
    type: "bar",
    data: { labels, datasets: [
      { label: t("metrics.completed"), data: rows.map((r) => r.completed), backgroundColor: "#2e7d32" },
      { label: t("metrics.in_progress"), data: rows.map((r) => r.in_progress), backgroundColor: "#90a4ae" },
      { label: t("metrics.overdue"), data: rows.map((r) => r.overdue), backgroundColor: "#c62828" },
    ] },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
      plugins: { title: { display: true, text: t("metrics.volume_chart") } } },
  });
  document.getElementById("metrics-table").replaceChildren(
    el("thead", {}, el("tr", {}, [t("dossier.procedure"), t("metrics.received"), t("metrics.online_rate"), t("metrics.full_online_rate"), t("metrics.on_time_rate"), t("metrics.avg_days")].map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, el("td", {}, r.label || r.key), el("td", { class: "num" }, fmtNumber(r.received)),
      el("td", { class: "num" }, fmtPercent(r.online_rate)), el("td", { class: "num" }, fmtPercent(r.full_online_rate)),
      el("td", { class: "num" }, fmtPercent(r.on_time_rate)), el("td", { class: "num" }, fmtNumber(r.avg_processing_days, 1))))));
  document.body.dataset.metricsReady = "1";
}

/** The report as a file (HTML with diagrams, or Markdown), with the what-if of the page. */
async function downloadReport(slug, format) {
  const query = new URLSearchParams({ format });
  const connected = new URLSearchParams(location.search).get("registries");
  if (connected !== null) query.set("registries", connected);
  const text = await api(`/api/v1/simplification/models/${encodeURIComponent(slug)}?${query}`, { raw: true, headers: { Accept: "*/*" } });
  save(text, format === "html" ? "text/html" : "text/markdown", `${slug}-bao-cao.${format === "html" ? "html" : "md"}`);
}

function save(text, type, name) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

async function downloadCsv(event) {
  event.preventDefault();
  const query = new URLSearchParams({ format: "csv" });
  const from = document.getElementById("metrics-from").value;
  const to = document.getElementById("metrics-to").value;
  if (from) query.set("from", from);
  if (to) query.set("to", to);
  const csv = await api(`/api/v1/metrics?${query}`, { raw: true, headers: { Accept: "text/csv" } });
  save(csv, "text/csv", "emc-metrics.csv");
}

const principal = requireRole();
if (principal) {
  const guard = (p) => p.catch((err) => notice(box, "error", problemText(err)));
  if (page.slug) {
    guard(reportPage(page.slug));
    document.getElementById("open-modeller").hidden = principal.role === "reformer";
    for (const button of document.querySelectorAll("button[data-format]")) {
      button.addEventListener("click", () => guard(downloadReport(page.slug, button.dataset.format)));
    }
  } else {
    guard(cataloguePage());
    document.getElementById("metrics-filter").addEventListener("submit", (event) => {
      event.preventDefault();
      guard(metricsSection());
    });
    document.getElementById("metrics-csv").addEventListener("click", (event) => guard(downloadCsv(event)));
    if (principal.role === "modeller") {
      document.getElementById("metrics").replaceChildren(el("p", { class: "muted" }, t("metrics.no_access")));
    } else {
      guard(metricsSection());
    }
  }
}
