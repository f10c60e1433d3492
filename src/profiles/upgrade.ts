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
  const added = (param: Param): Param => ({
    ...structuredClone(param),
    source: {
      kind: 'assumption',
      ref: `not in ${PROFILE_SCHEMA_V1}; the value of ${cx3FdrKvm2013.name} (${param.source.kind}: ${param.source.ref})`,
    },
  });
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
