// Public tracking by receipt code (tra cứu hồ sơ): no sign-in, nothing personal is shown.
import { api, deadlineBadge, el, fmtDate, notice, page, t } from "./common.js";

const form = document.getElementById("track-form");
const input = document.getElementById("track-code");
const result = document.getElementById("track-result");
const box = document.getElementById("track-notice");

async function lookup(code) {
  box.hidden = true;
  result.replaceChildren();
  try {
    const d = await api(`/api/v1/tracking/${encodeURIComponent(code)}`, { auth: false });
    result.replaceChildren(el("div", { class: "card" },
      el("div", { class: "muted small" }, t("dossier.receipt")),
      el("div", { class: "receipt-code" }, d.receipt_code),
      el("h2", {}, d.procedure),
      el("p", {}, el("span", { class: `badge status-${d.outcome === "refused" ? "refused" : d.status}`, id: "track-status", dataset: { outcome: d.outcome || "" } },
        d.outcome ? t(`outcome.${d.outcome}`) : t(`status.${d.status}`))),
      el("dl", { class: "facts" },
        el("dt", {}, t("track.received")), el("dd", {}, fmtDate(d.received_at, true)),
        el("dt", {}, t("dossier.due")), el("dd", {}, deadlineBadge(d.due_at, d.status)),
        d.completed_at ? [el("dt", {}, t("track.completed")), el("dd", {}, fmtDate(d.completed_at, true))] : []),
      d.current_steps.length ? el("p", { id: "track-current" }, el("strong", {}, t("track.current")), " ", d.current_steps.join(", ")) : "",
      el("h3", {}, t("track.history")),
      el("ol", { class: "timeline", id: "track-history" }, d.history.map((h) => el("li", {},
        el("time", { datetime: h.at }, fmtDate(h.at, true)), " ", el("span", {}, h.step))))));
  } catch (err) {
    notice(box, "error", err.status === 404 ? t("track.not_found", { code }) : err.message);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const code = input.value.trim().toUpperCase();
  input.value = code;
  if (!code) return;
  history.replaceState(null, "", `/track/${encodeURIComponent(code)}`);
  lookup(code);
});
if (page.code) lookup(page.code);
