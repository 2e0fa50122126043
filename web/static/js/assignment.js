// Officer assignment (issue 29.6, engine/assignments.py), as components of their own:
// the lead and co-handlers of a dossier in the task view (a leader assigns, the lead
// changes the co-handlers), a line on each inbox row, and the officer's own absence
// (delegation to a colleague) on the inbox page.
import { api, el, fmtDate, notice, problemText, t } from "./common.js";

const who = (actor) => (actor || "").split(":").slice(1).join(":");

/** The lead and co-handlers as a small line for an inbox row (empty when none). */
export function handlersLine(task) {
  if (!task.lead) return null;
  const co = task.co_handlers || [];
  return el("span", { class: "badge handlers", dataset: { lead: task.lead } },
    t("assign.lead_short", { who: who(task.lead) }) + (co.length ? ` + ${co.map(who).join(", ")}` : ""));
}

function assignForm(dossier, view, box, refresh) {
  const lead = el("select", { id: "assign-lead", disabled: !view.may_assign },
    el("option", { value: "" }, t("assign.none")),
    view.officers.map((o) => el("option", { value: o.actor, selected: o.actor === view.lead }, o.name)));
  const co = el("fieldset", { id: "assign-co", class: "checks" }, el("legend", {}, t("assign.co")),
    view.officers.map((o) => el("label", {},
      el("input", { type: "checkbox", value: o.actor, checked: view.co_handlers.includes(o.actor) }), ` ${o.name}`)));
  const form = el("form", { id: "assign-form", class: "stack" },
    el("label", { for: "assign-lead" }, t("assign.lead")), lead, co,
    el("button", { type: "submit", class: "button" }, t("assign.save")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = [...co.querySelectorAll("input:checked")].map((i) => i.value).filter((v) => v !== lead.value);
    try {
      await api(`/api/v1/dossiers/${dossier.id}/handlers`, {
        method: "PUT", body: { lead: lead.value || null, co_handlers: chosen },
      });
      notice(box, "success", t("assign.saved"));
      refresh();
    } catch (err) {
      notice(box, "error", problemText(err));
    }
  });
  return form;
}

/** A <section> with the dossier's handlers; the form when the caller may change them. */
export function handlersPanel(dossier) {
  const section = el("section", { class: "handlers-panel", id: "handlers-panel" }, el("h3", {}, t("assign.title")));
  const box = el("div", { id: "assign-notice" });
  const body = el("div", {});
  section.append(box, body);
  async function refresh() {
    try {
      const view = await api(`/api/v1/dossiers/${dossier.id}/handlers`);
      body.replaceChildren(
        el("dl", { class: "facts" },
          el("dt", {}, t("assign.lead")), el("dd", { id: "assign-current-lead" }, view.lead ? who(view.lead) : t("assign.none")),
          el("dt", {}, t("assign.co")), el("dd", { id: "assign-current-co" }, view.co_handlers.length ? view.co_handlers.map(who).join(", ") : "—")),
        view.may_assign || view.may_change_co_handlers ? assignForm(dossier, view, box, refresh) : "");
    } catch (err) {
      notice(box, "error", problemText(err));
    }
  }
  refresh();
  return section;
}

/** The officer's absence: delegate their dossiers to a colleague for a period. */
export function delegationPanel(principal) {
  const section = el("details", { class: "delegation-panel", id: "delegation-panel" }, el("summary", {}, t("assign.away")));
  const box = el("div", { id: "delegation-notice" });
  const body = el("div", {});
  section.append(box, body);
  async function refresh() {
    try {
      const [mine, officers] = await Promise.all([
        api("/api/v1/delegations"),
        api(`/api/v1/officers`).catch(() => ({ items: [] })),
      ]);
      const colleagues = officers.items.filter((o) => o.actor !== `officer:${principal.name}`);
      const delegate = el("select", { id: "delegation-to", required: true },
        colleagues.map((o) => el("option", { value: o.actor }, o.name)));
      const from = el("input", { type: "datetime-local", id: "delegation-from", required: true });
      const until = el("input", { type: "datetime-local", id: "delegation-until", required: true });
      const reason = el("input", { id: "delegation-reason", maxlength: 1000 });
      const form = el("form", { id: "delegation-form", class: "stack" },
        el("label", { for: "delegation-to" }, t("assign.delegate_to")), delegate,
        el("label", { for: "delegation-from" }, t("assign.from")), from,
        el("label", { for: "delegation-until" }, t("assign.until")), until,
        el("label", { for: "delegation-reason" }, t("assign.reason")), reason,
        el("button", { type: "submit", class: "button" }, t("assign.delegate")));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        try {
          await api("/api/v1/delegations", { method: "POST", body: {
            delegate: delegate.value, starts_at: new Date(from.value).toISOString(),
            ends_at: new Date(until.value).toISOString(), reason: reason.value } });
          notice(box, "success", t("assign.delegated"));
          refresh();
        } catch (err) {
          notice(box, "error", problemText(err));
        }
      });
      body.replaceChildren(
        mine.acting_for.length ? el("p", { id: "delegation-acting" }, t("assign.acting_for", { who: mine.acting_for.map(who).join(", ") })) : "",
        el("ul", { id: "delegation-list" }, mine.items.map((d) => el("li", {},
          `${who(d.officer)} → ${who(d.delegate)}: ${fmtDate(d.starts_at, true)} – ${fmtDate(d.ends_at, true)}${d.reason ? ` (${d.reason})` : ""}`))),
        form);
    } catch (err) {
      notice(box, "error", problemText(err));
    }
  }
  refresh();
  return section;
}
