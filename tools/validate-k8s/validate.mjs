#!/usr/bin/env node
// Validates a multi-document Kubernetes YAML stream (stdin) against the OpenAPI schemas.
//
// Two passes per document:
//  1. schema: the model class of kubernetes-models / @kubernetes-models/prometheus-operator / @kubernetes-models/cert-manager,
//     whose .validate() runs an ajv validator generated from the Kubernetes OpenAPI document
//     (or the prometheus-operator and cert-manager CRDs): types, formats, enums, required fields.
//  2. strict: those generated validators do NOT reject unknown fields (the OpenAPI v2 document has
//     no additionalProperties:false, and the API server's strict field validation is separate from
//     it). So this script walks the same models' type declarations (*.d.ts, generated from the same
//     schemas) and reports every field that the schema does not declare, like
//     `kubectl apply --validate=strict` would.
//
// Output: one line per problem, "<kind>/<name>: <json path>: <message>"; exit 1 on any problem,
// 2 on unreadable input. An apiVersion/kind outside the list below is a problem too.
//
// Usage: node validate.mjs < manifests.yaml     (or: node validate.mjs file.yaml ...,
//        or node validate.mjs --each a.yaml b.yaml ...: each file on its own, problems prefixed by the file name)

import { readFileSync, readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);

/** The models of the custom resources redisgen renders, by apiVersion (generated from each project's CRDs). */
const CRD_PACKAGES = {
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator",
  "cert-manager.io/v1": "@kubernetes-models/cert-manager",
};

/** apiVersion/kind → [package, module path inside it]. Only kinds redisgen may render. */
const KINDS = new Map(
  [
    ["v1", ["Namespace", "ResourceQuota", "LimitRange", "ConfigMap", "Secret", "Service",
      "PersistentVolumeClaim", "ServiceAccount"]],
    ["apps/v1", ["StatefulSet", "Deployment"]],
    ["policy/v1", ["PodDisruptionBudget"]],
    ["networking.k8s.io/v1", ["NetworkPolicy"]],
    ["batch/v1", ["Job", "CronJob"]],
    ["rbac.authorization.k8s.io/v1", ["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]],
    ["monitoring.coreos.com/v1", ["ServiceMonitor", "PrometheusRule", "PodMonitor"]],
    ["cert-manager.io/v1", ["Certificate"]],
  ].flatMap(([apiVersion, kinds]) =>
    kinds.map((kind) => {
      const pkg = CRD_PACKAGES[apiVersion] ?? "kubernetes-models";
      return [`${apiVersion}/${kind}`, [pkg, `${pkg}/${apiVersion}/${kind}`]];
    }),
  ),
);

// ---------------------------------------------------------------- strict field check (.d.ts walk)

/** Interface name (as exported alias, e.g. IIoK8sApiCoreV1Container) → {field: typeText}. */
const INTERFACES = new Map();
/** Type aliases to primitives (IntOrString, Quantity, Time, ...): treated as leaves. */
const loadedDirs = new Set();

function packageRoot(pkg) {
  return dirname(require.resolve(`${pkg}/package.json`));
}

function loadDeclarations(dir) {
  if (loadedDirs.has(dir) || !existsSync(dir)) return;
  loadedDirs.add(dir);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "_schemas" && entry.name !== "node_modules") loadDeclarations(path);
    } else if (entry.name.endsWith(".d.ts")) {
      parseDeclarationFile(readFileSync(path, "utf8"));
    }
  }
}

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/** The text between the brace at `open` and its match. */
function braceBlock(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error("unbalanced braces");
}

/** Splits an object type body into "name"?: type members at depth 0. */
function parseMembers(body) {
  const members = {};
  let depth = 0;
  let start = 0;
  const parts = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "{" || c === "<" || c === "(" || c === "[") depth++;
    else if (c === "}" || c === ">" || c === ")" || c === "]") depth--;
    else if (c === ";" && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  for (const part of parts) {
    const m = /^\s*"([^"]+)"\??\s*:\s*([\s\S]+?)\s*$/.exec(part);
    if (m) members[m[1]] = m[2];
  }
  return members;
}

function parseDeclarationFile(text) {
  text = stripComments(text);
  const local = new Map();
  const ifaceRe = /export interface (\w+)(?:\s+extends\s+([\w, ]+))?\s*\{/g;
  let m;
  while ((m = ifaceRe.exec(text))) {
    const members = parseMembers(braceBlock(text, m.index + m[0].length - 1));
    if (m[2] && m[2].includes("TypeMeta")) {
      members.apiVersion ??= "string";
      members.kind ??= "string";
    }
    local.set(m[1], members);
  }
  const aliasRe = /export type \{([^}]*)\}/g;
  while ((m = aliasRe.exec(text))) {
    for (const pair of m[1].split(",")) {
      const am = /^\s*(\w+)\s+as\s+(\w+)\s*$/.exec(pair);
      if (am && local.has(am[1])) INTERFACES.set(am[2], local.get(am[1]));
    }
  }
  for (const [name, members] of local) if (!INTERFACES.has(name)) INTERFACES.set(name, members);
}

function unknownFields(value, typeText, path, out) {
  typeText = typeText.trim();
  if (value === null || value === undefined) return;
  let m;
  if ((m = /^Array<([\s\S]+)>$/.exec(typeText))) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, m[1], `${path}/${i}`, out));
    return;
  }
  if ((m = /^\{\s*\[key: string\]:\s*([\s\S]+?);?\s*\}$/.exec(typeText))) {
    if (typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) unknownFields(v, m[1], `${path}/${escapePointer(k)}`, out);
    }
    return;
  }
  if (typeText.startsWith("{")) {
    checkObject(value, parseMembers(braceBlock(typeText, 0)), path, out);
    return;
  }
  const members = INTERFACES.get(typeText);
  if (members) checkObject(value, members, path, out);
  // Anything else is a primitive, a literal union or an alias to one (IntOrString, Quantity,
  // Time, JSON): the ajv pass checks those.
}

function checkObject(value, members, path, out) {
  if (typeof value !== "object" || Array.isArray(value)) return; // type errors are ajv's
  for (const [k, v] of Object.entries(value)) {
    if (!(k in members)) out.push(`${path}/${escapePointer(k)}: unknown field "${k}"`);
    else unknownFields(v, members[k], `${path}/${escapePointer(k)}`, out);
  }
}

function escapePointer(key) {
  return String(key).replace(/~/g, "~0").replace(/\//g, "~1");
}

// ---------------------------------------------------------------- main

async function main() {
  const args = process.argv.slice(2);
  // --each: every file is a stream of its own, and each problem line starts with "<file>: " (the mutant corpus
  // test validates thousands of small files in one run).
  const each = args[0] === "--each";
  const files = each ? args.slice(1) : args;

  for (const pkg of ["kubernetes-models", "@kubernetes-models/apimachinery", ...Object.values(CRD_PACKAGES)]) {
    loadDeclarations(packageRoot(pkg));
  }

  const problems = [];
  let count = 0;
  const inputs = each
    ? files.map((f) => [`${f}: `, readFileSync(f, "utf8")])
    : [["", files.length ? files.map((f) => readFileSync(f, "utf8")).join("\n---\n") : readFileSync(0, "utf8")]];
  for (const [prefix, text] of inputs) {
    const r = await validateText(text);
    count += r.count;
    for (const p of r.problems) problems.push(prefix + p);
  }

  for (const p of problems) console.log(p);
  console.error(`validate-k8s: ${count} objects, ${problems.length} problems`);
  process.exit(problems.length ? 1 : 0);
}

async function validateText(text) {
  const problems = [];
  let count = 0;
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true });
  for (const [index, doc] of docs.entries()) {
    if (doc.errors.length) {
      for (const e of doc.errors) problems.push(`document ${index + 1}: YAML: ${e.message.split("\n")[0]}`);
      continue;
    }
    const obj = doc.toJS({ maxAliasCount: -1 });
    if (obj === null || obj === undefined) continue; // empty document
    count++;
    const apiVersion = obj.apiVersion;
    const kind = obj.kind;
    const id = `${kind ?? "?"}/${obj.metadata?.name ?? `document-${index + 1}`}`;
    const entry = KINDS.get(`${apiVersion}/${kind}`);
    if (!entry) {
      problems.push(`${id}: /: unknown apiVersion/kind ${apiVersion}/${kind} (not in the validator's list)`);
      continue;
    }
    const mod = await import(entry[1]);
    const Model = mod[kind];
    try {
      new Model(obj).validate();
    } catch (e) {
      if (Array.isArray(e.errors)) {
        for (const err of e.errors) {
          problems.push(`${id}: ${err.instancePath || "/"}: ${err.message ?? err.keyword} ${JSON.stringify(err.params ?? {})}`);
        }
      } else {
        problems.push(`${id}: /: ${e.message}`);
      }
    }
    // The top-level interface of the kind, by the alias the model file exports.
    const typeName = findTypeName(entry[0], apiVersion, kind);
    if (!typeName) {
      problems.push(`${id}: /: no type declaration found for the strict field check`);
      continue;
    }
    const unknown = [];
    unknownFields(obj, typeName, "", unknown);
    for (const u of unknown) problems.push(`${id}: ${u}`);
  }
  return { count, problems };
}

function findTypeName(pkg, apiVersion, kind) {
  const dts = join(packageRoot(pkg), apiVersion, `${kind}.d.ts`);
  const text = readFileSync(dts, "utf8");
  const m = new RegExp(`export type \\{\\s*I${kind} as (\\w+)`).exec(text);
  return m && INTERFACES.has(m[1]) ? m[1] : null;
}

main().catch((e) => {
  console.error(`validate-k8s: ${e.stack ?? e}`);
  process.exit(2);
});
