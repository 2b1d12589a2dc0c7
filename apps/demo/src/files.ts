/**
 * The demo's real I/O: a local folder plays the object-store bucket, "downloading" copies files into a work
 * folder, and the archive is a real .zip. Everything a step returns is plain JSON, as pgqrs stores it.
 */
import { createWriteStream } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, sep } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import yauzl from "yauzl";
import yazl from "yazl";

/** One object in the bucket, as `listObjects` returns it. */
export interface BucketObject {
  /** The bucket's folder. */
  bucket: string;
  /** The object's key: its path inside the bucket, with `/` separators (`reports/2024-q1.csv`). */
  key: string;
  size: number;
}

/** What `downloadAll` returns: the work folder and the local copies inside it. */
export interface LocalFiles {
  dir: string;
  /** Paths relative to `dir`, with `/` separators; they become the archive's entry names. */
  files: string[];
}

/** The demo's scratch space: a fresh folder per run, holding the bucket and the work folders. */
export interface DemoFolder {
  root: string;
  bucket: string;
  /** Where the trigger side records approvals (story 4). */
  approvals: string;
  /** Where each step execution is recorded, so a story can count them across workers and processes. */
  ledger: string;
}

const sampleObjects: Record<string, string> = {
  "reports/2024-q1.csv": "month,revenue\njan,120\nfeb,135\nmar,150\n",
  "reports/2024-q2.csv": "month,revenue\napr,160\nmay,158\njun,171\n",
  "reports/summary.txt": "Revenue grew every month but May.\n",
  "photos/beach.txt": "(pretend this is a photo of a beach)\n",
  "photos/mountain.txt": "(pretend this is a photo of a mountain)\n",
};

/** Creates a fresh demo folder under the OS temp dir, with a bucket of a few files under two prefixes. */
export async function createDemoFolder(): Promise<DemoFolder> {
  const root = await mkdtemp(join(tmpdir(), "pgqrs-demo-"));
  const bucket = join(root, "bucket");
  const approvals = join(root, "approvals");
  const ledger = join(root, "ledger");
  for (const [key, content] of Object.entries(sampleObjects)) {
    const path = join(bucket, ...key.split("/"));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  await mkdir(approvals, { recursive: true });
  await mkdir(ledger, { recursive: true });
  return { root, bucket, approvals, ledger };
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const paths = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]))),
  );
  return paths.flat();
}

/** Lists the bucket's objects whose key starts with `prefix`, sorted by key. */
export async function listObjects(bucket: string, prefix: string): Promise<BucketObject[]> {
  const objects: BucketObject[] = [];
  for (const path of await walk(bucket)) {
    const key = relative(bucket, path).split(sep).join("/");
    if (!key.startsWith(prefix)) continue;
    objects.push({ bucket, key, size: (await stat(path)).size });
  }
  return objects.sort((a, b) => a.key.localeCompare(b.key));
}

/** Options of {@link downloadAll}. */
export interface DownloadOptions {
  /**
   * Wait this long per file before copying it, standing in for network latency, so the RUNNING status can
   * be seen from outside. @default 0
   */
  latencyMs?: number;
}

/**
 * "Downloads" the objects: copies them into a new work folder next to the bucket, keeping their keys.
 * @throws when an object no longer exists
 */
export async function downloadAll(files: readonly BucketObject[], options: DownloadOptions = {}): Promise<LocalFiles> {
  const first = files[0];
  if (first === undefined) throw new Error("downloadAll: no files to download");
  const downloads = join(dirname(first.bucket), "downloads");
  await mkdir(downloads, { recursive: true });
  const dir = await mkdtemp(join(downloads, "work-"));
  for (const file of files) {
    if (options.latencyMs) await delay(options.latencyMs);
    const target = join(dir, ...file.key.split("/"));
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(file.bucket, ...file.key.split("/")), target);
  }
  return { dir, files: files.map((file) => file.key) };
}

/** Writes a .zip of the local files next to their work folder and returns its path. */
export async function createZip(local: LocalFiles): Promise<string> {
  const archivePath = join(dirname(local.dir), `${basename(local.dir)}.zip`);
  const zip = new yazl.ZipFile();
  for (const file of local.files) zip.addFile(join(local.dir, ...file.split("/")), file);
  const output = createWriteStream(archivePath);
  const written = new Promise<void>((resolve, reject) => {
    output.on("close", resolve);
    output.on("error", reject);
    zip.outputStream.on("error", reject);
  });
  zip.outputStream.pipe(output);
  zip.end();
  await written;
  return archivePath;
}

/** Reads a .zip's central directory back and returns its entry names. */
export async function readZipEntries(archivePath: string): Promise<string[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.open(archivePath, { lazyEntries: true, autoClose: true }, (error, opened) => (error ? reject(error) : resolve(opened)));
  });
  return new Promise<string[]>((resolve, reject) => {
    const names: string[] = [];
    zip.on("entry", (entry: yauzl.Entry) => {
      names.push(entry.fileName);
      zip.readEntry();
    });
    zip.on("end", () => resolve(names));
    zip.on("error", reject);
    zip.readEntry();
  });
}
