/**
 * `WWW-Authenticate` challenges (RFC 7235), as registries send them:
 * `Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"` or
 * `Basic realm="Registry"`. Several challenges may share one header, separated by commas.
 */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export function parseChallenges(header: string | null | undefined): Challenge[] {
  if (!header) return [];
  const out: Challenge[] = [];
  let i = 0;
  const n = header.length;
  const skip = (chars: string) => {
    while (i < n && chars.includes(header[i]!)) i++;
  };
  const token = () => {
    const start = i;
    while (i < n && /[!#$%&'*+.^_`|~0-9A-Za-z-]/.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  while (i < n) {
    skip(' \t,');
    const scheme = token();
    if (!scheme) {
      i++;
      continue;
    }
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    out.push(challenge);
    skip(' \t');
    // Parameters: name=value or name="quoted value", comma separated, until the next scheme.
    for (;;) {
      const save = i;
      skip(' \t,');
      const name = token();
      skip(' \t');
      if (!name || header[i] !== '=') {
        i = save;
        break;
      }
      i++;
      skip(' \t');
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          value += header[i];
          i++;
        }
        i++;
      } else {
        const start = i;
        while (i < n && header[i] !== ',' && header[i] !== ' ') i++;
        value = header.slice(start, i);
      }
      challenge.params[name.toLowerCase()] = value;
      skip(' \t');
      if (i >= n) break;
      if (header[i] === ',') {
        // Is what follows another parameter of this challenge, or a new scheme?
        let j = i + 1;
        while (j < n && (header[j] === ' ' || header[j] === '\t')) j++;
        const rest = header.slice(j);
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*=/.test(rest)) {
          i = j;
          break;
        }
      }
    }
  }
  return out;
}
