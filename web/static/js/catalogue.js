// The national catalogue report (toantrinh catalogue analyse --format json), opened from a
// file on the reformer's computer: totals, national databases, ministries, the procedures
// ranked by opportunity, and one procedure's components and steps with their verdicts.
// Nothing is uploaded: the file is read in the browser.
import { el, fmtNumber, matchesQuery, notice, requireRole, t } from "./common.js";

const box = document.getElementById("catalogue-notice");
let report = null;

function table(id, head, rows) {
  document.getElementById(id).replaceChildren(
    el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows));
}

function tile(value, label) {
  return el("div", { class: "tile" }, el("div", { class: "tile-value" }, value), el("div", { class: "tile-label" }, label));
}

function verdict(v) {
  return el("span", { class: `badge verdict-${v}` }, t(`catalogue.verdict.${v}`));
}

function showCatalogue() {
  const totals = report.totals;
  document.getElementById("catalogue-totals").replaceChildren(
    tile(fmtNumber(totals.procedures), t("catalogue.t_procedures")),
    tile(fmtNumber(totals.replaceable_now), t("catalogue.t_now")),
    tile(fmtNumber(totals.replaceable_once_connected), t("catalogue.t_later")),
    tile(fmtNumber(totals.presence_by_law_steps), t("catalogue.t_presence")),
    tile(`${fmtNumber(totals.readiness_before, 1)} → ${fmtNumber(totals.readiness_after, 1)}`, t("catalogue.t_readiness")));
  table("catalogue-databases", [t("catalogue.database"), t("catalogue.now"), t("catalogue.later")],
    report.by_database.map((d) => el("tr", { dataset: { db: d.id } }, el("td", {}, d.name_vi),
      el("td", { class: "num" }, fmtNumber(d.components_now)), el("td", { class: "num" }, fmtNumber(d.components_once_connected)))));
  table("catalogue-ministries", [t("catalogue.ministry"), t("catalogue.t_procedures"), t("catalogue.now"), t("catalogue.later"), t("catalogue.t_presence")],
    report.by_ministry.map((g) => el("tr", {}, el("td", {}, g.name), el("td", { class: "num" }, fmtNumber(g.procedures)),
      el("td", { class: "num" }, fmtNumber(g.replaceable_now)), el("td", { class: "num" }, fmtNumber(g.replaceable_once_connected)),
      el("td", { class: "num" }, fmtNumber(g.presence_by_law_steps)))));
  listProcedures("");
  document.getElementById("catalogue-view").hidden = false;
  document.getElementById("catalogue-procedure").hidden = true;
}

function listProcedures(filter) {
  const rows = report.procedures
    .filter((p) => matchesQuery(filter, p.national_code, p.name, p.ministry, p.field, ...(p.aliases || [])))
    .slice(0, 200)
    .map((p) => {
      const s = p.summary;
      const now = Object.values(s.replaceable_now).reduce((a, b) => a + b, 0);
      const later = Object.values(s.replaceable_once_connected).reduce((a, b) => a + b, 0);
      return el("tr", { dataset: { code: p.national_code } },
        el("td", {}, el("a", { href: `#p=${encodeURIComponent(p.national_code)}` }, p.national_code)),
        el("td", {}, p.name), el("td", {}, p.ministry), el("td", { class: "num" }, fmtNumber(now)),
        el("td", { class: "num" }, fmtNumber(later)),
        el("td", {}, `${s.before.band} → ${s.after.band}`));
    });
  table("catalogue-procedures", [t("catalogue.code"), t("catalogue.name"), t("catalogue.ministry"), t("catalogue.now"), t("catalogue.later"), t("catalogue.band")], rows);
}

function showProcedure(code) {
  const p = report.procedures.find((x) => x.national_code === code);
  if (!p) { showCatalogue(); return; }
  document.getElementById("procedure-title").textContent = `${p.national_code} — ${p.name}`;
  document.getElementById("procedure-facts").textContent = [p.ministry, p.field, p.agency].filter(Boolean).join(" · ");
  table("procedure-components", ["#", t("catalogue.component"), t("catalogue.verdict"), t("catalogue.database"), t("catalogue.evidence")],
    p.components.map((c) => el("tr", { dataset: { verdict: c.verdict } }, el("td", {}, c.source_index), el("td", {}, c.name),
      el("td", {}, verdict(c.verdict)), el("td", {}, c.database || ""), el("td", { class: "small" }, c.evidence.join(" · ")))));
  table("procedure-steps", ["#", t("catalogue.step"), t("catalogue.verdict"), t("catalogue.presence")],
    p.steps.map((s) => el("tr", { dataset: { verdict: s.verdict } }, el("td", {}, s.source_index), el("td", {}, s.name),
      el("td", {}, verdict(s.verdict)), el("td", {}, s.presence_required_by_law ? t("presence.required_by_law") : ""))));
  table("procedure-plan", [t("catalogue.component"), t("catalogue.source"), t("catalogue.change")],
    p.plan.map((r) => el("tr", {}, el("td", {}, r.component), el("td", {}, r.data_source), el("td", {}, r.legal_change))));
  document.getElementById("catalogue-view").hidden = true;
  document.getElementById("catalogue-procedure").hidden = false;
  document.body.dataset.procedureReady = code;
}

function route() {
  if (!report) return;
  const match = location.hash.match(/^#p=(.+)$/);
  if (match) showProcedure(decodeURIComponent(match[1]));
  else showCatalogue();
}

async function open(file) {
  try {
    const data = JSON.parse(await file.text());
    if (!Array.isArray(data.procedures) || !data.totals) throw new Error(t("catalogue.not_a_report"));
    report = data;
    document.getElementById("catalogue-title").textContent = `${t("catalogue.title")}: ${file.name}`;
    box.hidden = true;
    route();
    document.body.dataset.catalogueReady = "1";
  } catch (err) {
    notice(box, "error", err.message || String(err));
  }
}

if (requireRole()) {
  document.getElementById("catalogue-file").addEventListener("change", (event) => {
    const [file] = event.target.files;
    if (file) open(file);
  });
  document.getElementById("catalogue-search").addEventListener("input", (event) => listProcedures(event.target.value));
  document.getElementById("catalogue-back").addEventListener("click", (event) => {
    event.preventDefault();
    history.pushState(null, "", location.pathname);
    showCatalogue();
  });
  window.addEventListener("hashchange", route);
}
