// Sign in: a development login (when the server enables it) or a token issued by an admin.
import { api, ApiError, notice, problemText, signIn, t } from "./common.js";

const box = document.getElementById("login-notice");
const next = new URLSearchParams(location.search).get("next");
const home = { citizen: "/citizen", officer: "/inbox", modeller: "/modeller", reformer: "/reformer", admin: "/inbox" };

function go(principal) {
  const target = next && next.startsWith("/") && !next.startsWith("//") ? next : home[principal.role] || "/";
  location.assign(target);
}

async function useToken(token) {
  const principal = await fetch("/api/v1/auth/me", { headers: { Authorization: `Bearer ${token}` } })
    .then(async (r) => {
      if (!r.ok) throw new ApiError(r.status, await r.json().catch(() => null));
      return r.json();
    });
  signIn(token, principal);
  go(principal);
}

const roleSelect = document.getElementById("login-role");
const names = {
  citizen: "Nguyễn Văn An", officer: "Vũ Một Cửa", modeller: "Trần Mô Hình",
  reformer: "Lê Cải Cách", admin: "Quản trị",
};
function showRoleFields() {
  const role = roleSelect.value;
  document.querySelectorAll("[data-for-role]").forEach((n) => { n.hidden = n.dataset.forRole !== role; });
  document.getElementById("login-name").value = names[role];
}
if (roleSelect) {
  roleSelect.addEventListener("change", showRoleFields);
  showRoleFields();
  document.getElementById("dev-login").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const role = form.get("role");
    const body = { role, name: form.get("name") };
    if (role === "citizen") body.identity_number = form.get("identity_number");
    if (role === "officer") {
      body.agency = form.get("agency");
      body.lanes = form.getAll("lanes");
    }
    try {
      const issued = await api("/api/v1/auth/dev-login", { method: "POST", body, auth: false });
      await useToken(issued.token);
    } catch (err) {
      notice(box, "error", problemText(err), (err.errors || []).map((e) => `${e.field}: ${e.message}`));
    }
  });
}
document.getElementById("token-login").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await useToken(new FormData(event.target).get("token").trim());
  } catch (err) {
    notice(box, "error", err.status === 401 ? t("login.bad_token") : problemText(err));
  }
});
