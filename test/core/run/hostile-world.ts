/**
 * The hostile suite's world on the host: a secret outside every grant, a read-write grant holding host-made
 * links that point out of it, and a read-only grant. `snapshot` records everything the guest must not be able
 * to change (the outside, the read-only grant) so a test can compare before and after.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface World {
  root: string;
  /** A directory no grant covers, holding secret.txt. */
  outside: string;
  /** The read-write grant (guest name "g"). */
  grant: string;
  /** The read-only grant (guest name "r"). */
  readOnly: string;
  /** The text of outside/secret.txt: it must never appear in a guest's output. */
  secret: string;
}

export async function makeWorld(parent: string): Promise<World> {
  await mkdir(parent, { recursive: true });
  const root = await mkdtemp(join(parent, 'world-'));
  const world: World = {
    root,
    outside: join(root, 'outside'),
    grant: join(root, 'grant'),
    readOnly: join(root, 'ro'),
    secret: `SECRET-${randomBytes(6).toString('hex')}`,
  };
  await mkdir(world.outside);
  await writeFile(join(world.outside, 'secret.txt'), `${world.secret}\n`);
  await mkdir(world.grant);
  await mkdir(join(world.grant, 'sub'));
  await mkdir(join(world.grant, 'inner'));
  await writeFile(join(world.grant, 'inner', 'keep.txt'), 'INNER\n');
  await writeFile(join(world.grant, 'file.txt'), 'inside\n');
  // Links a user's project may well contain: relative and absolute, to a directory and to a file.
  await symlink('../outside', join(world.grant, 'hostlink'));
  await symlink(world.outside, join(world.grant, 'abslink'));
  await symlink('../outside/secret.txt', join(world.grant, 'filelink'));
  await mkdir(world.readOnly);
  await writeFile(join(world.readOnly, 'keep.txt'), 'KEEP\n');
  return world;
}

/** Every path under `dir` with its type and content (or link target), for before/after comparisons. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (at: string, rel: string) => {
    for (const name of (await readdir(at)).sort()) {
      const path = join(at, name);
      const key = rel ? `${rel}/${name}` : name;
      const info = await lstat(path);
      if (info.isSymbolicLink()) out[key] = `link:${await readlink(path)}`;
      else if (info.isDirectory()) {
        out[key] = 'dir';
        await walk(path, key);
      } else out[key] = `file:${await readFile(path, 'utf8')}`;
    }
  };
  await walk(dir, '');
  return out;
}
