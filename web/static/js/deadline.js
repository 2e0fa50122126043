// The statutory clock of a dossier (issue 29.4, engine/deadlines.py), as a section of its
// own for the officer's task view: the appointment, the statutory due instant, the time
// the clock stood still while the dossier was with the citizen, and, for the desk or a
// leader, the extension with its reason and the apology letter to print.
import { api, download, el, fmtDate, notice, problemText, t } from "./common.js";

function pausedText(seconds) {
  const hours = Math.round((seconds / 3600) * 10) / 10;
  return t("deadline.paused_hours", { n: hours.toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "vi-VN") });
}

function extendForm(dossier, view, box, refresh) {
  const when = el("input", { type: "datetime-local", id: "deadline-new-due", required: true });
  const reason = el("textarea", { id: "deadline-reason", rows: 2, required: true, maxlength: 2000 });
  const form = el("form", { id: "deadline-extend", class: "stack" },
    el("label", { for: "deadline-new-due" }, t("deadline.new_due")), when,
    el("label", { for: "deadline-reason" }, t("deadline.reason")), reason,
    el("button", { type: "submit", class: "button" }, t("deadline.extend")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      // the officer types local time; the browser knows its offset
      const due = new Date(when.value);
      await api(`/api/v1/dossiers/${dossier.id}/deadline/extensions`, {
        method: "POST", body: { due_at: due.toISOString(), reason: reason.value },
      });
      notice(box, "success", t("deadline.extended"));
      refresh();
    } catch (err) {
      notice(box, "error", problemText(err), (err.errors || []).map((e) => e.message));
    }
  });
  return form;
}

/** A <section> that loads and shows the clock of ``dossier``; refreshes itself. */
export function deadlinePanel(dossier) {
  const section = el("section", { class: "deadline-panel", id: "deadline-panel" },
    el("h3", {}, t("deadline.title")));
  const box = el("div", { id: "deadline-notice" });
  const body = el("div", {});
  section.append(box, body);
  async function refresh() {
    let view;
    try {
      view = await api(`/api/v1/dossiers/${dossier.id}/deadline`);
    } catch (err) {
      notice(box, "error", problemText(err));
      return;
    }
    const extended = view.entries.filter((e) => e.kind === "extended");
    body.replaceChildren(
      el("dl", { class: "facts" },
        el("dt", {}, t("deadline.state")), el("dd", { id: "deadline-state", dataset: { state: view.state } }, t(`deadline.state.${view.state}`)),
        el("dt", {}, t("deadline.received")), el("dd", {}, view.received_at ? fmtDate(view.received_at, true) : "—"),
        el("dt", {}, t("deadline.due")), el("dd", { id: "deadline-due" }, view.due_at ? fmtDate(view.due_at, true) : "—"),
        view.extended ? [el("dt", {}, t("deadline.statutory")), el("dd", { id: "deadline-statutory" }, fmtDate(view.statutory_due_at, true))] : [],
        el("dt", {}, t("deadline.paused")), el("dd", { id: "deadline-paused" }, pausedText(view.paused_seconds),
          view.paused_since ? el("span", { class: "muted small" }, ` — ${t(`deadline.cause.${view.pause_cause}`)} ${t("deadline.since")} ${fmtDate(view.paused_since, true)}`) : "")),
      extended.length ? el("ul", { id: "deadline-extensions" }, extended.map((e) => el("li", {},
        `${fmtDate(e.started_at, true)}: ${fmtDate(e.due_before, true)} → ${fmtDate(e.due_after, true)} — ${e.reason}`))) : "",
      extended.length ? el("button", {
        type: "button", class: "button secondary", id: "deadline-apology",
        onclick: () => download(`/api/v1/dossiers/${dossier.id}/deadline/apology`, `xin-loi-${dossier.receipt_code}.pdf`)
          .catch((err) => notice(box, "error", problemText(err))),
      }, t("deadline.apology")) : "",
      view.can_extend ? extendForm(dossier, view, box, refresh) : "");
  }
  refresh();
  return section;
}
