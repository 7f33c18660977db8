/**
 * How many times a component instantiates each of its core modules, so the memory budget can be shared among
 * every instance before any is made (a core module's memory limit is fixed when it is compiled). Only the
 * component's own top level is read: for components that nest components or alias modules in from outside,
 * the answer is unknown and the runner falls back to checking each instantiation against the budget.
 */

class Reader {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  byte(): number {
    if (this.at >= this.bytes.length) throw new RangeError('unexpected end');
    return this.bytes[this.at++]!;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
      shift += 7;
      if (shift > 35) throw new RangeError('LEB too long');
    }
  }
  skip(n: number): void {
    this.at += n;
    if (this.at > this.bytes.length) throw new RangeError('unexpected end');
  }
  name(): void {
    this.skip(this.u32());
  }
}

/** Instantiation counts by core module index (in definition order), or undefined when they cannot be known. */
export function coreInstanceCounts(component: Uint8Array): number[] | undefined {
  try {
    const r = new Reader(component);
    r.skip(8);
    const counts: number[] = [];
    while (r.at < component.length) {
      const id = r.byte();
      const size = r.u32();
      const end = r.at + size;
      switch (id) {
        case 1: // one core module
          counts.push(0);
          break;
        case 2: {
          // core instances: 0x00 instantiates a module; 0x01 is a bag of exports (no memory of its own)
          for (let n = r.u32(); n > 0; n--) {
            const kind = r.byte();
            if (kind === 0x00) {
              const module = r.u32();
              if (module >= counts.length) return undefined;
              counts[module]!++;
              for (let args = r.u32(); args > 0; args--) {
                r.name();
                r.byte();
                r.u32();
              }
            } else if (kind === 0x01) {
              for (let exports = r.u32(); exports > 0; exports--) {
                r.name();
                r.byte();
                r.u32();
              }
            } else return undefined;
          }
          break;
        }
        case 4: // a nested component: its modules live in another index space
          return undefined;
        case 6: {
          // aliases: one that brings a core module into this index space makes the numbering unknowable here
          for (let n = r.u32(); n > 0; n--) {
            const sort = r.byte();
            const coreSort = sort === 0x00 ? r.byte() : undefined;
            if (coreSort === 0x11) return undefined;
            const target = r.byte();
            if (target === 0x00 || target === 0x01) {
              r.u32();
              r.name();
            } else if (target === 0x02) {
              r.u32();
              r.u32();
            } else return undefined;
          }
          break;
        }
        default:
          break;
      }
      r.at = end;
    }
    return counts;
  } catch {
    return undefined;
  }
}
