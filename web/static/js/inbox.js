// Officer inbox (hộp công việc): tasks of the officer's agency and lanes; open one to see
// the form (pre-filled fields marked), the dossier's deadline and history; claim, complete.
import {
  api, deadlineBadge, download, el, fmtDate, fmtDuration, notice, page, problemText, registries,
  registryName, requireRole, session, statusLabel, t,
} from "./common.js";
import { delegationPanel, handlersLine, handlersPanel } from "./assignment.js";
import { deadlinePanel } from "./deadline.js";
import { onestopPanel } from "./onestop.js";
import { renderForm, uploader } from "./form.js";

const box = document.getElementById("inbox-notice");
const list = document.getElementById("inbox-list");
const detail = document.getElementById("task-detail");
const laneSelect = document.getElementById("filter-lane");
const claimedSelect = document.getElementById("filter-claimed");
let principal = null;
let selected = null;
let listed = [];

async function loadList() {
  const params = new URLSearchParams({ per_page: "100", claimed: claimedSelect.value });
  if (laneSelect.value) params.set("lane", laneSelect.value);
  const agency = document.getElementById("filter-agency").value.trim();
  if (agency && principal.role === "admin") params.set("agency", agency);
  try {
    const inbox = await api(`/api/v1/tasks?${params}`);
    listed = inbox.items;
    document.getElementById("inbox-scope").textContent = t("inbox.count", { n: inbox.total });
    list.replaceChildren(...(inbox.items.length ? inbox.items.map(taskItem) : [el("li", { class: "muted", id: "inbox-empty" }, t("inbox.empty"))]));
  } catch (err) {
    notice(box, "error", problemText(err));
  }
}

function taskItem(task) {
  const item = el("li", { class: `task${task.id === selected ? " selected" : ""}`, dataset: { task: task.id, bpmn: task.bpmn_id } },
    el("button", { type: "button", class: "task-open", onclick: () => openTask(task.id) },
      el("strong", {}, task.name),
      el("span", { class: "muted small" }, `${task.receipt_code} · ${t(`lane.${task.lane}`)}`),
      el("span", { class: "row-inline" }, deadlineBadge(task.due_at),
        task.claimed_by ? el("span", { class: "badge" }, t("inbox.claimed_by", { who: task.claimed_by.split(":").slice(1).join(":") })) : null,
        handlersLine(task))));
  return item;
}

async function openTask(taskId) {
  selected = taskId;
  list.querySelectorAll(".task").forEach((n) => n.classList.toggle("selected", n.dataset.task === taskId));
  history.replaceState(null, "", `/inbox?task=${encodeURIComponent(taskId)}`);
  detail.replaceChildren(el("p", { class: "muted" }, t("app.loading")));
  try {
    const task = await api(`/api/v1/tasks/${encodeURIComponent(taskId)}`);
    const [dossier, events, regs, files, view] = await Promise.all([
      api(`/api/v1/dossiers/${task.dossier_id}`), api(`/api/v1/dossiers/${task.dossier_id}/events`), registries(),
      api(`/api/v1/dossiers/${task.dossier_id}/attachments`), api(`/api/v1/dossiers/${task.dossier_id}/view`),
    ]);
    renderDetail(task, dossier, events, regs, files, view);
    if (window.matchMedia("(max-width: 899px)").matches) detail.scrollIntoView({ block: "start" });
  } catch (err) {
    detail.replaceChildren(el("div", { class: "banner error", role: "alert" }, problemText(err)));
  }
}

/**
 * The files submitted with the dossier: download each; keep one the officer has checked in
 * the applicant's e-data warehouse, so that their next dossier names it instead of a new
 * upload (POST …/attachments/{code}/keep).
 */
function filesPanel(dossier, files) {
  const path = `/api/v1/dossiers/${dossier.id}/attachments`;
  const status = el("div", { role: "status" });
  const row = (file) => {
    const kept = el("span", { class: "badge", hidden: !file.kept_as, dataset: { kept: file.code } },
      t("inbox.file_kept_as", { code: file.kept_as || "" }));
    const keep = file.component && dossier.applicant_id && !file.kept_as
      ? el("button", { type: "button", class: "secondary small", dataset: { keep: file.code } }, t("inbox.file_keep"))
      : null;
    keep?.addEventListener("click", async () => {
      keep.disabled = true;
      try {
        const doc = await api(`${path}/${file.code}/keep`, { method: "POST", body: {} });
        notice(status, "ok", t("inbox.file_kept", { code: doc.result_code }));
        kept.textContent = t("inbox.file_kept_as", { code: doc.result_code });
        kept.hidden = false;
        keep.remove();
      } catch (err) {
        keep.disabled = false;
        notice(status, "error", problemText(err));
      }
    });
    const get = el("button", { type: "button", class: "secondary small" }, t("inbox.file_download"));
    get.addEventListener("click", () => download(`${path}/${file.code}`, file.filename)
      .catch((err) => notice(status, "error", problemText(err))));
    return el("li", { dataset: { code: file.code } },
      el("strong", {}, file.filename), " ",
      el("span", { class: "muted small" }, `${file.component || t("inbox.file_no_component")} · ${Math.max(1, Math.round(file.size / 1024))} KB · ${file.code}`),
      " ", get, " ", keep, kept);
  };
  return el("details", { class: "files", id: "dossier-files", open: files.length > 0 },
    el("summary", {}, t("inbox.files", { n: files.length })),
    el("ul", { class: "file-list" }, files.map(row)), status);
}

function shown(field) {
  const v = field.label ?? field.value;
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? t("form.yes") : t("form.no");
  if (Array.isArray(v)) return v.map((x) => (typeof x === "object" ? Object.values(x).join(" – ") : x)).join("; ");
  if (typeof v === "object") return Object.values(v).join(" – ");
  return String(v);
}

function factList(fields, extra = () => null) {
  return el("dl", { class: "facts" }, fields.flatMap((f) => [
    el("dt", {}, f.title), el("dd", { dataset: { field: f.name } }, shown(f), extra(f))]));
}

/**
 * The dossier, read-only, beside the task's form (GET …/view, issue 26 item 1): what the
 * applicant declared, the facts the national databases supplied and from which, the
 * components with their files, and the earlier decisions and notes of the officers.
 */
function dossierPanel(view, regs) {
  const byId = Object.fromEntries(regs.map((r) => [r.id, r]));
  const step = (s) => el("section", { class: "step-record", dataset: { step: s.bpmn_id } },
    el("h4", {}, s.step || s.bpmn_id, " ", el("span", { class: "muted small" }, `${fmtDate(s.at, true)} · ${s.actor || ""}`)),
    s.fields.length ? factList(s.fields) : el("p", { class: "muted small" }, t("view.nothing_recorded")));
  const files = (list) => list.length ? el("ul", { class: "file-list" }, list.map((f) => {
    const get = el("button", { type: "button", class: "secondary small" }, t("inbox.file_download"));
    get.addEventListener("click", () => download(f.download, f.filename).catch(() => {}));
    return el("li", {}, f.filename, " ", get);
  })) : el("span", { class: "muted small" }, t("view.no_file"));
  return el("aside", { class: "dossier-view stack", id: "dossier-view", "aria-label": t("view.title") },
    el("h3", {}, t("view.title")),
    view.outcome ? el("p", { class: "banner warn", id: "view-outcome" }, t(`outcome.${view.outcome}`),
      view.reason ? ` — ${view.reason}` : "") : "",
    el("details", { open: true, id: "view-declared" }, el("summary", {}, t("view.declared")),
      view.declared.length ? view.declared.map(step) : el("p", { class: "muted small" }, t("view.nothing_recorded"))),
    el("details", { open: view.prefilled.length > 0, id: "view-prefilled" }, el("summary", {}, t("view.prefilled", { n: view.prefilled.length })),
      factList(view.prefilled, (f) => el("span", { class: "badge source" }, t("form.prefilled_from", { source: registryName(byId[f.source]) || f.source })))),
    el("details", { open: true, id: "view-components" }, el("summary", {}, t("view.components", { n: view.components.length })),
      el("ul", { class: "component-list" }, view.components.map((c) => el("li", { dataset: { component: c.code } },
        el("strong", {}, c.name), " ", c.given.length ? el("code", {}, c.given.join(", ")) : "", " ", files(c.files))))),
    el("details", { open: true, id: "view-decisions" }, el("summary", {}, t("view.decisions", { n: view.decisions.length })),
      view.decisions.length ? view.decisions.map(step) : el("p", { class: "muted small" }, t("view.no_decision"))));
}

function renderDetail(task, dossier, events, regs, files = [], view = null) {
  const me = session().principal;
  const myActor = `${me.role}:${me.name}`;
  const claimedByOther = task.claimed_by && task.claimed_by !== myActor;
  const formBox = el("div");
  const form = renderForm(formBox, task.form || { properties: {} }, { prefill: task.prefill, typedFields: task.typed_fields, registries: regs, disabled: claimedByOther, upload: uploader(dossier.id) });
  const errors = el("div", { hidden: true });
  const claim = el("button", { type: "button", class: "secondary", id: "claim-task", disabled: Boolean(task.claimed_by) },
    task.claimed_by ? t("inbox.claimed_by", { who: task.claimed_by.split(":").slice(1).join(":") }) : t("inbox.claim"));
  claim.addEventListener("click", async () => {
    try {
      await api(`/api/v1/tasks/${encodeURIComponent(task.id)}/claim`, { method: "POST" });
      notice(box, "ok", t("inbox.claimed_ok"));
      await Promise.all([openTask(task.id), loadList()]);
    } catch (err) {
      notice(box, "error", problemText(err));
    }
  });
  const complete = el("button", { type: "submit", class: "primary", id: "complete-task", disabled: claimedByOther }, t("inbox.complete"));
  // the same step waiting in other dossiers of this inbox (not claimed by someone else):
  // one request completes them all with this data (a leader signing a batch)
  const same = listed.filter((o) => o.id !== task.id && o.bpmn_id === task.bpmn_id
    && (!o.claimed_by || o.claimed_by === myActor));
  const completeSame = same.length > 0 && !claimedByOther
    ? el("button", { type: "button", class: "secondary", id: "complete-same" }, t("inbox.complete_same", { n: same.length + 1 }))
    : null;
  completeSame?.addEventListener("click", async () => {
    if (form.confirmation()) {  // a refusal is decided dossier by dossier, never in a batch
      notice(errors, "error", t("decision.no_batch_refusal"));
      return;
    }
    completeSame.disabled = true;
    const data = form.collect();
    try {
      const result = await api("/api/v1/tasks/complete-batch", {
        method: "POST", body: { items: [task, ...same].map((o) => ({ task_id: o.id, data })) },
      });
      const failed = result.items.filter((i) => !i.ok).map((i) => `${i.receipt_code || i.task_id}: ${i.error}`);
      notice(box, failed.length ? "warn" : "ok", t("inbox.batch_done", { done: result.completed, total: result.items.length, task: task.name }), failed);
      selected = null;
      detail.replaceChildren(el("p", { class: "muted" }, t("inbox.pick")));
      history.replaceState(null, "", "/inbox");
      await loadList();
    } catch (err) {
      completeSame.disabled = false;
      const rest = form.showErrors(err.errors || []);
      notice(errors, "error", problemText(err), rest);
    }
  });
  // a refusal (an option marked x-confirm) is confirmed in words before it is sent
  const confirmBox = el("div", { class: "banner warn", id: "confirm-decision", role: "alertdialog", hidden: true });
  let confirmed = false;
  const formNode = el("form", { class: "stack", novalidate: true }, formBox, errors, confirmBox, el("div", { class: "row-inline" }, claim, complete, completeSame));
  formNode.addEventListener("submit", async (event) => {
    event.preventDefault();
    const needs = form.confirmation();
    if (needs && !confirmed) {
      const yes = el("button", { type: "button", class: "danger", id: "confirm-yes" }, t("decision.confirm_yes"));
      const no = el("button", { type: "button", class: "secondary", id: "confirm-no" }, t("decision.confirm_no"));
      yes.addEventListener("click", () => { confirmed = true; confirmBox.hidden = true; formNode.requestSubmit(); });
      no.addEventListener("click", () => { confirmBox.hidden = true; complete.focus(); });
      confirmBox.replaceChildren(el("p", {}, el("strong", {}, t("decision.confirm", { choice: needs.text }))),
        el("p", { class: "small" }, t("decision.confirm_hint", { code: dossier.receipt_code })),
        el("div", { class: "row-inline" }, yes, no));
      confirmBox.hidden = false;
      yes.focus();
      return;
    }
    confirmed = false;
    complete.disabled = true;
    try {
      const after = await api(`/api/v1/tasks/${encodeURIComponent(task.id)}/complete`, { method: "POST", body: { data: form.collect() } });
      notice(box, "ok", t("inbox.completed_ok", { task: task.name, code: after.receipt_code, status: statusLabel(after.status) }));
      selected = null;
      detail.replaceChildren(el("p", { class: "muted" }, t("inbox.pick")));
      history.replaceState(null, "", "/inbox");
      await loadList();
    } catch (err) {
      complete.disabled = false;
      const rest = form.showErrors(err.errors || []);
      notice(errors, "error", problemText(err), rest);
    }
  });
  const step = task.step || {};
  detail.replaceChildren(
    el("div", { class: "detail-head" },
      el("h2", { id: "task-name" }, task.name),
      el("dl", { class: "facts" },
        el("dt", {}, t("dossier.receipt")), el("dd", { id: "task-receipt" }, dossier.receipt_code),
        el("dt", {}, t("dossier.procedure")), el("dd", {}, dossier.model_name),
        el("dt", {}, t("dossier.applicant")), el("dd", {}, dossier.applicant_id || "—"),
        el("dt", {}, t("dossier.channel")), el("dd", {}, t(`channel.${dossier.channel}`)),
        el("dt", {}, t("dossier.status")), el("dd", {}, statusLabel(dossier.status)),
        el("dt", {}, t("dossier.due")), el("dd", { id: "task-due" }, deadlineBadge(dossier.due_at, dossier.status)),
        step.kind ? [el("dt", {}, t("step.kind")), el("dd", {}, t(`kind.${step.kind}`))] : [],
        step.duration ? [el("dt", {}, t("step.duration")), el("dd", {}, fmtDuration(step.duration))] : [])),
    el("div", { class: "task-columns" },
      el("div", { class: "task-form" },
        form.prefilledNames.length ? el("div", { class: "banner info" }, t("inbox.prefilled", { n: form.prefilledNames.length })) : "",
        formNode),
      view ? dossierPanel(view, regs) : ""),
    filesPanel(dossier, files),
    deadlinePanel(dossier),
    handlersPanel(dossier),
    onestopPanel(dossier),
    el("details", { class: "history", id: "dossier-history", open: true },
      el("summary", {}, t("inbox.history", { n: events.length })),
      el("ol", { class: "timeline" }, events.map((e) => el("li", { dataset: { kind: e.kind } },
        el("time", { datetime: e.at }, fmtDate(e.at, true)), " ",
        el("strong", {}, t(`event.${e.kind}`) === `event.${e.kind}` ? e.kind : t(`event.${e.kind}`)),
        e.task_name ? ` — ${e.task_name}` : "",
        e.actor ? el("span", { class: "muted small" }, ` (${e.actor})`) : "")))));
}

principal = requireRole();
if (principal) {
  for (const lane of principal.lanes || []) laneSelect.append(el("option", { value: lane }, t(`lane.${lane}`)));
  if (principal.role === "admin") {
    ["one_stop_desk", "specialist", "leader", "citizen"].forEach((lane) => laneSelect.append(el("option", { value: lane }, t(`lane.${lane}`))));
    document.getElementById("agency-filter").hidden = false;
    document.getElementById("filter-agency").addEventListener("change", loadList);
  }
  laneSelect.addEventListener("change", loadList);
  claimedSelect.addEventListener("change", loadList);
  document.getElementById("inbox-refresh").addEventListener("click", loadList);
  if (principal.agency) document.title = `${document.title} · ${principal.agency}`;
  if (principal.role === "officer") document.getElementById("inbox-notice").after(delegationPanel(principal));
  loadList();
  if (page.task) openTask(page.task);
}
