// One-stop parts of a dossier (issue 29, engine/onestop/, payments/, portal/), as
// components of their own: the desk's printed forms, the fee's payment state, the
// signed e-result, and the dossier's synchronisation with the National Public Service
// Portal (officer); the payment, receipt and result downloads (citizen).
import { api, download, el, fmtDate, fmtNumber, notice, problemText, t } from "./common.js";

const money = (amount) => (amount ? `${fmtNumber(amount)} đ` : t("onestop.free"));


/** Payment state (paid / unpaid / refunded) with the amount and the orders. */
async function paymentFacts(dossier, id) {
  const pay = await api(`/api/v1/dossiers/${dossier.id}/payments`);
  return [pay, el("div", { class: "row-inline" },
    el("span", { class: `badge payment-${pay.state}`, id, dataset: { state: pay.state } }, t(`onestop.payment.${pay.state}`)),
    el("span", {}, money(pay.amount_due)),
    pay.base_amount > pay.amount_due ? el("span", { class: "muted small" }, t("onestop.reduced", { base: money(pay.base_amount) })) : "")];
}

/** The signed e-result: its state, and the button to download the signed PDF. */
async function resultFacts(dossier, box, buttonId) {
  const signature = await api(`/api/v1/dossiers/${dossier.id}/result`);
  const code = signature.result_code;
  if (!code) return el("p", { class: "muted", id: `${buttonId}-none` }, t("onestop.result.none"));
  const parts = [el("span", { class: `badge signature-${signature.status}`, id: `${buttonId}-state`, dataset: { state: signature.status } },
    t(`onestop.signature.${signature.status}`)), " ", el("code", {}, code)];
  if (signature.status === "signed") {
    parts.push(" ", el("button", {
      type: "button", class: "button", id: buttonId,
      onclick: () => download(`/api/v1/results/${encodeURIComponent(code)}/document`, `${code}.pdf`)
        .catch((err) => notice(box, "error", problemText(err))),
    }, t("onestop.result.download")));
    if (signature.signer) parts.push(el("div", { class: "muted small" }, t("onestop.signed_by", { who: signature.signer, at: fmtDate(signature.signed_at, true) })));
  }
  return el("div", {}, parts);
}

/** Officer's section: printed forms, payment, e-result, portal synchronisation. */
export function onestopPanel(dossier) {
  const section = el("section", { class: "onestop-panel", id: "onestop-panel" }, el("h3", {}, t("onestop.title")));
  const box = el("div", { id: "onestop-notice" });
  const body = el("div", { class: "stack" });
  section.append(box, body);
  const text = el("textarea", { id: "notice-text", rows: 2, maxlength: 2000, placeholder: t("onestop.notice_text_hint") });
  const print = (kind) => {
    const params = new URLSearchParams();
    if (text.value.trim()) params.set(kind === "refusal" ? "reason" : "items", text.value);
    download(`/api/v1/dossiers/${dossier.id}/notices/${kind}${params.size ? `?${params}` : ""}`, `${kind}-${dossier.receipt_code}.pdf`)
      .then(() => notice(box, "ok", t("onestop.printed")))
      .catch((err) => notice(box, "error", problemText(err)));
  };
  (async () => {
    const forms = el("div", { class: "stack" },
      el("h4", {}, t("onestop.forms")),
      el("div", { class: "row-inline wrap" },
        el("button", { type: "button", class: "button", id: "print-receipt", onclick: () => print("receipt") }, t("onestop.print.receipt")),
        el("button", { type: "button", class: "button secondary", id: "print-supplement", onclick: () => print("supplement-request") }, t("onestop.print.supplement")),
        el("button", { type: "button", class: "button secondary", id: "print-refusal", onclick: () => print("refusal") }, t("onestop.print.refusal"))),
      el("label", { for: "notice-text" }, t("onestop.notice_text")), text);
    const parts = [forms];
    try {
      const [, facts] = await paymentFacts(dossier, "officer-payment-state");
      parts.push(el("div", {}, el("h4", {}, t("onestop.payment")), facts));
    } catch (err) {
      parts.push(el("p", { class: "muted" }, problemText(err)));
    }
    try {
      parts.push(el("div", {}, el("h4", {}, t("onestop.result")), await resultFacts(dossier, box, "officer-result")));
    } catch (err) {
      parts.push(el("p", { class: "muted" }, problemText(err)));
    }
    try {
      const sync = await api(`/api/v1/portal/dossiers/${dossier.id}`);
      parts.push(el("div", {}, el("h4", {}, t("onestop.portal")),
        el("div", { class: "row-inline" },
          el("span", { class: `badge portal-${sync.state}`, id: "portal-state", dataset: { state: sync.state } }, t(`onestop.portal.${sync.state}`)),
          sync.national_code ? el("span", { class: "muted small" }, t("onestop.portal.code", { code: sync.national_code })) : ""),
        el("ol", { id: "portal-messages", class: "timeline" }, sync.messages.map((m) => el("li", { dataset: { status: m.status } },
          `${t(`onestop.portal.status.${m.status_key}`)} — ${t(`onestop.portal.row.${m.status}`)}`,
          m.sent_at ? el("span", { class: "muted small" }, ` (${fmtDate(m.sent_at, true)})`) : "",
          m.last_error ? el("span", { class: "muted small" }, ` ${m.last_error}`) : "")))));
    } catch (err) {
      parts.push(el("p", { class: "muted" }, problemText(err)));
    }
    body.replaceChildren(...parts);
  })();
  return section;
}

/** Citizen's section: pay the fee online, see paid/unpaid, download receipt and result. */
export function citizenOnestopPanel(dossier, tasks) {
  const section = el("section", { class: "card onestop-panel", id: "citizen-onestop" }, el("h2", {}, t("onestop.citizen_title")));
  const box = el("div", { id: "citizen-onestop-notice" });
  const body = el("div", { class: "stack" });
  section.append(box, body);
  (async () => {
    const parts = [];
    try {
      const [pay, facts] = await paymentFacts(dossier, "citizen-payment-state");
      parts.push(el("div", {}, el("h3", {}, t("onestop.payment")), facts));
      const payStep = tasks.find((task) => task.lane === "citizen" && (task.step || {}).kind === "pay");
      if (payStep && pay.state !== "paid" && pay.amount_due) {
        const button = el("button", { type: "button", class: "primary", id: "pay-online" }, t("onestop.pay_online", { amount: money(pay.amount_due) }));
        button.addEventListener("click", async () => {
          button.disabled = true;
          try {
            const order = await api(`/api/v1/dossiers/${dossier.id}/payments`, { method: "POST" });
            location.assign(order.pay_url);
          } catch (err) {
            button.disabled = false;
            notice(box, "error", problemText(err));
          }
        });
        parts.push(button, el("p", { class: "muted small" }, t("onestop.pay_hint")));
      }
    } catch (err) {
      parts.push(el("p", { class: "muted" }, problemText(err)));
    }
    parts.push(el("div", {}, el("h3", {}, t("onestop.forms")),
      el("button", {
        type: "button", class: "button secondary", id: "download-receipt",
        onclick: () => download(`/api/v1/dossiers/${dossier.id}/notices/receipt`, `giay-tiep-nhan-${dossier.receipt_code}.pdf`)
          .catch((err) => notice(box, "error", problemText(err))),
      }, t("onestop.print.receipt"))));
    try {
      parts.push(el("div", {}, el("h3", {}, t("onestop.result")), await resultFacts(dossier, box, "download-result")));
    } catch (err) {
      parts.push(el("p", { class: "muted" }, problemText(err)));
    }
    body.replaceChildren(...parts);
  })();
  return section;
}
