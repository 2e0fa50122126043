// A small renderer for the JSON Schema forms of user tasks (docs/forms.md): string, number,
// integer, boolean, enum (with x-enumNames), date, array of strings, array of objects.
// Fields filled from a national database (x-prefill) are shown read-only and marked with
// the registry they came from; they are never sent back (the engine keeps its own values).
import { api, el, fmtDate, lang, problemText, registryName, t } from "./common.js";

function label(prop, name) {
  return prop.title || name;
}

function enumOptions(prop) {
  const names = prop["x-enumNames"] || [];
  return (prop.enum || []).map((value, i) => ({ value, text: names[i] ?? String(value) }));
}

function displayValue(prop, value) {
  if (value === null || value === undefined || value === "") return "—";
  const choice = choiceOptions(prop)?.find((o) => o.value === value);
  if (choice) return choice.text;
  if (prop.enum) {
    const option = enumOptions(prop).find((o) => o.value === value);
    if (option) return option.text;
  }
  if (prop.type === "boolean") return value ? t("form.yes") : t("form.no");
  if (prop.format === "date") return fmtDate(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === "object" ? Object.values(v).join(" – ") : v)).join("; ");
  if (typeof value === "object") return Object.values(value).join(" – ");
  return String(value);
}

/** The options of a choice: `oneOf`/`anyOf` of `const` + `title`, or `enum` with `x-enumNames`. */
export function choiceOptions(prop) {
  const list = prop.oneOf || prop.anyOf;
  if (Array.isArray(list) && list.length && list.every((o) => o && "const" in o)) {
    return list.map((o) => ({ value: o.const, text: o.title ?? String(o.const), confirm: Boolean(o["x-confirm"]), help: o.description }));
  }
  return null;
}

/**
 * A decision (issue 26 item 2): one radio button per option, each saying its consequence
 * in words; nothing is chosen until the officer chooses (never a checkbox whose blank
 * means "refuse").
 */
function radioInput(options, id, value, required) {
  const name = `${id}-choice`;
  const node = el("fieldset", { class: "choices", id, role: "radiogroup" },
    options.map((o, i) => el("label", { class: `choice${o.confirm ? " choice-confirm" : ""}` },
      el("input", { type: "radio", name, value: String(i), id: `${id}-${o.value}`, checked: o.value === value, required }),
      el("span", {}, o.text))));
  return { node, get: () => {
    const picked = node.querySelector("input:checked");
    return picked ? options[Number(picked.value)].value : undefined;
  } };
}

/** An input for a scalar property; returns {node, get()}. */
function scalarInput(prop, id, value, required) {
  let node;
  let get;
  const choices = choiceOptions(prop);
  if (choices && id) {
    return radioInput(choices, id, value, required);
  }
  if (prop.enum) {
    node = el("select", { id, required });
    node.append(el("option", { value: "" }, t("form.choose")));
    enumOptions(prop).forEach((o, i) => {
      node.append(el("option", { value: String(i), selected: o.value === value }, o.text));
    });
    get = () => (node.value === "" ? undefined : prop.enum[Number(node.value)]);
  } else if (prop.type === "boolean") {
    node = el("input", { id, type: "checkbox", checked: Boolean(value) });
    get = () => node.checked;
  } else if (prop.type === "integer" || prop.type === "number") {
    node = el("input", {
      id, type: "number", inputmode: prop.type === "integer" ? "numeric" : "decimal", required,
      min: prop.minimum ?? prop.exclusiveMinimum, max: prop.maximum,
      step: prop.type === "integer" ? "1" : "any", value: value ?? "",
    });
    get = () => (node.value === "" ? undefined : Number(node.value));
  } else if (prop.format === "date") {
    node = el("input", { id, type: "date", required, value: value ?? "" });
    get = () => node.value || undefined;
  } else if ((prop.maxLength || 0) > 300) {
    node = el("textarea", { id, rows: 3, required, maxlength: prop.maxLength, minlength: prop.minLength });
    node.value = value ?? "";
    get = () => node.value.trim() || undefined;
  } else {
    node = el("input", {
      id, type: prop.format === "email" ? "email" : "text", required, value: value ?? "",
      maxlength: prop.maxLength, minlength: prop.minLength,
      inputmode: /\[0-9\]|\\d/.test(prop.pattern || "") ? "numeric" : undefined,
    });
    get = () => node.value.trim() || undefined;
  }
  return { node, get };
}

const ACCEPTED_FILES = "application/pdf,image/png,image/jpeg,image/tiff,image/webp,.pdf,.png,.jpg,.jpeg,.tif,.tiff,.webp";

/**
 * A dossier component (x-component): the code of a file of this dossier (TL-…) or of a
 * document in the e-data warehouse (KQ-…). Choosing a file uploads it through `upload`
 * and puts its code in the box; choosing one of `held` (the applicant's documents of the
 * component's type already in the warehouse) puts its result code there, no upload.
 */
function componentInput(prop, id, value, required, upload, held = []) {
  const code = el("input", { id, type: "text", required, value: value ?? "", placeholder: t("form.file_code"),
    class: "file-code", spellcheck: "false" });
  const status = el("small", { class: "file-status", role: "status" });
  const chooser = el("input", { type: "file", accept: ACCEPTED_FILES, "aria-label": t("form.file_choose"),
    class: "file-choose" });
  chooser.addEventListener("change", async () => {
    const file = chooser.files?.[0];
    if (!file) return;
    chooser.disabled = true;
    status.textContent = t("form.file_uploading", { name: file.name });
    try {
      const row = await upload(file, prop["x-component"]);
      code.value = row.code;
      status.textContent = t("form.file_uploaded", { name: row.filename, kb: Math.max(1, Math.round(row.size / 1024)) });
    } catch (err) {
      status.textContent = problemText(err);
    } finally {
      chooser.disabled = false;
      chooser.value = "";
    }
  });
  const reuse = held.length && upload
    ? el("select", { class: "file-held", "aria-label": t("form.file_held") },
      el("option", { value: "" }, t("form.file_held")),
      held.map((doc) => el("option", { value: doc.result_code, selected: doc.result_code === value },
        `${doc.title} · ${fmtDate(doc.issued_at)} · ${doc.result_code}`)))
    : null;
  reuse?.addEventListener("change", () => {
    if (!reuse.value) return;
    code.value = reuse.value;
    status.textContent = t("form.file_reused");
  });
  const node = el("div", { class: "component-input" }, reuse, upload ? chooser : null, code, status);
  return { node, get: () => code.value.trim() || undefined };
}

function arrayOfStrings(prop, id, value, required) {
  const node = el("textarea", { id, rows: 3, required, placeholder: t("form.one_per_line") });
  node.value = (value || []).join("\n");
  return { node, get: () => {
    const items = node.value.split("\n").map((s) => s.trim()).filter(Boolean);
    return items.length ? items : undefined;
  } };
}

function arrayOfObjects(prop, id, value) {
  const item = prop.items || {};
  const columns = Object.entries(item.properties || {});
  const required = new Set(item.required || []);
  const rows = [];
  const body = el("div", { class: "rows", id });
  const addRow = (rowValue = {}) => {
    const inputs = columns.map(([name, sub]) => {
      const input = scalarInput(sub, undefined, rowValue[name] ?? sub.default, required.has(name));
      input.node.setAttribute("aria-label", label(sub, name));
      input.node.dataset.column = name;
      return [name, input];
    });
    const row = el("fieldset", { class: "row" },
      inputs.map(([name, input]) => el("label", { class: "cell" },
        el("span", {}, label(columns.find(([n]) => n === name)[1], name), required.has(name) ? " *" : ""),
        input.node)),
      el("button", { type: "button", class: "small secondary", onclick: () => {
        rows.splice(rows.indexOf(entry), 1);
        row.remove();
      } }, t("form.remove_row")));
    const entry = { row, inputs };
    rows.push(entry);
    body.append(row);
  };
  (value || []).forEach(addRow);
  const wrap = el("div", { class: "array" }, body,
    el("button", { type: "button", class: "small secondary", onclick: () => addRow() }, t("form.add_row")));
  return { node: wrap, get: () => {
    const out = rows.map(({ inputs }) => {
      const obj = {};
      for (const [name, input] of inputs) {
        const v = input.get();
        if (v !== undefined) obj[name] = v;
      }
      return obj;
    }).filter((obj) => Object.keys(obj).length);
    return out.length ? out : undefined;
  } };
}

/**
 * Render `schema` into `container`.
 * options: prefill (values from registries), typedFields (names the applicant types),
 * registries (the catalogue, for names), disabled (show only), held (component → the
 * applicant's warehouse documents of its type, offered instead of an upload), upload(file, component) → the
 * attachment (for x-component fields; without it they take a code only).
 * Returns {collect(), showErrors(errors), prefilledNames, typedNames}.
 */
export function renderForm(container, schema, { prefill = {}, typedFields = null, registries = [], disabled = false, upload = null, held = {} } = {}) {
  const props = schema?.properties || {};
  const required = new Set(schema?.required || []);
  const byId = Object.fromEntries(registries.map((r) => [r.id, r]));
  const fields = [];
  const form = el("div", { class: "tt-form" });
  if (schema?.title) form.append(el("h3", { class: "form-title" }, schema.title));
  if (schema?.description) form.append(el("p", { class: "muted small" }, schema.description));
  const prefilledNames = [];
  const typedNames = [];
  // The API answers with sorted keys, so the author's order is lost: show what the user must
  // type first (required ones in the order of `required`), then what was filled in for them.
  const requiredOrder = [...required];
  const rank = (name) => {
    const locked = Object.prototype.hasOwnProperty.call(prefill, name) || (Boolean(props[name]?.readOnly) && !props[name]?.["x-prefill"]);
    const r = requiredOrder.indexOf(name);
    return [locked ? 1 : 0, r < 0 ? requiredOrder.length : r];
  };
  const names = Object.keys(props).sort((a, b) => {
    const [la, ra] = rank(a);
    const [lb, rb] = rank(b);
    return la - lb || ra - rb;
  });
  const typedBox = el("div", { class: "group typed" });
  const lockedBox = el("div", { class: "group locked" });

  for (const name of names) {
    const prop = props[name];
    if (!prop || typeof prop !== "object") continue;
    const id = `f-${name}`;
    const fromRegistry = Object.prototype.hasOwnProperty.call(prefill, name);
    // a registry field the registry holds nothing for (an empty e-mail) is typed, as the
    // engine takes it (docs/forms.md): read-only only when a value was filled in
    const locked = fromRegistry || (Boolean(prop.readOnly) && !prop["x-prefill"]);
    const wrap = el("div", { class: `field${fromRegistry ? " prefilled" : ""}${prop.type === "boolean" && !locked ? " boolean" : ""}`, dataset: { field: name } });
    const isReq = required.has(name);
    wrap.append(el("label", { for: locked ? undefined : id, class: "field-label" }, label(prop, name),
      isReq && !locked ? el("span", { class: "req", title: t("form.required") }, " *") : null));
    if (fromRegistry) {
      prefilledNames.push(name);
      const source = prop["x-prefill"]?.source;
      wrap.append(el("span", { class: "badge source", title: t("form.prefilled_hint") },
        t("form.prefilled_from", { source: registryName(byId[source]) || source || t("form.registry") })));
    }
    if (prop["x-component"]) wrap.append(el("span", { class: "badge component" }, t("form.component")));
    if (locked) {
      const value = fromRegistry ? prefill[name] : prop.default;
      wrap.append(el("output", { class: "value", id }, displayValue(prop, value)));
    } else {
      typedNames.push(name);
      let input;
      const value = prop.default;
      if (prop.type === "array" && prop.items?.type === "object") input = arrayOfObjects(prop, id, value);
      else if (prop.type === "array") input = arrayOfStrings(prop, id, value, isReq);
      else if (prop["x-component"] && prop.type === "string") input = componentInput(prop, id, value, isReq, disabled ? null : upload, held[prop["x-component"]] || []);
      else input = scalarInput(prop, id, value, isReq);
      if (disabled) input.node.querySelectorAll?.("input,select,textarea,button").forEach((n) => { n.disabled = true; });
      if (disabled && "disabled" in input.node) input.node.disabled = true;
      wrap.append(input.node);
      fields.push({ name, input });
    }
    if (prop.description) wrap.append(el("small", { class: "help" }, prop.description));
    wrap.append(el("div", { class: "field-error", role: "alert", hidden: true }));
    (locked ? lockedBox : typedBox).append(wrap);
  }
  if (typedBox.childElementCount) form.append(typedBox);
  if (lockedBox.childElementCount) {
    form.append(el("h4", { class: "group-title" }, prefilledNames.length
      ? t("form.prefilled_group", { n: prefilledNames.length }) : t("form.readonly_group")), lockedBox);
  }
  container.replaceChildren(form);

  return {
    prefilledNames,
    typedNames,
    /** The option chosen that asks for a confirmation (a refusal, `x-confirm`), if any. */
    confirmation() {
      for (const { name, input } of fields) {
        const options = choiceOptions(props[name] || {});
        const picked = options?.find((o) => o.value === input.get());
        if (picked?.confirm) return { field: name, text: picked.text };
      }
      return null;
    },
    collect() {
      const data = {};
      for (const { name, input } of fields) {
        const v = input.get();
        if (v !== undefined) data[name] = v;
      }
      return data;
    },
    showErrors(errors = []) {
      form.querySelectorAll(".field-error").forEach((n) => { n.hidden = true; n.textContent = ""; });
      const unplaced = [];
      form.querySelectorAll(".invalid").forEach((n) => n.classList.remove("invalid"));
      for (const e of errors) {
        e.message = errorText(e);
        // "members.1.capital_share" (the engine) or "members[1].capital_share"
        const [top, index, column] = String(e.field || "").replace(/\[(\d+)\]/g, ".$1").split(".");
        const wrap = form.querySelector(`.field[data-field="${CSS.escape(top)}"]`);
        if (!wrap) {
          unplaced.push(`${e.field}: ${e.message}`);
          continue;
        }
        wrap.classList.add("invalid");
        // the engine words each error itself with the field's title (engine/form_messages.py),
        // in Vietnamese and English: the page shows the one of its language
        let message = errorText(e);
        const row = index !== undefined ? wrap.querySelectorAll("fieldset.row")[Number(index)] : null;
        if (row) {
          const cell = column ? row.querySelector(`[data-column="${CSS.escape(column)}"]`) : null;
          (cell || row).classList.add("invalid");
          const name = cell?.getAttribute("aria-label");
          message = `${t("form.row", { n: Number(index) + 1 })}${name ? ` – ${name}` : ""}: ${e.message}`;
        } else {
          wrap.querySelectorAll(":scope > input, :scope > select, :scope > textarea, :scope > fieldset.choices").forEach((n) => n.classList.add("invalid"));
        }
        const box = wrap.querySelector(".field-error");
        box.hidden = false;
        box.textContent = box.textContent ? `${box.textContent}; ${message}` : message;
      }
      const first = form.querySelector("input.invalid, select.invalid, textarea.invalid, .invalid input");
      first?.focus();
      return unplaced;
    },
  };
}

/** A field error of the API in the page's language. */
export function errorText(e) {
  return (lang === "en" && e.message_en) || e.message;
}

/** renderForm's `upload` for a dossier: POST the file to its attachments. */
export function uploader(dossierId) {
  return (file, component) => {
    const body = new FormData();
    body.append("file", file);
    if (component) body.append("component", component);
    return api(`/api/v1/dossiers/${dossierId}/attachments`, { method: "POST", body });
  };
}
