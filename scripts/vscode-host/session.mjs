// A code-server session for people (npm start), as opposed to the tests' sessions: no smoke-test driver, so
// notifications pop up as they do for any user, and the extension is loaded from this repository through a link in
// the session's own extensions folder (VS Code scans that folder and follows the link), so a page reload after
// `node build.mjs` runs the new build. Used by ../start.mjs and start-check.mjs.
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startCodeServer } from './host.mjs';

/** The repository's extension id and the folder name VS Code gives an installed copy: publisher.name-version. */
export function extensionFolderName() {
  const { publisher, name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return { id: `${publisher}.${name}`, folder: `${publisher}.${name}-${version}` };
}

/**
 * Makes `extensionsDir/<publisher.name-version>` a link to `root`. Links and manifest entries of this extension
 * left by earlier sessions (another version, another checkout) go first; other installed extensions stay.
 */
export function linkExtension(extensionsDir, root = ROOT) {
  const { id, folder } = extensionFolderName();
  mkdirSync(extensionsDir, { recursive: true });
  for (const entry of readdirSync(extensionsDir)) {
    if (entry.toLowerCase().startsWith(`${id.toLowerCase()}-`))
      rmSync(join(extensionsDir, entry), { recursive: lstatSync(join(extensionsDir, entry)).isDirectory(), force: true });
  }
  // VS Code keeps the list of installed extensions in extensions.json; an entry for a removed link would hide the new one.
  const manifest = join(extensionsDir, 'extensions.json');
  if (existsSync(manifest)) {
    let entries;
    try {
      entries = JSON.parse(readFileSync(manifest, 'utf8'));
    } catch {
      entries = [];
    }
    const kept = Array.isArray(entries) ? entries.filter((e) => e?.identifier?.id?.toLowerCase() !== id.toLowerCase()) : [];
    writeFileSync(manifest, JSON.stringify(kept));
  }
  const link = join(extensionsDir, folder);
  symlinkSync(root, link, 'dir');
  return link;
}

/**
 * Starts code-server for a person on 127.0.0.1:`port`, state under `dir`, `workspace` open, this repository's
 * extension installed as a link. Returns startCodeServer's handle.
 */
export async function startSession({ dir, port, workspace, workspaceTrust = true }) {
  const extensionsDir = join(dir, 'extensions');
  linkExtension(extensionsDir);
  return startCodeServer({ dir, port, workspace, workspaceTrust, extensionsDir, smokeTestDriver: false });
}
