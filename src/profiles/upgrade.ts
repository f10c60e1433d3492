import { cx3FdrKvm2013 } from './cx3-fdr-kvm-2013.js';
import { PROFILE_SCHEMA_ID, PROFILE_SCHEMA_V1, type Param } from './types.js';

/**
 * An `ibvf.profile/1` profile as `ibvf.profile/2`. Version 2 adds what the layout
 * mechanisms need (docs/virtualization.md): a `vf-to-vf` path, separate from one VF looped
 * back to itself, and parameters for memory locality, host work per VM, guest ticks and
 * IOMMU translation. A version-1 profile had one `vf-loopback` path for both, so it serves
 * as `vf-to-vf` too; each added parameter takes the built-in profile's value and says so in
 * its source, where `ibvf profile show` prints it.
 */
export function upgradeProfileV1(data: Record<string, unknown>): Record<string, unknown> {
  const profile = structuredClone(data) as Record<string, unknown>;
  profile.schema = PROFILE_SCHEMA_ID;
  const added = addedParam(`not in ${PROFILE_SCHEMA_V1}`);
  const fill = (section: 'node' | 'virtualization') => {
    const target = profile[section] as Record<string, unknown> | undefined;
    if (typeof target !== 'object' || target === null) return;
    for (const [key, param] of Object.entries(cx3FdrKvm2013[section]) as [string, Param][]) {
      if (!(key in target)) target[key] = added(param);
    }
  };
  fill('node');
  fill('virtualization');
  const paths = profile.paths as Record<string, Record<string, unknown>> | undefined;
  if (paths && paths['vf-loopback'] && !paths['vf-to-vf']) {
    paths['vf-to-vf'] = {
      ...structuredClone(paths['vf-loopback']),
      description: `VF to VF between two VMs of one node (as vf-loopback: ${PROFILE_SCHEMA_V1} had one path for both)`,
    };
  }
  return profile;
}

/** A built-in parameter copied into a profile that lacks it, its source saying so. */
function addedParam(why: string): (param: Param) => Param {
  return (param) => ({
    ...structuredClone(param),
    source: {
      kind: 'assumption',
      ref: `${why}; the value of ${cx3FdrKvm2013.name} (${param.source.kind}: ${param.source.ref})`,
    },
  });
}

/**
 * Parameters added to `ibvf.profile/2` after files of it were written: the interrupt
 * vectors of a function (docs/virtualization.md, rule 6). They are optional in no other
 * sense: a file without them loads with the built-in value, and its source says so.
 */
const ADDED_TO_V2 = {
  virtualization: ['interruptVectors', 'interruptService', 'interruptExitCost'],
} as const;

/** An `ibvf.profile/2` profile with the parameters added since (ADDED_TO_V2) filled in where absent. */
export function fillAddedToV2(data: Record<string, unknown>): Record<string, unknown> {
  const section = data.virtualization;
  if (typeof section !== 'object' || section === null) return data;
  const missing = ADDED_TO_V2.virtualization.filter((k) => !(k in section));
  if (missing.length === 0) return data;
  const profile = structuredClone(data);
  const target = profile.virtualization as Record<string, unknown>;
  const added = addedParam('not in this file (added to ibvf.profile/2 later)');
  for (const key of missing) target[key] = added(cx3FdrKvm2013.virtualization[key]);
  return profile;
}
