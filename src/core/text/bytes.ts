/**
 * The one way sizes are written for people, in the CLI, the editor and the webviews alike (the webviews bundle this
 * file): bytes below 1 KiB ("512 bytes"), then KiB, MiB or GiB with one decimal below 10 and none above.
 */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = n;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
