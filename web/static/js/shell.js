// The page frame: navigation by role, who is signed in, sign-out, the phone menu.
import { session, signOut, t } from "./common.js";

const s = session();
const role = s?.principal?.role;
for (const link of document.querySelectorAll("#nav [data-role]")) {
  link.hidden = Boolean(role) && !link.dataset.role.split(" ").includes(role);
}
if (s?.principal) {
  const who = document.getElementById("who");
  who.hidden = false;
  who.textContent = `${s.principal.name} · ${t(`role.${role}`)}`;
  document.getElementById("signin").hidden = true;
  const out = document.getElementById("signout");
  out.hidden = false;
  out.addEventListener("click", () => {
    signOut();
    location.assign("/");
  });
}
const toggle = document.querySelector(".menu-toggle");
toggle.setAttribute("aria-label", t("nav.menu"));
toggle.addEventListener("click", () => {
  const open = document.body.classList.toggle("nav-open");
  toggle.setAttribute("aria-expanded", String(open));
});
