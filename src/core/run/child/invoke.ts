/** Arguments and results of an invoked export, converted by its signature. */
export function signatureParts(type: string): { params: string[]; results: string[] } {
  const params = /\(param ([^)]*)\)/.exec(type)?.[1]?.split(' ') ?? [];
  const results = /\(result ([^)]*)\)/.exec(type)?.[1]?.split(' ') ?? [];
  return { params, results };
}

export function parseInvokeArguments(type: string, args: string[]): unknown[] {
  const { params } = signatureParts(type);
  if (params.length !== args.length) throw new Error(`the function takes ${params.length} argument(s) ${type}, got ${args.length}`);
  return params.map((param, i) => {
    const text = args[i]!;
    switch (param) {
      case 'i32': {
        const n = Number(text);
        if (!Number.isInteger(n)) throw new Error(`argument ${i + 1} must be an i32, got "${text}"`);
        return n | 0;
      }
      case 'i64':
        try {
          return BigInt.asIntN(64, BigInt(text));
        } catch {
          throw new Error(`argument ${i + 1} must be an i64, got "${text}"`);
        }
      case 'f32':
      case 'f64': {
        const n = Number(text);
        if (Number.isNaN(n) && text !== 'nan') throw new Error(`argument ${i + 1} must be a number, got "${text}"`);
        return n;
      }
      default:
        throw new Error(`argument ${i + 1} has type ${param}, which cannot be given on the command line`);
    }
  });
}

export function formatResults(type: string, value: unknown): string {
  const { results } = signatureParts(type);
  if (results.length === 0) return '';
  const values = results.length > 1 ? (value as unknown[]) : [value];
  return values.map((v) => String(v)).join(' ');
}
