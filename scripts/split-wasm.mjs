// Splits the release build into parts loaded on demand (issue 22), from
// Trunk's post_build hook (scripts/post-build.mjs). Trunk 0.21 cannot split
// a wasm; cargo-leptos can, and this does what it does, step by step:
//
// 1. cargo's own wasm (target/wasm32-unknown-unknown/release, linked with
//    --emit-relocs by .cargo/config.toml) is split at the `part!` entry
//    points (src/shell/parts.rs) by wasm-split-cli (the crate
//    wasm_split_cli_support, which cargo-leptos uses as a library): a main
//    module, one module per part, and chunks of code that several parts
//    share, with __wasm_split.js, which fetches and links them;
// 2. wasm-bindgen binds the main module (--keep-lld-exports: the parts link
//    against its exports);
// 2b. what cargo-leptos does not: binaryen's wasm-merge makes the chunks one
//    module (22 files compressed apart lost 15 KB brotli of shared context),
//    and the parts in TOGETHER one module each; __wasm_split.js is rewritten
//    to load each merged module once, for every part that needs it;
// 3. wasm-opt -Oz optimises every module, two at a time;
// 4. every file is named by a hash of its content (the two JS modules import
//    each other, so each name covers the other's content too), and Trunk's
//    unsplit files are replaced: index.html's script, its modulepreload and
//    preload links and their integrity hashes name the new files.
//
// Debug builds (trunk serve) are not split: their entry points are plain
// functions.
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const NAME = "sag-console";

const hash = (...parts) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex").slice(0, 16);
};
const sri = (bytes) => `sha384-${createHash("sha384").update(bytes).digest("base64")}`;

async function tool(cmd, args) {
  try {
    return await run(cmd, args, { maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    if (e.code === "ENOENT") {
      throw new Error(`${cmd} is not on PATH: run scripts/setup.sh (it installs it) and source scripts/env.sh`);
    }
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${e.stderr || e.message}`);
  }
}

/** The one module the chunks are merged into. */
const SHARED = "chunk_shared.wasm";

/**
 * Parts merged into one module, loaded by either's pages; each pair
 * compresses better as one file than apart (3 to 4 KB brotli). The
 * instance list leads to the user list (and fetches it when idle anyway);
 * New user, Online and Import are the user list's other tabs (it fetches
 * the first two when idle).
 */
const TOGETHER = [
  ["sag_instances", "sag_users"],
  ["sag_create_online", "sag_import"],
];

/** The features Rust's wasm32 target uses, for binaryen's tools. */
const FEATURES = [
  "--enable-bulk-memory", "--enable-reference-types", "--enable-mutable-globals",
  "--enable-sign-ext", "--enable-multivalue", "--enable-nontrapping-float-to-int",
];

/**
 * Merges split modules into one with binaryen's wasm-merge. Each module
 * imports the main module's memory, table and globals from "__wasm_split";
 * wasm-merge would keep one import per module (several memories), so a
 * small hub module named "__wasm_split" re-exports them from "__ws", and
 * the merged module imports each once from "__ws" (shareChunks tells the
 * loader). Everything else of a split module is code, and data and table
 * entries at fixed places, which concatenate.
 */
async function mergeModules(inputs, output, work) {
  const imports = new Map(); // name -> [kind, limits]
  for (const f of inputs) {
    const { stdout } = await tool("wasm-dis", [f]);
    for (const m of stdout.matchAll(/\(import "__wasm_split" "([^"]+)" \((memory|table|global) \$\S+ ((?:\([^)]*\)|[^()])*)\)\)/g)) {
      const [, name, kind, rest] = m;
      const seen = imports.get(name);
      if (seen && seen[0] !== kind) throw new Error(`${f} imports ${name} as a ${kind}, another module as a ${seen[0]}`);
      // The largest minimum (memory pages, table size) satisfies every module.
      const min = (r) => Number(r.match(/^\d+/)?.[0] ?? NaN);
      if (!seen || (kind !== "global" && min(rest) > min(seen[1]))) imports.set(name, [kind, rest]);
    }
  }
  if (!imports.size) throw new Error(`${inputs[0]} imports nothing from __wasm_split: not a split module?`);
  const lines = [...imports].map(([name, [kind, rest]], i) =>
    `(import "__ws" "${name}" (${kind} $i${i} ${rest})) (export "${name}" (${kind} $i${i}))`);
  const hubText = join(work, "hub.wat");
  const hub = join(work, "hub.wasm");
  writeFileSync(hubText, `(module ${lines.join(" ")})`);
  await tool("wasm-as", [hubText, "-o", hub, ...FEATURES]);
  const named = inputs.flatMap((f, i) => [f, `m${i}`]);
  await tool("wasm-merge", [hub, "__wasm_split", ...named, "-o", output, ...FEATURES]);
}

/**
 * The split linker with every chunk's loader replaced by one for the
 * merged module (the first chunk's name keeps it; the others are the same
 * loader under their names, so the parts' lists of what they need still
 * read), which imports from "__ws".
 */
function shareChunks(linker, chunks) {
  const defs = [...linker.matchAll(/(\/\* [^*]* \*\/\n)?const (__chunk_\d+) = makeLoad\(\(\) => \{\n\s*const src = fetch\(new URL\("\.\/(chunk_\d+\.wasm)"[\s\S]*?\n\}\n, \[[^\]]*\]\);\n/g)];
  const found = defs.map((d) => d[3]).sort();
  if (JSON.stringify(found) !== JSON.stringify([...chunks].sort())) {
    throw new Error(`__wasm_split.js loads the chunks ${found}, not ${chunks}: its layout changed`);
  }
  const [first, ...rest] = defs;
  const shared = first[0]
    .replace(first[1] ?? "", "/* every part: the chunks, merged */\n")
    .replace(`"./${first[3]}"`, `"./${SHARED}"`)
    .replace(/, \[[^\]]*\]\);\n$/, ", []);\n");
  let out = linker.replace(first[0], shared + rest.map((d) => `const ${d[2]} = ${first[2]};\n`).join(""));
  for (const d of rest) out = out.replace(d[0], "");
  const ASSIGN = /(\n\s*)(Object\.assign\(sharedImports\.__wasm_split, \{[^}]*\}\);)/;
  if (!ASSIGN.test(out)) throw new Error("__wasm_split.js does not fill sharedImports.__wasm_split: its layout changed");
  return out.replace(ASSIGN, "$1$2$1sharedImports.__ws = sharedImports.__wasm_split;");
}

/**
 * The split linker with the loaders of the parts in `group` replaced by one
 * loader of their merged module `file`, which each part's entry uses.
 */
function loadTogether(linker, group, file) {
  const blocks = group.map((name) => {
    const re = new RegExp(`export const __wasm_split_load_${name} = wrapAsyncCb\\(makeLoad\\(\\(\\) => \\{\\n\\s*const src = fetch\\(new URL\\("\\./split_${name}\\.wasm"[\\s\\S]*?\\n\\}\\n, \\[[^\\]]*\\]\\)\\);\\n`);
    const m = linker.match(re);
    if (!m) throw new Error(`__wasm_split.js has no loader for the part ${name}: its layout changed`);
    return m[0];
  });
  const loader = `__together_${group.join("__")}`;
  const together = blocks[0]
    .replace(`export const __wasm_split_load_${group[0]} = wrapAsyncCb(makeLoad(`, `/* ${group.join(", ")}: one module */\nconst ${loader} = makeLoad(`)
    .replace(`"./split_${group[0]}.wasm"`, `"./${file}"`)
    .replace(/\]\)\);\n$/, "]);\n") +
    group.map((name) => `export const __wasm_split_load_${name} = wrapAsyncCb(${loader});\n`).join("");
  let out = linker.replace(blocks[0], together);
  for (const b of blocks.slice(1)) out = out.replace(b, "");
  return out;
}

/** Replaces Trunk's unsplit wasm and JS in `staging` with the split build. */
export async function splitInto(staging, sourceDir) {
  const targetDir = process.env.CARGO_TARGET_DIR || join(sourceDir, "target");
  const input = join(targetDir, "wasm32-unknown-unknown", "release", `${NAME}.wasm`);
  const work = mkdtempSync(join(tmpdir(), "sag-split-"));
  try {
    const split = join(work, "split");
    const bound = join(work, "bound");
    await tool("wasm-split-cli", [input, split, "--out-name", NAME]);
    await tool("wasm-bindgen", [
      "--target", "web", "--keep-lld-exports", "--no-demangle",
      "--out-name", NAME, "--out-dir", bound, join(split, `${NAME}.wasm`),
    ]);
    const parts = readdirSync(split).filter((f) => /^(chunk|split)_.*\.wasm$/.test(f));
    if (!parts.length) throw new Error(`${input} has no split points: was it built in release with part! entry points?`);
    let linker = readFileSync(join(split, "__wasm_split.js"), "utf8");

    // The chunks (code that several parts share, one file per set of parts
    // that shares it: 22 files, from 52 bytes to 108 KB) become one module:
    // compressed apart they lose the context they share, 15 KB brotli in
    // all (docs/performance.md). A part's first visit fetches the whole
    // shared module, once.
    const chunks = parts.filter((f) => f.startsWith("chunk_"));
    const merged = new Set();
    if (chunks.length > 1) {
      merged.add(SHARED);
      await mergeModules(chunks.map((f) => join(split, f)), join(split, SHARED), work);
      linker = shareChunks(linker, chunks);
      for (const f of chunks) parts.splice(parts.indexOf(f), 1);
      parts.push(SHARED);
    }
    // Parts that travel together become one module too.
    for (const group of TOGETHER) {
      const members = group.map((name) => `split_${name}.wasm`);
      if (!members.every((f) => parts.includes(f))) throw new Error(`no parts ${members} to put together`);
      const file = `split_${group.join("__")}.wasm`;
      await mergeModules(members.map((f) => join(split, f)), join(split, file), work);
      linker = loadTogether(linker, group, file);
      merged.add(file);
      for (const f of members) parts.splice(parts.indexOf(f), 1);
      parts.push(file);
    }

    // Every module optimised as Trunk optimises the unsplit one (-Oz).
    const jobs = [[join(bound, `${NAME}_bg.wasm`), join(work, "main.wasm")], ...parts.map((f) => [join(split, f), join(work, f)])];
    const queue = [...jobs];
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        // A merged module has no target features section of its own: it is
        // told the features Rust's code uses.
        const features = merged.has(basename(job[0])) ? FEATURES : [];
        await tool("wasm-opt", ["-Oz", "--strip-producers", "--strip-target-features", ...features, job[0], "-o", job[1]]);
      }
    };
    await Promise.all([worker(), worker()]);

    // Names: each wasm by its content; the two JS modules by theirs and the other's.
    const out = new Map(); // file name in staging -> bytes
    const renamed = new Map(); // "./chunk_9.wasm" -> "./chunk_9-<hash>.wasm"
    for (const f of parts) {
      const bytes = readFileSync(join(work, f));
      const name = `${f.replace(/\.wasm$/, "")}-${hash(bytes)}.wasm`;
      renamed.set(`"./${f}"`, `"./${name}"`);
      out.set(name, bytes);
    }
    const mainWasm = readFileSync(join(work, "main.wasm"));
    const mainWasmName = `${NAME}-${hash(mainWasm)}_bg.wasm`;
    out.set(mainWasmName, mainWasm);

    for (const [from, to] of renamed) {
      if (!linker.includes(from)) throw new Error(`__wasm_split.js does not load ${from}`);
      linker = linker.replaceAll(from, to);
    }
    let glue = readFileSync(join(bound, `${NAME}.js`), "utf8").replaceAll(`${NAME}_bg.wasm`, mainWasmName);
    const MAIN_JS = `"./${NAME}.js"`;
    // Only the import statements: the imports object keeps the module name
    // the wasm itself imports from.
    const LINKER = `from "./__wasm_split.js"`;
    if (!linker.includes(MAIN_JS)) throw new Error(`__wasm_split.js does not import ${MAIN_JS}`);
    if (!glue.includes(LINKER)) throw new Error(`${NAME}.js does not import ${LINKER}`);
    // The linker's name covers its content and the glue's (but for the
    // glue's own name, which depends on it); the glue's name covers its
    // final content, the linker's name included.
    const linkerName = `__wasm_split-${hash(linker, hash(glue))}.js`;
    glue = glue.replaceAll(LINKER, `from "./${linkerName}"`);
    const glueName = `${NAME}-${hash(glue)}.js`;
    linker = linker.replaceAll(MAIN_JS, `"./${glueName}"`);
    out.set(linkerName, Buffer.from(linker));
    out.set(glueName, Buffer.from(glue));

    // index.html: Trunk's files out, ours in.
    const indexFile = join(staging, "index.html");
    let html = readFileSync(indexFile, "utf8");
    const trunkJs = readdirSync(staging).find((f) => new RegExp(`^${NAME}-[0-9a-f]+\\.js$`).test(f));
    const trunkWasm = readdirSync(staging).find((f) => new RegExp(`^${NAME}-[0-9a-f]+_bg\\.wasm$`).test(f));
    if (!trunkJs || !trunkWasm) throw new Error(`no ${NAME}-<hash>.js and _bg.wasm from Trunk in ${staging}`);
    const link = (file, attrs) => {
      const re = new RegExp(`<link rel="${attrs}" href="([^"]*)${file.replace(/[.]/g, "\\.")}"[^>]*>`);
      const m = html.match(re);
      if (!m) throw new Error(`index.html has no <link rel="${attrs}"> for ${file}`);
      return m;
    };
    const jsLink = link(trunkJs, "modulepreload");
    const wasmLink = link(trunkWasm, "preload");
    const base = jsLink[1];
    html = html.replace(
      jsLink[0],
      `<link rel="modulepreload" href="${base}${glueName}" crossorigin="anonymous" integrity="${sri(out.get(glueName))}">` +
        `<link rel="modulepreload" href="${base}${linkerName}" crossorigin="anonymous" integrity="${sri(out.get(linkerName))}">`,
    );
    html = html.replace(
      wasmLink[0],
      `<link rel="preload" href="${base}${mainWasmName}" crossorigin="anonymous" integrity="${sri(mainWasm)}" as="fetch" type="application/wasm">`,
    );
    if (!html.includes(trunkJs) || !html.includes(trunkWasm)) throw new Error("index.html's loader script names no Trunk file");
    html = html.replaceAll(trunkJs, glueName).replaceAll(trunkWasm, mainWasmName);
    rmSync(join(staging, trunkJs));
    rmSync(join(staging, trunkWasm));
    for (const [name, bytes] of out) writeFileSync(join(staging, name), bytes);
    writeFileSync(indexFile, html);
    return { parts: parts.length, files: out.size };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
