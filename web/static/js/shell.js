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

// Tables on a phone are shown one card per row (app.css): each cell carries its column's
// name as data-label, taken from the table's header, for every table a page draws.
const main = document.getElementById("main");
function labelCells(root) {
  // a table scrolled sideways in its box can be scrolled with the keyboard too
  for (const wrap of root.querySelectorAll(".table-wrap:not([tabindex])")) wrap.tabIndex = 0;
  for (const table of root.querySelectorAll("table.table:not(.wide):not(.compact)")) {
    const names = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.cells].forEach((cell, i) => {
        if (cell.tagName === "TD" && names[i] && cell.dataset.label !== names[i]) cell.dataset.label = names[i];
      });
    }
  }
}

// After a form is sent, focus moves to what came back (issue 26, 14): the first field in
// error, else the error notice, else the first heading of the result; unless the page's own
// script already put it on a field in error.
let sentAt = 0;
document.addEventListener("submit", () => { sentAt = Date.now(); }, true);
function focusOutcome() {
  if (!sentAt || Date.now() - sentAt > 15000) return;
  if (document.activeElement?.matches?.(".invalid, [aria-invalid='true']")) { sentAt = 0; return; }
  const visible = (node) => node && !node.closest("[hidden]") && node.getClientRects().length > 0;
  const invalid = [...main.querySelectorAll("input.invalid, select.invalid, textarea.invalid, [aria-invalid='true']")].find(visible);
  const error = [...main.querySelectorAll(".banner.error, .banner.warn")].find(visible);
  const region = [...main.querySelectorAll("[aria-live]")].find((r) => visible(r) && r.children.length);
  const target = invalid || error || region?.querySelector("h1, h2, h3") || null;
  if (!target) return;
  sentAt = 0;
  if (!target.matches("input, select, textarea, button, a[href]")) target.setAttribute("tabindex", "-1");
  target.focus({ preventScroll: false });
}

let queued = false;
new MutationObserver(() => {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    labelCells(main);
    focusOutcome();
  });
}).observe(main, { childList: true, subtree: true, attributes: true, attributeFilter: ["hidden", "class"] });
labelCells(main);
