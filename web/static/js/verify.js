// Public verification of an e-result by its result code (xác thực kết quả điện tử): no sign-in;
// the answer says what the document is and whether it is in force, never who holds it.
import { api, el, fmtDate, notice, page, t } from "./common.js";

const form = document.getElementById("verify-form");
const code = document.getElementById("verify-code");
const identity = document.getElementById("verify-identity");
const result = document.getElementById("verify-result");
const box = document.getElementById("verify-notice");

async function verify(resultCode, identityNumber) {
  box.hidden = true;
  result.replaceChildren();
  const query = identityNumber ? `?identity_number=${encodeURIComponent(identityNumber)}` : "";
  try {
    const { statement: s, seal } = await api(`/api/v1/results/${encodeURIComponent(resultCode)}${query}`,
      { auth: false });
    const holder = s.holder_matches === undefined ? ""
      : el("p", { id: "verify-holder", class: s.holder_matches ? "ok" : "warn" },
        t(s.holder_matches ? "verify.holder_yes" : "verify.holder_no", { id: identityNumber }));
    result.replaceChildren(el("div", { class: "card" },
      el("div", { class: "muted small" }, t("verify.code")),
      el("div", { class: "receipt-code" }, s.result_code),
      el("h2", {}, s.title),
      el("p", {}, el("span", { class: `badge result-${s.status}`, id: "verify-status" }, t(`verify.status.${s.status}`))),
      holder,
      el("dl", { class: "facts" },
        el("dt", {}, t("verify.issuer")), el("dd", {}, s.issuer),
        el("dt", {}, t("verify.issued")), el("dd", {}, fmtDate(s.issued_at)),
        el("dt", {}, t("verify.valid_until")), el("dd", {}, s.valid_until ? fmtDate(s.valid_until) : t("warehouse.no_expiry")),
        el("dt", {}, t("verify.kind")), el("dd", {}, t(s.digitized_copy ? "warehouse.copy" : "warehouse.result")),
        el("dt", {}, t("verify.hash")), el("dd", {}, el("code", { class: "small", id: "verify-hash" }, s.content_hash))),
      el("p", { class: "muted small", id: "verify-seal" },
        seal ? t("verify.sealed", { kid: seal.kid, at: fmtDate(s.checked_at, true) }) : t("verify.unsealed"))));
  } catch (err) {
    notice(box, "error", err.status === 404 ? t("verify.not_found", { code: resultCode }) : err.message);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const value = code.value.trim().toUpperCase();
  code.value = value;
  if (!value) return;
  history.replaceState(null, "", `/verify/${encodeURIComponent(value)}`);
  verify(value, identity.value.trim());
});
if (page.code) verify(page.code, "");
