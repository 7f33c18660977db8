/**
 * A custom editor's document on one file that is read again when the file changes on disk (a rebuild): the inspector
 * and the hex view both keep the latest reading as a promise, numbered by revision, and tell their panels.
 */
import * as vscode from 'vscode';

/** A rebuild writes a file in several steps: wait for them to settle before reading it again. */
const SETTLE_MS = 250;

export abstract class FileDocument<T> implements vscode.CustomDocument {
  private revision = 0;
  private reading: Promise<T> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a new reading has started (the file changed); `current()` gives its result. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly uri: vscode.Uri) {
    // The file's folder, not its name as a glob (a name may hold glob characters); other files are ignored.
    const folder = uri.with({ path: uri.path.slice(0, uri.path.lastIndexOf('/')) || '/' });
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '*'), false, false, true);
    const schedule = (changed: vscode.Uri) => {
      if (changed.toString() !== uri.toString()) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reread(), SETTLE_MS);
    };
    this.disposables.push(watcher, watcher.onDidChange(schedule), watcher.onDidCreate(schedule));
  }

  get fileName(): string {
    return this.uri.path.split('/').pop() ?? this.uri.path;
  }

  /** The latest reading (started on first use, so subclasses are fully built by then). */
  current(): Promise<T> {
    this.reading ??= this.read(++this.revision);
    return this.reading;
  }

  /** Reads the file again, as when it changed on disk. */
  reread(): void {
    const previous = this.reading;
    this.reading = this.read(++this.revision);
    if (previous) this.replaced(previous);
    this.changed.fire();
  }

  /** Reads the file; `revision` numbers the readings. */
  protected abstract read(revision: number): Promise<T>;

  /** Called with a reading a newer one replaced (to release what it holds). */
  protected replaced(_previous: Promise<T>): void {}

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
