/**
 * The terminal of a binary's runs. VS Code pseudoterminals have no line discipline, so this one echoes typed
 * characters, handles backspace, sends whole lines to the guest's stdin on Enter; Ctrl+D ends stdin and Ctrl+C
 * stops the guest. They have no flow control either: the guest's output goes out at a steady pace
 * (core's PacedOutput), its streams paused while the terminal is behind, and only a bounded tail is kept for the
 * command's result. One terminal serves many runs of its binary, one at a time.
 */
import * as vscode from 'vscode';
import { PacedOutput, TextTail, type RunningGuest, type RunOutcome } from '../../core/run';
import { EDIT_GRANTS_LINK } from './run-header';

/** What a run's result keeps of its output: the end (the notes come last). */
export const TRANSCRIPT_TAIL_CHARS = 64 * 1024;

export interface TerminalRun {
  outcome: RunOutcome;
  /** The header, the last part of the output, and the closing notes. */
  transcript: string;
  /** Characters of output (and notes) the guest's run sent to the terminal. */
  outputChars: number;
  /** The most characters that waited for the terminal at once. */
  peakQueuedChars: number;
}

/** Erases the screen and the scrollback, cursor home: a reused terminal starts clean. */
const CLEAR = '\x1b[2J\x1b[3J\x1b[H';

export class GuestTerminal implements vscode.Disposable {
  readonly terminal: vscode.Terminal;
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly opened: Promise<void>;
  private guest: RunningGuest | undefined;
  private output: PacedOutput | undefined;
  private line = '';
  private closedByUser = false;
  private runs = 0;

  constructor(
    readonly binary: vscode.Uri,
    name: string,
    onClose: (terminal: GuestTerminal) => void,
  ) {
    let markOpened!: () => void;
    this.opened = new Promise((resolve) => (markOpened = resolve));
    const pty: vscode.Pseudoterminal = {
      onDidWrite: this.writer.event,
      open: () => markOpened(),
      close: () => {
        this.closedByUser = true;
        this.output?.discard();
        this.guest?.kill();
        onClose(this);
      },
      handleInput: (data) => this.input(data),
    };
    this.terminal = vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon('play') });
  }

  /** A run is going on in it. */
  get busy(): boolean {
    return this.guest !== undefined;
  }

  get closed(): boolean {
    return this.closedByUser;
  }

  /**
   * One run: the header (our own text, written at once; a terminal used before is cleared first), then the
   * guest's output at the terminal's pace, then what `closing` says about the outcome.
   */
  async run(options: { header: string; start: () => RunningGuest; closing: (outcome: RunOutcome) => string }): Promise<TerminalRun> {
    const clear = this.runs++ > 0;
    await this.opened;
    const tail = new TextTail(TRANSCRIPT_TAIL_CHARS);
    let outputChars = 0;
    const output = new PacedOutput((text) => {
      tail.append(text);
      outputChars += text.length;
      this.writer.fire(crlf(text));
    });
    this.output = output;
    this.line = '';
    // The link to the grants editor is underlined, as links are (the link provider finds it by its text).
    this.writer.fire((clear ? CLEAR : '') + crlf(options.header.replace(EDIT_GRANTS_LINK, `\x1b[4m${EDIT_GRANTS_LINK}\x1b[24m`)));
    const guest = options.start();
    this.guest = guest;
    if (guest.stdout) output.pipe(guest.stdout);
    if (guest.stderr) output.pipe(guest.stderr);
    // The guest may have exited with output still in its paused pipes: the notes come after all of it.
    const [outcome] = await Promise.all([guest.outcome, output.drained()]);
    output.write(options.closing(outcome));
    await output.drained();
    this.guest = undefined;
    this.output = undefined;
    const dropped = tail.dropped;
    const transcript = `${options.header}${dropped ? `[… ${dropped.toLocaleString('en')} characters of output not kept here; the terminal shows its own scrollback …]\n` : ''}${tail.toString()}`;
    return { outcome, transcript, outputChars, peakQueuedChars: output.peakQueued };
  }

  private input(data: string): void {
    const running = this.guest;
    if (!running?.stdin || running.stdin.destroyed) return;
    for (const ch of data) {
      if (ch === '\x03') {
        this.writer.fire('^C\r\n');
        running.kill();
      } else if (ch === '\x04') {
        running.stdin.end(this.line);
        this.line = '';
      } else if (ch === '\r') {
        this.writer.fire('\r\n');
        running.stdin.write(this.line + '\n');
        this.line = '';
      } else if (ch === '\x7f') {
        if (this.line.length) {
          this.line = this.line.slice(0, -1);
          this.writer.fire('\b \b');
        }
      } else if (ch >= ' ') {
        this.line += ch;
        this.writer.fire(ch);
      }
    }
  }

  dispose(): void {
    this.terminal.dispose();
    this.writer.dispose();
  }
}

/** Terminals move to the next line only on CR LF. */
function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
