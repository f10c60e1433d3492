/**
 * Built-in profile of the testbed in Jose et al., "SR-IOV Support for Virtualization
 * on InfiniBand Clusters: Early Experience", CCGrid 2013: four nodes of
 * two 8-core Xeon E5-2670, ConnectX-3 FDR HCAs in a PCIe 3.0 slot, a Mellanox SX6036
 * switch, KVM guests on SR-IOV virtual functions, MVAPICH2 1.9a2.
 *
 * Generated, not written: cx3-fdr-kvm-2013.json is what the paper fitter
 * (src/calibrate/paper/) makes of the committed inputs
 * calibration/cx3-fdr-kvm-2013/paper-rows.csv (the paper's visible point-to-point rows,
 * each cited) and calibration/cx3-fdr-kvm-2013/constants.json (every other number with
 * its citation or assumption). Rerun with `npm run calibrate:builtin`; edit the inputs,
 * never the JSON (test/calibrate/paper/builtin.test.ts checks the two agree).
 */
import data from './cx3-fdr-kvm-2013.json' with { type: 'json' };
import type { Profile } from './types.js';

// The schema is checked where it matters: test/calibrate/paper/builtin.test.ts validates the file.
export const cx3FdrKvm2013: Profile = data as unknown as Profile;
