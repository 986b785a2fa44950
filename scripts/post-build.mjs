// Trunk post_build hook.
//
// 1. Development builds (trunk serve, debug profile) use config.dev.json as
//    config.json: it allows the demo keys of the bundled emulator. Release
//    builds ship config.json, which does not. config.dev.json is removed from
//    release output.
// 3. SAG_CONSOLE_CONNECT_SRC (space-separated origins, such as
//    "https://gateway.example.com") adds the origins of an API gateway on
//    another origin to connect-src; config.json's endpoints then name it
//    with absolute URLs. Unset, connect-src stays 'self'. A meta CSP cannot
//    be loosened at run time, so this is decided when the site is built.
// 4. Release builds are split into parts loaded on demand
//    (scripts/split-wasm.mjs): Trunk's unsplit wasm and JS are replaced,
//    before the inline script's hash is taken below.
// 2. Trunk injects an inline <script type="module"> that loads the wasm. Our
//    Content-Security-Policy allows no inline script, so this adds the
//    SHA-256 of each inline script to script-src, keeping the policy strict
//    without 'unsafe-inline'.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { splitInto } from "./split-wasm.mjs";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("post-build: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)");
  process.exit(1);
}
const dev = join(dir, "config.dev.json");
if (process.env.TRUNK_PROFILE === "debug") {
  copyFileSync(dev, join(dir, "config.json"));
  console.log("post-build: development build, config.json = config.dev.json (demo keys allowed)");
}
if (existsSync(dev)) rmSync(dev);

if (process.env.TRUNK_PROFILE === "release") {
  const started = Date.now();
  try {
    const { parts, files } = await splitInto(dir, process.env.TRUNK_SOURCE_DIR || process.cwd());
    console.log(`post-build: split into the first load and ${parts} parts (${files} files) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    console.error(`post-build: could not split the release build: ${e.message}`);
    process.exit(1);
  }
}

const file = join(dir, "index.html");
let html = readFileSync(file, "utf8");
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
  (m) => `'sha256-${createHash("sha256").update(m[1], "utf8").digest("base64")}'`,
);
const marker = "script-src 'self' 'wasm-unsafe-eval'";
if (!html.includes(marker)) {
  console.error(`post-build: index.html has no "${marker}" in its Content-Security-Policy`);
  process.exit(1);
}
html = html.replace(marker, [marker, ...hashes].join(" "));

const extra = (process.env.SAG_CONSOLE_CONNECT_SRC || "").split(/\s+/).filter(Boolean);
for (const origin of extra) {
  let url;
  try {
    url = new URL(origin);
  } catch {
    url = null;
  }
  if (!url || !["https:", "http:"].includes(url.protocol) || url.origin !== origin) {
    console.error(`post-build: SAG_CONSOLE_CONNECT_SRC holds ${JSON.stringify(origin)}, which is not an origin such as https://gateway.example.com (no path, no trailing slash)`);
    process.exit(1);
  }
}
if (extra.length) {
  const connect = "connect-src 'self'";
  if (!html.includes(connect)) {
    console.error(`post-build: index.html has no "${connect}" in its Content-Security-Policy`);
    process.exit(1);
  }
  html = html.replace(connect, [connect, ...extra].join(" "));
  console.log(`post-build: connect-src also allows ${extra.join(" ")}`);
}
writeFileSync(file, html);
console.log(`post-build: allowed ${hashes.length} inline script(s) by hash`);
