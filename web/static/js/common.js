// Shared helpers of every page: strings, the signed-in principal, API calls, DOM building.
const boot = JSON.parse(document.getElementById("tt-boot").textContent);

export const page = boot.page;
export const lang = page.lang;

/** The UI string `key` in the page's language, with {name} placeholders filled. */
export function t(key, values = {}) {
  const text = boot.i18n[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
}

const TOKEN = "tt.token";
const PRINCIPAL = "tt.principal";

export function session() {
  const token = localStorage.getItem(TOKEN);
  if (!token) return null;
  try {
    return { token, principal: JSON.parse(localStorage.getItem(PRINCIPAL) || "null") };
  } catch {
    return { token, principal: null };
  }
}

export function signIn(token, principal) {
  localStorage.setItem(TOKEN, token);
  localStorage.setItem(PRINCIPAL, JSON.stringify(principal));
}

export function signOut() {
  localStorage.removeItem(TOKEN);
  localStorage.removeItem(PRINCIPAL);
}

/** An error answered by the API (RFC 9457 problem details). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.errors = this.problem.errors || [];
  }
}

/** Call the REST API; JSON in and out; throws ApiError on a non-2xx answer. */
export async function api(path, { method = "GET", body, headers = {}, auth = true, raw = false, blob = false } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers } };
  const s = session();
  if (auth && s) init.headers.Authorization = `Bearer ${s.token}`;
  if (body instanceof FormData) {
    init.body = body; // multipart: the browser writes the boundary into Content-Type
  } else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 401 && auth && page.roles.length) {
    signOut();
    location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new ApiError(401, { detail: t("auth.expired") });
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      problem = { detail: `HTTP ${response.status}` };
    }
    throw new ApiError(response.status, problem);
  }
  if (blob) return response.blob();
  if (raw) return response.text();
  if (response.status === 204) return null;
  return response.json();
}

/** Save a file the API sends (with the bearer token, so not through a plain link). */
export async function download(path, filename) {
  const url = URL.createObjectURL(await api(path, { blob: true }));
  const link = el("a", { href: url, download: filename || "" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Require a signed-in principal with one of the page's roles, else go to the login page. */
export function requireRole() {
  const s = session();
  if (!s || !s.principal) {
    location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    return null;
  }
  if (page.roles.length && !page.roles.includes(s.principal.role)) {
    const main = document.getElementById("main");
    main.replaceChildren(el("div", { class: "banner warn", role: "alert" },
      t("auth.wrong_role", { role: t(`role.${s.principal.role}`), roles: page.roles.map((r) => t(`role.${r}`)).join(", ") }),
      " ", el("a", { href: `/login?next=${encodeURIComponent(location.pathname)}` }, t("nav.signin"))));
    return null;
  }
  return s.principal;
}

/** Build an element: el("a", {href: "/", class: "x", onclick: fn}, "text", child…). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const locale = () => (lang === "vi" ? "vi-VN" : "en-GB");

export function fmtDate(value, withTime = false) {
  if (!value) return "—";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const opts = withTime
    ? { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }
    : { year: "numeric", month: "2-digit", day: "2-digit" };
  return d.toLocaleString(locale(), opts);
}

export function fmtNumber(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return "—";
  return Number(value).toLocaleString(locale(), { maximumFractionDigits: digits });
}

export function fmtPercent(rate) {
  if (rate === null || rate === undefined) return "—";
  return `${fmtNumber(rate * 100, 1)}%`;
}

export function fmtMinutes(minutes) {
  if (minutes === null || minutes === undefined) return "—";
  const m = Math.round(Number(minutes));
  if (m < 60) return t("unit.minutes", { n: m });
  const h = m / 60;
  if (h < 24) return t("unit.hours", { n: fmtNumber(h, 1) });
  return t("unit.workdays", { n: fmtNumber(m / 480, 1) });
}

/** An ISO 8601 duration (PT30M, PT4H, P2D, P1DT2H) in words; the text itself when not one. */
export function fmtDuration(iso) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso || "");
  if (!m || iso === "P" || iso === "PT") return iso || "—";
  const [, d, h, min] = m;
  return [d && t("unit.days", { n: d }), h && t("unit.hours", { n: h }), min && t("unit.minutes", { n: min })]
    .filter(Boolean).join(" ");
}

/** Days left until `due` (negative when overdue), whole days. */
export function daysLeft(due) {
  if (!due) return null;
  return Math.ceil((new Date(due).getTime() - Date.now()) / 86400000);
}

export function deadlineBadge(due, status) {
  if (!due) return el("span", { class: "badge" }, t("deadline.none"));
  const days = daysLeft(due);
  if (status === "completed" || status === "cancelled") {
    return el("span", { class: "badge" }, t("deadline.was", { date: fmtDate(due) }));
  }
  const cls = days < 0 ? "badge danger" : days <= 2 ? "badge warn" : "badge ok";
  const text = days < 0 ? t("deadline.overdue", { n: -days }) : t("deadline.left", { n: days });
  return el("span", { class: cls, title: fmtDate(due, true) }, `${fmtDate(due)} · ${text}`);
}

/** Show a message (info, ok, warn, error) in `box`, replacing what was there. */
export function notice(box, kind, text, details = []) {
  box.replaceChildren();
  box.hidden = false;
  box.className = `banner ${kind}`;
  box.setAttribute("role", kind === "error" || kind === "warn" ? "alert" : "status");
  box.append(el("div", {}, text));
  if (details.length) box.append(el("ul", {}, details.map((d) => el("li", {}, d))));
}

export function problemText(err) {
  if (err instanceof ApiError) return err.message;
  return t("error.network", { detail: err?.message || String(err) });
}

export function statusLabel(status) {
  return t(`status.${status}`);
}

/** The registry catalogue (names and what each replaces), fetched once per page. */
let registriesPromise = null;
export function registries() {
  registriesPromise ??= api("/api/v1/registries").catch(() => []);
  return registriesPromise;
}

export function registryName(reg) {
  if (!reg) return "";
  return (lang === "en" && reg.name_en) || reg.name_vi || reg.id;
}

// Search without diacritics, as the server folds (engine/textfold.py): NFD, combining marks
// dropped, đ → d, lower case, one space between words. "Lý lịch" and "ly lich" fold alike.
export function fold(text) {
  return String(text ?? "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
}

// Whether every word of `query` occurs in `haystack` (the API's `keywords`, or texts folded here).
export function matchesQuery(query, ...haystack) {
  const words = fold(query).split(" ").filter(Boolean);
  if (!words.length) return true;
  const text = haystack.map(fold).join(" | ");
  return words.every((w) => text.includes(w));
}
