import type { DeniedAccess } from '../types';

/** Reports each distinct refusal once: a guest retrying in a loop must not flood the user with notes. */
export function onceEach(report: (access: DeniedAccess) => void): (access: DeniedAccess) => void {
  const reported = new Set<string>();
  return (access) => {
    const key = `${access.capability}:${access.call}:${access.detail}`;
    if (reported.has(key)) return;
    reported.add(key);
    report(access);
  };
}
