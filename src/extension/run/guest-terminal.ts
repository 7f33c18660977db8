/**
 * A terminal for one guest run. VS Code pseudoterminals have no line discipline of their own, so this one
 * echoes typed characters, handles backspace, sends whole lines to the guest's stdin on Enter, Ctrl+D ends
 * stdin, and Ctrl+C stops the guest.
 */
import * as vscode from 'vscode';
import type { RunningGuest } from '../../core/run';

export interface GuestTerminal {
  terminal: vscode.Terminal;
  write(text: string): void;
  /** Everything written so far (the guest's output and our notes), for the command's result. */
  transcript(): string;
}

export function openGuestTerminal(name: string, guest: () => RunningGuest | undefined, onReady: () => void): GuestTerminal {
  const writer = new vscode.EventEmitter<string>();
  let transcript = '';
  let line = '';
  let opened = false;
  const pending: string[] = [];
  const write = (text: string) => {
    transcript += text;
    const crlf = text.replace(/\r?\n/g, '\r\n');
    if (opened) writer.fire(crlf);
    else pending.push(crlf);
  };
  const pty: vscode.Pseudoterminal = {
    onDidWrite: writer.event,
    open: () => {
      opened = true;
      for (const chunk of pending.splice(0)) writer.fire(chunk);
      onReady();
    },
    close: () => guest()?.kill(),
    handleInput: (data) => {
      const running = guest();
      if (!running?.stdin || running.stdin.destroyed) return;
      for (const ch of data) {
        if (ch === '\x03') {
          writer.fire('^C\r\n');
          running.kill();
        } else if (ch === '\x04') {
          running.stdin.end(line);
          line = '';
        } else if (ch === '\r') {
          writer.fire('\r\n');
          running.stdin.write(line + '\n');
          line = '';
        } else if (ch === '\x7f') {
          if (line.length) {
            line = line.slice(0, -1);
            writer.fire('\b \b');
          }
        } else if (ch >= ' ') {
          line += ch;
          writer.fire(ch);
        }
      }
    },
  };
  const terminal = vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon('play') });
  return { terminal, write, transcript: () => transcript };
}
