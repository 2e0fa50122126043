// Citizen (người dân): choose a procedure, submit online with the pre-filled form, see what
// was taken from national databases instead of being asked for, follow one's dossiers.
import { citizenOnestopPanel } from "./onestop.js";
import {
  api, deadlineBadge, download, el, fmtDate, fmtNumber, matchesQuery, notice, page, problemText, registries,
  registryName, requireRole, session, statusLabel, t,
} from "./common.js";
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
        el("td", {}, d.model_name), el("td", { dataset: { outcome: d.outcome || "" } }, d.outcome ? t(`outcome.${d.outcome}`) : statusLabel(d.status)), el("td", {}, deadlineBadge(d.due_at, d.status))))))
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

/**
 * The documents of a procedure or of a dossier, as the engine computes them for the start
 * page, the dossier page and the form alike (GET …/documents, engine/documents_needed.py):
 * to supply, filled in online, or not needed because a national database holds them.
 */
function documentsPanel(docs) {
  if (!docs.length) return null;
  const badge = { not_needed: ["badge ok", "docs.not_needed"], online_form: ["badge", "docs.online_form"] };
  const items = docs.map((d) => {
    const [cls, key] = badge[d.status] || [d.missing ? "badge danger" : "badge warn", d.missing ? "docs.missing" : "docs.supply"];
    const source = d.source ? ((page.lang === "en" && d.source.name_en) || d.source.name_vi || d.source.id) : null;
    return el("li", { class: d.status === "not_needed" ? "doc from-registry" : "doc to-supply", dataset: { component: d.code, status: d.status } },
      el("span", { class: cls }, t(key)), " ", el("strong", {}, d.name),
      source ? el("div", { class: "muted small" }, t("docs.taken_from", { source })) : null,
      d.given?.length ? el("div", { class: "muted small" }, t("docs.given", { codes: d.given.join(", ") })) : null);
  });
  return el("section", { class: "card", id: "documents" },
    el("h2", {}, t("docs.title")),
    el("p", { class: "muted small" }, t("docs.hint")),
    el("ul", { class: "docs" }, items));
}

async function startPage(slug) {
  const model = await api(`/api/v1/models/${encodeURIComponent(slug)}`);
  const proc = model.procedure || {};
  const docs = model.latest_version
    ? documentsPanel(await api(`/api/v1/models/${encodeURIComponent(slug)}/versions/${model.latest_version}/documents`))
    : null;
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
  const [dossier, tasks, regs, docs] = await Promise.all([
    api(`/api/v1/dossiers/${id}`), api(`/api/v1/dossiers/${id}/tasks`), registries(),
    api(`/api/v1/dossiers/${id}/documents`),
  ]);
  const header = el("section", { class: "card receipt" },
    el("div", { class: "muted small" }, t("dossier.receipt")),
    el("div", { class: "receipt-code", id: "receipt-code" }, dossier.receipt_code),
    el("div", {}, dossier.model_name),
    el("div", { class: "row-inline" }, el("span", { class: `badge status-${dossier.outcome === "refused" ? "refused" : dossier.status}`, id: "dossier-status" },
      dossier.outcome ? t(`outcome.${dossier.outcome}`) : statusLabel(dossier.status)),
      deadlineBadge(dossier.due_at, dossier.status)),
    el("a", { href: `/track/${encodeURIComponent(dossier.receipt_code)}` }, t("dossier.track_link")));
  const parts = [el("p", {}, el("a", { href: "/citizen" }, `← ${t("citizen.back")}`)), header];
  const mine = tasks.filter((task) => task.lane === "citizen");
  if (mine.length) {
    const task = mine[0];
    parts.push(documentsPanel(docs) || "");
    parts.push(taskCard(task, regs, dossier, await heldDocuments(dossier), docs));
  } else if (dossier.status === "in_progress" || dossier.status === "error") {
    parts.push(el("div", { class: "banner ok", id: "waiting" }, t("citizen.waiting", {
      steps: (dossier.current_tasks || []).map((c) => c.name).join(", ") || "—" })));
  } else if (dossier.status === "completed" || dossier.status === "cancelled") {
    parts.push(...outcomePanel(dossier));
  }
  parts.push(citizenOnestopPanel(dossier, tasks));
  view.replaceChildren(...parts);
}

/**
 * What a finished dossier came to (issue 26 item 4): a refusal is not a result, so it says
 * "refused" with the officer's reason; an issued result links to the e-result (download,
 * its entry in the warehouse and its public verification page).
 */
function outcomePanel(dossier) {
  const date = fmtDate(dossier.completed_at);
  const outcome = dossier.outcome || (dossier.status === "cancelled" ? "withdrawn" : "issued");
  if (outcome === "issued") {
    const code = dossier.result_code;
    const status = el("div", { role: "status" });
    const get = code ? el("button", { type: "button", class: "secondary", id: "result-download" }, t("result.download")) : null;
    get?.addEventListener("click", () => download(
      `/api/v1/results/${encodeURIComponent(code)}/document`, `${code}.pdf`,
    ).catch((err) => notice(status, "error", problemText(err))));
    return [el("div", { class: "banner ok", id: "done", dataset: { outcome } }, t("citizen.done", { date })),
      code ? el("section", { class: "card", id: "result" }, el("h2", {}, t("result.title")),
        el("dl", { class: "facts" }, el("dt", {}, t("result.code")), el("dd", {}, el("code", { id: "result-code" }, code))),
        el("div", { class: "row-inline" }, get,
          el("a", { href: `/verify/${encodeURIComponent(code)}`, id: "result-verify" }, t("result.verify")),
          el("a", { href: "/citizen#my-warehouse", id: "result-warehouse" }, t("result.warehouse"))),
        status) : ""];
  }
  return [el("div", { class: "banner warn", id: "done", role: "alert", dataset: { outcome } },
    el("strong", {}, t(`outcome.${outcome}_banner`, { date })),
    el("p", {}, t("outcome.reason"), " ", el("span", { id: "outcome-reason" }, dossier.reason || t("outcome.no_reason"))))];
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

/**
 * When the desk asked for more (issue 26 item 5): the officer's request, the components
 * still missing, and a file chooser for each; an uploaded file is filed under its
 * component and its code added to the form's list of supplemented files.
 */
function supplementPanel(dossier, docs, form) {
  const request = dossier.data?.missing_items;
  const missing = docs.filter((d) => d.missing);
  if (!request && !missing.length) return null;
  const listBox = document.getElementById("f-supplement_files");
  const upload = uploader(dossier.id);
  const row = (d) => {
    const status = el("small", { class: "file-status", role: "status" });
    const chooser = el("input", { type: "file", id: `supplement-${d.code}`, "aria-label": t("supplement.file_for", { name: d.name }),
      accept: "application/pdf,image/png,image/jpeg,image/tiff,image/webp" });
    chooser.addEventListener("change", async () => {
      const file = chooser.files?.[0];
      if (!file) return;
      try {
        // filed under the component when the procedure's forms carry it, else to the dossier
        const uploaded = await upload(file, d.fields.length ? d.code : undefined);
        status.textContent = t("form.file_uploaded", { name: uploaded.filename, kb: Math.max(1, Math.round(uploaded.size / 1024)) });
        const box = listBox || document.getElementById("f-supplement_files");
        if (box) box.value = [box.value.trim(), uploaded.code].filter(Boolean).join("\n");
        for (const field of d.fields) {
          const input = document.getElementById(`f-${field}`);
          if (input && !input.value) input.value = uploaded.code;
        }
      } catch (err) {
        status.textContent = problemText(err);
      }
    });
    return el("li", { dataset: { component: d.code } }, el("strong", {}, d.name), " ", chooser, status);
  };
  return el("section", { class: "banner warn", id: "supplement-request" },
    el("h3", {}, t("supplement.title")),
    request ? el("p", {}, t("supplement.request"), " ", el("q", { id: "supplement-text" }, request)) : null,
    missing.length ? [el("p", {}, t("supplement.missing")), el("ul", { id: "supplement-missing" }, missing.map(row))] : null);
}

function taskCard(task, regs, dossier, held = {}, docs = []) {
  const holderBox = el("div");
  const card = el("section", { class: "card", id: "task" }, el("h2", {}, task.name));
  const form = renderForm(holderBox, task.form || { properties: {} }, { prefill: task.prefill, typedFields: task.typed_fields, registries: regs, upload: uploader(dossier.id), held });
  if (task.form?.properties?.supplement_note) {
    const panel = supplementPanel(dossier, docs, form);
    if (panel) card.append(panel);
  }
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
