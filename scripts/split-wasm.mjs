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
import { join } from "node:path";
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

    // Every module optimised as Trunk optimises the unsplit one (-Oz).
    const jobs = [[join(bound, `${NAME}_bg.wasm`), join(work, "main.wasm")], ...parts.map((f) => [join(split, f), join(work, f)])];
    const queue = [...jobs];
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        await tool("wasm-opt", ["-Oz", "--strip-producers", "--strip-target-features", job[0], "-o", job[1]]);
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

    let linker = readFileSync(join(split, "__wasm_split.js"), "utf8");
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
