/**
 * Text from a guest or a binary (paths it asked for, names it carries) shown in a terminal or a log: control
 * characters and bidirectional overrides are written as escapes, so such text can neither move the cursor,
 * clear the screen nor reorder what the user reads.
 */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it replaces
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
