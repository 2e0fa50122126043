// Modeller (cán bộ kiểm soát TTHC): edit a procedure's BPMN with bpmn-js, including the `tt`
// annotations (docs/annotations.md) through our moddle extension and a small side panel;
// lint with the API's validate endpoint; deploy a new version.
import { api, el, fmtDate, matchesQuery, notice, page, problemText, registries, requireRole, t } from "./common.js";

const KINDS = ["submit", "receive", "verify", "appraise", "approve", "sign", "pay", "deliver_result", "handoff", "inspect", "other"];
const ACTORS = ["citizen", "one_stop_desk", "specialist", "leader", "other_agency", "system"];
const PRESENCE = ["none", "required", "required_by_law"];
const COPIES = ["original", "certified_copy", "copy", "electronic"];
const ROLES = ["citizen", "one_stop_desk", "specialist", "leader", "other_agency"];

const NEW_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  xmlns:tt="urn:toantrinh:bpmn:1" id="Definitions_new" targetNamespace="urn:toantrinh:models">
  <bpmn:process id="Process_new" name="Thủ tục mới" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="Nộp hồ sơ"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Task_Declare" name="Kê khai thông tin">
      <bpmn:extensionElements><tt:step kind="submit" actor="citizen" duration="PT15M" presence="none" /></bpmn:extensionElements>
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="EndEvent_1" name="Hoàn thành"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Task_Declare" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_Declare" targetRef="EndEvent_1" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_new"><bpmndi:BPMNPlane id="Plane_new" bpmnElement="Process_new">
    <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="Task_Declare_di" bpmnElement="Task_Declare"><dc:Bounds x="240" y="80" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="EndEvent_1_di" bpmnElement="EndEvent_1"><dc:Bounds x="392" y="102" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1"><di:waypoint x="188" y="120" /><di:waypoint x="240" y="120" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="Flow_2_di" bpmnElement="Flow_2"><di:waypoint x="340" y="120" /><di:waypoint x="392" y="120" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

const box = document.getElementById("modeller-notice");
let modeler = null;
let model = null; // the deployed model (null for a new one)
let forms = {};
let dirty = false;

// ------------------------------------------------------------------ list of models
async function listModels() {
  const models = await api("/api/v1/models");
  const search = document.getElementById("model-search");
  const render = () => document.querySelector("#model-list tbody").replaceChildren(...models
    .filter((m) => matchesQuery(search.value, m.keywords || "", m.name, m.code))
    .map((m) => el("tr", { dataset: { slug: m.slug } },
      el("td", { "data-label": t("dossier.procedure") }, el("a", { href: `/modeller/${encodeURIComponent(m.slug)}` }, (page.lang === "en" && m.name_en) || m.name)),
      el("td", { "data-label": t("proc.code") }, m.code || "—"), el("td", { "data-label": t("modeller.version") }, m.latest_version ?? "—"),
      el("td", {}, el("a", { href: `/reformer/${encodeURIComponent(m.slug)}` }, t("modeller.report"))))));
  search.addEventListener("input", render);
  render();
}

// ------------------------------------------------------------- extension elements
const is = (bo, type) => Boolean(bo && bo.$instanceOf && bo.$instanceOf(type));
const find = (bo, type) => (bo?.extensionElements?.values || []).find((v) => is(v, type));

/** The tt:* element of `type` in `bo`'s extension elements, created (undoably) if missing. */
function ensure(element, bo, type) {
  const modeling = modeler.get("modeling");
  const moddle = modeler.get("moddle");
  let ext = bo.extensionElements;
  if (!ext) {
    ext = moddle.create("bpmn:ExtensionElements", { values: [] });
    ext.$parent = bo;
    modeling.updateModdleProperties(element, bo, { extensionElements: ext });
  }
  let item = find(bo, type);
  if (!item) {
    item = moddle.create(type);
    item.$parent = ext;
    modeling.updateModdleProperties(element, ext, { values: [...(ext.values || []), item] });
  }
  return item;
}

function setExt(element, bo, type, attr, value) {
  const item = ensure(element, bo, type);
  modeler.get("modeling").updateModdleProperties(element, item, { [attr]: value === "" ? undefined : value });
}

// --------------------------------------------------------------------- side panel
function control(label, input, hint) {
  return el("label", { class: "prop" }, el("span", {}, label), input, hint ? el("small", { class: "muted" }, hint) : null);
}

function select(name, values, current, prefix, onChange) {
  const node = el("select", { name, dataset: { prop: name } }, el("option", { value: "" }, "—"),
    values.map((v) => el("option", { value: v, selected: v === current }, `${t(`${prefix}.${v}`)} (${v})`)));
  node.addEventListener("change", () => onChange(node.value));
  return node;
}

function text(name, current, onChange, attrs = {}) {
  const node = el("input", { name, value: current ?? "", dataset: { prop: name }, ...attrs });
  node.addEventListener("change", () => onChange(node.value.trim()));
  return node;
}

function nameControl(element, bo) {
  return control(t("props.name"), text("name", bo.name, (v) => modeler.get("modeling").updateLabel(element, v)));
}

function processOf(root) {
  const bo = root.businessObject;
  if (is(bo, "bpmn:Process")) return { element: root, bo };
  const participant = modeler.get("elementRegistry").find((e) => is(e.businessObject, "bpmn:Participant") && e.businessObject.processRef);
  return participant ? { element: participant, bo: participant.businessObject.processRef } : null;
}

let docTypes = [];
let shownId = null; // the element whose properties the panel shows
function renderProps(element) {
  const panel = document.getElementById("props");
  const canvas = modeler.get("canvas");
  element = element || canvas.getRootElement();
  shownId = element === canvas.getRootElement() ? null : element.id;
  const bo = element.businessObject;
  if (!bo) return; // no diagram drawn (an import under way or refused)
  const parts = [el("h2", {}, t("props.title")), el("p", { class: "muted small", id: "props-target" }, `${bo.$type.replace("bpmn:", "")} · ${bo.id}`)];
  const apply = (type, attr, target = bo, owner = element) => (v) => setExt(owner, target, type, attr, v);

  if (is(bo, "bpmn:Activity")) {
    const step = find(bo, "tt:Step") || {};
    const form = find(bo, "tt:Form") || {};
    parts.push(nameControl(element, bo),
      el("h3", {}, t("props.step")),
      control(t("step.kind"), select("kind", KINDS, step.kind, "kind", apply("tt:Step", "kind"))),
      control(t("step.actor"), select("actor", ACTORS, step.actor, "actor", apply("tt:Step", "actor"))),
      control(t("step.duration"), text("duration", step.duration, apply("tt:Step", "duration"), { placeholder: "PT2H", pattern: "P.*" }), t("props.iso_hint")),
      control(t("step.presence"), select("presence", PRESENCE, step.presence, "presence", apply("tt:Step", "presence"))),
      control(t("step.citizen_time"), text("citizenTime", step.citizenTime, apply("tt:Step", "citizenTime"), { placeholder: "PT30M" })),
      control(t("step.legal_basis"), text("legalBasis", step.legalBasis, apply("tt:Step", "legalBasis"))));
    if (is(bo, "bpmn:UserTask") || is(bo, "bpmn:ManualTask") || find(bo, "tt:Form")) {
      parts.push(control(t("props.form"), text("formRef", form.ref, apply("tt:Form", "ref"), { list: "form-refs" })),
        el("datalist", { id: "form-refs" }, Object.keys(forms).map((f) => el("option", { value: f }))));
    }
  } else if (is(bo, "bpmn:DataObjectReference") || is(bo, "bpmn:DataObject")) {
    // the annotation may sit on the reference (what modellers draw) or on its data object
    const target = find(bo, "tt:Component") ? bo : (bo.dataObjectRef && find(bo.dataObjectRef, "tt:Component") ? bo.dataObjectRef : bo);
    const comp = find(target, "tt:Component") || {};
    const fieldsInput = el("textarea", { name: "fields", rows: 4, dataset: { prop: "fields" } });
    fieldsInput.value = (comp.fields || []).map((f) => f.name).join("\n");
    fieldsInput.addEventListener("change", () => {
      const item = ensure(element, target, "tt:Component");
      const moddle = modeler.get("moddle");
      const names = fieldsInput.value.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
      const fieldEls = names.map((name) => Object.assign(moddle.create("tt:Field", { name }), { $parent: item }));
      modeler.get("modeling").updateModdleProperties(element, item, { fields: fieldEls });
    });
    const required = el("input", { type: "checkbox", name: "required", checked: comp.required !== false, dataset: { prop: "required" } });
    required.addEventListener("change", () => setExt(element, target, "tt:Component", "required", required.checked));
    parts.push(nameControl(element, bo),
      el("h3", {}, t("props.component")),
      control(t("comp.code"), text("code", comp.code, apply("tt:Component", "code", target))),
      control(t("comp.document_type"), text("documentType", comp.documentType, apply("tt:Component", "documentType", target), { list: "doc-types" })),
      el("datalist", { id: "doc-types" }, docTypes.map((d) => el("option", { value: d }))),
      control(t("comp.copy"), select("copy", COPIES, comp.copy, "copy", apply("tt:Component", "copy", target))),
      el("label", { class: "prop check" }, required, el("span", {}, t("comp.required"))),
      control(t("step.legal_basis"), text("legalBasis", comp.legalBasis, apply("tt:Component", "legalBasis", target))),
      control(t("comp.fields"), fieldsInput, t("comp.fields_hint")));
  } else if (is(bo, "bpmn:Lane")) {
    const lane = find(bo, "tt:Lane") || {};
    parts.push(nameControl(element, bo),
      control(t("props.lane_role"), select("role", ROLES, lane.role, "lane", apply("tt:Lane", "role"))));
  } else {
    if (element !== canvas.getRootElement() && !is(bo, "bpmn:Participant") && !is(bo, "bpmn:SequenceFlow")) {
      parts.push(nameControl(element, bo));
    }
    const proc = processOf(canvas.getRootElement());
    if (proc) {
      const annotation = find(proc.bo, "tt:Procedure") || {};
      parts.push(el("h3", {}, t("props.process")),
        control(t("props.name"), text("processName", proc.bo.name, (v) => modeler.get("modeling").updateModdleProperties(proc.element, proc.bo, { name: v || undefined }))),
        control(t("proc.code"), text("procedureCode", annotation.code, (v) => setExt(proc.element, proc.bo, "tt:Procedure", "code", v))),
        el("p", { class: "muted small" }, t("props.pick_hint")));
    }
  }
  panel.replaceChildren(...parts);
}

// ------------------------------------------------------------------ lint / deploy
function payload(xml) {
  const body = { bpmn: xml };
  if (model) {
    body.slug = model.slug;
    body.procedure = model.procedure && Object.keys(model.procedure).length ? model.procedure : undefined;
    body.forms = Object.keys(forms).length ? forms : undefined;
  } else {
    body.slug = document.getElementById("model-slug").value.trim() || undefined;
  }
  return body;
}

function elementLinks(message) {
  const registry = modeler.get("elementRegistry");
  const parts = [];
  let last = 0;
  for (const m of message.matchAll(/[A-Za-z_][\w.-]*/g)) {
    if (!registry.get(m[0])) continue;
    parts.push(message.slice(last, m.index));
    parts.push(el("button", { type: "button", class: "linklike", onclick: () => {
      const target = registry.get(m[0]);
      modeler.get("selection").select(target);
      modeler.get("canvas").scrollToElement(target);
    } }, m[0]));
    last = m.index + m[0].length;
  }
  parts.push(message.slice(last));
  return parts;
}

function showLint(result) {
  const lint = document.getElementById("lint");
  lint.hidden = false;
  const canvas = modeler.get("canvas");
  modeler.get("elementRegistry").forEach((e) => canvas.removeMarker(e, "tt-problem"));
  for (const problem of result.problems) {
    for (const m of problem.matchAll(/[A-Za-z_][\w.-]*/g)) {
      const target = modeler.get("elementRegistry").get(m[0]);
      if (target && target.type !== "label") canvas.addMarker(target, "tt-problem");
    }
  }
  lint.className = `lint banner ${result.valid ? (result.warnings.length ? "warn" : "ok") : "error"}`;
  lint.replaceChildren(
    el("strong", { id: "lint-summary" }, result.valid ? t("modeller.valid", { tasks: result.tasks.length }) : t("modeller.invalid", { n: result.problems.length })),
    result.problems.length ? el("ul", { id: "lint-problems" }, result.problems.map((p) => el("li", {}, elementLinks(p)))) : "",
    result.warnings.length ? el("details", { open: true }, el("summary", {}, t("modeller.warnings", { n: result.warnings.length })),
      el("ul", { id: "lint-warnings" }, result.warnings.map((w) => el("li", {}, elementLinks(w))))) : "");
}

async function lint() {
  const { xml } = await modeler.saveXML({ format: true });
  const result = await api("/api/v1/models/validate", { method: "POST", body: payload(xml) });
  showLint(result);
  return { xml, result };
}

async function deploy() {
  const { xml, result } = await lint();
  // the structural checks alone refuse it: deploying it anyway is a deliberate choice
  if (!result.valid && !(result.forceable && window.confirm(t("modeller.force_confirm")))) return;
  const body = payload(xml);
  if (!result.valid) body.force = true;
  if (!body.slug) {
    notice(box, "error", t("modeller.slug_needed"));
    return;
  }
  const deployed = await api("/api/v1/models", { method: "POST", body });
  dirty = false;
  history.replaceState(null, "", `/modeller/${encodeURIComponent(deployed.slug)}`);
  document.getElementById("slug-label").hidden = true;
  model = await api(`/api/v1/models/${encodeURIComponent(deployed.slug)}`);
  setTitle();
  renderMigrate();
  notice(box, "ok", deployed.created ? t("modeller.deployed", { version: deployed.version, slug: deployed.slug }) : t("modeller.unchanged", { version: deployed.version }));
}

function setTitle() {
  const title = document.getElementById("model-title");
  if (!model) {
    title.textContent = t("modeller.new");
    return;
  }
  const shown = Number(new URLSearchParams(location.search).get("version")) || model.latest_version;
  const version = model.versions?.find((v) => v.number === shown);
  const picker = el("select", { id: "version-select", class: "inline", "aria-label": t("modeller.version") },
    [...(model.versions || [])].reverse().map((v) => el("option", { value: v.number, selected: v.number === shown },
      t("modeller.version_n", { n: v.number }))));
  picker.addEventListener("change", () => {
    location.assign(`/modeller/${encodeURIComponent(model.slug)}?version=${picker.value}`);
  });
  title.replaceChildren(`${(page.lang === "en" && model.name_en) || model.name} `,
    el("span", { class: "badge", id: "model-version" }, t("modeller.version_n", { n: shown })),
    version ? el("span", { class: "muted small" }, ` ${fmtDate(version.created_at, true)} `) : "",
    model.versions?.length > 1 ? picker : "");
}

// ---------------------------------------------------------- running dossiers
/** Offer to move the running dossiers of an older version to the latest one. */
function renderMigrate() {
  const panel = document.getElementById("migrate-panel");
  const older = (model?.versions || []).map((v) => v.number).filter((n) => n !== model.latest_version);
  panel.hidden = !older.length;
  if (!older.length) return;
  const from = document.getElementById("migrate-from");
  from.replaceChildren(...older.reverse().map((n) => el("option", { value: n }, t("modeller.version_n", { n }))));
  document.getElementById("btn-migrate").textContent = t("modeller.migrate_go", { n: model.latest_version });
  document.getElementById("migrate-result").replaceChildren();
}

async function migrateRunning(dryRun) {
  return api(`/api/v1/models/${encodeURIComponent(model.slug)}/migrate-running`, {
    method: "POST",
    body: {
      from_version: Number(document.getElementById("migrate-from").value),
      to_version: model.latest_version,
      dry_run: dryRun,
    },
  });
}

function showMigration(report, dryRun) {
  const counts = { moved: report.moved.length, refused: report.refused.length };
  document.getElementById("migrate-result").replaceChildren(
    el("p", { id: "migrate-summary" }, t(dryRun ? "modeller.migrate_checked" : "modeller.migrate_done", counts)),
    report.refused.length
      ? el("ul", { class: "small" }, report.refused.map((r) => el("li", {}, el("strong", {}, r.receipt_code), ` — ${r.reason}`)))
      : "",
    report.more ? el("p", { class: "muted small" }, t("modeller.migrate_more")) : "",
  );
}

/** Resolves true when the officer confirms in the dialog, false when it is dismissed. */
function confirmMigration(text) {
  const dialog = document.getElementById("migrate-confirm");
  document.getElementById("migrate-confirm-text").textContent = text;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.showModal();
  });
}

async function checkMigration() {
  showMigration(await migrateRunning(true), true);
}

/** Check first; move only what the check found movable, once the officer confirms. */
async function moveMigration() {
  const check = await migrateRunning(true);
  showMigration(check, true);
  if (!check.moved.length) return;
  const text = t("modeller.migrate_confirm", {
    moved: check.moved.length,
    refused: check.refused.length,
    from: document.getElementById("migrate-from").value,
    to: model.latest_version,
  });
  if (!(await confirmMigration(text))) return;
  showMigration(await migrateRunning(false), false);
}

async function download() {
  const { xml } = await modeler.saveXML({ format: true });
  const url = URL.createObjectURL(new Blob([xml], { type: "application/xml" }));
  const a = el("a", { href: url, download: `${model?.slug || "procedure"}.bpmn` });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/** Fit the diagram, leaving room on the left for bpmn-js' palette. */
function fit() {
  const canvas = modeler.get("canvas");
  canvas.zoom("fit-viewport", "auto");
  canvas.zoom(canvas.viewbox().scale * 0.85, "auto");
  canvas.scroll({ dx: 55, dy: 0 });
}

async function openEditor(slug) {
  const descriptor = await fetch("/ui/static/moddle/tt.json").then((r) => r.json());
  modeler = new window.BpmnJS({ container: "#canvas", moddleExtensions: { tt: descriptor } });
  window.ttModeler = modeler; // for tests and the browser console
  let xml = NEW_XML;
  if (slug === "new") {
    document.getElementById("slug-label").hidden = false;
  } else {
    model = await api(`/api/v1/models/${encodeURIComponent(slug)}`);
    const version = Number(new URLSearchParams(location.search).get("version")) || model.latest_version;
    [xml, forms] = await Promise.all([
      api(`/api/v1/models/${encodeURIComponent(slug)}/versions/${version}/bpmn`, { raw: true, headers: { Accept: "application/xml" } }),
      api(`/api/v1/models/${encodeURIComponent(slug)}/versions/${version}/forms`).then((f) => f.forms || {}),
    ]);
  }
  setTitle();
  renderMigrate();
  docTypes = [...new Set((await registries()).flatMap((r) => r.document_types || []))].sort();
  const { warnings } = await modeler.importXML(xml);
  if (warnings.length) notice(box, "warn", t("modeller.import_warnings", { n: warnings.length }), warnings.slice(0, 5).map((w) => w.message));
  fit();
  modeler.on("selection.changed", ({ newSelection }) => renderProps(newSelection[0]));
  modeler.on("commandStack.changed", () => {
    dirty = true;
    // after an edit, an undo or a redo, show the element the panel was showing, as it is now
    const shown = shownId && modeler.get("elementRegistry").get(shownId);
    if (!document.getElementById("props").contains(document.activeElement)) renderProps(shown || null);
  });
  renderProps(null);
  document.body.dataset.modelerReady = "1";
}

/** Why `text` is not a BPMN 2.0 document bpmn-js can draw, or null when it is. */
function bpmnProblem(text) {
  const doc = new DOMParser().parseFromString(text, "application/xml");
  const error = doc.getElementsByTagName("parsererror")[0];
  // Chromium wraps the parser's message in a heading and a footer; the message is the <div>
  if (error) return ((error.querySelector("div") || error).textContent || "").replace(/\s+/g, " ").trim();
  const root = doc.documentElement;
  if (root.localName !== "definitions" || root.namespaceURI !== "http://www.omg.org/spec/BPMN/20100524/MODEL") {
    return t("modeller.not_definitions", { root: root.nodeName });
  }
  if (!doc.getElementsByTagNameNS("http://www.omg.org/spec/BPMN/20100524/DI", "BPMNDiagram").length) {
    return t("modeller.no_diagram");
  }
  return null;
}

/** Open a .bpmn file from the user's computer; a file that is not BPMN leaves the model as it was. */
async function openFile(file) {
  const text = await file.text();
  const shown = (detail) => notice(box, "error", t("error.bpmn_invalid", { detail: `${file.name}: ${detail}` }));
  const problem = bpmnProblem(text);
  if (problem) return shown(problem);
  const { xml: previous } = await modeler.saveXML();
  try {
    const { warnings } = await modeler.importXML(text);
    if (!modeler.getDefinitions()?.diagrams?.length) throw new Error(t("modeller.no_diagram"));
    box.hidden = true;
    if (warnings.length) notice(box, "warn", t("modeller.import_warnings", { n: warnings.length }), warnings.slice(0, 5).map((w) => w.message));
  } catch (err) {
    await modeler.importXML(previous);
    shown(err?.message || String(err));
  }
  fit();
  renderProps(null);
}

// the handler's arguments (the change event of the file chooser) are passed on: without
// them opening a file failed with "Cannot read properties of undefined (reading 'target')"
const guard = (fn) => async (...args) => {
  try {
    await fn(...args);
  } catch (err) {
    notice(box, "error", problemText(err), (err.errors || []).map((e) => `${e.field}: ${e.message}`));
  }
};

if (requireRole()) {
  if (!page.slug) {
    guard(listModels)();
  } else {
    document.getElementById("btn-validate").addEventListener("click", guard(lint));
    document.getElementById("btn-deploy").addEventListener("click", guard(deploy));
    document.getElementById("btn-download").addEventListener("click", guard(download));
    document.getElementById("btn-migrate-check").addEventListener("click", guard(checkMigration));
    document.getElementById("btn-migrate").addEventListener("click", guard(moveMigration));
    document.getElementById("open-file").addEventListener("change", guard(async (event) => {
      const file = event.target.files[0];
      event.target.value = ""; // the same file can be chosen again after it is fixed
      if (file) await openFile(file);
    }));
    window.addEventListener("beforeunload", (event) => {
      if (dirty) event.preventDefault();
    });
    guard(() => openEditor(page.slug))();
  }
}
