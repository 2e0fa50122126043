// Citizen (người dân): choose a procedure, submit online with the pre-filled form, see what
// was taken from national databases instead of being asked for, follow one's dossiers.
import {
  api, deadlineBadge, download, el, fmtDate, fmtNumber, matchesQuery, notice, page, problemText, registries,
  registryName, requireRole, session, statusLabel, t,
} from "./common.js";
import { componentsOf, holder } from "./components.js";
import { renderForm, uploader } from "./form.js";

const view = document.getElementById("citizen-view");
const box = document.getElementById("citizen-notice");

function go(params) {
  const url = new URL(location.href);
  url.search = new URLSearchParams(params).toString();
  history.pushState(null, "", url);
  route();
}

/**
 * The citizen's e-data warehouse (kho dữ liệu điện tử, Decree 45/2020): the results of their
 * procedures and the checked copies of their documents, each with its result code, which a
 * later form takes instead of a new upload; a digitized copy can be downloaded.
 */
function warehousePanel(identity, docs) {
  const status = el("div", { role: "status" });
  const rows = docs.map((doc) => {
    const get = doc.file
      ? el("button", { type: "button", class: "secondary small" }, t("warehouse.download"))
      : null;
    get?.addEventListener("click", () => download(
      `/api/v1/warehouse/${identity}/documents/${encodeURIComponent(doc.result_code)}/file`, doc.file.filename,
    ).catch((err) => notice(status, "error", problemText(err))));
    return el("tr", { dataset: { result: doc.result_code } },
      el("td", {}, el("strong", {}, doc.title), el("div", { class: "muted small" }, doc.issuer)),
      el("td", {}, el("code", {}, doc.result_code), " ",
        el("a", { href: `/verify/${encodeURIComponent(doc.result_code)}`, class: "small" }, t("warehouse.verify_link"))),
      el("td", {}, fmtDate(doc.issued_at)),
      el("td", {}, doc.valid_until ? fmtDate(doc.valid_until) : t("warehouse.no_expiry")),
      el("td", {}, doc.file ? t("warehouse.copy") : t("warehouse.result"), " ", get));
  });
  return el("section", { id: "my-warehouse" }, el("h2", {}, t("warehouse.title")),
    el("p", { class: "muted small" }, t("warehouse.hint")),
    docs.length
      ? el("div", { class: "table-wrap" }, el("table", { class: "table" },
        el("thead", {}, el("tr", {}, [t("warehouse.document"), t("warehouse.code"), t("warehouse.issued"),
          t("warehouse.valid_until")].map((h) => el("th", { scope: "col" }, h)),
          el("th", { scope: "col" }, el("span", { class: "sr-only" }, t("table.actions"))))),
        el("tbody", {}, rows)))
      : el("p", { class: "muted" }, t("warehouse.empty")),
    status);
}

async function listPage() {
  const identity = session()?.principal?.identity_number;
  const [models, mine, held] = await Promise.all([
    api("/api/v1/models"), api("/api/v1/dossiers?per_page=50"),
    identity ? api(`/api/v1/warehouse/${identity}/documents`).catch(() => []) : [],
  ]);
  const filter = el("input", { type: "search", id: "procedure-filter", placeholder: t("search.placeholder"), "aria-label": t("search.procedures") });
  const list = el("ul", { class: "cards", id: "procedures" });
  const render = () => {
    list.replaceChildren(...models
      .filter((m) => matchesQuery(filter.value, m.keywords || "", m.name, m.name_en, m.code))
      .map((m) => {
        const proc = m.procedure || {};
        return el("li", { class: "card procedure", dataset: { slug: m.slug } },
          el("h3", {}, (page.lang === "en" && m.name_en) || m.name),
          el("p", { class: "muted small" }, [proc.agency, proc.processing_time?.days ? t("citizen.days", { n: proc.processing_time.days }) : null, feeText(proc.fee)].filter(Boolean).join(" · ")),
          el("button", { type: "button", class: "primary", onclick: () => go({ start: m.slug }) }, t("citizen.start")));
      }));
  };
  filter.addEventListener("input", () => {
    render();
    if (!list.children.length) list.append(el("li", { class: "muted", id: "no-procedure" }, t("search.none")));
  });
  render();
  const dossiers = el("div", { class: "table-wrap" }, mine.items.length
    ? el("table", { class: "table", id: "my-dossiers" },
      el("thead", {}, el("tr", {}, [t("dossier.receipt"), t("dossier.procedure"), t("dossier.status"), t("dossier.due")].map((h) => el("th", {}, h)))),
      el("tbody", {}, mine.items.map((d) => el("tr", {},
        el("td", {}, el("a", { href: `?dossier=${d.id}`, onclick: (e) => { e.preventDefault(); go({ dossier: d.id }); } }, d.receipt_code)),
        el("td", {}, d.model_name), el("td", {}, statusLabel(d.status)), el("td", {}, deadlineBadge(d.due_at, d.status))))))
    : el("p", { class: "muted" }, t("citizen.no_dossiers")));
  view.replaceChildren(
    el("h1", {}, t("citizen.title")),
    el("section", {}, el("h2", {}, t("citizen.my_dossiers")), dossiers),
    identity ? warehousePanel(identity, held) : "",
    el("section", {}, el("h2", {}, t("citizen.procedures")), filter, list));
}

function feeText(fee) {
  if (!fee || fee.amount === undefined) return null;
  const online = fee.online_amount ?? fee.amount;
  if (!online) return t("citizen.free");
  return t("citizen.fee", { amount: fmtNumber(online) });
}

async function documentsPanel(slug, version, form) {
  const [xml, regs] = await Promise.all([
    api(`/api/v1/models/${encodeURIComponent(slug)}/versions/${version}/bpmn`, { raw: true, headers: { Accept: "application/xml" } }),
    registries(),
  ]);
  const asked = new Set(Object.values(form?.properties || {}).map((p) => p?.["x-component"]).filter(Boolean));
  const comps = componentsOf(xml);
  if (!comps.length) return null;
  const items = comps.map((c) => {
    const reg = asked.has(c.code) ? null : holder(c, regs);
    const online = !reg && c.documentType === "declaration_form";
    return el("li", { class: reg ? "doc from-registry" : "doc to-supply", dataset: { component: c.code || c.id } },
      el("span", { class: reg ? "badge ok" : online ? "badge" : "badge warn" },
        reg ? t("docs.not_needed") : online ? t("docs.online_form") : t("docs.supply")),
      " ", el("strong", {}, c.name),
      reg ? el("div", { class: "muted small" }, t("docs.taken_from", { source: registryName(reg) })) : null);
  });
  return el("section", { class: "card", id: "documents" },
    el("h2", {}, t("docs.title")),
    el("p", { class: "muted small" }, t("docs.hint")),
    el("ul", { class: "docs" }, items));
}

async function startPage(slug) {
  const model = await api(`/api/v1/models/${encodeURIComponent(slug)}`);
  const proc = model.procedure || {};
  const docs = model.latest_version ? await documentsPanel(slug, model.latest_version, null) : null;
  const button = el("button", { type: "button", class: "primary", id: "start-dossier" }, t("citizen.submit_online"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const dossier = await api("/api/v1/dossiers", { method: "POST", body: { model: slug, channel: "online" } });
      go({ dossier: dossier.id });
    } catch (err) {
      button.disabled = false;
      notice(box, "error", problemText(err));
    }
  });
  view.replaceChildren(
    el("p", {}, el("a", { href: "/citizen" }, `← ${t("citizen.back")}`)),
    el("h1", {}, (page.lang === "en" && model.name_en) || model.name),
    el("dl", { class: "facts" },
      fact(t("proc.agency"), proc.agency), fact(t("proc.code"), model.code),
      fact(t("proc.time"), proc.processing_time?.days ? t("citizen.days", { n: proc.processing_time.days }) : null),
      fact(t("proc.fee"), feeText(proc.fee))),
    docs || "", el("p", { class: "muted small" }, t("citizen.prefill_hint")), button);
}

function fact(term, value) {
  return value ? [el("dt", {}, term), el("dd", {}, value)] : [];
}

async function dossierPage(id) {
  const [dossier, tasks, regs] = await Promise.all([
    api(`/api/v1/dossiers/${id}`), api(`/api/v1/dossiers/${id}/tasks`), registries(),
  ]);
  const header = el("section", { class: "card receipt" },
    el("div", { class: "muted small" }, t("dossier.receipt")),
    el("div", { class: "receipt-code", id: "receipt-code" }, dossier.receipt_code),
    el("div", {}, dossier.model_name),
    el("div", { class: "row-inline" }, el("span", { class: `badge status-${dossier.status}`, id: "dossier-status" }, statusLabel(dossier.status)),
      deadlineBadge(dossier.due_at, dossier.status)),
    el("a", { href: `/track/${encodeURIComponent(dossier.receipt_code)}` }, t("dossier.track_link")));
  const parts = [el("p", {}, el("a", { href: "/citizen" }, `← ${t("citizen.back")}`)), header];
  const mine = tasks.filter((task) => task.lane === "citizen");
  if (mine.length) {
    const task = mine[0];
    parts.push(await documentsPanel(dossier.model, dossier.version, task.form) || "");
    parts.push(taskCard(task, regs, dossier, await heldDocuments(dossier)));
  } else if (dossier.status === "in_progress" || dossier.status === "error") {
    parts.push(el("div", { class: "banner ok", id: "waiting" }, t("citizen.waiting", {
      steps: (dossier.current_tasks || []).map((c) => c.name).join(", ") || "—" })));
  } else if (dossier.status === "completed") {
    parts.push(el("div", { class: "banner ok", id: "done" }, t("citizen.done", { date: fmtDate(dossier.completed_at) })));
  }
  view.replaceChildren(...parts);
}

/** component → the applicant's documents of its type in their e-data warehouse. */
async function heldDocuments(dossier) {
  try {
    const components = await api(`/api/v1/dossiers/${dossier.id}/components`);
    return Object.fromEntries(components.map((c) => [c.component, c.held || []]));
  } catch {
    return {}; // the form still takes uploads
  }
}

function taskCard(task, regs, dossier, held = {}) {
  const holderBox = el("div");
  const card = el("section", { class: "card", id: "task" }, el("h2", {}, task.name));
  const form = renderForm(holderBox, task.form || { properties: {} }, { prefill: task.prefill, typedFields: task.typed_fields, registries: regs, upload: uploader(dossier.id), held });
  if (form.prefilledNames.length) {
    card.append(el("div", { class: "banner info", id: "prefill-summary" }, t("citizen.prefill_summary", {
      prefilled: form.prefilledNames.length, typed: form.typedNames.length })));
  }
  const errors = el("div", { hidden: true });
  const submit = el("button", { type: "submit", class: "primary", id: "submit-task" }, t("citizen.send"));
  const formNode = el("form", { class: "stack", novalidate: true }, holderBox, errors, submit);
  formNode.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      await api(`/api/v1/tasks/${task.id}/complete`, { method: "POST", body: { data: form.collect() } });
      notice(box, "ok", t("citizen.sent", { code: dossier.receipt_code }));
      await dossierPage(dossier.id);
      window.scrollTo(0, 0);
    } catch (err) {
      submit.disabled = false;
      const rest = form.showErrors(err.errors || []);
      notice(errors, "error", problemText(err), rest);
    }
  });
  card.append(formNode);
  return card;
}

async function route() {
  box.hidden = true;
  const params = new URLSearchParams(location.search);
  try {
    if (params.get("dossier")) await dossierPage(Number(params.get("dossier")));
    else if (params.get("start")) await startPage(params.get("start"));
    else await listPage();
  } catch (err) {
    notice(box, "error", problemText(err));
  }
}

if (requireRole()) {
  window.addEventListener("popstate", route);
  route();
}
