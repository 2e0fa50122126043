// Dossier components (thành phần hồ sơ) read from a model's BPMN (tt:component, see
// docs/annotations.md), and which of them a connected national database already holds.
export const TT_NS = "urn:toantrinh:bpmn:1";
const BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL";

/** [{id, name, code, documentType, copy, required, legalBasis, fields}] from BPMN XML text. */
export function componentsOf(xml) {
  const doc = new DOMParser().parseFromString(xml, "application/xml");
  const names = {};
  for (const ref of doc.getElementsByTagNameNS(BPMN_NS, "dataObjectReference")) {
    const target = ref.getAttribute("dataObjectRef");
    if (target && ref.getAttribute("name")) names[target] ??= ref.getAttribute("name");
  }
  const seen = new Set();
  const out = [];
  for (const comp of doc.getElementsByTagNameNS(TT_NS, "component")) {
    const owner = comp.parentNode?.parentNode; // tt:component < extensionElements < data object
    if (!owner) continue;
    const key = owner.localName === "dataObjectReference" ? owner.getAttribute("dataObjectRef") || owner.getAttribute("id") : owner.getAttribute("id");
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      id: owner.getAttribute("id"),
      name: owner.getAttribute("name") || names[owner.getAttribute("id")] || comp.getAttribute("code"),
      code: comp.getAttribute("code"),
      documentType: comp.getAttribute("documentType"),
      copy: comp.getAttribute("copy"),
      required: comp.getAttribute("required") !== "false",
      legalBasis: comp.getAttribute("legalBasis") || "",
      fields: [...comp.getElementsByTagNameNS(TT_NS, "field")].map((f) => f.getAttribute("name")),
    });
  }
  return out;
}

/** The connected registry that holds a component's document type, if any. */
export function holder(component, registries) {
  return registries.find((r) => r.connected && r.available !== false
    && (r.document_types || []).includes(component.documentType)) || null;
}
